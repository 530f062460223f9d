/* System call dispatch: invocations of kernel objects and debug calls. */
#include <api/syscall.h>
#include <fastpath/fastpath.h>
#include <api/invocation.h>
#include <arch/cap.h>
#include <arch/fpu.h>
#include <arch/machine.h>
#include <arch/registers.h>
#include <kernel/addr.h>
#include <kernel/cspace.h>
#include <kernel/debug_sched.h>
#include <kernel/invariants.h>
#include <kernel/preemption.h>
#include <kernel/printk.h>
#include <kernel/thread.h>
#include <object/ipc.h>
#include <object/irq.h>
#include <object/mcs_objects.h>
#include <sel4/shared_types.h>
#include <sel4/syscall.h>
#include <sel4/types.h>
#include <trace/trace.h>


static word_t msg_info(word_t label, word_t extra, word_t length)
{
    return seL4_MessageInfo_new(label, 0, extra, length).words[0];
}


/* Write an error reply as seL4 does: label = error, details in MRs (into
 * the caller's registers and, past them, only a writable IPC buffer). */
static void reply_error(tcb_t *t, seL4_IPCBuffer *buffer, const syscall_error_t *e)
{
    word_t len = 0;
    switch (e->type) {
    case seL4_InvalidArgument:
    case seL4_InvalidCapability:
    case seL4_NotEnoughMemory:
        set_mr(t, buffer, len++, e->arg0);
        break;
    case seL4_RangeError:
        set_mr(t, buffer, len++, e->arg0);
        set_mr(t, buffer, len++, e->arg1);
        break;
    case seL4_FailedLookup:
        set_mr(t, buffer, len++, e->arg0);
        len = set_lookup_fault_mrs(t, buffer, len, &e->lookup);
        break;
    default:
        break;
    }
    t->ctx.regs[REG_BADGE] = 0;
    t->ctx.regs[REG_INFO] = msg_info(e->type, 0, mrs_delivered(buffer, len));
}

syscall_error_t decode_invocation(invocation_t *inv)
{
    switch (cap_get_type(inv->cap)) {
    case cap_cnode:
        return decode_cnode_invocation(inv);
    case cap_untyped:
        return decode_untyped_invocation(inv);
    case cap_thread:
        return decode_tcb_invocation(inv);
    case cap_domain:
        return decode_domain_invocation(inv);
    case cap_trace_control:
        return decode_trace_control_invocation(inv);
    case cap_irq_control:
        return decode_irq_control_invocation(inv);
    case cap_irq_handler:
        return decode_irq_handler_invocation(inv);
    case cap_null:
    case cap_zombie:
        return err_invalid_cap(0, "invoked a null capability");
    case cap_frame:
    case cap_page_table:
    case cap_asid_control:
    case cap_asid_pool:
        return decode_arch_invocation(inv);
    default: {
        syscall_error_t e;
        if (mcs_decode_invocation(inv, &e))
            return e;
        if (arch_cap_is_own(inv->cap))
            return decode_arch_invocation(inv);
        return err_simple(seL4_IllegalOperation, "this object has no methods yet");
    }
    }
}

void record_cap_fault(tcb_t *t, word_t cptr, bool in_recv, const lookup_fault_t *lf)
{
    /* a cap fault restarts the system call after the handler replies */
    t->ctx.regs[REG_PC] = t->ctx.fault_pc;
    t->fault = (fault_t){.type = FAULT_CAP, .w = {cptr, in_recv}};
    t->lookup_fault = *lf;
}

/* Endpoint, notification and reply caps are "invoked" by sending to them. */
static bool is_ipc_cap(cap_t c)
{
    return cap_get_type(c) == cap_endpoint || cap_get_type(c) == cap_notification || cap_get_type(c) == cap_reply;
}

static syscall_error_t invoke_ipc_cap(tcb_t *t, cte_t *slot, bool is_call, bool is_blocking)
{
    cap_t c = slot->cap;
    word_t r;
    switch (cap_get_type(c)) {
    case cap_endpoint:
        r = cap_endpoint_rights(c);
        if (!(r & RIGHT_WRITE))
            return err_invalid_cap(0, "endpoint cap has no Write right");
        send_ipc(is_blocking, is_call, cap_endpoint_badge(c), r & RIGHT_GRANT, r & RIGHT_GRANT_REPLY, t,
                 oref_ptr(cap_endpoint_ptr(c)));
        return NO_ERROR;
    case cap_notification:
        if (!(cap_notification_rights(c) & RIGHT_WRITE))
            return err_invalid_cap(0, "notification cap has no Write right");
        send_signal(oref_ptr(cap_notification_ptr(c)), cap_notification_badge(c), t);
        return NO_ERROR;
    default:
        return invoke_reply_cap(t, slot);
    }
}

