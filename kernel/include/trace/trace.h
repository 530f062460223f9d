/* Kernel trace events (user ABI: libsel4's <hypos/trace.h>).
 *
 * A hook ties an object (endpoint, notification, thread, IRQ, or the
 * system as a whole) to a ring and a mask of event types. Hooks live in a
 * fixed table; the object names its hook by number (endpoints and
 * notifications in their queue word, threads and IRQs in a field), and the
 * table entry names the object back, so that either side going away can
 * clear the other. A ring is a frame handed over with SetRing: the kernel
 * keeps a copy of its cap (and of the notification's) in slots of its own,
 * so that revoking the frame detaches the ring rather than leaving the
 * kernel writing into memory that was retyped. */
#pragma once
#include <types.h>
#include <api/errors.h>
#include <api/invocation.h>
#include <arch/trace.h>
#include <object/structures.h>
#include <hypos/trace_types.h>

#define TRACE_HOOKS (hypOS_TraceHooks + 1) /* entry 0 is "no hook" */
#define TRACE_RINGS hypOS_TraceRings

enum trace_kind { TRACE_FREE = 0, TRACE_ENDPOINT, TRACE_NOTIFICATION, TRACE_THREAD, TRACE_IRQ, TRACE_SYSTEM };

typedef struct trace_hook {
    void *object; /* endpoint_t, notification_t, tcb_t; NULL for IRQ and system hooks */
    word_t irq;   /* TRACE_IRQ */
    uint32_t events;
    uint32_t cookie;
    uint8_t kind;
    uint8_t ring;
    uint16_t gen; /* changes whenever the entry is freed: a reply cap that remembers a
                     hook by number records only while the number means the same hook */
} trace_hook_t;

typedef struct trace_ring {
    hypos_trace_ring_t *hdr; /* NULL: not set up */
    word_t capacity;
    word_t pos;  /* slot of the next record: head % capacity, kept to avoid a division */
    word_t head; /* records written; the copy in hdr is for the consumer only */
    word_t dropped;
    word_t threshold;
} trace_ring_t;

enum { TRACE_SLOT_FRAME, TRACE_SLOT_NTFN, TRACE_SLOTS_PER_RING };

extern trace_hook_t trace_hooks[TRACE_HOOKS];
extern trace_ring_t trace_rings[TRACE_RINGS];
extern cte_t trace_ring_slots[TRACE_RINGS][TRACE_SLOTS_PER_RING];
extern word_t trace_system_hook; /* hook number of the system-wide hook, 0: none */
/* A bit per ring that is set up: hooks and ring slots exist only while
 * this is not 0, so paths that could meet them test it first. */
extern word_t trace_rings_in_use;
/* Rings whose notification is due (bit per ring). */
extern word_t trace_signals_due;
/* Work schedule() does before it chooses: TRACE_WORK_SIGNAL: a ring's
 * notification is due; TRACE_WORK_SWITCHES: some hook records switches. */
extern word_t trace_kernel_work;
#define TRACE_WORK_SIGNAL 1u
#define TRACE_WORK_SWITCHES 2u

/* Messages whose info word's low 9 bits (length, extra caps) are below
 * this may take the IPC fastpath: N_MSG_REGISTERS + 1 normally, 0 while
 * thread switches are traced (then every IPC takes the slow path, where
 * the scheduler records each switch). */
extern word_t fastpath_msg_bound;

/* ---- recording ---- */

/* A record slot for an event of the given type on hook h, with its header
 * written (the caller writes all six words of fields); NULL if the hook does not record that type or the ring is full
 * (then the drop is counted). trace_publish makes it visible. */
static inline hypos_trace_record_t *trace_reserve(const trace_hook_t *h, word_t type, word_t length)
{
    if (!(h->events & BIT(type)))
        return NULL;
    trace_ring_t *r = &trace_rings[h->ring];
    /* the consumer's tail is not trusted: a value that makes the ring look
     * full (or over-full) only drops records */
    word_t unread = r->head - *(volatile uint64_t *)&r->hdr->tail;
    if (unlikely(unread >= r->capacity)) {
        r->hdr->dropped = ++r->dropped;
        return NULL;
    }
    hypos_trace_record_t *rec = (hypos_trace_record_t *)(r->hdr + 1) + r->pos;
    uint64_t *w = (uint64_t *)rec;
    w[0] = type | length << 16 | (word_t)h->cookie << 32;
    w[1] = arch_trace_time();
    return rec;
}

void trace_signal_due(word_t ring);

static inline void trace_publish(const trace_hook_t *h)
{
    trace_ring_t *r = &trace_rings[h->ring];
    if (++r->pos == r->capacity)
        r->pos = 0;
    arch_trace_publish_barrier();
    r->hdr->head = ++r->head;
    if (unlikely(r->head - *(volatile uint64_t *)&r->hdr->tail == r->threshold))
        trace_signal_due(h->ring);
}

