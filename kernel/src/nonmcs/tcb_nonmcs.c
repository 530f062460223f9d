/* The TCB methods whose arguments belong to the non-MCS configuration:
 * the fault endpoint is a CPtr stored in the TCB and looked up in the
 * thread's own CSpace at fault time; SetSchedParams sets MCP and
 * priority (seL4 API reference, "TCB"). */
#include <object/tcb_control.h>
#include <sel4/invocation.h>

bool install_fault_handler(const invocation_t *inv, tcb_t *t, const thread_control_t *tc)
{
    (void)inv;
    t->fault_handler = tc->fault_ep;
    return true;
}

static syscall_error_t decode_configure(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 4 || inv->n_extra < 3)
        return err_simple(seL4_TruncatedMessage, "Configure needs 4 arguments and 3 caps");
    thread_control_t tc, buf = {0};
    syscall_error_t e = decode_ipc_buffer(inv, inv_arg(inv, 3), 2, &buf);
    if (e.type)
        return e;
    e = decode_space(inv, t, 0, inv_arg(inv, 1), inv_arg(inv, 2), &tc);
    if (e.type)
        return e;
    tc.fault_ep = inv_arg(inv, 0);
    tc.set_buffer = true;
    tc.buffer = buf.buffer;
    tc.bcap = buf.bcap;
    tc.bcap_src = buf.bcap_src;
    invoke_tcb_thread_control(inv, t, &tc);
    return NO_ERROR;
}

static syscall_error_t decode_set_space(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 3 || inv->n_extra < 2)
        return err_simple(seL4_TruncatedMessage, "SetSpace needs 3 arguments and 2 caps");
    thread_control_t tc;
    syscall_error_t e = decode_space(inv, t, 0, inv_arg(inv, 1), inv_arg(inv, 2), &tc);
    if (e.type)
        return e;
    tc.fault_ep = inv_arg(inv, 0);
    invoke_tcb_thread_control(inv, t, &tc);
    return NO_ERROR;
}

static syscall_error_t decode_set_sched_params(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 2 || inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "needs MCP, priority and an authority");
    tcb_t *auth;
    syscall_error_t e = tcb_authority(inv, 0, &auth);
    if (e.type || (e = check_prio(inv_arg(inv, 0), auth)).type || (e = check_prio(inv_arg(inv, 1), auth)).type)
        return e;
    invoke_tcb_set_sched_params(t, true, inv_arg(inv, 0), true, inv_arg(inv, 1));
    return NO_ERROR;
}

syscall_error_t decode_tcb_config_invocation(invocation_t *inv, tcb_t *t)
{
    switch (inv->label) {
    case TCBConfigure:
        return decode_configure(inv, t);
    case TCBSetSpace:
        return decode_set_space(inv, t);
    case TCBSetSchedParams:
        return decode_set_sched_params(inv, t);
    default:
        return err_simple(seL4_IllegalOperation, "not a TCB method");
    }
}
