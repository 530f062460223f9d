/* x86_64 thread start: rip, rsp (as after a call: 8 below a 16-byte
 * boundary, System V ABI §3.2.2), fs_base at the thread pointer and the
 * argument in rdi. TLS is variant II (ELF TLS ABI): the data sits just
 * below the thread pointer, which points at a word holding its own
 * address (compilers read %fs:0 to take a TLS variable's address). */
#pragma once
#include <sel4/sel4.h>

#define HYPOS_ARCH_TLS_EXTRA 8

static inline seL4_Word hypos_arch_thread_pointer(void *tls_block, size_t data_size)
{
    /* data_size is a multiple of the TLS alignment (user.ld) */
    seL4_Word tp = (seL4_Word)tls_block + data_size;
    *(seL4_Word *)tp = tp;
    return tp;
}

static inline void hypos_arch_thread_regs(seL4_UserContext *regs, seL4_Word entry, seL4_Word stack_top, seL4_Word tp,
                                          seL4_Word arg)
{
    regs->rip = entry;
    regs->rsp = (stack_top & ~(seL4_Word)15) - 8;
    regs->rflags = 0x200; /* IF; the kernel forces it anyway */
    regs->fs_base = tp;
    regs->rdi = arg;
}

/* This thread's thread pointer: the word at %fs:0 holds it. */
static inline void *hypos_arch_current_thread_pointer(void)
{
    void *tp;
    asm volatile("movq %%fs:0, %0" : "=r"(tp));
    return tp;
}
