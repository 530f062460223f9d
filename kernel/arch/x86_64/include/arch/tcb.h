/* Per-thread architecture state kept in the TCB. */
#pragma once
#include <types.h>

/* The CR3 value last computed for the thread's VSpace cap, valid while
 * cr3_gen equals vspace_gen (see arch/vspace.h): an IPC switch between
 * address spaces can then skip the cap and ASID pool checks. */
typedef struct arch_tcb {
    word_t cr3;
    word_t cr3_gen;
    word_t flags; /* seL4_TCBFlag_* as TCB_SetFlags left them */
} arch_tcb_t;
