/* Time without MCS: a periodic tick, and every thread a timeslice of
 * TIMESLICE_TICKS ticks at its priority; a thread whose timeslice runs out
 * goes to the back of its priority's queue (round robin). Each tick is
 * also charged to the current domain's slot (kernel/domain_schedule.h). */
#include <kernel/thread.h>
#include <kernel/addr.h>
#include <kernel/mdb.h>
#include <object/capops.h>
#include <arch/timer.h>

void kernel_timer_interrupt(void)
{
    timer_reset();
    timer_tick();
}

void timer_tick(void)
{
    domain_tick();
    tcb_t *t = ks_cur_thread;
    if (!t || !thread_is_runnable(t))
        return;
    if (t->time_slice > 1) {
        t->time_slice--;
        return;
    }
    t->time_slice = TIMESLICE_TICKS;
    sched_append(t);
    reschedule_required();
}

void setup_reply_master(tcb_t *t)
{
    cte_t *slot = &t->ctes[tcbReply];
    if (cap_is_null(slot->cap))
        cte_insert_root(cap_reply_new(ptr_oref(t), true, true), slot);
}

/* Schedule lengths are in timer ticks, what the tick charges. */
word_t domain_length_unit(void) { return 1; }
