/* seL4_DebugDumpScheduler: a table of every thread the kernel knows.
 * Kernels with a console keep all TCBs on a list for it: linked when a TCB
 * is made (retype, boot), unlinked when it is destroyed. */
#pragma once
#include <object/structures.h>

#ifdef HYPOS_PRINTING
void debug_tcb_list_add(tcb_t *t);
void debug_tcb_list_remove(tcb_t *t);
void debug_dump_scheduler(void);
/* Violations of "the list holds exactly the TCBs that exist" (each printed). */
word_t debug_tcb_list_check(void);
#else
static inline void debug_tcb_list_add(tcb_t *t) { (void)t; }
static inline void debug_tcb_list_remove(tcb_t *t) { (void)t; }
static inline word_t debug_tcb_list_check(void) { return 0; }
#endif
