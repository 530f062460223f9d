/* IRQControl and IRQHandler invocations and interrupt delivery, following
 * seL4's decodeIRQControlInvocation / decodeIRQHandlerInvocation in the
 * order of their checks and errors. */
#include <object/irq.h>
#include <kernel/addr.h>
#include <kernel/cspace.h>
#include <kernel/mdb.h>
#include <object/capops.h>
#include <object/ipc.h>
#include <sel4/invocation.h>
#include <trace/trace.h>

enum { IRQ_INACTIVE = 0, IRQ_SIGNAL = 1 };

/* Per line: whether a handler cap has been issued, the notification cap
 * the handler set (a copy in the derivation tree, like any other, so
 * revoking or deleting the notification's memory unbinds it), and whether
 * the line was claimed and waits for Ack. */
static uint8_t irq_state[IRQ_LIMIT + 1];
static bool irq_claimed[IRQ_LIMIT + 1];
static cte_t irq_node[IRQ_LIMIT + 1];
/* Tracing: the line's hook (0: none) and when it was last delivered. */
static uint8_t irq_hook[IRQ_LIMIT + 1];
static word_t irq_delivered[IRQ_LIMIT + 1];

word_t irq_trace_hook(word_t irq) { return irq <= IRQ_LIMIT ? irq_hook[irq] : 0; }
void irq_set_trace_hook(word_t irq, word_t hook)
{
    if (irq <= IRQ_LIMIT)
        irq_hook[irq] = (uint8_t)hook;
}

/* ---- Perform ---- */

static void invoke_irq_control_issue(const invocation_t *inv, word_t irq, cte_t *control_slot, cte_t *dest)
{
    arch_irq_issue(inv, irq);
    irq_state[irq] = IRQ_SIGNAL;
    irq_claimed[irq] = false;
    cte_insert(cap_irq_handler_new(irq), control_slot, dest);
    arch_irq_set_enabled(irq, true);
}

static void unbind(word_t irq)
{
    if (!cap_is_null(irq_node[irq].cap))
        cte_delete(&irq_node[irq]);
}

static void ack(word_t irq)
{
    if (irq_claimed[irq]) {
        if (unlikely(irq_hook[irq]))
            trace_irq_ack(irq_hook[irq], irq, irq_delivered[irq]);
        irq_claimed[irq] = false;
        arch_irq_complete(irq);
    }
}

/* Deleting the old binding may finalise the notification it named (its
 * waiters are released), which never deletes other caps; the source and the
 * handler cap are still checked afterwards, as every invocation that
 * deletes before it writes does. */
static void invoke_irq_set_notification(const invocation_t *inv, word_t irq, cap_t n, cte_t *src)
{
    unbind(irq);
    if (cap_get_type(inv->slot->cap) == cap_irq_handler && cap_irq_handler_irq(inv->slot->cap) == irq &&
        cap_get_type(src->cap) == cap_notification && same_object_as(src->cap, n))
        cte_insert(n, src, &irq_node[irq]);
}

/* ---- Decode ---- */

syscall_error_t decode_irq_control_invocation(invocation_t *inv)
{
    /* The architecture says which labels issue handlers, how many
     * arguments they carry and where the IRQ number, the slot's index and
     * its depth are among them; its own arguments (a trigger mode, an
     * interrupt controller input) it checks last. */
    irq_issue_method_t m = arch_irq_issue_method(inv->label);
    if (!m.nargs)
        return err_simple(seL4_IllegalOperation, "IRQControl has only IssueIRQHandler and the arch's variants");
    if (inv->length < m.nargs || inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "IRQControl_Get needs irq, index, depth and a CNode");
    word_t irq = inv_arg(inv, m.irq_arg);
    word_t index = inv_arg(inv, m.index_arg), depth = inv_arg(inv, m.depth_arg);
    word_t max = arch_irq_max();
    if (irq == 0 || irq > max)
        return err_range(1, max, "IRQ number out of range");
    if (irq_state[irq] != IRQ_INACTIVE)
        return err_simple(seL4_RevokeFirst, "a handler for this IRQ already exists");
    syscall_error_t e;
    cte_t *dest = lookup_slot_for_cnode_op(false, inv->extra[0]->cap, index, depth, &e);
    if (!dest)
        return e;
    if (!cap_is_null(dest->cap))
        return err_simple(seL4_DeleteFirst, "destination slot is not empty");
    e = arch_irq_issue_check(inv, irq);
    if (e.type != seL4_NoError)
        return e;
    invoke_irq_control_issue(inv, irq, inv->slot, dest);
    return NO_ERROR;
}

syscall_error_t decode_irq_handler_invocation(invocation_t *inv)
{
    word_t irq = cap_irq_handler_irq(inv->cap);
    switch (inv->label) {
    case IRQAckIRQ:
        ack(irq);
        return NO_ERROR;
    case IRQSetIRQHandler: {
        if (inv->n_extra < 1)
            return err_simple(seL4_TruncatedMessage, "SetNotification needs a notification cap");
        cte_t *src = inv->extra[0];
        cap_t n = src->cap;
        if (cap_get_type(n) != cap_notification || !(cap_notification_rights(n) & RIGHT_WRITE))
            return err_invalid_cap(0, "SetNotification needs a notification cap with Write");
        invoke_irq_set_notification(inv, irq, n, src);
        return NO_ERROR;
    }
    case IRQClearIRQHandler:
        unbind(irq);
        return NO_ERROR;
    default:
        return err_simple(seL4_IllegalOperation, "IRQHandler has Ack, SetNotification and Clear");
    }
}

void irq_handler_finalise(word_t irq)
{
    if (irq == 0 || irq > IRQ_LIMIT)
        return;
    unbind(irq);
    /* complete before disabling: the PLIC ignores completions of
     * disabled sources, which would leave the gateway closed */
    ack(irq);
    arch_irq_set_enabled(irq, false);
    irq_state[irq] = IRQ_INACTIVE;
    trace_irq_gone(irq);
}

void handle_interrupt(word_t irq)
{
    if (irq > arch_irq_max() || irq_state[irq] != IRQ_SIGNAL) {
        /* no handler: cannot happen while the line is disabled, but a
         * stray claim must not close the gateway for good */
        arch_irq_complete(irq);
        arch_irq_set_enabled(irq, false);
        return;
    }
    /* The line stays claimed, hence masked, until IRQHandler_Ack. */
    irq_claimed[irq] = true;
    cap_t c = irq_node[irq].cap;
    bool bound = cap_get_type(c) == cap_notification && (cap_notification_rights(c) & RIGHT_WRITE);
    notification_t *n = bound ? oref_ptr(cap_notification_ptr(c)) : NULL;
    if (unlikely(irq_hook[irq])) {
        irq_delivered[irq] = arch_trace_time();
        trace_irq(irq_hook[irq], irq, n ? ntfn_would_wake(n) : NULL, irq_delivered[irq]);
    }
    if (n)
        send_signal(n, cap_notification_badge(c), NULL);
}
