/* The trace control cap's methods: decoding checks everything (in the
 * order the ABI header lists the errors), performing cannot fail. */
#include <trace/trace.h>
#include <kernel/addr.h>
#include <object/capops.h>
#include <object/irq.h>

static syscall_error_t check_ring_number(word_t ring)
{
    if (ring >= TRACE_RINGS)
        return err_range(0, TRACE_RINGS - 1, "no such trace ring");
    return NO_ERROR;
}

static syscall_error_t decode_set_ring(invocation_t *inv)
{
    if (inv->length < 2 || inv->n_extra < 2)
        return err_simple(seL4_TruncatedMessage, "SetRing needs ring, threshold, a frame and a notification cap");
    word_t ring = inv_arg(inv, 0), threshold = inv_arg(inv, 1);
    syscall_error_t e = check_ring_number(ring);
    if (e.type != seL4_NoError)
        return e;
    cte_t *frame_src = inv->extra[0], *ntfn_src = inv->extra[1];
    cap_t frame = frame_src->cap, ntfn = ntfn_src->cap;
    /* the kernel writes the ring, so the cap must allow writing; device
     * memory is not the kernel's to write */
    if (cap_get_type(frame) != cap_frame || cap_frame_vmrights(frame) != VM_READ_WRITE || cap_frame_is_device(frame))
        return err_invalid_cap(1, "SetRing needs a writable frame cap of RAM");
    if (cap_get_type(ntfn) != cap_null &&
        (cap_get_type(ntfn) != cap_notification || !(cap_notification_rights(ntfn) & RIGHT_WRITE)))
        return err_invalid_cap(2, "SetRing needs a notification cap with Write, or a null cap");
    word_t capacity = BIT(frame_size_bits(cap_frame_size(frame))) / sizeof(hypos_trace_record_t) - 1;
    if (threshold > capacity)
        return err_range(0, capacity, "threshold beyond the ring's capacity");
    syscall_error_t de;
    cap_t f = derive_cap(frame_src, frame, &de);
    if (de.type != seL4_NoError)
        return de;
    cap_t n = ntfn;
    if (cap_get_type(ntfn) != cap_null) {
        n = derive_cap(ntfn_src, ntfn, &de);
        if (de.type != seL4_NoError)
            return de;
    }
    /* emptying the ring's old slots may delete the last caps of the old
     * frame or notification; neither deletes other caps, and the sources
     * are checked again afterwards, as every invocation that deletes before
     * it writes does */
    trace_clear_ring(ring);
    if (cap_get_type(frame_src->cap) != cap_frame || !same_object_as(frame_src->cap, frame))
        return NO_ERROR;
    bool with_ntfn = cap_get_type(n) != cap_null && cap_get_type(ntfn_src->cap) == cap_notification &&
                     same_object_as(ntfn_src->cap, ntfn);
    trace_set_ring(ring, frame_src, f, with_ntfn ? ntfn_src : NULL, n, threshold);
    return NO_ERROR;
}

/* What a cap lets its holder observe: the kind of hook, the object and
 * the events that kind has. */
typedef struct {
    word_t kind;
    void *object;
    word_t irq;
    word_t events;
} trace_target_t;

static syscall_error_t target_of(cap_t c, trace_target_t *t)
{
    switch (cap_get_type(c)) {
    case cap_endpoint:
        /* Read: whoever may receive from it sees what its messages carry */
        if (!(cap_endpoint_rights(c) & RIGHT_READ))
            return err_invalid_cap(1, "tracing an endpoint needs its Read right");
        *t = (trace_target_t){TRACE_ENDPOINT, oref_ptr(cap_endpoint_ptr(c)), 0, HYPOS_TRACE_EV_ENDPOINT};
        return NO_ERROR;
    case cap_notification:
        if (!(cap_notification_rights(c) & RIGHT_READ))
            return err_invalid_cap(1, "tracing a notification needs its Read right");
        *t = (trace_target_t){TRACE_NOTIFICATION, oref_ptr(cap_notification_ptr(c)), 0, HYPOS_TRACE_EV_NOTIFICATION};
        return NO_ERROR;
    case cap_thread:
        *t = (trace_target_t){TRACE_THREAD, oref_ptr(cap_thread_ptr(c)), 0, HYPOS_TRACE_EV_THREAD};
        return NO_ERROR;
    case cap_irq_handler:
        *t = (trace_target_t){TRACE_IRQ, NULL, cap_irq_handler_irq(c), HYPOS_TRACE_EV_IRQ};
        return NO_ERROR;
    case cap_trace_control:
        *t = (trace_target_t){TRACE_SYSTEM, NULL, 0, HYPOS_TRACE_EV_SYSTEM};
        return NO_ERROR;
    default:
        return err_simple(seL4_IllegalOperation, "objects of this type cannot be traced");
    }
}

