/* The API system calls of the non-MCS configuration (seL4 manual ch. 2):
 * Recv takes no reply object; a Call's reply right waits in the
 * receiver's caller slot, which Reply and ReplyRecv use. */
#include <api/syscall.h>
#include <kernel/addr.h>
#include <kernel/cspace.h>
#include <kernel/thread.h>
#include <object/ipc.h>
#include <sel4/syscall.h>

static void handle_recv(bool is_blocking)
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
        delete_caller_cap(t);
        receive_ipc(t, c, is_blocking);
        return;
    }
    if (cap_get_type(c) == cap_notification && (cap_notification_rights(c) & RIGHT_READ)) {
        notification_t *n = oref_ptr(cap_notification_ptr(c));
        /* a notification bound to another thread cannot be waited on */
        if (!n->bound_tcb || n->bound_tcb == t) {
            receive_signal(t, n, is_blocking);
            return;
        }
    }
    record_cap_fault(t, cptr, true, &missing);
    handle_fault(t);
}

static void handle_reply(tcb_t *t)
{
    cte_t *caller = &t->ctes[tcbCaller];
    if (cap_get_type(caller->cap) == cap_reply)
        do_reply_transfer(t, oref_ptr(cap_reply_tcb(caller->cap)), caller, cap_reply_can_grant(caller->cap));
}

syscall_error_t invoke_reply_cap(tcb_t *t, cte_t *slot)
{
    cap_t c = slot->cap;
    if (cap_reply_is_master(c))
        return err_invalid_cap(0, "a master reply cap cannot be invoked");
    do_reply_transfer(t, oref_ptr(cap_reply_tcb(c)), slot, cap_reply_can_grant(c));
    return NO_ERROR;
}

void handle_syscall(sword_t sysno)
{
    tcb_t *t = ks_cur_thread;
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
        handle_recv(true);
        break;
    case seL4_SysNBRecv:
        handle_recv(false);
        break;
    case seL4_SysReply:
        handle_reply(t);
        break;
    case seL4_SysReplyRecv:
        handle_reply(t);
        handle_recv(true);
        break;
    case seL4_SysYield:
        sched_yield(t);
        break;
    default:
        handle_other_syscall(sysno);
        break;
    }
}
