/* Endpoints, notifications, reply caps and fault delivery (seL4 manual
 * ch. 4 "Message Passing", ch. 5 "Notifications", ch. 6 "Faults"). */
#pragma once
#include <object/structures.h>
#include <api/errors.h>
#include <kernel/assert.h>
#include <sel4/shared_types.h>
#include <kernel/preemption.h>

/* Endpoints and notifications keep blocked threads in a FIFO linked through
 * tcb->ep_next/ep_prev. These work on the head and tail read out of the
 * object; the caller stores them back with its own state bits. */
static inline void wait_queue_push_tail(struct tcb **head, struct tcb **tail, struct tcb *t)
{
    /* a thread waits in at most one queue at a time */
    kassert(!t->ep_next && !t->ep_prev && *tail != t);
    t->ep_next = NULL;
    t->ep_prev = *tail;
    if (*tail)
        (*tail)->ep_next = t;
    else
        *head = t;
    *tail = t;
}

static inline void wait_queue_unlink(struct tcb **head, struct tcb **tail, struct tcb *t)
{
    if (t->ep_prev)
        t->ep_prev->ep_next = t->ep_next;
    else
        *head = t->ep_next;
    if (t->ep_next)
        t->ep_next->ep_prev = t->ep_prev;
    else
        *tail = t->ep_prev;
    t->ep_next = t->ep_prev = NULL;
}

/* Endpoint queue: head pointer with the state in bits 0-1 and the number
 * of the trace hook on the endpoint in bits 2-8 (0: none; a TCB pointer is
 * aligned far beyond that), tail. */
enum { EP_IDLE = 0, EP_SEND = 1, EP_RECV = 2 };
#define QUEUE_STATE_BITS 3ull
#define QUEUE_HOOK_SHIFT 2
#define QUEUE_HOOK_BITS (0x7full << QUEUE_HOOK_SHIFT)
#define QUEUE_LOW_BITS (QUEUE_STATE_BITS | QUEUE_HOOK_BITS)
_Static_assert(BIT(seL4_TCBBits) > QUEUE_LOW_BITS, "queue bits fit below a TCB's alignment");

static inline word_t ep_state(const endpoint_t *ep) { return ep->head_state & QUEUE_STATE_BITS; }
static inline word_t ep_hook(const endpoint_t *ep) { return (ep->head_state & QUEUE_HOOK_BITS) >> QUEUE_HOOK_SHIFT; }
static inline struct tcb *ep_head(const endpoint_t *ep)
{
    return (struct tcb *)(uintptr_t)(ep->head_state & ~QUEUE_LOW_BITS);
}
/* hook_bits: the endpoint's hook bits as they are (the fastpath knows them
 * already; everything else uses ep_set). */
static inline void ep_set_with_hook(endpoint_t *ep, struct tcb *head, struct tcb *tail, word_t state, word_t hook_bits)
{
    ep->head_state = (word_t)(uintptr_t)head | (head ? state : EP_IDLE) | hook_bits;
    ep->tail = (word_t)(uintptr_t)tail;
}
static inline void ep_set(endpoint_t *ep, struct tcb *head, struct tcb *tail, word_t state)
{
    ep_set_with_hook(ep, head, tail, state, ep->head_state & QUEUE_HOOK_BITS);
}
static inline void ep_append(endpoint_t *ep, struct tcb *t, word_t state)
{
    struct tcb *tail = (struct tcb *)(uintptr_t)ep->tail, *head = ep_head(ep);
    wait_queue_push_tail(&head, &tail, t);
    ep_set(ep, head, tail, state);
}

/* An endpoint or notification is going away: every thread of its detached
 * wait queue (linked through ep_next) restarts its system call, which then
 * finds the cap gone. */
void restart_all_waiters(struct tcb *head);

/* Endpoint. */
void endpoint_cancel_all(endpoint_t *ep);
/* Preemptible (kernel/preemption.h); a restart with the same endpoint
 * and badge resumes where it stopped. */
exception_t endpoint_cancel_badged_sends(endpoint_t *ep, word_t badge);
void endpoint_remove_waiter(endpoint_t *ep, tcb_t *t);

/* Copy the message (or a fault's message) from sender to receiver, with
 * caps when grant allows and the badge. */