static syscall_error_t decode_hook(invocation_t *inv)
{
    if (inv->length < 3 || inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "Hook needs ring, events, cookie and the object's cap");
    word_t ring = inv_arg(inv, 0), events = inv_arg(inv, 1), cookie = inv_arg(inv, 2);
    trace_target_t t;
    syscall_error_t e = target_of(inv->extra[0]->cap, &t);
    if (e.type != seL4_NoError)
        return e;
    e = check_ring_number(ring);
    if (e.type != seL4_NoError)
        return e;
    if (!trace_rings[ring].hdr)
        return err_simple(seL4_IllegalOperation, "the trace ring is not set up");
    if (events == 0 || (events & ~t.events))
        return err_range(1, t.events, "events this object does not have");
    if (cookie > 0xffffffffull)
        return err_range(0, 0xffffffffull, "the cookie is 32 bits");
    if (!trace_existing_hook(t.kind, t.object, t.irq) && !trace_free_hook_slot())
        return err_simple(seL4_NotEnoughMemory, "every trace hook is in use");
    word_t hook = trace_set_hook(t.kind, t.object, t.irq, ring, events, cookie);
    inv_set_mr(inv, 0, hook);
    inv_set_reply_length(inv, 1);
    return NO_ERROR;
}

static syscall_error_t decode_unhook(invocation_t *inv)
{
    if (inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "Unhook needs the object's cap");
    trace_target_t t;
    syscall_error_t e = target_of(inv->extra[0]->cap, &t);
    if (e.type != seL4_NoError)
        return e;
    word_t hook = trace_existing_hook(t.kind, t.object, t.irq);
    if (!hook)
        return err_simple(seL4_IllegalOperation, "the object has no trace hook");
    trace_remove_hook(hook);
    return NO_ERROR;
}

static syscall_error_t decode_thread_id(invocation_t *inv)
{
    if (inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "ThreadId needs a TCB cap");
    cap_t c = inv->extra[0]->cap;
    if (cap_get_type(c) != cap_thread)
        return err_invalid_cap(1, "ThreadId needs a TCB cap");
    inv_set_mr(inv, 0, ((tcb_t *)oref_ptr(cap_thread_ptr(c)))->trace_id);
    inv_set_reply_length(inv, 1);
    return NO_ERROR;
}

syscall_error_t decode_trace_control_invocation(invocation_t *inv)
{
    switch (inv->label) {
    case hypOS_TraceControlSetRing:
        return decode_set_ring(inv);
    case hypOS_TraceControlClearRing: {
        if (inv->length < 1)
            return err_simple(seL4_TruncatedMessage, "ClearRing needs the ring number");
        word_t ring = inv_arg(inv, 0);
        syscall_error_t e = check_ring_number(ring);
        if (e.type == seL4_NoError)
            trace_clear_ring(ring);
        return e;
    }
    case hypOS_TraceControlHook:
        return decode_hook(inv);
    case hypOS_TraceControlUnhook:
        return decode_unhook(inv);
    case hypOS_TraceControlThreadId:
        return decode_thread_id(inv);
    default:
        return err_simple(seL4_IllegalOperation, "TraceControl has SetRing, ClearRing, Hook, Unhook, ThreadId");
    }
}
