#pragma once
#include <types.h>
#include <sel4/config.h>

/* Try the fast case of the system call; return only if the slow path must run. */
void fastpath_call(word_t cptr, word_t info);
void fastpath_reply_recv(word_t cptr, word_t info);
/* Finish a traced fastpath IPC whose records made a ring's notification
 * due: the scheduler signals it, then chooses between `to` and what the
 * signal woke (kernel/src/trace/trace_events.c). */
struct tcb;
NORETURN void fastpath_switch_through_scheduler(struct tcb *to);
#ifdef CONFIG_KERNEL_MCS
/* MCS: finish a fastpath switch to a partner with its own SC, which the
 * leaf fastpath checked and left to the system call's C entry. */
void fastpath_mcs_deferred(void);
#endif

#ifdef HYPOS_DEBUG
/* Completed fastpath system calls, for tests that must exercise it, and
 * the times an invariant the fastpath relies on was found broken. */
extern word_t fastpath_count, fastpath_broken_assumptions;
#endif
