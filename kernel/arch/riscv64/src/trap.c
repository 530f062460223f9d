/* Trap dispatch: syscalls and exceptions from user mode. */
#include <api/syscall.h>
#include <arch/fpu.h>
#include <arch/interrupts.h>
#include <arch/machine.h>
#include <arch/plic.h>
#include <arch/preempt.h>
#include <arch/registers.h>
#include <arch/timer.h>
#include <arch/vspace.h>
#include <kernel/printk.h>
#include <kernel/thread.h>
#include <object/irq.h>
#include <arch/trap_layout.h>
#include <stddef.h>
#include <sel4/syscall.h>

_Static_assert(offsetof(user_context_t, regs[0]) == 0, "trap.S: the pc is regs[0]");
_Static_assert(offsetof(user_context_t, regs[1]) == CTX_REG_SIZE, "trap.S: regs[n] at n * CTX_REG_SIZE");
_Static_assert(sizeof(((user_context_t *)0)->regs[0]) == CTX_REG_SIZE, "trap.S: sd/ld move whole registers");
_Static_assert(offsetof(user_context_t, fault_pc) == CTX_FAULT_PC, "trap.S: fault_pc follows the registers");
_Static_assert(BIT(FS_SHIFT_ASM) * 3 == SSTATUS_FS, "trap.S: where sstatus.FS is");
_Static_assert(SYSNO_CALL == seL4_SysCall && SYSNO_REPLY_RECV == seL4_SysReplyRecv, "trap.S: fastpath syscalls");

#define CAUSE_INTERRUPT (1ull << 63)
#define CAUSE_ILLEGAL_INSTRUCTION 2
#define IRQ_S_TIMER 5
#define IRQ_S_EXTERNAL 9

/* Where trap.S saves the registers of the idle loop: with sscratch
 * pointing here, an interrupt taken in idle enters like one from a thread
 * (the saved state is never resumed; idle starts over). */
static user_context_t idle_context;

NORETURN void kernel_trap_panic(word_t scause, word_t sepc, word_t stval);

void arch_init_plic_and_timer(paddr_t plic_base, word_t plic_size, word_t timebase_hz)
{
    plic_init(plic_base, plic_size);
    timer_init(timebase_hz);
    /* U-mode always takes S-mode interrupts that sie enables (privileged
     * spec 1.12 ch. 4.1.3); the kernel itself runs with sstatus.SIE clear
     * except in idle. */
    csr_set(sie, BIT(IRQ_S_TIMER) | BIT(IRQ_S_EXTERNAL));
}

static void handle_interrupt_cause(word_t cause)
{
    switch (cause) {
    case IRQ_S_TIMER:
        kernel_timer_interrupt();
        break;
    case IRQ_S_EXTERNAL: {
        word_t irq = arch_irq_claim();
        if (irq)
            handle_interrupt(irq);
        break;
    }
    default:
        break;
    }
}

/* A preempted system call handles the interrupt that stopped it here
 * rather than by returning to user mode and trapping again. A device
 * goes first: it is what a waiting handler thread is waiting for. */
void arch_handle_pending_interrupt(void)
{
    word_t pending = csr_read(sip) & csr_read(sie);
    if (pending & SIP_SEIP)
        handle_interrupt_cause(IRQ_S_EXTERNAL);
    else if (pending & SIP_STIP)
        handle_interrupt_cause(IRQ_S_TIMER);
}

/* Exceptions and interrupts (system calls go to c_handle_syscall). */
void c_handle_trap(word_t scause, word_t stval)
{
    if (scause & CAUSE_INTERRUPT) {
        handle_interrupt_cause(scause & ~CAUSE_INTERRUPT);
    } else if (ks_cur_thread) {
        /* a first FP instruction only makes the thread an FPU user */
        if (scause != CAUSE_ILLEGAL_INSTRUCTION || !fpu_first_use(ks_cur_thread))
            handle_user_exception(scause, stval);
    } else {
        kernel_trap_panic(scause, idle_context.regs[0], stval);
    }
    arch_activate_and_return(schedule());
}

/* System calls enter here from trap.S (after the fastpath declined), with
 * the pc already advanced past the ecall. */
void c_handle_syscall(void)
{
    handle_syscall((sword_t)ks_cur_thread->ctx.regs[REG_SYSNO]);
    arch_activate_and_return(schedule());
}

NORETURN void kernel_trap_panic(word_t scause, word_t sepc, word_t stval)
{
    kprintf("hypOS: KERNEL PANIC: trap in kernel mode: scause %lx sepc %lx stval %lx\n", scause, sepc, stval);
    arch_halt();
}

/* sret goes to user mode with interrupts on (SPP clear, SPIE set), user
 * pages not accessible to the kernel (SUM clear) and fs as sstatus.FS. */
static ALWAYS_INLINE NORETURN void return_to_user(tcb_t *t, word_t fs)
{
    word_t s = csr_read(sstatus);
    s &= ~(SSTATUS_SPP | SSTATUS_SIE | SSTATUS_SUM | SSTATUS_FS);
    s |= SSTATUS_SPIE | fs;
    csr_write(sstatus, s);
    restore_user_context(&t->ctx);
}

/* Out of line, so that a thread without live FPU state pays one test. */
static __attribute__((noinline)) NORETURN void return_to_fpu_thread(tcb_t *t) { return_to_user(t, fpu_activate(t)); }

void arch_activate_and_return(tcb_t *t)
{
    static bool said_idle;
    if (!t) {
        if (!said_idle)
            kprintf("hypOS: no runnable threads; idle\n");
        said_idle = true;
        ks_cur_thread = NULL;
        /* Idle is the one place the kernel takes interrupts. */
        csr_write(sscratch, &idle_context);
        csr_clear(sstatus, SSTATUS_FS);
        csr_set(sstatus, SSTATUS_SIE);
        for (;;)
            asm volatile("wfi");
    }
    ks_cur_thread = t;
    if (t->state == ThreadState_Restart) {
        /* restart the interrupted system call or faulting instruction */
        t->ctx.regs[REG_PC] = t->ctx.fault_pc;
        t->state = ThreadState_Running;
    }
    arch_switch_vspace(t);
    if (unlikely(fpu_wanted(t)))
        return_to_fpu_thread(t);
    return_to_user(t, FS_OFF);
}
