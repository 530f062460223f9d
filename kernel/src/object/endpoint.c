/* Synchronous IPC through endpoints, reply caps and message transfer. */
#include <object/ipc.h>
#include <kernel/preemption.h>
#include <arch/registers.h>
#include <kernel/addr.h>
#include <kernel/cspace.h>
#include <kernel/mdb.h>
#include <kernel/thread.h>
#include <object/capops.h>
#include <object/mcs_objects.h>
#include <sel4/constants.h>
#include <sel4/types.h>

/* Where a preempted CancelBadgedSends stopped: the next waiter it has not
 * examined and the last one that was queued when it began (waiters queued
 * later are left alone, so senders that are restarted and send again
 * cannot keep it going for ever). Waiters leave a queue only through
 * endpoint_remove_waiter and endpoint_cancel_all, which keep the two
 * pointers on threads still queued. One cursor is kept: a cancel on
 * another endpoint or badge starts over from the head (still correct,
 * only repeating the walk). */
static struct {
    endpoint_t *ep; /* NULL: no cancel is in progress */
    word_t badge;
    tcb_t *next, *last; /* next NULL: every waiter up to last was examined */
} badged_cancel;

static void badged_cancel_forget(tcb_t *t)
{
    if (t == badged_cancel.last) {
        if (t == badged_cancel.next)
            badged_cancel.next = NULL;
        badged_cancel.last = t->ep_prev;
        if (!badged_cancel.last)
            badged_cancel.next = NULL;
    } else if (t == badged_cancel.next) {
        badged_cancel.next = t->ep_next;
    }
}

void endpoint_remove_waiter(endpoint_t *ep, tcb_t *t)
{
    if (unlikely(badged_cancel.ep == ep))
        badged_cancel_forget(t);
    tcb_t *head = ep_head(ep), *tail = (tcb_t *)(uintptr_t)ep->tail;
    wait_queue_unlink(&head, &tail, t);
    ep_set(ep, head, tail, ep_state(ep));
}

/* The receiver's chosen slot for an incoming cap, if it is empty. */
static cte_t *receive_slot(tcb_t *t, const seL4_IPCBuffer *buffer)
{
    resolve_result_t r = lookup_slot(t->ctes[tcbCTable].cap, buffer->receiveCNode);
    if (!r.ok)
        return NULL;
    syscall_error_t e;
    cte_t *slot = lookup_slot_for_cnode_op(false, r.slot->cap, buffer->receiveIndex, buffer->receiveDepth, &e);
    if (!slot || !cap_is_null(slot->cap))
        return NULL;
    return slot;
}

/* Caps travel only to a receiver with a writable IPC buffer (the badges of
 * unwrapped caps are written there), as seL4's transferCaps. */
static void transfer_caps(seL4_MessageInfo_t *info, cte_t *const *caps, word_t n_caps, endpoint_t *ep, tcb_t *receiver,
                          seL4_IPCBuffer *rbuf)
{
    word_t extra = 0, unwrapped = 0;
    if (n_caps && rbuf) {
        cte_t *dest = receive_slot(receiver, rbuf);
        for (word_t i = 0; i < n_caps; i++) {
            cap_t c = caps[i]->cap;
            if (cap_get_type(c) == cap_endpoint && ep && oref_ptr(cap_endpoint_ptr(c)) == (void *)ep) {
                /* a cap to the endpoint in use arrives as its badge only */
                rbuf->caps_or_badges[i] = cap_endpoint_badge(c);
                unwrapped |= BIT(i);
            } else {
                if (!dest)
                    break;
                syscall_error_t e;
                cap_t d = derive_cap(caps[i], c, &e);
                if (e.type || cap_is_null(d))
                    break;
                cte_insert(d, caps[i], dest);
                dest = NULL;
            }
            extra = i + 1;
        }
    }
    *info = seL4_MessageInfo_set_extraCaps(*info, extra);
    *info = seL4_MessageInfo_set_capsUnwrapped(*info, unwrapped);
}

/* Register MRs always; buffer MRs only from a readable sender buffer into a
 * writable receiver buffer. Returns how many arrived. */
static word_t copy_mrs(const tcb_t *s, const seL4_IPCBuffer *sbuf, tcb_t *r, seL4_IPCBuffer *rbuf, word_t n)
{
    word_t i;
    for (i = 0; i < n && i < N_MSG_REGISTERS; i++)
        r->ctx.regs[REG_MR0 + i] = s->ctx.regs[REG_MR0 + i];
    if (!sbuf || !rbuf)
        return i;
    for (; i < n; i++)
        rbuf->msg[i] = sbuf->msg[i];
    return i;
}

