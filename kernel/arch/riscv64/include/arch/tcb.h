/* Per-thread architecture state kept in the TCB. */
#pragma once
#include <types.h>

/* A thread's F/D registers as saved in its TCB: f0-f31 (64 bits each, as
 * the D extension holds them) and fcsr. A new TCB is zeroed by retype,
 * which is the initial state: all registers +0.0, round to nearest, no
 * exception flags. */
typedef struct fpu_state {
    uint64_t f[32];
    word_t fcsr;
} fpu_state_t;

/* satp_gen bit set while the thread uses the FPU and has it enabled.
 * vspace_gen never reaches it, so such a thread never matches the
 * fastpath's one cache compare and takes its out-of-line check, which
 * makes the thread's FPU state live (arch/fpu.h). */
#define SATP_GEN_FPU BIT(63)

/* Bits of arch_tcb_t.fpu: seL4's TCB flags as set by TCB_SetFlags (bit 0,
 * seL4_TCBFlag_fpuDisabled), the kernel's own record that the thread has
 * executed a floating-point instruction, and LIVE = USED and not DISABLED,
 * kept in the sign bit so that a switch tests it with one branch. */
#define TCB_FPU_DISABLED BIT(0)
#define TCB_FPU_USED BIT(8)
#define TCB_FPU_LIVE BIT(63)

/* The satp value last computed for the thread's VSpace cap, valid while
 * satp_gen equals vspace_gen (see arch/vspace.h). It lets an IPC switch
 * between address spaces skip decoding the cap and the ASID pool lookup. */
typedef struct arch_tcb {
    word_t satp;
    word_t satp_gen;
    word_t fpu;
    fpu_state_t fpu_state;
} arch_tcb_t;
