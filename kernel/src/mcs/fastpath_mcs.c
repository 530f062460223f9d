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
 * the full job. */
#include <fastpath/fastpath_common.h>

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

void fastpath_call(word_t cptr, word_t info)
{
    tcb_t *cur = ks_cur_thread;
    if (!short_message(info))
        return;
    ASSUMED(!sched_pending(), "no scheduling decision pending at entry");
    cap_t c = lookup_cap_fast(cur, cptr);
    word_t rights = cap_endpoint_rights(c);
    if (cap_get_type(c) != cap_endpoint || !(rights & RIGHT_WRITE) || !(rights & (RIGHT_GRANT | RIGHT_GRANT_REPLY)))
        return;
    endpoint_t *ep = oref_ptr(cap_endpoint_ptr(c));
    if (ep_state(ep) != EP_RECV)
        return;
    tcb_t *dest = ep_head(ep);
    reply_t *reply = dest->reply;
    sched_context_t *sc = cur->sc;
    if (!reply || dest->priority < cur->priority || !arch_fastpath_switch_ready(dest))
        return;
    ASSUMED(sc && sc == ks_cur_sc, "the running thread runs on the charged SC");
    ASSUMED(reply->tcb == dest && !reply->sc, "the receiver's reply object is bound to it and free");
    if (dest->sc && !switch_sc_to(dest->sc))
        return;

    /* commit: the caller waits in the reply object; a passive server gets
     * the caller's SC with the call */
    ep_pop_head(ep, dest);
    copy_message(cur, dest, info, cap_endpoint_badge(c));
    cur->state = ThreadState_BlockedOnReply;
    cur->reply = reply;
    cur->blocking_can_grant_reply = dest->blocking_can_grant;
    reply->tcb = cur;
    if (!dest->sc) {
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
    switch_to_partner(dest);
}

void fastpath_reply_recv(word_t cptr, word_t info)
{
    tcb_t *cur = ks_cur_thread;
    if (!short_message(info))
        return;
    ASSUMED(!sched_pending(), "no scheduling decision pending at entry");
    cap_t c = lookup_cap_fast(cur, cptr);
    if (cap_get_type(c) != cap_endpoint || !(cap_endpoint_rights(c) & RIGHT_READ))
        return;
    endpoint_t *ep = oref_ptr(cap_endpoint_ptr(c));
    if (ep_state(ep) == EP_SEND)
        return;
    notification_t *bound = cur->bound_notification;
    if (bound && ntfn_state(bound) == NTFN_ACTIVE)
        return;
    cap_t rc = lookup_cap_fast(cur, cur->ctx.regs[REG_REPLY]);
    if (cap_get_type(rc) != cap_reply)
        return;
    reply_t *reply = oref_ptr(cap_reply_ptr(rc));
    tcb_t *caller = reply->tcb;
    sched_context_t *sc = cur->sc;
    if (!caller || caller->state != ThreadState_BlockedOnReply || caller->reply != reply || !sc ||
        caller->fault.type != FAULT_NULL)
        return;
    /* Either the reply returns the SC the server runs on, lent through
     * this very reply (the newest on its stack), or nothing was lent and
     * the caller runs on its own. */
    bool returns_sc = reply->sc == sc && sc->reply == reply;
    if (!returns_sc && (reply->sc || !caller->sc))
        return;
    /* The running thread outranks every ready thread, so a caller at least
     * as high may run without looking at the ready queues. */
    if (caller->priority < cur->priority || !arch_fastpath_switch_ready(caller))
        return;
    ASSUMED(sc == ks_cur_sc, "the running thread runs on the charged SC");
    ASSUMED(sched_is_highest(caller->priority), "no ready thread outranks the caller");
    if (!returns_sc && !switch_sc_to(caller->sc))
        return;

    /* commit: the server waits again with the same reply object */
    cur->state = ThreadState_BlockedOnReceive;
    cur->blocking_object = ep;
    cur->blocking_can_grant = cap_endpoint_rights(c) & RIGHT_GRANT;
    ep_append(ep, cur, EP_RECV);
    if (returns_sc) {
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
    switch_to_partner(caller);
}
