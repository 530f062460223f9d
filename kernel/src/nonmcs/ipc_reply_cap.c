/* Endpoint IPC of the non-MCS configuration: a Call leaves a one-shot
 * reply cap in the receiver's caller slot, derived from the caller's
 * master reply cap (seL4 manual ch. 4, "Reply capabilities"). The MCS
 * configuration uses reply objects instead (kernel/src/mcs/ipc_mcs.c). */
#include <object/ipc.h>
#include <arch/registers.h>
#include <kernel/addr.h>
#include <kernel/mdb.h>
#include <kernel/thread.h>
#include <object/capops.h>
#include <sel4/constants.h>
#include <trace/trace.h>

/* The sender waits for the receiver's reply through a one-shot cap placed
 * in the receiver's caller slot, derived from the sender's master reply cap. */
static void setup_caller_cap(tcb_t *sender, tcb_t *receiver, bool can_grant)
{
    set_thread_state(sender, ThreadState_BlockedOnReply);
    cte_t *master = &sender->ctes[tcbReply];
    cte_t *caller = &receiver->ctes[tcbCaller];
    if (!cap_is_null(caller->cap))
        cte_delete(caller);
    cap_t rc = cap_reply_new(ptr_oref(sender), false, can_grant);
    if (unlikely(sender->trace_reply_hook))
        rc.w0 |= CAP_REPLY_TRACED;
    cte_insert(rc, master, caller);
}

void delete_caller_cap(tcb_t *t)
{
    cte_t *caller = &t->ctes[tcbCaller];
    if (!cap_is_null(caller->cap))
        cte_delete(caller);
}

void send_ipc(bool blocking, bool do_call, word_t badge, bool can_grant, bool can_grant_reply, tcb_t *sender,
              endpoint_t *ep)
{
    if (ep_state(ep) != EP_RECV) {
        if (unlikely(ep_hook(ep)))
            trace_send(ep_hook(ep), sender, NULL, do_call, badge,
                       blocking ? HYPOS_TRACE_F_QUEUED : HYPOS_TRACE_F_NONBLOCKING);
        if (!blocking)
            return;
        block_on_send(sender, ep, badge, can_grant, can_grant_reply, do_call);
        return;
    }
    tcb_t *dest = ep_head(ep);
    if (unlikely(ep_hook(ep)))
        trace_send(ep_hook(ep), sender, dest, do_call, badge, blocking ? 0 : HYPOS_TRACE_F_NONBLOCKING);
    endpoint_remove_waiter(ep, dest);
    do_ipc_transfer(sender, ep, badge, can_grant, dest);
    bool reply_can_grant = dest->blocking_can_grant;
    set_thread_state(dest, ThreadState_Running);
    possible_switch_to(dest);
    if (do_call) {
        if (can_grant || can_grant_reply)
            setup_caller_cap(sender, dest, reply_can_grant);
        else
            thread_stop_unanswered(sender);
    }
}

void receive_ipc(tcb_t *t, cap_t ep_cap, bool blocking)
{
    endpoint_t *ep = oref_ptr(cap_endpoint_ptr(ep_cap));
    if (complete_bound_signal(t))
        return;
    if (ep_state(ep) != EP_SEND) {
        if (unlikely(ep_hook(ep)))
            trace_receive(ep_hook(ep), t, NULL, false, 0, blocking ? HYPOS_TRACE_F_BLOCKED : HYPOS_TRACE_F_NONBLOCKING);
        if (!blocking) {
            t->ctx.regs[REG_BADGE] = 0;
            return;
        }
        set_thread_state(t, ThreadState_BlockedOnReceive);
        t->blocking_object = ep;
        t->blocking_can_grant = cap_endpoint_rights(ep_cap) & RIGHT_GRANT;
        ep_append(ep, t, EP_RECV);
        return;
    }
    tcb_t *sender = ep_head(ep);
    if (unlikely(ep_hook(ep)))
        trace_receive(ep_hook(ep), t, sender, sender->blocking_is_call, sender->blocking_badge,
                      blocking ? 0 : HYPOS_TRACE_F_NONBLOCKING);
    endpoint_remove_waiter(ep, sender);
    do_ipc_transfer(sender, ep, sender->blocking_badge, sender->blocking_can_grant, t);
    if (sender->blocking_is_call) {
        if (sender->blocking_can_grant || sender->blocking_can_grant_reply)
            setup_caller_cap(sender, t, cap_endpoint_rights(ep_cap) & RIGHT_GRANT);
        else
            thread_stop_unanswered(sender);
    } else {
        set_thread_state(sender, ThreadState_Running);
        possible_switch_to(sender);
    }
}

void do_reply_transfer(tcb_t *sender, tcb_t *receiver, cte_t *reply_slot, bool grant)
{
    if (unlikely(receiver->trace_reply_hook))
        trace_reply(sender, receiver, 0);
    if (receiver->fault.type == FAULT_NULL) {
        do_ipc_transfer(sender, NULL, 0, grant, receiver);
        cte_delete(reply_slot);
        set_thread_state(receiver, ThreadState_Running);
        possible_switch_to(receiver);
        return;
    }
    cte_delete(reply_slot);
    bool restart = handle_fault_reply(receiver, sender);
    receiver->fault.type = FAULT_NULL;
    if (restart) {
        set_thread_state(receiver, ThreadState_Restart);
        possible_switch_to(receiver);
    } else {
        set_thread_state(receiver, ThreadState_Inactive);
    }
}

/* A thread waiting for a reply stops waiting: the one-shot reply cap held
 * by whoever would have replied goes. */
void cancel_reply_wait(tcb_t *t)
{
    trace_forget_reply(t);
    cte_t *master = &t->ctes[tcbReply], *caller = mdb_next(master);
    if (caller && is_mdb_parent_of(master, caller))
        cte_delete(caller);
}
