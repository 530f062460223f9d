/* TCB invocations (seL4 API reference, "TCB"). */
#include <api/invocation.h>
#include <arch/registers.h>
#include <kernel/addr.h>
#include <kernel/cspace.h>
#include <kernel/mdb.h>
#include <kernel/thread.h>
#include <object/capops.h>
#include <object/ipc.h>
#include <arch/vspace.h>
#include <sel4/invocation.h>

static syscall_error_t check_prio(word_t prio, const tcb_t *auth)
{
    if (prio > auth->mcp)
        return err_range(seL4_MinPrio, auth->mcp, "priority above the authority's MCP");
    return NO_ERROR;
}

static syscall_error_t authority(const invocation_t *inv, word_t extra, tcb_t **out)
{
    cap_t a = inv->extra[extra]->cap;
    if (cap_get_type(a) != cap_thread)
        return err_invalid_cap(1, "authority is not a TCB cap");
    *out = oref_ptr(cap_thread_ptr(a));
    return NO_ERROR;
}

/* Replace the cap in one of the TCB's own slots with a copy of src's. */
static void install_tcb_cap(tcb_t *t, word_t index, cap_t c, cte_t *src)
{
    cte_t *slot = &t->ctes[index];
    cte_delete(slot);
    /* the delete may have run user-visible finalisation; only insert if the
     * source still holds the cap that was checked */
    if (cap_is_null(slot->cap) && same_object_as(c, src->cap))
        cte_insert(c, src, slot);
    if (index == tcbVTable)
        arch_vspace_roots_changed();
}

static syscall_error_t check_ipc_buffer(word_t vaddr, cap_t frame)
{
    if (cap_get_type(frame) != cap_frame || cap_frame_is_device(frame))
        return err_simple(seL4_IllegalOperation, "IPC buffer must be a RAM frame");
    if (!IS_ALIGNED(vaddr, seL4_IPCBufferSizeBits))
        return err_simple(seL4_AlignmentError, "IPC buffer address not aligned");
    return NO_ERROR;
}

static bool valid_vspace_root(cap_t c) { return arch_is_vspace_root_cap(c); }

/* Shared by Configure and SetSpace: check and derive the new roots. */
static syscall_error_t decode_space(invocation_t *inv, word_t croot_extra, word_t cdata, word_t vdata, cap_t *croot,
                                    cap_t *vroot)
{
    syscall_error_t e;
    cte_t *cs = inv->extra[croot_extra], *vs = inv->extra[croot_extra + 1];
    *croot = cs->cap;
    if (cdata)
        *croot = update_cap_data(false, cdata, *croot);
    *croot = derive_cap(cs, *croot, &e);
    if (e.type)
        return e;
    if (cap_get_type(*croot) != cap_cnode)
        return err_simple(seL4_IllegalOperation, "CSpace root is not a CNode");
    (void)vdata; /* RISC-V vspace roots take no data */
    *vroot = derive_cap(vs, vs->cap, &e);
    if (e.type)
        return e;
    if (!valid_vspace_root(*vroot))
        return err_simple(seL4_IllegalOperation, "VSpace root is not an assigned page table");
    return NO_ERROR;
}

static syscall_error_t decode_configure(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 4 || inv->n_extra < 3)
        return err_simple(seL4_TruncatedMessage, "Configure needs 4 arguments and 3 caps");
    word_t fault_ep = inv_arg(inv, 0), cdata = inv_arg(inv, 1), vdata = inv_arg(inv, 2), buf = inv_arg(inv, 3);
    cap_t croot, vroot, bcap = cap_null_new();
    syscall_error_t e;
    if (buf) {
        bcap = derive_cap(inv->extra[2], inv->extra[2]->cap, &e);
        if (e.type)
            return e;
        e = check_ipc_buffer(buf, bcap);
        if (e.type)
            return e;
    }
    e = decode_space(inv, 0, cdata, vdata, &croot, &vroot);
    if (e.type)
        return e;
    t->fault_handler = fault_ep;
    install_tcb_cap(t, tcbCTable, croot, inv->extra[0]);
    install_tcb_cap(t, tcbVTable, vroot, inv->extra[1]);
    cte_delete(&t->ctes[tcbBuffer]);
    t->ipc_buffer = buf;
    if (buf)
        install_tcb_cap(t, tcbBuffer, bcap, inv->extra[2]);
    if (t == ks_cur_thread)
        reschedule_required();
    return NO_ERROR;
}

