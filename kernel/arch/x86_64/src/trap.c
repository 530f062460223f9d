/* Trap dispatch: system calls, exceptions and interrupts, and the return
 * to user mode. trap.S has saved the registers into the current thread's
 * context (or, for the idle loop, onto the kernel stack). */
#include <api/syscall.h>
#include <arch/apic.h>
#include <arch/fpu.h>
#include <arch/machine.h>
#include <arch/preempt.h>
#include <arch/registers.h>
#include <arch/vspace.h>
#include <arch/x86.h>
#include <kernel/printk.h>
#include <kernel/thread.h>
#include <object/ipc.h>
#include <object/irq.h>

#define VECTOR_DEVICE_NOT_AVAILABLE 7 /* #NM: an FP instruction with CR0.TS set */
#define VECTOR_PAGE_FAULT 14
#define PF_INSTRUCTION_FETCH (1u << 4) /* page-fault error code I/D (SDM Vol. 3A §4.7) */

NORETURN void c_handle_syscall(void);
NORETURN void c_handle_interrupt(void);
NORETURN void c_handle_kernel_entry(word_t vector, word_t error, word_t rip);
void c_handle_preemption_point(word_t vector, word_t error, word_t rip);

/* Set while a preemption point lets interrupts in: trap.S then returns to
 * the interrupted kernel code instead of starting the kernel stack over. */
bool x86_at_preemption_point;

_Static_assert(offsetof(tcb_t, ctx) == TCB_CTX_OFFSET,
               "TCB_CTX_OFFSET (arch/registers.h) is where tcb_t has its context");

static void handle_vector(word_t vector)
{
    if (vector == VECTOR_TIMER) {
        lapic_eoi();
        kernel_timer_interrupt();
    } else if (vector >= VECTOR_IRQ_BASE && vector < VECTOR_IRQ_BASE + IRQ_LIMIT && vector < VECTOR_PIC_BASE) {
        word_t irq = x86_irq_claim(vector);
        if (irq)
            handle_interrupt(irq);
    }
    /* spurious vectors (local APIC, masked 8259s) need no EOI (SDM Vol.
     * 3A §10.9) */
}

/* A user-mode exception becomes a fault message in seL4's x86 format:
 * page faults as VM faults (address from CR2, error code as FSR),
 * everything else as a user exception with vector and error code. */
static void user_exception(tcb_t *t, word_t vector, word_t error)
{
    if (vector == VECTOR_PAGE_FAULT)
        t->fault = (fault_t){.type = FAULT_VM, .w = {read_cr2(), !!(error & PF_INSTRUCTION_FETCH), error}};
    else
        t->fault = (fault_t){.type = FAULT_USER_EXCEPTION, .w = {vector, error}};
    handle_fault(t);
}

void c_handle_syscall(void)
{
    handle_syscall((sword_t)ks_cur_thread->ctx.regs[REG_SYSNO]);
    arch_activate_and_return(schedule());
}

void c_handle_interrupt(void)
{
    tcb_t *t = ks_cur_thread;
    word_t vector = t->ctx.regs[REG_VECTOR];
    /* faults restart at the faulting instruction, interrupts resume at
     * the next one: either way the pushed RIP */
    t->ctx.fault_pc = t->ctx.regs[REG_RIP];
    if (vector == VECTOR_DEVICE_NOT_AVAILABLE && fpu_device_not_available(t))
        ; /* the thread's FP state is live now: the instruction restarts */
    else if (vector < 32)
        user_exception(t, vector, t->ctx.regs[REG_ERROR]);
    else
        handle_vector(vector);
    arch_activate_and_return(schedule());
}

void c_handle_kernel_entry(word_t vector, word_t error, word_t rip)
{
    if (vector < 32) {
        kprintf("hypOS: KERNEL PANIC: exception %lu (error %lx) in kernel mode at %lx, cr2 %lx\n", vector, error, rip,
                read_cr2());
        arch_halt();
    }
    handle_vector(vector);
    arch_activate_and_return(schedule());
}

void c_handle_preemption_point(word_t vector, word_t error, word_t rip)
{
    if (vector < 32) {
        kprintf("hypOS: KERNEL PANIC: exception %lu (error %lx) in kernel mode at %lx, cr2 %lx\n", vector, error, rip,
                read_cr2());
        arch_halt();
    }
    handle_vector(vector);
}

/* One instruction with interrupts enabled: the highest pending vector is
 * delivered there (SDM Vol. 3A §6.8.3: STI takes effect after the next
 * instruction) and handled by c_handle_preemption_point. */
void arch_handle_pending_interrupt(void)
{
    x86_at_preemption_point = true;
    asm volatile("sti; nop; cli" ::: "memory");
    x86_at_preemption_point = false;
}

static __attribute__((noinline)) void activate_slow(tcb_t *t)
{
    if ((t->arch.cr3_gen ^ vspace_gen) & ~VSPACE_GEN_FPU_ON)
        arch_switch_vspace(t); /* the full check of the VSpace cap and ASID */
    else
        arch_switch_vspace_cached(t);
    fpu_activate(t);
}

void arch_activate_and_return(tcb_t *t)
{
    static bool said_idle;
    if (!t) {
        if (!said_idle)
            kprintf("hypOS: no runnable threads; idle\n");
        said_idle = true;
        ks_cur_thread = NULL;
        /* Idle is the one place the kernel takes interrupts; each one
         * enters trap.S from kernel mode and starts the kernel stack over. */
        for (;;)
            asm volatile("sti; hlt; cli" ::: "memory");
    }
    ks_cur_thread = t;
    if (t->state == ThreadState_Restart) {
        /* restart the interrupted system call or faulting instruction */
        t->ctx.regs[REG_PC] = t->ctx.fault_pc;
        t->state = ThreadState_Running;
    }
    /* As on the fastpath: a thread whose cached CR3 is current, when
     * neither it nor the thread before it holds the FPU, needs only the
     * CR3 compare. */
    if (likely(t->arch.cr3_gen == vspace_gen))
        arch_switch_vspace_cached(t);
    else
        activate_slow(t);
    restore_user_context(&t->ctx);
}
