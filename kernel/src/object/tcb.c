/* TCB invocations (seL4 API reference, "TCB"). Each decode_* checks the
 * caps, rights and arguments and changes nothing; it ends in an invoke_*
 * that performs and cannot fail. */
#include <api/invocation.h>
#include <arch/fpu.h>
#include <arch/registers.h>
#include <kernel/addr.h>
#include <kernel/cspace.h>
#include <kernel/mdb.h>
#include <kernel/thread.h>
#include <object/capops.h>
#include <object/ipc.h>
#include <arch/vspace.h>
#include <sel4/invocation.h>
#include <object/tcb_control.h>

/* ---- Perform ---- */

/* The slot still holds a cap of the same type to the same object. */
static bool slot_still_holds(const cte_t *slot, cap_t checked)
{
    return cap_get_type(slot->cap) == cap_get_type(checked) && same_object_as(slot->cap, checked);
}

/* Empty one of the TCB's own slots and, if the TCB and the source survived
 * that, install the new cap there. Deleting the old cap may finalise any
 * object it was the last cap to, and that cascades: the old CSpace root can
 * hold the only cap to this very TCB, or the CNode holding the new cap's
 * source. So after the delete, the invoked cap must still name this TCB and
 * the source must still hold the cap decode derived from; otherwise nothing
 * more is written (seL4's invokeTCB_ThreadControl does the same checks).
 * Returns whether the TCB still exists. */
bool replace_tcb_cap(const invocation_t *inv, tcb_t *t, word_t index, cap_t c, cte_t *src)
{
    cte_t *slot = &t->ctes[index];
    cte_delete(slot);
    if (!slot_still_holds(inv->slot, inv->cap))
        return false;
    if (index == tcbVTable)
        arch_vspace_roots_changed();
    if (!cap_is_null(c) && cap_is_null(slot->cap) && slot_still_holds(src, c))
        cte_insert(c, src, slot);
    return true;
}

void invoke_tcb_thread_control(const invocation_t *inv, tcb_t *t, const thread_control_t *tc)
{
    if (tc->set_space) {
        if (!install_fault_handler(inv, t, tc))
            return;
        if (!replace_tcb_cap(inv, t, tcbCTable, tc->croot, tc->croot_src) ||
            !replace_tcb_cap(inv, t, tcbVTable, tc->vroot, tc->vroot_src))
            return;
    }
    if (tc->set_buffer) {
        cte_delete(&t->ctes[tcbBuffer]);
        if (!slot_still_holds(inv->slot, inv->cap))
            return;
        t->ipc_buffer = tc->buffer;
        if (!replace_tcb_cap(inv, t, tcbBuffer, tc->bcap, tc->bcap_src))
            return;
    }
    if (t == ks_cur_thread)
        reschedule_required();
}

static void invoke_tcb_read_registers(invocation_t *inv, tcb_t *t, bool suspend, word_t n)
{
    if (suspend)
        thread_suspend(t);
    for (word_t i = 0; i < n; i++)
        inv_set_mr(inv, i, get_user_context_reg(t, i));
    inv_set_reply_length(inv, n);
}

static void invoke_tcb_write_registers(invocation_t *inv, tcb_t *t, bool resume, word_t n)
{
    for (word_t i = 0; i < n; i++)
        set_user_context_reg(t, i, inv_arg(inv, i + 2));
    if (resume)
        thread_restart(t);
}

static void invoke_tcb_copy_registers(tcb_t *t, tcb_t *src, word_t flags)
{
    if (flags & 1)
        thread_suspend(src);
    if (flags & 2)
        thread_restart(t);
    if (flags & 4)
        for (word_t i = 0; i < N_FRAME_REGISTERS; i++)
            set_user_context_reg(t, i, get_user_context_reg(src, i));
    if (flags & 8)
        for (word_t i = N_FRAME_REGISTERS; i < N_USER_CONTEXT; i++)
            set_user_context_reg(t, i, get_user_context_reg(src, i));
    if (t == ks_cur_thread)
        reschedule_required();
}

void invoke_tcb_set_sched_params(tcb_t *t, bool set_mcp, word_t mcp, bool set_prio, word_t prio)
{
    if (set_mcp)
        t->mcp = mcp;
    if (set_prio)
        thread_set_priority(t, prio);
}

static void invoke_tcb_set_tls_base(tcb_t *t, word_t base)
{
    t->ctx.regs[REG_TP] = arch_sanitise_context_reg(REG_TP, base);
    if (t == ks_cur_thread)
        reschedule_required();
}

/* ---- Decode ---- */

