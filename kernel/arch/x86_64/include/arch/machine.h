/* x86_64 machine interface used by generic kernel code. */
#pragma once
#include <types.h>
#include <object/structures.h>
#include <arch/paging_cap.h>

void arch_putchar(char c);
NORETURN void arch_halt(void);
/* Enter user mode as thread t (NULL: idle until an interrupt; never returns). */
NORETURN void arch_activate_and_return(tcb_t *t);
NORETURN void restore_user_context(user_context_t *ctx);

/* restore_user_context as a jump, for the fastpath, which must not set up
 * a stack frame (GCC keeps one for calls to noreturn functions). Its
 * threads are blocked in a system call, so they return as from one
 * (SYSRET, trap.S). */
static ALWAYS_INLINE NORETURN void restore_user_context_jump(user_context_t *ctx)
{
    /* trap.S takes the TCB, whose address the caller has at hand (the
     * subtraction folds away), and finds the context at TCB_CTX_OFFSET */
    tcb_t *t = (tcb_t *)((char *)ctx - offsetof(tcb_t, ctx));
    asm volatile("jmp restore_user_context_syscall" ::"D"(t) : "memory");
    __builtin_unreachable();
}

/* The same for a thread that entered the kernel any way (a fault): every
 * register back, with IRETQ. */
static ALWAYS_INLINE NORETURN void restore_user_context_full_jump(user_context_t *ctx)
{
    asm volatile("jmp restore_user_context" ::"D"(ctx) : "memory");
    __builtin_unreachable();
}
