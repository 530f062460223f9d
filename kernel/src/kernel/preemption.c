/* The work budget behind preemption points (see kernel/preemption.h). */
#include <kernel/preemption.h>
#include <arch/preempt.h>
#include <arch/registers.h>
#include <object/structures.h>

static word_t work_units;
word_t preempted_calls;
#ifdef HYPOS_DEBUG
static word_t force_every, force_count;
#endif

exception_t preemption_point(word_t units)
{
    work_units += units;
    if (work_units < PREEMPT_WORK_UNITS)
        return EXCEPTION_NONE;
    work_units = 0;
    bool stop = arch_interrupt_pending();
#ifdef HYPOS_DEBUG
    if (force_every && ++force_count >= force_every) {
        force_count = 0;
        stop = true;
    }
#endif
    if (!stop)
        return EXCEPTION_NONE;
    preempted_calls++;
    return EXCEPTION_PREEMPTED;
}

void preemption_force_every(word_t n)
{
#ifdef HYPOS_DEBUG
    force_every = n;
    force_count = 0;
#else
    (void)n;
#endif
}

void restart_preempted_call(struct tcb *t)
{
    /* fault_pc is the ecall itself (the saved pc is already past it) */
    t->ctx.regs[REG_PC] = t->ctx.fault_pc;
    arch_handle_pending_interrupt();
}