void do_ipc_transfer(tcb_t *sender, endpoint_t *ep, word_t badge, bool grant, tcb_t *receiver);
/* No receiver: the sender waits in the endpoint's queue with what the
 * receiver will need (both configurations' send_ipc). */
void block_on_send(tcb_t *sender, endpoint_t *ep, word_t badge, bool can_grant, bool can_grant_reply, bool is_call);
/* A Call that cannot be answered (no grant for a reply) leaves its
 * caller inactive, with no reply to record. */
void thread_stop_unanswered(struct tcb *caller);
/* A thread blocked waiting for a reply stops waiting (cancel_ipc). */
void cancel_reply_wait(tcb_t *t);

#ifdef CONFIG_KERNEL_MCS
#include <object/ipc_mcs.h>
#else
/* Send, receive and reply without MCS: the caller's one-shot reply cap
 * goes into the receiver's caller slot (kernel/src/nonmcs/ipc_reply_cap.c). */
void send_ipc(bool blocking, bool do_call, word_t badge, bool can_grant, bool can_grant_reply, tcb_t *sender,
              endpoint_t *ep);
void receive_ipc(tcb_t *receiver, cap_t ep_cap, bool blocking);
void do_reply_transfer(tcb_t *sender, tcb_t *receiver, cte_t *reply_slot, bool grant);
void delete_caller_cap(tcb_t *t);
/* no scheduling contexts to lend */
static inline void ntfn_maybe_donate_sc(notification_t *n, tcb_t *t)
{
    (void)n;
    (void)t;
}
static inline void ntfn_maybe_return_sc(notification_t *n, tcb_t *t)
{
    (void)n;
    (void)t;
}
#endif

/* Notification: the head of the waiter queue with the state in its low
 * bits, the tail, the badge word and the bound TCB. */
enum { NTFN_IDLE = 0, NTFN_WAITING = 1, NTFN_ACTIVE = 2 };
static inline word_t ntfn_state(const notification_t *n) { return n->head_state & QUEUE_STATE_BITS; }
/* The trace hook on the notification, kept as an endpoint's. */
static inline word_t ntfn_hook(const notification_t *n)
{
    return (n->head_state & QUEUE_HOOK_BITS) >> QUEUE_HOOK_SHIFT;
}

/* signaller: the thread that invoked the notification; NULL when the
 * kernel signals (an interrupt, a trace ring), which trace records show. */
void send_signal(notification_t *n, word_t badge, const struct tcb *signaller);
/* The thread a signal would wake now, if any. */
struct tcb *ntfn_would_wake(const notification_t *n);
void receive_signal(tcb_t *t, notification_t *n, bool blocking);
void notification_finalise(notification_t *n);
void notification_remove_waiter(notification_t *n, tcb_t *t);
void bind_notification(tcb_t *t, notification_t *n);
void unbind_notification(tcb_t *t);
/* A bound notification with a pending signal completes a Recv at once. */
bool complete_bound_signal(tcb_t *t);

/* Faults. Deliver t's recorded fault to its handler (per configuration). */
void handle_fault(tcb_t *t);
/* No usable handler: report (debug builds) and stop the thread. */
void double_fault(tcb_t *t, const char *why);
/* A lookup failure's MRs from offset off (seL4 manual, "Lookup failure
 * description"): shared by cap-fault messages and FailedLookup errors.
 * Returns the offset after the last one. */
word_t set_lookup_fault_mrs(tcb_t *r, seL4_IPCBuffer *buf, word_t off, const lookup_fault_t *lf);
/* Build the fault message in the handler's registers/buffer; returns length. */
word_t set_fault_mrs(tcb_t *faulter, tcb_t *receiver, seL4_IPCBuffer *buffer);
/* The configuration's own fault types (MCS: timeout faults): their
 * message, and the handler's reply (true: restart). */
word_t config_fault_mrs(tcb_t *faulter, tcb_t *receiver, seL4_IPCBuffer *buffer);
bool config_fault_reply(tcb_t *faulter, tcb_t *handler, word_t label, word_t length);
/* The handler replied: update the faulter; true means restart it. */
bool handle_fault_reply(tcb_t *faulter, tcb_t *handler);
