/* SchedControl and SchedContext invocations (seL4 API reference,
 * "SchedControl" and "SchedContext"), with seL4's checks and errors in
 * seL4's order. Times in the API are microseconds. */
#include <api/invocation.h>
#include <kernel/addr.h>
#include <kernel/thread.h>
#include <object/ipc.h>
#include <sel4/invocation.h>

/* seL4_SchedContext_Sporadic, the one flag of ConfigureFlags */
#define SC_FLAG_SPORADIC 1u

/* ---- SchedControl_ConfigureFlags ---- */

static void invoke_sched_control_configure(sched_context_t *sc, ticks_t budget, ticks_t period, word_t max_refills,
                                           word_t badge, word_t flags)
{
    tcb_t *t = sc->tcb;
    update_time();
    if (sc == ks_cur_sc)
        commit_time();
    if (t) {
        /* out of the queues while its refills change */
        sched_dequeue(t);
        release_queue_remove(t);
    }
    if (budget == period)
        refill_new(sc, seL4_MinRefills, budget, period, ks_cur_time);
    else if (sc_active(sc) && t)
        refill_update(sc, max_refills, budget, period, ks_cur_time);
    else
        refill_new(sc, max_refills, budget, period, ks_cur_time);
    sc->badge = badge;
    sc->sporadic = flags & SC_FLAG_SPORADIC;
    if (t && thread_is_runnable(t)) {
        if (t == ks_cur_thread)
            reschedule_required();
        else
            possible_switch_to(t);
    }
}

static syscall_error_t decode_sched_control_configure(invocation_t *inv)
{
    if (inv->length < 5 || inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "ConfigureFlags needs 5 arguments and an SC");
    cap_t c = inv->extra[0]->cap;
    if (cap_get_type(c) != cap_sched_context)
        return err_invalid_cap(1, "not a scheduling context cap");
    uint64_t budget_us = inv_arg(inv, 0), period_us = inv_arg(inv, 1);
    word_t extra = inv_arg(inv, 2), badge = inv_arg(inv, 3), flags = inv_arg(inv, 4);
    if (budget_us > MAX_PERIOD_US || budget_us < MIN_BUDGET_US)
        return err_range(MIN_BUDGET_US, MAX_PERIOD_US, "budget out of range");
    if (period_us > MAX_PERIOD_US || period_us < MIN_BUDGET_US)
        return err_range(MIN_BUDGET_US, MAX_PERIOD_US, "period out of range");
    if (budget_us > period_us)
        return err_range(MIN_BUDGET_US, period_us, "budget larger than period");
    sched_context_t *sc = oref_ptr(cap_sched_context_ptr(c));
    word_t capacity = refill_capacity(cap_sched_context_size_bits(c));
    if (extra > capacity - seL4_MinRefills)
        return err_range(0, capacity - seL4_MinRefills, "more extra refills than the SC object holds");
    invoke_sched_control_configure(sc, us_to_ticks(budget_us), us_to_ticks(period_us), extra + seL4_MinRefills, badge,
                                   flags);
    return NO_ERROR;
}

syscall_error_t decode_sched_control_invocation(invocation_t *inv)
{
    if (inv->label != SchedControlConfigureFlags)
        return err_simple(seL4_IllegalOperation, "not a SchedControl method");
    return decode_sched_control_configure(inv);
}

/* ---- SchedContext ---- */

static uint64_t take_consumed(sched_context_t *sc)
{
    if (sc == ks_cur_sc) {
        update_time();
        commit_time();
    }
    uint64_t us = ticks_to_us(sc->consumed);
    sc->consumed = 0;
    return us;
}

static syscall_error_t decode_bind(invocation_t *inv, sched_context_t *sc)
{
    if (inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "Bind needs a TCB or notification cap");
    cap_t c = inv->extra[0]->cap;
    switch (cap_get_type(c)) {
    case cap_thread: {
        tcb_t *t = oref_ptr(cap_thread_ptr(c));
        if (sc->tcb)
            return err_simple(seL4_IllegalOperation, "the SC is already bound to a thread");
        if (t->sc)
            return err_simple(seL4_IllegalOperation, "the thread already has an SC");
        sched_context_bind_tcb(sc, t);
        return NO_ERROR;
    }
    case cap_notification: {
        notification_t *n = oref_ptr(cap_notification_ptr(c));
        if (sc->ntfn)
            return err_simple(seL4_IllegalOperation, "the SC is already bound to a notification");
        if (n->sc)
            return err_simple(seL4_IllegalOperation, "the notification already has an SC");
        sched_context_bind_ntfn(sc, n);
        return NO_ERROR;
    }
    default:
        return err_invalid_cap(1, "Bind takes a TCB or notification cap");
    }
}

