/* riscv64 thread start: pc, sp, the program's gp, tp at the TLS block
 * (variant I: the block starts at tp) and the argument in a0. */
#pragma once
#include <sel4/sel4.h>

static inline seL4_Word hypos_arch_thread_pointer(void *tls_block, size_t data_size)
{
    (void)data_size;
    return (seL4_Word)tls_block;
}
/* Extra bytes a TLS block needs beyond the program's TLS data. */
#define HYPOS_ARCH_TLS_EXTRA 0

static inline void hypos_arch_thread_regs(seL4_UserContext *regs, seL4_Word entry, seL4_Word stack_top, seL4_Word tp,
                                          seL4_Word arg)
{
    seL4_Word gp;
    asm volatile("mv %0, gp" : "=r"(gp));
    regs->pc = entry;
    regs->sp = stack_top;
    regs->gp = gp;
    regs->tp = tp;
    regs->a0 = arg;
}

/* This thread's thread pointer. */
static inline void *hypos_arch_current_thread_pointer(void)
{
    void *tp;
    asm volatile("mv %0, tp" : "=r"(tp));
    return tp;
}
