/* The MCS scheduler (seL4 manual, "Scheduling contexts"; docs/mcs.md).
 * Every kernel entry that may change what runs goes through schedule(),
 * whose two hooks here do the time keeping: before the choice, charge
 * the running SC and stop its thread if the budget ran out, and release
 * threads whose SC has budget again; after it, switch the charged SC and
 * program the one-shot timer. The ready queues, priorities and the choice
 * itself are shared with the non-MCS configuration (kernel/thread.c). */
#include <kernel/thread.h>
#include <kernel/assert.h>
#include <kernel/addr.h>
#include <kernel/printk.h>
#include <object/ipc.h>
#include <arch/timer.h>
#include <kernel/domain_schedule.h>

ticks_t ks_cur_time, ks_consumed;
sched_context_t *ks_cur_sc;

/* Threads waiting for their SC's next release, earliest first. */
static tcb_t *release_head;
static ticks_t programmed_deadline = ~0ull;

/* The counter's rate and the two margins in its ticks, set at boot (no
 * division on the IPC path). */
static ticks_t ticks_per_us = 10, min_budget = 10 * MIN_BUDGET_US, wcet_margin = 10 * KERNEL_WCET_US;

ticks_t us_to_ticks(uint64_t us) { return us * ticks_per_us; }
uint64_t ticks_to_us(ticks_t t) { return t / ticks_per_us; }
ticks_t min_budget_ticks(void) { return min_budget; }

void update_time(void)
{
    ticks_t now = timer_now();
    ks_consumed += now - ks_cur_time;
    ks_cur_time = now;
}

static ticks_t release_time(tcb_t *t) { return refill_head(t->sc)->time; }

void release_queue_insert(tcb_t *t)
{
    kassert(!t->in_release_queue && !t->sched_queued);
    ticks_t when = release_time(t);
    tcb_t *prev = NULL, *cur = release_head;
    while (cur && release_time(cur) <= when) {
        prev = cur;
        cur = cur->release_next;
    }
    t->release_prev = prev;
    t->release_next = cur;
    if (cur)
        cur->release_prev = t;
    if (prev)
        prev->release_next = t;
    else
        release_head = t;
    t->in_release_queue = true;
}

void release_queue_remove(tcb_t *t)
{
    if (!t->in_release_queue)
        return;
    if (t->release_prev)
        t->release_prev->release_next = t->release_next;
    else
        release_head = t->release_next;
    if (t->release_next)
        t->release_next->release_prev = t->release_prev;
    t->release_next = t->release_prev = NULL;
    t->in_release_queue = false;
}

/* Charge what the running SC used since the last charge. */
void commit_time(void)
{
    sched_context_t *sc = ks_cur_sc;
    if (sc && sc_active(sc)) {
        refill_charge(sc, ks_consumed, min_budget_ticks());
        sc->consumed += ks_consumed;
    }
    ks_consumed = 0;
}

/* Time left on the running SC's first refill. */
static ticks_t current_remaining(void)
{
    ticks_t amount = refill_head(ks_cur_sc)->amount;
    return amount > ks_consumed ? amount - ks_consumed : 0;
}

bool sched_admit(tcb_t *t)
{
    sched_context_t *sc = t->sc;
    if (!sc || !sc_active(sc) || t->in_release_queue)
        return false;
    /* the running SC changing hands (a reply returning it) keeps its
     * refills as they are until it is charged */
    if (sc == ks_cur_sc)
        return true;
    if (!refill_ready(sc, ks_cur_time)) {
        sched_dequeue(t);
        release_queue_insert(t);
        return false;
    }
    refill_unblock_check(sc, ks_cur_time);
    return true;
}

/* A valid timeout handler: an endpoint cap that lets the kernel send and
 * leave a reply right (the fault endpoint's rule, seL4 manual ch. 6). */
static bool has_timeout_handler(const tcb_t *t)
{
    cap_t h = t->ctes[tcbTimeoutHandler].cap;
    word_t r = cap_endpoint_rights(h);
    return cap_get_type(h) == cap_endpoint && (r & RIGHT_WRITE) && (r & (RIGHT_GRANT | RIGHT_GRANT_REPLY));
}

void end_timeslice(tcb_t *t)
{
    sched_context_t *sc = t->sc;
    if (sc_round_robin(sc)) {
        /* the refill starts over: the back of its priority's queue */
        sched_dequeue(t);
        sched_append(t);
    } else if (has_timeout_handler(t)) {
        t->fault = (fault_t){.type = FAULT_TIMEOUT, .w = {sc->badge}};
        handle_timeout(t);
    } else {
        sched_dequeue(t);
        release_queue_insert(t);
    }
    reschedule_required();
}

bool check_budget_restart(void)
{
    update_time();
    tcb_t *cur = ks_cur_thread;
    if (!ks_cur_sc || !sc_active(ks_cur_sc) || current_remaining() >= min_budget_ticks())
        return true;
    commit_time();
    if (cur && cur->sc == ks_cur_sc && thread_is_runnable(cur)) {
        /* the call is made again when the thread next runs */
        set_thread_state(cur, ThreadState_Restart);
        end_timeslice(cur);
    }
    return false;
}

