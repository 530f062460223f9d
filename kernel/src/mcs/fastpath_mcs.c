/* IPC fastpath of the MCS configuration: Call to a server waiting with a
 * reply object, and its ReplyRecv. To a passive server the caller's SC is
 * lent with the Call and returned with the reply: the same SC runs on, so
 * nothing is charged and the timer already stands at that SC's budget
 * expiry (seL4's fastpath takes only this case). A server with its own
 * SC is taken too when that SC has released budget: the time so far is
 * charged to the caller's SC and the timer is set for the server's (the
 * same for the reply in the other direction). A message with caps or more
 * than the register MRs, a fault, an SC without budget, a priority the
 * switch would not respect: the slow path (kernel/src/mcs/ipc_mcs.c) does
 * the full job.
 *
 * Traced IPC (a hook on the endpoint, or a caller marked for its reply's
 * record) goes through traced twins of the plain paths, as in the other
 * configuration's fastpath: the records are written after the commit, and
 * a record that makes a ring's notification due finishes the switch
 * through the scheduler. */
#include <fastpath/fastpath_common.h>
#include <kernel/domain_schedule.h>

#ifdef HYPOS_DEBUG
word_t fastpath_count, fastpath_broken_assumptions;
#endif

/* The partner runs on its own SC: it must have released budget of at
 * least MIN_BUDGET (a woken thread's first refill starts now, as on the
 * slow path). Then the time so far is charged to the running SC, the
 * partner's becomes the running one and the timer is set for it. False:
 * the slow path must decide. */
static bool switch_sc_to(sched_context_t *to)
{
    update_time();
    if (!sc_active(to) || !refill_ready(to, ks_cur_time) || to->tcb->in_release_queue)
        return false;
    refill_unblock_check(to, ks_cur_time);
    if (refill_head(to)->amount < min_budget_ticks())
        return false;
    commit_time();
    ks_cur_sc = to;
    program_timer();
    return true;
}

/* The Call's commit: the caller waits in the reply object; to a passive
 * server (lend) the caller's SC goes with the call. */
static ALWAYS_INLINE NORETURN void commit_call(tcb_t *cur, tcb_t *dest, endpoint_t *ep, reply_t *reply, word_t badge,
                                               word_t info, bool lend, const bool traced)
{
    word_t hs = ep->head_state, hook = (hs & QUEUE_HOOK_BITS) >> QUEUE_HOOK_SHIFT;
    ep_pop_head(ep, dest, EP_RECV, traced ? hs & QUEUE_HOOK_BITS : 0);
    copy_message(cur, dest, info, badge);
    cur->state = ThreadState_BlockedOnReply;
    cur->reply = reply;
    cur->blocking_can_grant_reply = dest->blocking_can_grant;
    reply->tcb = cur;
    if (lend) {
        sched_context_t *sc = cur->sc;
        reply->sc = sc;
        reply->prev = sc->reply;
        reply->next = NULL;
        if (sc->reply)
            sc->reply->next = reply;
        sc->reply = reply;
        sc->tcb = dest;
        dest->sc = sc;
        cur->sc = NULL;
    }
    dest->reply = NULL;
    dest->state = ThreadState_Running;
    if (traced) {
        const trace_hook_t *h = &trace_hooks[hook];
        trace_mark_for_reply(h, hook, cur);
        trace_ipc_inline(h, HYPOS_TRACE_IPC_CALL, cur, dest, info, badge, HYPOS_TRACE_F_FAST);
        switch_to_partner_traced(dest);
    }
    switch_to_partner(dest);
}

/* The ReplyRecv's commit: the server waits again with the same reply
 * object; a reply that lent the server's SC (returns_sc) gives it back. */