void do_ipc_transfer(tcb_t *sender, endpoint_t *ep, word_t badge, bool grant, tcb_t *receiver)
{
    seL4_IPCBuffer *rbuf = lookup_ipc_buffer_for_write(receiver);
    seL4_MessageInfo_t info;
    if (sender->fault.type == FAULT_NULL) {
        const seL4_IPCBuffer *sbuf = lookup_ipc_buffer_for_read(sender);
        info.words[0] = sender->ctx.regs[REG_INFO];
        word_t len = seL4_MessageInfo_get_length(info);
        if (len > seL4_MsgMaxLength)
            len = seL4_MsgMaxLength;
        /* a cap that cannot be looked up sends no caps at all (seL4) */
        cte_t *caps[seL4_MsgMaxExtraCaps];
        cap_lookup_failure_t failed;
        word_t n_caps = grant ? extra_caps_count(info, sbuf) : 0;
        if (n_caps && !lookup_extra_caps(sender, sbuf, n_caps, caps, &failed))
            n_caps = 0;
        word_t sent = copy_mrs(sender, sbuf, receiver, rbuf, len);
        transfer_caps(&info, caps, n_caps, ep, receiver, rbuf);
        info = seL4_MessageInfo_set_length(info, sent);
    } else {
        word_t len = set_fault_mrs(sender, receiver, rbuf);
        info = seL4_MessageInfo_new(sender->fault.type, 0, 0, len);
    }
    receiver->ctx.regs[REG_INFO] = info.words[0];
    receiver->ctx.regs[REG_BADGE] = badge;
}

void block_on_send(tcb_t *sender, endpoint_t *ep, word_t badge, bool can_grant, bool can_grant_reply, bool is_call)
{
    set_thread_state(sender, ThreadState_BlockedOnSend);
    sender->blocking_object = ep;
    sender->blocking_badge = badge;
    sender->blocking_can_grant = can_grant;
    sender->blocking_can_grant_reply = can_grant_reply;
    sender->blocking_is_call = is_call;
    ep_append(ep, sender, EP_SEND);
}

void thread_stop_unanswered(tcb_t *caller)
{
    caller->trace_reply_hook = 0;
    set_thread_state(caller, ThreadState_Inactive);
}

void restart_all_waiters(tcb_t *head)
{
    while (head) {
        tcb_t *next = head->ep_next;
        head->ep_next = head->ep_prev = NULL;
        /* a receiver stops waiting with its reply object (MCS) */
        receive_reply_forget(head);
        set_thread_state(head, ThreadState_Restart);
        sched_enqueue(head);
        head = next;
    }
    reschedule_required();
}

/* Deleting an endpoint: every waiter restarts its system call (which then
 * finds the cap gone). */
void endpoint_cancel_all(endpoint_t *ep)
{
    tcb_t *t = ep_head(ep);
    ep_set(ep, NULL, NULL, EP_IDLE);
    if (badged_cancel.ep == ep)
        badged_cancel.ep = NULL;
    restart_all_waiters(t);
}

/* seL4_CNode_CancelBadgedSends: every sender waiting with this badge
 * restarts its system call. Preemptible: the walk resumes at the saved
 * cursor when the restarted call names the same endpoint and badge. */
exception_t endpoint_cancel_badged_sends(endpoint_t *ep, word_t badge)
{
    bool resume = badged_cancel.ep == ep && badged_cancel.badge == badge;
    badged_cancel.ep = NULL;
    if (ep_state(ep) != EP_SEND || badge == 0)
        return EXCEPTION_NONE;
    tcb_t *t = resume ? badged_cancel.next : ep_head(ep);
    tcb_t *last = resume ? badged_cancel.last : (tcb_t *)(uintptr_t)ep->tail;
    exception_t status = EXCEPTION_NONE;
    while (t) {
        tcb_t *next = t == last ? NULL : t->ep_next;
        if (t->blocking_badge == badge) {
            endpoint_remove_waiter(ep, t);
            set_thread_state(t, ThreadState_Restart);
            sched_enqueue(t);
        }
        t = next;
        if (t && preemption_point(WORK_WAITER) == EXCEPTION_PREEMPTED) {
            badged_cancel.ep = ep;
            badged_cancel.badge = badge;
            badged_cancel.next = t;
            badged_cancel.last = last;
            status = EXCEPTION_PREEMPTED;
            break;
        }
    }
    reschedule_required();
    return status;
}

void cancel_ipc(tcb_t *t)
{
    switch (t->state) {
    case ThreadState_BlockedOnSend:
    case ThreadState_BlockedOnReceive:
        endpoint_remove_waiter(t->blocking_object, t);
        receive_reply_forget(t);
        set_thread_state(t, ThreadState_Inactive);
        break;
    case ThreadState_BlockedOnNotification:
        notification_remove_waiter(t->blocking_object, t);
        set_thread_state(t, ThreadState_Inactive);
        break;
    case ThreadState_BlockedOnReply:
        t->fault.type = FAULT_NULL;
        cancel_reply_wait(t);
        break;
    default:
        break;
    }
}
