/* Per-thread architecture state kept in the TCB. */
#pragma once
#include <types.h>

/* The satp value last computed for the thread's VSpace cap, valid while
 * satp_gen equals vspace_gen (see arch/vspace.h). It lets an IPC switch
 * between address spaces skip decoding the cap and the ASID pool lookup. */
typedef struct arch_tcb {
    word_t satp;
    word_t satp_gen;
} arch_tcb_t;
