/* IPC fastpath of the MCS configuration: Call to a passive server waiting
 * with a reply object, and its ReplyRecv that returns the lent SC. The
 * scheduling context does not change hands in time terms: the same SC
 * runs on, lent with the Call and returned with the reply, so nothing is
 * charged and the timer already stands at that SC's budget expiry; this
 * is why only passive servers take it (as in seL4). A server with its own
 * SC, a message with caps or more than the register MRs, a fault, a
 * priority the switch would not respect: the slow path
 * (kernel/src/mcs/ipc_mcs.c) does the full job. */
#include <fastpath/fastpath_common.h>

#ifdef HYPOS_DEBUG
word_t fastpath_count, fastpath_broken_assumptions;
#endif

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
    if (dest->sc || !reply || dest->priority < cur->priority || !arch_fastpath_switch_ready(dest))
        return;
    ASSUMED(sc && sc == ks_cur_sc, "the running thread runs on the charged SC");
    ASSUMED(reply->tcb == dest && !reply->sc, "the receiver's reply object is bound to it and free");

    /* commit: the caller waits in the reply object, its SC goes with the call */
    ep_pop_head(ep, dest);
    copy_message(cur, dest, info, cap_endpoint_badge(c));
    cur->state = ThreadState_BlockedOnReply;
    cur->reply = reply;
    cur->blocking_can_grant_reply = dest->blocking_can_grant;
    reply->tcb = cur;
    reply->sc = sc;
    reply->prev = sc->reply;
    reply->next = NULL;
    if (sc->reply)
        sc->reply->next = reply;
    sc->reply = reply;
    sc->tcb = dest;
    dest->sc = sc;
    cur->sc = NULL;
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
    /* the reply must return the SC the server runs on, lent through this
     * very reply (the newest on its stack) */
    if (!caller || caller->state != ThreadState_BlockedOnReply || caller->reply != reply || !sc || reply->sc != sc ||
        sc->reply != reply || caller->fault.type != FAULT_NULL)
        return;
    /* The running thread outranks every ready thread, so a caller at least
     * as high may run without looking at the ready queues. */
    if (caller->priority < cur->priority || !arch_fastpath_switch_ready(caller))
        return;
    ASSUMED(sc == ks_cur_sc, "the running thread runs on the charged SC");
    ASSUMED(sched_is_highest(caller->priority), "no ready thread outranks the caller");

    /* commit: the server waits again with the same reply object */
    cur->state = ThreadState_BlockedOnReceive;
    cur->blocking_object = ep;
    cur->blocking_can_grant = cap_endpoint_rights(c) & RIGHT_GRANT;
    ep_append(ep, cur, EP_RECV);
    sc->reply = reply->prev;
    if (reply->prev)
        reply->prev->next = NULL;
    reply->prev = NULL;
    reply->sc = NULL;
    sc->tcb = caller;
    caller->sc = sc;
    cur->sc = NULL;
    caller->reply = NULL;
    reply->tcb = cur;
    cur->reply = reply;
    copy_message(cur, caller, info, 0);
    caller->state = ThreadState_Running;
    switch_to_partner(caller);
}
