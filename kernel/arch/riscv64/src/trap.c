/* Trap dispatch: syscalls and exceptions from user mode. */
#include <api/syscall.h>
#include <arch/machine.h>
#include <arch/registers.h>
#include <arch/vspace.h>
#include <kernel/printk.h>
#include <kernel/thread.h>

#define CAUSE_INTERRUPT (1ull << 63)

/* Exceptions and interrupts (system calls go to c_handle_syscall). */
void c_handle_trap(word_t scause, word_t stval)
{
    if (scause & CAUSE_INTERRUPT) {
        /* no interrupt sources are enabled yet */
    } else {
        handle_user_exception(scause, stval);
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

void kernel_trap_panic(word_t scause, word_t sepc, word_t stval)
{
    kprintf("hypOS: KERNEL PANIC: trap in kernel mode: scause %lx sepc %lx stval %lx\n", scause, sepc, stval);
    arch_halt();
}

void arch_activate_and_return(tcb_t *t)
{
    static bool said_idle;
    if (!t) {
        if (!said_idle)
            kprintf("hypOS: no runnable threads; idle\n");
        said_idle = true;
        ks_cur_thread = NULL;
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
    word_t s = csr_read(sstatus);
    s &= ~(SSTATUS_SPP | SSTATUS_SIE | SSTATUS_SUM | SSTATUS_FS);
    s |= SSTATUS_SPIE;
    csr_write(sstatus, s);
    restore_user_context(&t->ctx);
}