static syscall_error_t decode_set_space(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 3 || inv->n_extra < 2)
        return err_simple(seL4_TruncatedMessage, "SetSpace needs 3 arguments and 2 caps");
    cap_t croot, vroot;
    syscall_error_t e = decode_space(inv, 0, inv_arg(inv, 1), inv_arg(inv, 2), &croot, &vroot);
    if (e.type)
        return e;
    t->fault_handler = inv_arg(inv, 0);
    install_tcb_cap(t, tcbCTable, croot, inv->extra[0]);
    install_tcb_cap(t, tcbVTable, vroot, inv->extra[1]);
    if (t == ks_cur_thread)
        reschedule_required();
    return NO_ERROR;
}

static syscall_error_t decode_set_ipc_buffer(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 1 || inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "SetIPCBuffer needs an address and a frame");
    word_t buf = inv_arg(inv, 0);
    cap_t bcap = cap_null_new();
    if (buf) {
        syscall_error_t e;
        bcap = derive_cap(inv->extra[0], inv->extra[0]->cap, &e);
        if (e.type)
            return e;
        e = check_ipc_buffer(buf, bcap);
        if (e.type)
            return e;
    }
    cte_delete(&t->ctes[tcbBuffer]);
    t->ipc_buffer = buf;
    if (buf)
        install_tcb_cap(t, tcbBuffer, bcap, inv->extra[0]);
    if (t == ks_cur_thread)
        reschedule_required();
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
    if (flags & 1)
        thread_suspend(t);
    for (word_t i = 0; i < n; i++)
        set_mr(inv->thread, inv->buffer, i, get_user_context_reg(t, i));
    inv->reply_length = inv->buffer ? n : (n < N_MSG_REGISTERS ? n : N_MSG_REGISTERS);
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
    if (n > N_USER_CONTEXT)
        n = N_USER_CONTEXT;
    for (word_t i = 0; i < n; i++)
        set_user_context_reg(t, i, inv_arg(inv, i + 2));
    if (flags & 1)
        thread_restart(t);
    return NO_ERROR;
}

static syscall_error_t decode_copy_registers(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 1 || inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "CopyRegisters needs flags and a source");
    word_t flags = inv_arg(inv, 0);
    cap_t sc = inv->extra[0]->cap;
    if (cap_get_type(sc) != cap_thread)
        return err_invalid_cap(1, "source is not a TCB cap");
    tcb_t *src = oref_ptr(cap_thread_ptr(sc));
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
    if (n->bound_tcb || (n->head_state & 3) == 1 /* waiting */)
        return err_simple(seL4_IllegalOperation, "notification already bound or has waiters");
    bind_notification(t, n);
    return NO_ERROR;
}

syscall_error_t decode_tcb_invocation(invocation_t *inv)
{
    tcb_t *t = oref_ptr(cap_thread_ptr(inv->cap)), *auth;
    syscall_error_t e;
    switch (inv->label) {
    case TCBReadRegisters:
        return decode_read_registers(inv, t);
    case TCBWriteRegisters:
        return decode_write_registers(inv, t);
    case TCBCopyRegisters:
        return decode_copy_registers(inv, t);
    case TCBConfigure:
        return decode_configure(inv, t);
    case TCBSetSpace:
        return decode_set_space(inv, t);
    case TCBSetIPCBuffer:
        return decode_set_ipc_buffer(inv, t);
    case TCBSetPriority:
    case TCBSetMCPriority:
        if (inv->length < 1 || inv->n_extra < 1)
            return err_simple(seL4_TruncatedMessage, "needs a priority and an authority");
        if ((e = authority(inv, 0, &auth)).type || (e = check_prio(inv_arg(inv, 0), auth)).type)
            return e;
        if (inv->label == TCBSetPriority)
            thread_set_priority(t, inv_arg(inv, 0));
        else
            t->mcp = inv_arg(inv, 0);
        return NO_ERROR;
    case TCBSetSchedParams:
        if (inv->length < 2 || inv->n_extra < 1)
            return err_simple(seL4_TruncatedMessage, "needs MCP, priority and an authority");
        if ((e = authority(inv, 0, &auth)).type || (e = check_prio(inv_arg(inv, 0), auth)).type ||
            (e = check_prio(inv_arg(inv, 1), auth)).type)
            return e;
        t->mcp = inv_arg(inv, 0);
        thread_set_priority(t, inv_arg(inv, 1));
        return NO_ERROR;
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
        t->ctx.regs[REG_TP] = inv_arg(inv, 0);
        if (t == ks_cur_thread)
            reschedule_required();
        return NO_ERROR;
    case TCBSetFlags:
        /* no optional TCB features (FPU) exist in this configuration */
        if (inv->length < 2)
            return err_simple(seL4_TruncatedMessage, "SetFlags needs clear and set masks");
        set_mr(inv->thread, inv->buffer, 0, 0);
        inv->reply_length = 1;
        return NO_ERROR;
    default:
        return err_simple(seL4_IllegalOperation, "not a TCB method");
    }
}
