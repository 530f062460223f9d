/* The API system calls of the MCS configuration (seL4 manual ch. 2 and
 * "Scheduling contexts"): receives that may be answered by a Call name a
 * reply object (register REG_REPLY), replies are sends to that object,
 * NBSendRecv sends first to REG_NBSEND_DEST and NBSendWait to the cap in
 * REG_REPLY (it has no reply object), as seL4 passes them, and Yield
 * gives up the rest of the current refill. Every API call first checks
 * the caller's budget: a thread out of budget makes the call again when
 * it next runs. */
#include <api/syscall.h>
#include <fastpath/fastpath.h>
#include <arch/registers.h>
#include <kernel/addr.h>
#include <kernel/cspace.h>
#include <kernel/thread.h>
#include <object/ipc.h>
#include <sel4/syscall.h>

syscall_error_t invoke_reply_cap(tcb_t *t, cte_t *slot)
{
    cap_t c = slot->cap;
    do_reply_transfer(t, oref_ptr(cap_reply_ptr(c)), cap_reply_can_grant(c));
    return NO_ERROR;
}

/* The reply object of a receive, or a cap fault (seL4's lookupReply). */
static bool lookup_reply(tcb_t *t, reply_t **out)
{
    word_t cptr = t->ctx.regs[REG_REPLY];
    resolve_result_t r = lookup_slot(t->ctes[tcbCTable].cap, cptr);
    if (!r.ok) {
        record_cap_fault(t, cptr, true, &r.fault);
        handle_fault(t);
        return false;
    }
    if (cap_get_type(r.slot->cap) != cap_reply) {
        lookup_fault_t missing = lf_missing(0);
        record_cap_fault(t, cptr, true, &missing);
        handle_fault(t);
        return false;
    }
    *out = oref_ptr(cap_reply_ptr(r.slot->cap));
    return true;
}

static void handle_recv(bool is_blocking, bool can_reply)
{
    tcb_t *t = ks_cur_thread;
    word_t cptr = t->ctx.regs[REG_CAP];
    resolve_result_t r = lookup_slot(t->ctes[tcbCTable].cap, cptr);
    if (!r.ok) {
        record_cap_fault(t, cptr, true, &r.fault);
        handle_fault(t);
        return;
    }
    cap_t c = r.slot->cap;
    lookup_fault_t missing = lf_missing(0);
    if (cap_get_type(c) == cap_endpoint && (cap_endpoint_rights(c) & RIGHT_READ)) {
        reply_t *reply = NULL;
        if (can_reply && !lookup_reply(t, &reply))
            return;
        receive_ipc(t, c, is_blocking, reply);
        return;
    }
    if (cap_get_type(c) == cap_notification && (cap_notification_rights(c) & RIGHT_READ)) {
        notification_t *n = oref_ptr(cap_notification_ptr(c));
        if (!n->bound_tcb || n->bound_tcb == t) {
            receive_signal(t, n, is_blocking);
            return;
        }
    }
    record_cap_fault(t, cptr, true, &missing);
    handle_fault(t);
}

/* Yield: the rest of the current refill is given up (charged); the
 * thread waits for its next release, or, round robin, goes to the back of
 * its queue. No timeout fault: the thread chose to stop. */
static void handle_yield(tcb_t *t)
{
    sched_context_t *sc = t->sc;
    if (!sc || sc != ks_cur_sc || !sc_active(sc))
        return;
    if (ks_consumed < refill_head(sc)->amount)
        ks_consumed = refill_head(sc)->amount;
    commit_time();
    sched_dequeue(t);
    if (sc_round_robin(sc) || refill_ready(sc, ks_cur_time))
        sched_append(t);
    else
        release_queue_insert(t);
    reschedule_required();
}

void handle_syscall(sword_t sysno)
{
    /* a Call or ReplyRecv the fastpath checked and left to finish here */
    fastpath_mcs_deferred();
    tcb_t *t = ks_cur_thread;
    if (sysno >= seL4_SysFirstAPI && sysno <= seL4_SysLastAPI && !check_budget_restart())
        return;
    switch (sysno) {
    case seL4_SysCall:
        handle_invocation(true, true);
        break;
    case seL4_SysSend:
        handle_invocation(false, true);
        break;
    case seL4_SysNBSend:
        handle_invocation(false, false);
        break;
    case seL4_SysRecv:
        handle_recv(true, true);
        break;
    case seL4_SysNBRecv:
        handle_recv(false, true);
        break;
    case seL4_SysWait:
        handle_recv(true, false);
        break;
    case seL4_SysNBWait:
        handle_recv(false, false);
        break;
    case seL4_SysReplyRecv:
        handle_invocation_of(t->ctx.regs[REG_REPLY], false, false);
        handle_recv(true, true);
        break;
    case seL4_SysNBSendRecv:
        handle_invocation_of(t->ctx.regs[REG_NBSEND_DEST], false, false);
        handle_recv(true, true);
        break;
    case seL4_SysNBSendWait:
        /* Wait takes no reply object: the destination is in its register */
        handle_invocation_of(t->ctx.regs[REG_REPLY], false, false);
        handle_recv(true, false);
        break;
    case seL4_SysYield:
        handle_yield(t);
        break;
    default:
        handle_other_syscall(sysno);
        break;
    }
}