/* The caller of a failed invocation gets the error as its reply; one whose
 * invocation did not block it completes with an empty (or result-carrying)
 * reply. The invocation may have destroyed the caller or its IPC buffer
 * (failed invocations change nothing), so its buffer is looked up afresh. */
static ALWAYS_INLINE void finish_invocation(tcb_t *t, bool is_call, syscall_error_t e, word_t label,
                                            word_t reply_length, word_t cap_type)
{
    if (unlikely(e.type == SYSCALL_PREEMPTED)) {
        restart_preempted_call(t);
        return;
    }
    if (e.type != seL4_NoError) {
        if (!kernel_quiet)
            debug_printf("hypOS: <<%s: %s (label %lu, error %lu)>>\n", thread_name(t), e.reason, label, e.type);
        if (unlikely(trace_system_hook))
            trace_invoke_fail(t, label, e.type, cap_type);
        if (is_call)
            reply_error(t, lookup_ipc_buffer_for_write(t), &e);
        return;
    }
    if (is_call && t == ks_cur_thread && thread_is_runnable(t)) {
        t->ctx.regs[REG_BADGE] = 0;
        t->ctx.regs[REG_INFO] = msg_info(0, 0, reply_length);
    }
}

/* Any other cap: the message is the invocation's arguments, with extra
 * caps named by CPtrs in the IPC buffer (caps_or_badges). */
static void handle_object_invocation(tcb_t *t, word_t cptr, cte_t *slot, seL4_MessageInfo_t info, bool is_call,
                                     bool is_blocking)
{
    invocation_t inv = {.thread = t, .is_call = is_call, .slot = slot, .cap = slot->cap};
    inv.cptr = cptr;
    inv.label = seL4_MessageInfo_get_label(info);
    inv.length = seL4_MessageInfo_get_length(info);
    if (inv.length > seL4_MsgMaxLength)
        inv.length = seL4_MsgMaxLength;
    ipc_buffers_t buffers = lookup_ipc_buffers(t);
    inv.buffer = buffers.read;
    inv.reply_buffer = buffers.write;
    if (!inv.buffer && inv.length > N_MSG_REGISTERS)
        inv.length = N_MSG_REGISTERS;

    inv.n_extra = extra_caps_count(info, inv.buffer);
    cap_lookup_failure_t failed;
    if (inv.n_extra && !lookup_extra_caps(t, inv.buffer, inv.n_extra, inv.extra, &failed)) {
        if (!kernel_quiet)
            debug_printf("hypOS: lookup of extra cap %lu failed\n", failed.cptr);
        if (is_blocking) {
            record_cap_fault(t, failed.cptr, false, &failed.fault);
            handle_fault(t);
        }
        return;
    }

    syscall_error_t e = is_ipc_cap(inv.cap) ? invoke_ipc_cap(t, slot, is_call, is_blocking) : decode_invocation(&inv);
    finish_invocation(t, is_call, e, inv.label, inv.reply_length, cap_get_type(inv.cap));
}

void handle_invocation(bool is_call, bool is_blocking)
{
    handle_invocation_of(ks_cur_thread->ctx.regs[REG_CAP], is_call, is_blocking);
}

void handle_invocation_of(word_t cptr, bool is_call, bool is_blocking)
{
    tcb_t *t = ks_cur_thread;
    seL4_MessageInfo_t info = {{t->ctx.regs[REG_INFO]}};
    resolve_result_t r = lookup_slot(t->ctes[tcbCTable].cap, cptr);
    if (!r.ok) {
        if (!kernel_quiet)
            debug_printf("hypOS: invocation of invalid cap %lu by %s\n", cptr, thread_name(t));
        if (is_blocking) {
            record_cap_fault(t, cptr, false, &r.fault);
            handle_fault(t);
        }
        return;
    }
    /* A message to an IPC object without extra caps to look up needs none
     * of the invocation's decoding (the transfer reads the buffer itself). */
    if (is_ipc_cap(r.slot->cap) && seL4_MessageInfo_get_extraCaps(info) == 0) {
        syscall_error_t e = invoke_ipc_cap(t, r.slot, is_call, is_blocking);
        /* (the cap is still there when the invocation failed) */
        finish_invocation(t, is_call, e, seL4_MessageInfo_get_label(info), 0, cap_get_type(r.slot->cap));
        return;
    }
    handle_object_invocation(t, cptr, r.slot, info, is_call, is_blocking);
}

