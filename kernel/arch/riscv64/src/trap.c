/* Trap dispatch: syscalls and exceptions from user mode. */
#include <api/syscall.h>
#include <arch/machine.h>
#include <arch/registers.h>
#include <arch/vspace.h>
#include <kernel/printk.h>
#include <kernel/thread.h>
#include <fastpath/fastpath.h>
#include <sel4/syscall.h>

#define CAUSE_INTERRUPT (1ull << 63)
#define CAUSE_ECALL_U 8

void c_handle_trap(word_t scause, word_t stval)
{
    tcb_t *t = ks_cur_thread;
    if (scause & CAUSE_INTERRUPT) {
        /* no interrupt sources are enabled yet */
    } else if (scause == CAUSE_ECALL_U) {
        t->ctx.regs[REG_PC] = t->ctx.fault_pc + 4;
        sword_t sys = (sword_t)t->ctx.regs[REG_SYSNO];
        if (sys == seL4_SysCall)
            fastpath_call(t->ctx.regs[REG_CAP], t->ctx.regs[REG_INFO]);
        else if (sys == seL4_SysReplyRecv)
            fastpath_reply_recv(t->ctx.regs[REG_CAP], t->ctx.regs[REG_INFO]);
        handle_syscall(sys);
    } else {
        handle_user_exception(scause, stval);
    }
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
