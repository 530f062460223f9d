/* Notifications: a word of badge bits and a queue of waiters; a TCB may be
 * bound to one so that a signal also ends its Recv on an endpoint. */
#include <object/ipc.h>
#include <arch/registers.h>
#include <kernel/thread.h>
#include <trace/trace.h>

static tcb_t *nt_head(const notification_t *n) { return (tcb_t *)(uintptr_t)(n->head_state & ~QUEUE_LOW_BITS); }
static void nt_set(notification_t *n, tcb_t *head, tcb_t *tail, word_t state)
{
    n->head_state = (word_t)(uintptr_t)head | state | (n->head_state & QUEUE_HOOK_BITS);
    n->tail = (word_t)(uintptr_t)tail;
}

void notification_remove_waiter(notification_t *n, tcb_t *t)
{
    tcb_t *head = nt_head(n), *tail = (tcb_t *)(uintptr_t)n->tail;
    wait_queue_unlink(&head, &tail, t);
    nt_set(n, head, tail, head ? NTFN_WAITING : NTFN_IDLE);
}

static void wake_with_badge(notification_t *n, tcb_t *t, word_t badge)
{
    ntfn_maybe_donate_sc(n, t);
    set_thread_state(t, ThreadState_Running);
    t->ctx.regs[REG_BADGE] = badge;
    possible_switch_to(t);
}

tcb_t *ntfn_would_wake(const notification_t *n)
{
    if (ntfn_state(n) == NTFN_WAITING)
        return nt_head(n);
    tcb_t *t = n->bound_tcb;
    return ntfn_state(n) == NTFN_IDLE && t && t->state == ThreadState_BlockedOnReceive ? t : NULL;
}

void send_signal(notification_t *n, word_t badge, const tcb_t *signaller)
{
    if (unlikely(ntfn_hook(n)))
        trace_signal(n, signaller, ntfn_would_wake(n), badge);
    switch (ntfn_state(n)) {
    case NTFN_IDLE: {
        tcb_t *t = n->bound_tcb;
        if (t && t->state == ThreadState_BlockedOnReceive) {
            cancel_ipc(t);
            wake_with_badge(n, t, badge);
        } else {
            n->badge_word = badge;
            nt_set(n, NULL, NULL, NTFN_ACTIVE);
        }
        break;
    }
    case NTFN_WAITING: {
        tcb_t *t = nt_head(n);
        notification_remove_waiter(n, t);
        wake_with_badge(n, t, badge);
        break;
    }
    default:
        n->badge_word |= badge;
        break;
    }
}

void receive_signal(tcb_t *t, notification_t *n, bool blocking)
{
    if (unlikely(ntfn_hook(n)))
        trace_wait(n, t, ntfn_state(n) == NTFN_ACTIVE ? n->badge_word : 0,
                   (ntfn_state(n) == NTFN_ACTIVE ? 0
                    : blocking                   ? HYPOS_TRACE_F_BLOCKED
                                                 : 0) |
                       (blocking ? 0 : HYPOS_TRACE_F_NONBLOCKING));
    if (ntfn_state(n) == NTFN_ACTIVE) {
        t->ctx.regs[REG_BADGE] = n->badge_word;
        n->badge_word = 0;
        nt_set(n, NULL, NULL, NTFN_IDLE);
        return;
    }
    if (!blocking) {
        t->ctx.regs[REG_BADGE] = 0;
        return;
    }
    set_thread_state(t, ThreadState_BlockedOnNotification);
    t->blocking_object = n;
    ntfn_maybe_return_sc(n, t);
    tcb_t *tail = (tcb_t *)(uintptr_t)n->tail, *head = nt_head(n);
    wait_queue_push_tail(&head, &tail, t);
    nt_set(n, head, tail, NTFN_WAITING);
}

bool complete_bound_signal(tcb_t *t)
{
    notification_t *n = t->bound_notification;
    if (!n || ntfn_state(n) != NTFN_ACTIVE)
        return false;
    ntfn_maybe_donate_sc(n, t);
    receive_signal(t, n, false);
    return true;
}

void bind_notification(tcb_t *t, notification_t *n)
{
    n->bound_tcb = t;
    t->bound_notification = n;
}

void unbind_notification(tcb_t *t)
{
    if (t->bound_notification) {
        t->bound_notification->bound_tcb = NULL;
        t->bound_notification = NULL;
    }
}

void notification_finalise(notification_t *n)
{
    if (n->bound_tcb)
        unbind_notification(n->bound_tcb);
    tcb_t *t = ntfn_state(n) == NTFN_WAITING ? nt_head(n) : NULL;
    nt_set(n, NULL, NULL, NTFN_IDLE);
    n->badge_word = 0;
    restart_all_waiters(t);
}
