/* The work budget behind preemption points (see kernel/preemption.h). */
#include <kernel/preemption.h>
#include <arch/preempt.h>
#include <arch/registers.h>
#include <object/structures.h>
#ifdef HYPOS_DEBUG
#include <kernel/invariants.h>
#endif

static word_t work_units;
word_t preempted_calls;
#ifdef HYPOS_DEBUG
static word_t force_every, force_count;
static bool check_at_each;
#endif

exception_t preemption_point(word_t units)
{
    bool stop = false;
#ifdef HYPOS_DEBUG
    /* forced stops count points, not work, so every point gets its turn */
    if (force_every && ++force_count >= force_every) {
        force_count = 0;
        stop = true;
    }
#endif
    work_units += units;
    if (work_units >= PREEMPT_WORK_UNITS) {
        work_units = 0;
        stop = stop || arch_interrupt_pending();
    }
    if (!stop)
        return EXCEPTION_NONE;
    preempted_calls++;
    return EXCEPTION_PREEMPTED;
}

void preemption_force_every(word_t n)
{
#ifdef HYPOS_DEBUG
    force_every = n & MASK(32);
    check_at_each = n >> 32 & 1;
    force_count = 0;
#else
    (void)n;
#endif
}

void restart_preempted_call(struct tcb *t)
{
    /* fault_pc is the ecall itself (the saved pc is already past it) */
    t->ctx.regs[REG_PC] = t->ctx.fault_pc;
#ifdef HYPOS_DEBUG
    /* tests force preemptions: the state left at each must be consistent */
    if (check_at_each)
        check_invariants_deferred();
#endif
    arch_handle_pending_interrupt();
}