/* Would an event on h make its ring's notification due? The fastpath
 * cannot signal (it does not pass through the scheduler), so it leaves
 * such an event to the slow path. */
static inline bool trace_would_signal(const trace_hook_t *h, word_t events)
{
    const trace_ring_t *r = &trace_rings[h->ring];
    word_t unread = r->head - r->hdr->tail;
    return unread < r->threshold && unread + events >= r->threshold;
}

/* The ReplyRecv fastpath's events: a reply on reply_hook, a receive on
 * hook (either may be 0). */
static inline bool trace_fastpath_would_signal(word_t hook, word_t reply_hook)
{
    const trace_hook_t *h = &trace_hooks[hook], *rh = &trace_hooks[reply_hook];
    if (hook && reply_hook && h->ring == rh->ring)
        return trace_would_signal(h, 2);
    return (hook && trace_would_signal(h, 1)) || (reply_hook && trace_would_signal(rh, 1));
}

static inline word_t ipc_words(word_t lo, word_t hi) { return (lo & 0xffffffffull) | hi << 32; }

/* ---- events, recorded where they happen ---- */

/* Endpoint events (hook: the endpoint's; flags: HYPOS_TRACE_F_*). */
void trace_ipc(word_t hook, word_t type, const tcb_t *sender, const tcb_t *receiver, word_t info, word_t badge,
               word_t flags);
/* A message from sender on an endpoint with hook `hook`: delivered to
 * receiver, or not (receiver NULL: queued, or dropped by a non-blocking
 * send; flags say which). A Call (or fault) marks the sender
 * so that the reply is recorded on the same hook. */
void trace_send(word_t hook, tcb_t *sender, const tcb_t *receiver, bool call_like, word_t badge, word_t flags);
/* A receive on such an endpoint: took sender's queued message, or
 * blocked or polled in vain (sender NULL). */
void trace_receive(word_t hook, const tcb_t *receiver, tcb_t *sender, bool call_like, word_t badge, word_t flags);
/* replier answers caller, which is marked (trace_reply_hook != 0). */
void trace_reply(const tcb_t *replier, tcb_t *caller, word_t flags);
static inline void trace_forget_reply(tcb_t *caller) { caller->trace_reply_hook = 0; }
void trace_signal(const notification_t *n, const tcb_t *signaller, const tcb_t *woken, word_t badge);
void trace_wait(const notification_t *n, const tcb_t *waiter, word_t badge, word_t flags);
void trace_fault(const tcb_t *t);
void trace_irq(word_t hook, word_t irq, const tcb_t *woken);
void trace_irq_ack(word_t hook, word_t irq);
void trace_invoke_fail(const tcb_t *t, word_t label, word_t error, word_t cap_type);
void trace_retype(const tcb_t *t, word_t type, word_t size_bits, word_t count);
void trace_object_deleted(cap_t cap);

/* schedule(): before it chooses (due notifications), and after. */
void trace_before_choose(void);
void trace_switch(const tcb_t *from, const tcb_t *to);

/* ---- lifetime ---- */

/* A traced object is being destroyed: its hook goes. */
void trace_endpoint_gone(endpoint_t *ep);
void trace_notification_gone(notification_t *n);
void trace_thread_gone(tcb_t *t);
void trace_irq_gone(word_t irq);
/* delete_leaf emptied a slot: if it was one of a ring's, detach it. */
void trace_slot_emptied(cte_t *slot);
static inline bool trace_is_ring_slot(const cte_t *slot)
{
    return (word_t)((uintptr_t)slot - (uintptr_t)trace_ring_slots) < sizeof(trace_ring_slots);
}

/* Trace ids of threads: assigned at creation, never 0. */
uint32_t trace_new_thread_id(void);
static inline uint32_t trace_thread_id(const tcb_t *t) { return t ? t->trace_id : 0; }

/* The trace control cap's methods: decoded in trace_invocation.c,
 * performed by these (which cannot fail) in trace_hooks.c. */
syscall_error_t decode_trace_control_invocation(invocation_t *inv);
void trace_clear_ring(word_t ring);
void trace_set_ring(word_t ring, cte_t *frame_src, cap_t frame, cte_t *ntfn_src, cap_t ntfn, word_t threshold);
word_t trace_free_hook_slot(void);
word_t trace_existing_hook(word_t kind, const void *object, word_t irq);
word_t trace_set_hook(word_t kind, void *object, word_t irq, word_t ring, word_t events, word_t cookie);
void trace_remove_hook(word_t i);

/* Invariants: every hook names an object that names it back, rings and
 * their slots agree. Returns the number of violations. */
word_t check_trace_invariants(void);
/* The other direction, for each cap the invariant checker walks. */
bool trace_cap_violates(cap_t c);
