/* Message passing: the part that needs no second thread. Endpoint queues,
 * message transfer and reply caps come with the threads/IPC issue. */
#include <api/invocation.h>
#include <arch/registers.h>
#include <kernel/addr.h>
#include <kernel/printk.h>
#include <api/syscall.h>
#include <sel4/types.h>

static void cap_fault_recv(tcb_t *t, word_t cptr)
{
    t->fault = (fault_t){.type = 1, .w = {cptr, 1}};
    t->lookup_fault[0] = seL4_MissingCapability;
    t->lookup_fault[1] = 0;
    handle_fault_from_ipc(t);
}

syscall_error_t ipc_send_to_cap(invocation_t *inv, bool is_blocking)
{
    tcb_t *t = inv->thread;
    cap_t c = inv->cap;
    switch (cap_get_type(c)) {
    case cap_notification:
        if (!(cap_notification_rights(c) & RIGHT_WRITE))
            return err_invalid_cap(0, "notification cap has no Write right");
        ((notification_t *)oref_ptr(cap_notification_ptr(c)))->badge_word |= cap_notification_badge(c);
        return NO_ERROR;
    case cap_endpoint:
        if (!(cap_endpoint_rights(c) & RIGHT_WRITE))
            return err_invalid_cap(0, "endpoint cap has no Write right");
        /* no receiver can be waiting: NBSend drops, Send and Call block */
        if (is_blocking)
            t->state = inv->is_call ? ThreadState_BlockedOnReply : ThreadState_BlockedOnSend;
        return NO_ERROR;
    default: /* reply caps: no caller can exist yet */
        return NO_ERROR;
    }
}

void ipc_receive_from_cap(tcb_t *t, cap_t c, word_t cptr, bool is_blocking)
{
    if (cap_get_type(c) == cap_notification && (cap_notification_rights(c) & RIGHT_READ)) {
        notification_t *n = oref_ptr(cap_notification_ptr(c));
        if (n->badge_word) {
            t->ctx.regs[REG_BADGE] = n->badge_word;
            t->ctx.regs[REG_INFO] = 0;
            n->badge_word = 0;
        } else if (is_blocking) {
            t->state = ThreadState_BlockedOnNotification;
        } else {
            t->ctx.regs[REG_BADGE] = 0;
            t->ctx.regs[REG_INFO] = 0;
        }
        return;
    }
    if (cap_get_type(c) == cap_endpoint && (cap_endpoint_rights(c) & RIGHT_READ)) {
        if (is_blocking) {
            t->state = ThreadState_BlockedOnReceive;
        } else {
            t->ctx.regs[REG_BADGE] = 0;
            t->ctx.regs[REG_INFO] = 0;
        }
        return;
    }
    cap_fault_recv(t, cptr);
}

void ipc_reply(tcb_t *t) { (void)t; /* no caller can exist yet */ }

/* With a single thread there is nobody to yield to. */
void sched_yield(tcb_t *t) { (void)t; }
