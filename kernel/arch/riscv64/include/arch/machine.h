/* riscv64 machine interface used by generic kernel code. */
#pragma once
#include <types.h>
#include <object/structures.h>

/* The tag seL4_DebugCapIdentify reports: the cap type itself on riscv64. */
static inline word_t arch_cap_tag(cap_t c) { return cap_get_type(c); }

void arch_putchar(char c);
NORETURN void arch_halt(void);
/* Enter user mode as thread t (never returns). */
NORETURN void arch_activate_and_return(tcb_t *t);
NORETURN void restore_user_context(user_context_t *ctx);
word_t arch_read_instret(void);

/* restore_user_context as a jump, for callers that must not set up a stack
 * frame (GCC keeps one for calls to noreturn functions). */
static ALWAYS_INLINE NORETURN void restore_user_context_jump(user_context_t *ctx)
{
    register user_context_t *a0 asm("a0") = ctx;
    asm volatile("j restore_user_context" ::"r"(a0) : "memory");
    __builtin_unreachable();
}
/* restore_user_context restores every register whatever the way in was */
#define restore_user_context_full_jump restore_user_context_jump

#define csr_read(csr)                               \
    ({                                              \
        word_t __v;                                 \
        asm volatile("csrr %0, " #csr : "=r"(__v)); \
        __v;                                        \
    })
#define csr_write(csr, val) asm volatile("csrw " #csr ", %0" ::"rK"((word_t)(val)))
#define csr_set(csr, val) asm volatile("csrs " #csr ", %0" ::"rK"((word_t)(val)))
#define csr_clear(csr, val) asm volatile("csrc " #csr ", %0" ::"rK"((word_t)(val)))

#define SSTATUS_SIE (1ull << 1)
#define SSTATUS_SPIE (1ull << 5)
#define SSTATUS_SPP (1ull << 8)
#define SSTATUS_FS (3ull << 13)
#define SSTATUS_SUM (1ull << 18)