static UNUSED void debug_name_thread(tcb_t *t)
{
    resolve_result_t r = lookup_slot(t->ctes[tcbCTable].cap, t->ctx.regs[REG_CAP]);
    const seL4_IPCBuffer *buf = lookup_ipc_buffer_for_read(t);
    if (!r.ok || cap_get_type(r.slot->cap) != cap_thread || !buf) {
        debug_printf("hypOS: DebugNameThread: not a TCB cap or no IPC buffer\n");
        return;
    }
    tcb_t *target = oref_ptr(cap_thread_ptr(r.slot->cap));
    const char *src = (const char *)buf->msg;
    size_t i;
    for (i = 0; i + 1 < sizeof(target->name) && src[i]; i++)
        target->name[i] = src[i];
    target->name[i] = 0;
}

void handle_user_exception(word_t cause, word_t tval)
{
    tcb_t *t = ks_cur_thread;
    switch (cause) {
    case 1:  /* instruction access fault */
    case 12: /* instruction page fault */
        t->fault = (fault_t){.type = FAULT_VM, .w = {tval, 1, 1}};
        break;
    case 5:  /* load access fault */
    case 13: /* load page fault */
        t->fault = (fault_t){.type = FAULT_VM, .w = {tval, 0, 5}};
        break;
    case 7:  /* store/AMO access fault */
    case 15: /* store/AMO page fault */
        t->fault = (fault_t){.type = FAULT_VM, .w = {tval, 0, 7}};
        break;
    default: /* illegal instruction, misaligned access, breakpoint, ... */
        t->fault = (fault_t){.type = FAULT_USER_EXCEPTION, .w = {cause, 0}};
        break;
    }
    handle_fault(t);
}

/* The debug and hypOS-specific system calls, and the UnknownSyscall
 * fault for any other number (the API calls are dispatched by the
 * configuration's handle_syscall). */
void handle_other_syscall(sword_t sysno)
{
    tcb_t *t = ks_cur_thread;
    switch (sysno) {
#ifdef HYPOS_PRINTING
    case seL4_SysDebugPutChar:
        arch_putchar((char)t->ctx.regs[REG_A0]);
        break;
    case seL4_SysDebugHalt:
        kprintf("hypOS: halted by %s\n", thread_name(t));
        arch_halt();
        break;
    case seL4_SysDebugDumpScheduler:
        debug_dump_scheduler();
        break;
#endif
#ifdef HYPOS_DEBUG
    case seL4_SysDebugCapIdentify: {
        resolve_result_t r = lookup_slot(t->ctes[tcbCTable].cap, t->ctx.regs[REG_A0]);
        t->ctx.regs[REG_A0] = r.ok ? arch_cap_tag(r.slot->cap) : 0;
        break;
    }
    case seL4_SysDebugNameThread:
        debug_name_thread(t);
        break;
    case seL4_SysHypDebugCheckInvariants:
        t->ctx.regs[REG_A0] = check_invariants();
        break;
    case seL4_SysHypDebugFastpathCount:
        t->ctx.regs[REG_A0] = fastpath_count;
        break;
    case seL4_SysHypDebugFpuSwitches:
        t->ctx.regs[REG_A0] = t->ctx.regs[REG_A0] ? fpu_saves : fpu_loads;
        break;
    case seL4_SysHypDebugPreempt:
        preemption_force_every(t->ctx.regs[REG_A0]);
        t->ctx.regs[REG_A0] = preempted_calls;
        break;
#endif
    default:
        /* the fault message reports the pc of the ecall itself */
        t->ctx.regs[REG_PC] = t->ctx.fault_pc;
        /* reported by the fault path only when no handler takes it */
        t->fault = (fault_t){.type = FAULT_UNKNOWN_SYSCALL, .w = {(word_t)sysno}};
        handle_fault(t);
        break;
    }
}