syscall_error_t check_prio(word_t prio, const tcb_t *auth)
{
    if (prio > auth->mcp)
        return err_range(seL4_MinPrio, auth->mcp, "priority above the authority's MCP");
    return NO_ERROR;
}

syscall_error_t tcb_authority(const invocation_t *inv, word_t extra, tcb_t **out)
{
    cap_t a = inv->extra[extra]->cap;
    if (cap_get_type(a) != cap_thread)
        return err_invalid_cap(1, "authority is not a TCB cap");
    *out = oref_ptr(cap_thread_ptr(a));
    return NO_ERROR;
}

/* The IPC buffer argument pair: address and frame (address 0: no buffer). */
syscall_error_t decode_ipc_buffer(invocation_t *inv, word_t vaddr, word_t extra, thread_control_t *tc)
{
    tc->set_buffer = true;
    tc->buffer = vaddr;
    tc->bcap = cap_null_new();
    if (!vaddr)
        return NO_ERROR;
    syscall_error_t e;
    cte_t *src = inv->extra[extra];
    cap_t frame = derive_cap(src, src->cap, &e);
    if (e.type)
        return e;
    if (cap_get_type(frame) != cap_frame || cap_frame_is_device(frame))
        return err_simple(seL4_IllegalOperation, "IPC buffer must be a RAM frame");
    if (!IS_ALIGNED(vaddr, seL4_IPCBufferSizeBits))
        return err_simple(seL4_AlignmentError, "IPC buffer address not aligned");
    tc->bcap = frame;
    tc->bcap_src = src;
    return NO_ERROR;
}

static bool valid_vspace_root(cap_t c) { return arch_is_vspace_root_cap(c); }

/* Deleting the cap in this slot would finalise an object that owns slots
 * (a CNode or TCB, or finish a zombie): a delete that can cascade without
 * bound, through objects the invoker may not see. */
static bool long_running_delete(const cte_t *slot)
{
    cap_type_t type = cap_get_type(slot->cap);
    if (type == cap_null || !cte_is_final(slot))
        return false;
    return type == cap_thread || type == cap_cnode || type == cap_zombie;
}

/* Shared by Configure and SetSpace: check and derive the new roots. As in
 * seL4, replacing a root whose deletion would destroy objects is refused:
 * the caller deletes it first (a thread could otherwise destroy itself, or
 * the source of its new root, in the middle of the invocation). */
syscall_error_t decode_space(invocation_t *inv, tcb_t *t, word_t croot_extra, word_t cdata, word_t vdata,
                             thread_control_t *tc)
{
    syscall_error_t e;
    if (long_running_delete(&t->ctes[tcbCTable]) || long_running_delete(&t->ctes[tcbVTable]))
        return err_simple(seL4_IllegalOperation,
                          "the old CSpace or VSpace root is the last cap to it: delete it first");
    cte_t *cs = inv->extra[croot_extra], *vs = inv->extra[croot_extra + 1];
    cap_t croot = cs->cap;
    if (cdata)
        croot = update_cap_data(false, cdata, croot);
    croot = derive_cap(cs, croot, &e);
    if (e.type)
        return e;
    if (cap_get_type(croot) != cap_cnode)
        return err_simple(seL4_IllegalOperation, "CSpace root is not a CNode");
    (void)vdata; /* RISC-V vspace roots take no data */
    cap_t vroot = derive_cap(vs, vs->cap, &e);
    if (e.type)
        return e;
    if (!valid_vspace_root(vroot))
        return err_simple(seL4_IllegalOperation, "VSpace root is not an assigned page table");
    *tc = (thread_control_t){.set_space = true, .croot = croot, .croot_src = cs, .vroot = vroot, .vroot_src = vs};
    return NO_ERROR;
}

static syscall_error_t decode_set_ipc_buffer(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 1 || inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "SetIPCBuffer needs an address and a frame");
    thread_control_t tc = {0};
    syscall_error_t e = decode_ipc_buffer(inv, inv_arg(inv, 0), 0, &tc);
    if (e.type)
        return e;
    invoke_tcb_thread_control(inv, t, &tc);
    return NO_ERROR;
}

static syscall_error_t decode_read_registers(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 2)
        return err_simple(seL4_TruncatedMessage, "ReadRegisters needs flags and a count");
    word_t flags = inv_arg(inv, 0), n = inv_arg(inv, 1);
    if (n < 1 || n > N_USER_CONTEXT)
        return err_range(1, N_USER_CONTEXT, "register count out of range");
    if (t == inv->thread)
        return err_simple(seL4_IllegalOperation, "a thread cannot read its own registers");
    invoke_tcb_read_registers(inv, t, flags & 1, n);
    return NO_ERROR;
}

