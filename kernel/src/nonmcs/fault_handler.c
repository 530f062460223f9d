/* Where a fault goes without MCS: the fault handler is a CPtr kept in
 * the TCB and looked up in the faulting thread's CSpace when the fault
 * happens (seL4 manual ch. 6). The endpoint must let the kernel send
 * (Write) and leave a reply right (Grant or GrantReply). */
#include <object/ipc.h>
#include <kernel/addr.h>
#include <kernel/cspace.h>
#include <kernel/thread.h>
#include <trace/trace.h>

void handle_fault(tcb_t *t)
{
    if (unlikely(t->trace_hook | trace_system_hook))
        trace_fault(t);
    resolve_result_t r = lookup_slot(t->ctes[tcbCTable].cap, t->fault_handler);
    if (!r.ok) {
        double_fault(t, "its fault handler cap cannot be looked up");
        return;
    }
    cap_t h = r.slot->cap;
    word_t rights = cap_endpoint_rights(h);
    if (cap_get_type(h) != cap_endpoint || !(rights & RIGHT_WRITE) || !(rights & (RIGHT_GRANT | RIGHT_GRANT_REPLY))) {
        double_fault(t, "it has no fault handler");
        return;
    }
    send_ipc(true, true, cap_endpoint_badge(h), rights & RIGHT_GRANT, rights & RIGHT_GRANT_REPLY, t,
             oref_ptr(cap_endpoint_ptr(h)));
}

/* No fault types beyond seL4's four without MCS. */
word_t config_fault_mrs(tcb_t *faulter, tcb_t *receiver, seL4_IPCBuffer *buffer)
{
    (void)faulter;
    (void)receiver;
    (void)buffer;
    return 0;
}

bool config_fault_reply(tcb_t *faulter, tcb_t *handler, word_t label, word_t length)
{
    (void)faulter;
    (void)handler;
    (void)label;
    (void)length;
    return true;
}