static void invoke_unbind_all(sched_context_t *sc)
{
    sched_context_unbind_tcb(sc);
    sched_context_unbind_ntfn(sc);
    /* the replies it was lent through no longer return it */
    sched_context_forget_replies(sc);
}

static syscall_error_t decode_unbind_object(invocation_t *inv, sched_context_t *sc)
{
    if (inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "UnbindObject needs a TCB or notification cap");
    cap_t c = inv->extra[0]->cap;
    switch (cap_get_type(c)) {
    case cap_thread: {
        tcb_t *t = oref_ptr(cap_thread_ptr(c));
        if (sc->tcb != t)
            return err_simple(seL4_IllegalOperation, "the SC is not bound to that thread");
        if (t == inv->thread)
            return err_simple(seL4_IllegalOperation, "a thread cannot unbind the SC it runs on");
        sched_context_unbind_tcb(sc);
        return NO_ERROR;
    }
    case cap_notification:
        if (sc->ntfn != oref_ptr(cap_notification_ptr(c)))
            return err_simple(seL4_IllegalOperation, "the SC is not bound to that notification");
        sched_context_unbind_ntfn(sc);
        return NO_ERROR;
    default:
        return err_invalid_cap(1, "UnbindObject takes a TCB or notification cap");
    }
}

/* YieldTo: the SC's thread runs in the caller's place. One of higher or
 * equal priority runs now and the caller waits for its reply until that
 * thread's time ends; one of lower priority only moves to the head of its
 * queue and the caller gets the reply at once (seL4 manual, "YieldTo"). */
static syscall_error_t decode_yield_to(invocation_t *inv, sched_context_t *sc)
{
    tcb_t *cur = inv->thread, *t = sc->tcb;
    if (!t)
        return err_simple(seL4_IllegalOperation, "the SC has no thread");
    if (t == cur)
        return err_simple(seL4_IllegalOperation, "a thread cannot yield to its own SC");
    if (t->priority > cur->mcp)
        return err_simple(seL4_IllegalOperation, "the SC's thread has a priority above the caller's MCP");
    if (cur->yield_to)
        return err_simple(seL4_IllegalOperation, "the caller is already yielding");
    if (sc->yield_from) {
        tcb_t *other = sc->yield_from;
        complete_yield_to(other);
    }
    if (t != cur && sched_may_queue(t) && thread_is_runnable(t) && t->priority >= cur->priority) {
        cur->yield_to = sc;
        sc->yield_from = cur;
        sched_dequeue(t);
        sched_dequeue(cur);
        sched_enqueue(cur);
        sched_enqueue(t);
        reschedule_required();
        return NO_ERROR;
    }
    if (t != cur && sched_may_queue(t) && thread_is_runnable(t)) {
        sched_dequeue(t);
        sched_enqueue(t);
    }
    inv_set_mr(inv, 0, take_consumed(sc));
    inv_set_reply_length(inv, 1);
    return NO_ERROR;
}

syscall_error_t decode_sched_context_invocation(invocation_t *inv)
{
    sched_context_t *sc = oref_ptr(cap_sched_context_ptr(inv->cap));
    switch (inv->label) {
    case SchedContextBind:
        return decode_bind(inv, sc);
    case SchedContextUnbind:
        if (sc->tcb == inv->thread)
            return err_simple(seL4_IllegalOperation, "a thread cannot unbind the SC it runs on");
        invoke_unbind_all(sc);
        return NO_ERROR;
    case SchedContextUnbindObject:
        return decode_unbind_object(inv, sc);
    case SchedContextConsumed:
        inv_set_mr(inv, 0, take_consumed(sc));
        inv_set_reply_length(inv, 1);
        return NO_ERROR;
    case SchedContextYieldTo:
        return decode_yield_to(inv, sc);
    default:
        return err_simple(seL4_IllegalOperation, "not a SchedContext method");
    }
}
