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

enum { IRQ_INACTIVE = 0, IRQ_SIGNAL = 1 };

/* Per line: whether a handler cap has been issued, the notification cap
 * the handler set (a copy in the derivation tree, like any other, so
 * revoking or deleting the notification's memory unbinds it), and whether
 * the line was claimed and waits for Ack. */
static uint8_t irq_state[IRQ_LIMIT + 1];
static bool irq_claimed[IRQ_LIMIT + 1];
static cte_t irq_node[IRQ_LIMIT + 1];

/* ---- Perform ---- */

static void invoke_irq_control_issue(word_t irq, cte_t *control_slot, cte_t *dest)
{
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
    /* RISCVIRQIssueIRQHandlerTrigger has the trigger as its second
     * argument; the PLIC's gateways take either kind, so it is accepted
     * and otherwise ignored. */
    bool trigger = inv->label == RISCVIRQIssueIRQHandlerTrigger;
    if (inv->label != IRQIssueIRQHandler && !trigger)
        return err_simple(seL4_IllegalOperation, "IRQControl has only IssueIRQHandler(Trigger)");
    word_t nargs = trigger ? 4 : 3;
    if (inv->length < nargs || inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "IRQControl_Get needs irq, index, depth and a CNode");
    word_t irq = inv_arg(inv, 0);
    word_t index = inv_arg(inv, nargs - 2), depth = inv_arg(inv, nargs - 1);
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
    invoke_irq_control_issue(irq, inv->slot, dest);
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
    if (cap_get_type(c) == cap_notification && (cap_notification_rights(c) & RIGHT_WRITE))
        send_signal(oref_ptr(cap_notification_ptr(c)), cap_notification_badge(c));
}
