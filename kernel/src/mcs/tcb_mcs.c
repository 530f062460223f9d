/* The TCB methods whose arguments belong to the MCS configuration (seL4
 * API reference, "TCB", MCS forms): fault and timeout endpoints are caps
 * copied into the TCB at configure time; SetSchedParams also names the
 * scheduling context and the fault endpoint. */
#include <object/tcb_control.h>
#include <kernel/addr.h>
#include <object/capops.h>
#include <object/ipc.h>
#include <sel4/invocation.h>

/* A fault or timeout handler: a null cap (none), or an endpoint cap the
 * kernel may send on and leave a reply right through. */
static bool valid_fault_handler(cap_t c)
{
    if (cap_is_null(c))
        return true;
    word_t r = cap_endpoint_rights(c);
    return cap_get_type(c) == cap_endpoint && (r & RIGHT_WRITE) && (r & (RIGHT_GRANT | RIGHT_GRANT_REPLY));
}

static syscall_error_t decode_handler(invocation_t *inv, word_t extra, cap_t *cap, cte_t **src)
{
    syscall_error_t e;
    cte_t *s = inv->extra[extra];
    cap_t c = derive_cap(s, s->cap, &e);
    if (e.type)
        return e;
    if (!valid_fault_handler(c))
        return err_invalid_cap(extra + 1, "not an endpoint with Write and Grant or GrantReply");
    *cap = c;
    *src = s;
    return NO_ERROR;
}

bool install_fault_handler(const invocation_t *inv, tcb_t *t, const thread_control_t *tc)
{
    if (!tc->set_fault)
        return true;
    return replace_tcb_cap(inv, t, tcbFaultHandler, tc->fault_cap, tc->fault_src);
}

static syscall_error_t decode_configure(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 3 || inv->n_extra < 3)
        return err_simple(seL4_TruncatedMessage, "Configure needs 3 arguments and 3 caps");
    thread_control_t tc, buf = {0};
    syscall_error_t e = decode_ipc_buffer(inv, inv_arg(inv, 2), 2, &buf);
    if (e.type)
        return e;
    e = decode_space(inv, t, 0, inv_arg(inv, 0), inv_arg(inv, 1), &tc);
    if (e.type)
        return e;
    tc.set_buffer = true;
    tc.buffer = buf.buffer;
    tc.bcap = buf.bcap;
    tc.bcap_src = buf.bcap_src;
    invoke_tcb_thread_control(inv, t, &tc);
    return NO_ERROR;
}

static syscall_error_t decode_set_space(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 2 || inv->n_extra < 3)
        return err_simple(seL4_TruncatedMessage, "SetSpace needs 2 arguments and 3 caps");
    thread_control_t tc;
    cap_t fault;
    cte_t *fault_src;
    syscall_error_t e = decode_handler(inv, 0, &fault, &fault_src);
    if (e.type)
        return e;
    e = decode_space(inv, t, 1, inv_arg(inv, 0), inv_arg(inv, 1), &tc);
    if (e.type)
        return e;
    tc.set_fault = true;
    tc.fault_cap = fault;
    tc.fault_src = fault_src;
    invoke_tcb_thread_control(inv, t, &tc);
    return NO_ERROR;
}

static syscall_error_t decode_set_timeout_endpoint(invocation_t *inv, tcb_t *t)
{
    if (inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "SetTimeoutEndpoint needs an endpoint cap");
    cap_t h;
    cte_t *src;
    syscall_error_t e = decode_handler(inv, 0, &h, &src);
    if (e.type)
        return e;
    replace_tcb_cap(inv, t, tcbTimeoutHandler, h, src);
    return NO_ERROR;
}

static syscall_error_t decode_set_sched_params(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 2 || inv->n_extra < 3)
        return err_simple(seL4_TruncatedMessage, "SetSchedParams needs MCP, priority, authority, SC and fault ep");
    tcb_t *auth;
    syscall_error_t e = tcb_authority(inv, 0, &auth);
    if (e.type || (e = check_prio(inv_arg(inv, 0), auth)).type || (e = check_prio(inv_arg(inv, 1), auth)).type)
        return e;
    cap_t scap = inv->extra[1]->cap;
    sched_context_t *sc = NULL;
    if (cap_get_type(scap) == cap_sched_context) {
        sc = oref_ptr(cap_sched_context_ptr(scap));
        if (sc->tcb && sc->tcb != t)
            return err_simple(seL4_IllegalOperation, "the SC is bound to another thread");
        if (t->sc && t->sc != sc)
            return err_simple(seL4_IllegalOperation, "the thread already has an SC");
    } else if (cap_is_null(scap)) {
        if (t == inv->thread && t->sc)
            return err_simple(seL4_IllegalOperation, "a thread cannot unbind the SC it runs on");
    } else {
        return err_invalid_cap(2, "not a scheduling context cap");
    }
    cap_t fault;
    cte_t *fault_src;
    if ((e = decode_handler(inv, 2, &fault, &fault_src)).type)
        return e;
    /* perform: fault handler first (its delete may cascade; re-checked) */
    thread_control_t tc = {.set_fault = true, .fault_cap = fault, .fault_src = fault_src};
    if (!install_fault_handler(inv, t, &tc))
        return NO_ERROR;
    invoke_tcb_set_sched_params(t, true, inv_arg(inv, 0), true, inv_arg(inv, 1));
    if (sc && t->sc != sc)
        sched_context_bind_tcb(sc, t);
    else if (!sc && t->sc && t->sc->tcb == t)
        sched_context_unbind_tcb(t->sc);
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
    case TCBSetTimeoutEndpoint:
        return decode_set_timeout_endpoint(inv, t);
    default:
        return err_simple(seL4_IllegalOperation, "not a TCB method");
    }
}