static ALWAYS_INLINE NORETURN void commit_reply_recv(tcb_t *cur, tcb_t *caller, endpoint_t *ep, cap_t c, reply_t *reply,
                                                     word_t info, bool returns_sc, const bool traced)
{
    word_t hs = ep->head_state, hook = (hs & QUEUE_HOOK_BITS) >> QUEUE_HOOK_SHIFT;
    cur->state = ThreadState_BlockedOnReceive;
    cur->blocking_object = ep;
    cur->blocking_can_grant = cap_endpoint_rights(c) & RIGHT_GRANT;
    ep_append_with_hook(ep, cur, EP_RECV, traced ? hs & QUEUE_HOOK_BITS : 0);
    if (returns_sc) {
        sched_context_t *sc = cur->sc;
        sc->reply = reply->prev;
        if (reply->prev)
            reply->prev->next = NULL;
        reply->prev = NULL;
        reply->sc = NULL;
        sc->tcb = caller;
        caller->sc = sc;
        cur->sc = NULL;
    }
    caller->reply = NULL;
    reply->tcb = cur;
    cur->reply = reply;
    copy_message(cur, caller, info, 0);
    caller->state = ThreadState_Running;
    if (traced) {
        if (caller->trace_reply_hook)
            trace_reply_inline(cur, caller, info, HYPOS_TRACE_F_FAST);
        if (hook)
            trace_ipc_inline(&trace_hooks[hook], HYPOS_TRACE_IPC_RECV, NULL, cur, 0, 0,
                             HYPOS_TRACE_F_FAST | HYPOS_TRACE_F_BLOCKED);
        switch_to_partner_traced(caller);
    }
    switch_to_partner(caller);
}

/* A partner with its own SC needs the time charged and the timer set:
 * calls the leaf fastpath cannot make without a stack frame, which would
 * cost the passive case (the common one, and seL4's only one) as much as
 * it saves. So the leaf records what it checked and returns; the system
 * call's C entry finishes the switch first thing (fastpath_mcs_deferred),
 * before any other state can change. */
static struct {
    uint8_t how; /* DEFER_*: Call to a server or ReplyRecv to a caller, plain or traced */
    tcb_t *partner;
    endpoint_t *ep;
    reply_t *reply;
    cap_t cap;
    word_t info;
} deferred;
static bool deferred_pending;
enum { DEFER_REPLY_RECV = 0, DEFER_CALL = 1, DEFER_TRACED = 2 };

/* The deferred switch of a traced Call or ReplyRecv, out of the plain
 * ones' way. */
static __attribute__((noinline)) void deferred_traced(tcb_t *cur, tcb_t *p)
{
    if (deferred.how & DEFER_CALL)
        commit_call(cur, p, deferred.ep, deferred.reply, cap_endpoint_badge(deferred.cap), deferred.info, false, true);
    commit_reply_recv(cur, p, deferred.ep, deferred.cap, deferred.reply, deferred.info, false, true);
}

void fastpath_mcs_deferred(void)
{
    if (!deferred_pending)
        return;
    deferred_pending = false;
    tcb_t *cur = ks_cur_thread, *p = deferred.partner;
    if (!switch_sc_to(p->sc))
        return;
    if (deferred.how == DEFER_CALL)
        commit_call(cur, p, deferred.ep, deferred.reply, cap_endpoint_badge(deferred.cap), deferred.info, false, false);
    if (deferred.how == DEFER_REPLY_RECV)
        commit_reply_recv(cur, p, deferred.ep, deferred.cap, deferred.reply, deferred.info, false, false);
    deferred_traced(cur, p);
}

static ALWAYS_INLINE void call_second_half(tcb_t *cur, cap_t c, endpoint_t *ep, word_t info, const bool traced)
{
    tcb_t *dest = ep_head(ep);
    reply_t *reply = dest->reply;
    /* The caller blocks, so the receiver may run if no ready thread
     * outranks it (the running thread outranks every ready one). */
    if (!reply || (dest->priority < cur->priority && !none_ready_above(dest->priority)) || !dom_is_current(dest) ||
        !arch_fastpath_switch_ready(dest))
        return;
    ASSUMED(cur->sc && cur->sc == ks_cur_sc, "the running thread runs on the charged SC");
    ASSUMED(reply->tcb == dest && !reply->sc, "the receiver's reply object is bound to it and free");
    if (dest->sc) {
        deferred = (typeof(deferred)){.how = DEFER_CALL | (traced ? DEFER_TRACED : 0),
                                      .partner = dest,
                                      .ep = ep,
                                      .reply = reply,
                                      .cap = c,
                                      .info = info};
        deferred_pending = true;
        return;
    }
    commit_call(cur, dest, ep, reply, cap_endpoint_badge(c), info, true, traced);
}

__attribute__((noinline)) static void call_traced(tcb_t *cur, cap_t c, endpoint_t *ep, word_t info)
{
    call_second_half(cur, c, ep, info, true);
}

