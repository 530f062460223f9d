/* Per-thread architecture state kept in the TCB. */
#pragma once
#include <types.h>

/* The x87, MMX and SSE registers in the FXSAVE layout (Intel SDM Vol. 1
 * §10.5.1, table 10-2): 512 bytes, 16-byte aligned. */
typedef struct fpu_state {
    uint16_t fcw, fsw;
    uint8_t ftw, reserved0;
    uint16_t fop;
    uint64_t fip, fdp;
    uint32_t mxcsr, mxcsr_mask;
    uint8_t rest[480]; /* ST0-ST7, XMM0-XMM15, reserved */
} __attribute__((aligned(16))) fpu_state_t;
_Static_assert(sizeof(fpu_state_t) == 512, "FXSAVE area");

/* The CR3 value last computed for the thread's VSpace cap, valid while
 * cr3_gen equals vspace_gen (see arch/vspace.h): an IPC switch between
 * address spaces can then skip the cap and ASID pool checks. Bit 63 of
 * cr3_gen marks the thread whose FP state is in the registers (arch/fpu.h).
 * fpu holds seL4_TCBFlag_fpuDisabled and the TCB_FPU_* state bits. */
typedef struct arch_tcb {
    word_t cr3;
    word_t cr3_gen;
    word_t fpu;
    fpu_state_t fpu_state;
} arch_tcb_t;

/* arch_tcb_t.fpu: bit 0 is seL4_TCBFlag_fpuDisabled as TCB_SetFlags left
 * it; USED: the thread has executed an FP instruction; LIVE: USED and not
 * disabled (its state must be in the registers while it runs). */
#define TCB_FPU_DISABLED 1ul
#define TCB_FPU_USED 2ul
#define TCB_FPU_LIVE 4ul
