/* Endpoint IPC with reply objects and scheduling-context donation (seL4
 * manual, "Reply objects" and "Passive servers"). A receiver names a
 * reply object; a Call (or a fault) that reaches it leaves the caller
 * waiting in that object and, if the receiver has no SC of its own, lends
 * it the caller's SC. Replying through the object wakes the caller and
 * returns the SC. Lent SCs keep their replies on a stack (sc->reply,
 * newest first) so that nested calls return them in order. */
#include <object/ipc.h>
#include <arch/registers.h>
#include <kernel/addr.h>
#include <kernel/assert.h>
#include <kernel/thread.h>
#include <object/capops.h>
#include <object/mcs_objects.h>
#include <trace/trace.h>

/* The caller now waits in reply for the callee's answer. */
static void reply_push(tcb_t *caller, tcb_t *callee, reply_t *reply, bool can_donate, bool can_grant)
{
    kassert(!reply->tcb && !reply->sc);
    reply->tcb = caller;
    caller->reply = reply;
    caller->blocking_can_grant_reply = can_grant;
    set_thread_state(caller, ThreadState_BlockedOnReply);
    sched_context_t *sc = caller->sc;
    if (can_donate && sc && !callee->sc) {
        reply->sc = sc;
        reply->prev = sc->reply;
        reply->next = NULL;
        if (sc->reply)
            sc->reply->next = reply;
        sc->reply = reply;
        sched_context_donate(sc, callee);
    }
}

void reply_remove(reply_t *reply, bool return_sc)
{
    tcb_t *caller = reply->tcb;
    sched_context_t *sc = reply->sc;
    if (sc) {
        if (sc->reply == reply) {
            sc->reply = reply->prev;
            if (reply->prev)
                reply->prev->next = NULL;
            if (return_sc && caller)
                sched_context_donate(sc, caller);
        } else {
            if (reply->next)
                reply->next->prev = reply->prev;
            if (reply->prev)
                reply->prev->next = reply->next;
        }
        reply->sc = NULL;
        reply->prev = reply->next = NULL;
    }
    if (caller && caller->reply == reply) {
        caller->reply = NULL;
        trace_forget_reply(caller);
    }
    reply->tcb = NULL;
}

void cancel_reply_wait(tcb_t *t)
{
    trace_forget_reply(t);
    if (t->reply)
        reply_remove(t->reply, false);
}

/* The reply object goes (seL4's reply finalisation): a receiver waiting
 * with it stops waiting; a caller waiting in it is never answered, but an
 * SC it lent through this reply (the newest on the SC's stack) comes back
 * to it. */
void reply_finalise(reply_t *reply)
{
    tcb_t *t = reply->tcb;
    if (t && t->state == ThreadState_BlockedOnReceive && t->reply == reply) {
        cancel_ipc(t);
        return;
    }
    reply_remove(reply, true);
}

static bool is_call_like(const tcb_t *sender, bool do_call) { return do_call || sender->fault.type != FAULT_NULL; }

void send_ipc(bool blocking, bool do_call, word_t badge, bool can_grant, bool can_grant_reply, tcb_t *sender,
              endpoint_t *ep)
{
    if (ep_state(ep) != EP_RECV) {
        if (unlikely(ep_hook(ep)))
            trace_send(ep_hook(ep), sender, NULL, is_call_like(sender, do_call), badge,
                       blocking ? HYPOS_TRACE_F_QUEUED : HYPOS_TRACE_F_NONBLOCKING);
        if (!blocking)
            return;
        block_on_send(sender, ep, badge, can_grant, can_grant_reply, do_call);
        return;
    }
    tcb_t *dest = ep_head(ep);
    if (unlikely(ep_hook(ep)))
        trace_send(ep_hook(ep), sender, dest, is_call_like(sender, do_call), badge,
                   blocking ? 0 : HYPOS_TRACE_F_NONBLOCKING);
    endpoint_remove_waiter(ep, dest);
    reply_t *reply = dest->reply;
    receive_reply_forget(dest);
    do_ipc_transfer(sender, ep, badge, can_grant, dest);
    set_thread_state(dest, ThreadState_Running);
    if (is_call_like(sender, do_call)) {
        if (reply && (can_grant || can_grant_reply))
            reply_push(sender, dest, reply, true, dest->blocking_can_grant);
        else
            thread_stop_unanswered(sender);
    }
    possible_switch_to(dest);
}

void receive_ipc(tcb_t *t, cap_t ep_cap, bool blocking, reply_t *reply)
{
    endpoint_t *ep = oref_ptr(cap_endpoint_ptr(ep_cap));
    /* a reply object in use by another thread is taken from it: the thread
     * waiting with it or in it stops (seL4's receiveIPC) */
    if (reply && reply->tcb && reply->tcb != t)
        cancel_ipc(reply->tcb);
    if (complete_bound_signal(t))
        return;
    bool can_grant = cap_endpoint_rights(ep_cap) & RIGHT_GRANT;
    if (ep_state(ep) != EP_SEND) {
        if (unlikely(ep_hook(ep)))
            trace_receive(ep_hook(ep), t, NULL, false, 0, blocking ? HYPOS_TRACE_F_BLOCKED : HYPOS_TRACE_F_NONBLOCKING);
        if (!blocking) {
            t->ctx.regs[REG_BADGE] = 0;
            return;
        }
        set_thread_state(t, ThreadState_BlockedOnReceive);
        t->blocking_object = ep;
        t->blocking_can_grant = can_grant;
        t->reply = reply;
        if (reply)
            reply->tcb = t;
        ep_append(ep, t, EP_RECV);
        /* a passive server woken by its notification gives that SC back */
        ntfn_maybe_return_sc(t->bound_notification, t);
        return;
    }
    tcb_t *sender = ep_head(ep);
    if (unlikely(ep_hook(ep)))
        trace_receive(ep_hook(ep), t, sender, is_call_like(sender, sender->blocking_is_call), sender->blocking_badge,
                      blocking ? 0 : HYPOS_TRACE_F_NONBLOCKING);
    endpoint_remove_waiter(ep, sender);
    do_ipc_transfer(sender, ep, sender->blocking_badge, sender->blocking_can_grant, t);
    if (is_call_like(sender, sender->blocking_is_call)) {
        if (reply && (sender->blocking_can_grant || sender->blocking_can_grant_reply))
            reply_push(sender, t, reply, true, can_grant);
        else
            thread_stop_unanswered(sender);
    } else {
        set_thread_state(sender, ThreadState_Running);
        possible_switch_to(sender);
    }
}

void do_reply_transfer(tcb_t *sender, reply_t *reply, bool grant)
{
    tcb_t *caller = reply->tcb;
    if (!caller || caller->state != ThreadState_BlockedOnReply || caller->reply != reply)
        return;
    grant = grant && caller->blocking_can_grant_reply;
    if (unlikely(caller->trace_reply_hook))
        trace_reply(sender, caller, 0);
    reply_remove(reply, true);
    if (caller->fault.type == FAULT_NULL) {
        do_ipc_transfer(sender, NULL, 0, grant, caller);
        set_thread_state(caller, ThreadState_Running);
        possible_switch_to(caller);
        return;
    }
    bool restart = handle_fault_reply(caller, sender);
    caller->fault.type = FAULT_NULL;
    if (restart) {
        set_thread_state(caller, ThreadState_Restart);
        possible_switch_to(caller);
    } else {
        set_thread_state(caller, ThreadState_Inactive);
    }
}