static syscall_error_t decode_write_registers(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 2)
        return err_simple(seL4_TruncatedMessage, "WriteRegisters needs flags and a count");
    word_t flags = inv_arg(inv, 0), n = inv_arg(inv, 1);
    if (inv->length - 2 < n)
        return err_simple(seL4_TruncatedMessage, "fewer registers supplied than the count");
    if (t == inv->thread)
        return err_simple(seL4_IllegalOperation, "a thread cannot write its own registers");
    invoke_tcb_write_registers(inv, t, flags & 1, n < N_USER_CONTEXT ? n : N_USER_CONTEXT);
    return NO_ERROR;
}

static syscall_error_t decode_copy_registers(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 1 || inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "CopyRegisters needs flags and a source");
    cap_t sc = inv->extra[0]->cap;
    if (cap_get_type(sc) != cap_thread)
        return err_invalid_cap(1, "source is not a TCB cap");
    invoke_tcb_copy_registers(t, oref_ptr(cap_thread_ptr(sc)), inv_arg(inv, 0));
    return NO_ERROR;
}

static syscall_error_t decode_priority(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 1 || inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "needs a priority and an authority");
    tcb_t *auth;
    syscall_error_t e = tcb_authority(inv, 0, &auth);
    if (e.type || (e = check_prio(inv_arg(inv, 0), auth)).type)
        return e;
    if (inv->label == TCBSetPriority)
        invoke_tcb_set_sched_params(t, false, 0, true, inv_arg(inv, 0));
    else
        invoke_tcb_set_sched_params(t, true, inv_arg(inv, 0), false, 0);
    return NO_ERROR;
}

static syscall_error_t decode_bind(invocation_t *inv, tcb_t *t)
{
    if (inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "BindNotification needs a notification cap");
    if (t->bound_notification)
        return err_simple(seL4_IllegalOperation, "TCB already has a bound notification");
    cap_t c = inv->extra[0]->cap;
    if (cap_get_type(c) != cap_notification)
        return err_invalid_cap(1, "not a notification cap");
    if (!(cap_notification_rights(c) & RIGHT_READ))
        return err_simple(seL4_IllegalOperation, "notification cap cannot receive");
    notification_t *n = oref_ptr(cap_notification_ptr(c));
    if (n->bound_tcb || ntfn_state(n) == NTFN_WAITING)
        return err_simple(seL4_IllegalOperation, "notification already bound or has waiters");
    bind_notification(t, n);
    return NO_ERROR;
}

syscall_error_t decode_tcb_invocation(invocation_t *inv)
{
    tcb_t *t = oref_ptr(cap_thread_ptr(inv->cap));
    switch (inv->label) {
    case TCBReadRegisters:
        return decode_read_registers(inv, t);
    case TCBWriteRegisters:
        return decode_write_registers(inv, t);
    case TCBCopyRegisters:
        return decode_copy_registers(inv, t);
    case TCBSetIPCBuffer:
        return decode_set_ipc_buffer(inv, t);
    case TCBSetPriority:
    case TCBSetMCPriority:
        return decode_priority(inv, t);
    case TCBSuspend:
        thread_suspend(t);
        return NO_ERROR;
    case TCBResume:
        thread_restart(t);
        return NO_ERROR;
    case TCBBindNotification:
        return decode_bind(inv, t);
    case TCBUnbindNotification:
        if (!t->bound_notification)
            return err_simple(seL4_IllegalOperation, "TCB has no bound notification");
        unbind_notification(t);
        return NO_ERROR;
    case TCBSetTLSBase:
        if (inv->length < 1)
            return err_simple(seL4_TruncatedMessage, "SetTLSBase needs an address");
        invoke_tcb_set_tls_base(t, inv_arg(inv, 0));
        return NO_ERROR;
    case TCBSetFlags:
        /* flags = (flags & ~clear) | set, unknown bits ignored; the reply
         * carries the flags now in effect (seL4 14) */
        if (inv->length < 2)
            return err_simple(seL4_TruncatedMessage, "SetFlags needs clear and set masks");
        inv_set_mr(inv, 0, arch_tcb_set_flags(t, inv_arg(inv, 0), inv_arg(inv, 1)));
        inv_set_reply_length(inv, 1);
        return NO_ERROR;
    default:
        /* Configure, SetSpace, SetSchedParams (and with MCS
         * SetTimeoutEndpoint) take the configuration's arguments */
        return decode_tcb_config_invocation(inv, t);
    }
}