/* Threads whose SC is released by now become ready, in release order. */
static void awaken(void)
{
    while (release_head && release_time(release_head) <= ks_cur_time) {
        tcb_t *t = release_head;
        release_queue_remove(t);
        if (thread_is_runnable(t))
            possible_switch_to(t);
    }
}

/* The domain scheduler's slots pass in real time, idle time included:
 * the time since the last look is charged to the current slot, whose end
 * asks for a new decision (domain_switch_if_due then moves on). */
static ticks_t domain_charged_to;
static void charge_domain(void)
{
    if (domain_charge(ks_cur_time - domain_charged_to))
        reschedule_required();
    domain_charged_to = ks_cur_time;
}

void sched_before_choose(void)
{
    update_time();
    charge_domain();
    tcb_t *cur = ks_cur_thread;
    if (ks_cur_sc && sc_active(ks_cur_sc) && current_remaining() < min_budget_ticks()) {
        commit_time();
        if (cur && cur->sc == ks_cur_sc && thread_is_runnable(cur) && !cur->in_release_queue)
            end_timeslice(cur);
    }
    /* a running thread that lost its SC (or has an empty one) stops */
    if (cur && thread_is_runnable(cur) && !sched_may_queue(cur) && sched_action == RESUME_CURRENT)
        reschedule_required();
    awaken();
}

void program_timer(void)
{
    ticks_t deadline = ~0ull;
    if (ks_cur_sc && sc_active(ks_cur_sc)) {
        /* early by the kernel's worst-case path, so that the thread is
         * stopped, and its time charged, before the budget is over */
        ticks_t left = current_remaining();
        deadline = ks_cur_time + (left > wcet_margin ? left - wcet_margin : 0);
    }
    if (release_head && release_time(release_head) < deadline)
        deadline = release_time(release_head);
    if (CONFIG_NUM_DOMAINS > 1 && ks_cur_time + domain_time_left() < deadline)
        deadline = ks_cur_time + domain_time_left();
    if (deadline != programmed_deadline) {
        programmed_deadline = deadline;
        timer_set_deadline(deadline);
    }
}

void sched_after_choose(tcb_t *next)
{
    sched_context_t *sc = next ? next->sc : NULL;
    if (sc != ks_cur_sc) {
        commit_time();
        ks_cur_sc = sc;
        /* An SC starts running now, not when its refill was released: what
         * it uses from here is replenished one period after now, so that a
         * thread kept waiting by higher priorities cannot take more than
         * its budget in any window of one period. */
        if (sc && sc_active(sc))
            refill_unblock_check(sc, ks_cur_time);
    }
    if (next && next->yield_to)
        complete_yield_to(next);
    program_timer();
}

void kernel_timer_interrupt(void)
{
    /* the deadline passed: schedule() charges and releases; the timer is
     * programmed again after the choice */
    programmed_deadline = ~0ull;
    timer_set_deadline(~0ull);
}

void sched_context_detach(sched_context_t *sc)
{
    tcb_t *t = sc->tcb;
    if (!t)
        return;
    release_queue_remove(t);
    sched_dequeue(t);
    t->sc = NULL;
    sc->tcb = NULL;
    if (t == ks_cur_thread)
        reschedule_required();
}

void sched_context_forget_thread(sched_context_t *sc)
{
    if (sc->tcb && sc == ks_cur_sc) {
        commit_time();
        ks_cur_sc = NULL;
    }
    sched_context_detach(sc);
}

word_t check_mcs_invariants(void)
{
    word_t bad = 0;
    tcb_t *prev = NULL;
    for (tcb_t *t = release_head; t; prev = t, t = t->release_next) {
        if (t->release_prev != prev || !t->in_release_queue || t->sched_queued || !t->sc || !sc_active(t->sc))
            bad++;
        else if (prev && release_time(prev) > release_time(t))
            bad++;
    }
    return bad;
}

void boot_root_sched_context(tcb_t *root, sched_context_t *sc)
{
    ticks_per_us = timer_hz() / 1000000u;
    min_budget = us_to_ticks(MIN_BUDGET_US);
    wcet_margin = us_to_ticks(KERNEL_WCET_US);
    ticks_t slice = us_to_ticks(CONFIG_BOOT_THREAD_TIME_SLICE * 1000ull);
    ks_cur_time = timer_now();
    sc->refill_max = refill_capacity(seL4_MinSchedContextBits);
    refill_new(sc, seL4_MinRefills, slice, slice, ks_cur_time);
    sc->tcb = root;
    root->sc = sc;
    ks_cur_sc = sc;
    ks_consumed = 0;
    domain_charged_to = ks_cur_time;
}

/* Schedule lengths count non-MCS timer ticks (TIMER_TICK_US each) in both
 * configurations; the MCS scheduler charges counter ticks. */
word_t domain_length_unit(void) { return us_to_ticks(TIMER_TICK_US); }