void fastpath_call(word_t cptr, word_t info)
{
    tcb_t *cur = ks_cur_thread;
    if (!short_message(info))
        return;
    ASSUMED(!sched_pending(), "no scheduling decision pending at entry");
    cap_t c = lookup_cap_fast(cur, cptr);
    if (!is_endpoint_with(c, RIGHT_WRITE) || !(cap_endpoint_rights(c) & (RIGHT_GRANT | RIGHT_GRANT_REPLY)))
        return;
    endpoint_t *ep = oref_ptr(cap_endpoint_ptr(c));
    /* receivers waiting and no trace hook: the state and the hook in one
     * compare */
    word_t hs = ep->head_state;
    if ((hs & QUEUE_LOW_BITS) != EP_RECV) {
        if ((hs & QUEUE_STATE_BITS) == EP_RECV)
            call_traced(cur, c, ep, info);
        return;
    }
    call_second_half(cur, c, ep, info, false);
}

static ALWAYS_INLINE void reply_recv_second_half(tcb_t *cur, cap_t c, endpoint_t *ep, word_t info, const bool traced)
{
    notification_t *bound = cur->bound_notification;
    if (bound && ntfn_state(bound) == NTFN_ACTIVE)
        return;
    cap_t rc = lookup_cap_fast(cur, cur->ctx.regs[REG_REPLY]);
    if (cap_get_type(rc) != cap_reply)
        return;
    reply_t *reply = oref_ptr(cap_reply_ptr(rc));
    tcb_t *caller = reply->tcb;
    sched_context_t *sc = cur->sc;
    /* A caller marked for its reply's record through an endpoint without
     * a hook (a server answering on another endpoint than the Call came
     * through): the slow path records it. */
    if (!caller || caller->state != ThreadState_BlockedOnReply || caller->reply != reply || !sc ||
        caller->fault.type != FAULT_NULL || (!traced && caller->trace_reply_hook))
        return;
    /* Either the reply returns the SC the server runs on, lent through
     * this very reply (the newest on its stack), or nothing was lent and
     * the caller runs on its own. */
    bool returns_sc = reply->sc == sc && sc->reply == reply;
    if (!returns_sc && (reply->sc || !caller->sc))
        return;
    /* The replier goes back to wait, so the caller runs next if no ready
     * thread outranks it; one at least as high as the running thread needs
     * no look at the ready queues. */
    if ((caller->priority < cur->priority && !none_ready_above(caller->priority)) || !dom_is_current(caller) ||
        !arch_fastpath_switch_ready(caller))
        return;
    ASSUMED(sc == ks_cur_sc, "the running thread runs on the charged SC");
    ASSUMED(sched_is_highest(caller->priority), "no ready thread outranks the caller");
    if (!returns_sc) {
        deferred = (typeof(deferred)){.how = DEFER_REPLY_RECV | (traced ? DEFER_TRACED : 0),
                                      .partner = caller,
                                      .ep = ep,
                                      .reply = reply,
                                      .cap = c,
                                      .info = info};
        deferred_pending = true;
        return;
    }
    commit_reply_recv(cur, caller, ep, c, reply, info, true, traced);
}

__attribute__((noinline)) static void reply_recv_traced(tcb_t *cur, cap_t c, endpoint_t *ep, word_t info)
{
    reply_recv_second_half(cur, c, ep, info, true);
}

void fastpath_reply_recv(word_t cptr, word_t info)
{
    tcb_t *cur = ks_cur_thread;
    if (!short_message(info))
        return;
    ASSUMED(!sched_pending(), "no scheduling decision pending at entry");
    cap_t c = lookup_cap_fast(cur, cptr);
    if (!is_endpoint_with(c, RIGHT_READ))
        return;
    endpoint_t *ep = oref_ptr(cap_endpoint_ptr(c));
    /* idle or receivers waiting, and no trace hook: every other bit clear */
    word_t hs = ep->head_state;
    if (hs & (QUEUE_LOW_BITS & ~(word_t)EP_RECV)) {
        if ((hs & QUEUE_STATE_BITS) != EP_SEND)
            reply_recv_traced(cur, c, ep, info);
        return;
    }
    reply_recv_second_half(cur, c, ep, info, false);
}
