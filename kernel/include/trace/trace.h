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

struct trace_ring;
typedef struct trace_hook {
    void *object;          /* endpoint_t, notification_t, tcb_t; NULL for IRQ and system hooks */
    struct trace_ring *rp; /* &trace_rings[ring], kept to save the record an index computation */
    uint64_t header;       /* the first word of an IPC record less its type (trace_header) */
    uint16_t events;       /* a bit per record type (HYPOS_TRACE_EV) */
    uint16_t irq;          /* TRACE_IRQ */
    uint8_t kind;
    uint8_t ring;
    uint16_t gen; /* changes whenever the entry is freed: a caller that remembers a hook by
                     number for its reply's record records only while it means the same hook */
} trace_hook_t;
_Static_assert(sizeof(trace_hook_t) == 32, "a hook is 32 bytes: its number shifts into its address");
_Static_assert(HYPOS_TRACE_TYPES <= 16, "record types fit a hook's 16-bit event mask");

typedef struct trace_ring {
    hypos_trace_ring_t *hdr; /* NULL: not set up */
    /* The slot of the next record (slot head % capacity) and the end of
     * the slots, kept as addresses to save the record an index computation
     * and the wrap a division. */
    hypos_trace_record_t *next, *end;
    word_t capacity;
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

/* The ring's notification falls due; schedule() signals it before it
 * chooses. */
static inline void trace_signal_due(word_t ring)
{
    trace_signals_due |= BIT(ring);
    trace_kernel_work |= TRACE_WORK_SIGNAL;
}

/* A record's first word: the type (bits 0-15), the length of its
 * fields (16-31) and the hook's cookie (32-63). A hook keeps it with the
 * length of the most frequent records, IPC's, so that writing one costs
 * an OR of the type. */
#define TRACE_IPC_LENGTH sizeof(hypos_trace_ipc_t)
static inline uint64_t trace_header(word_t cookie) { return (uint64_t)cookie << 32 | TRACE_IPC_LENGTH << 16; }

/* Write a record of the given type on hook h, if the hook records that
 * type: the header (type, length of the fields, the hook's cookie, the
 * time), four words of fields (the last two words of the slot are not
 * written: no record type has more than four), then
 * publish it. A full ring drops it and counts the drop. The ring's
 * notification may fall due (the IPC fastpath checks trace_kernel_work
 * after its records and then leaves the switch to the scheduler, which
 * signals). Everything
 * is read into locals first so that the stores into the record cannot
 * make the compiler read the ring's state again. */
static ALWAYS_INLINE void trace_write_at(const trace_hook_t *h, word_t type, word_t length, word_t time, word_t w0,
                                         word_t w1, word_t w2, word_t w3)
{
    if (!(h->events & BIT(type)))
        return;
    word_t header = h->header;
    trace_ring_t *r = h->rp;
    hypos_trace_ring_t *hdr = r->hdr;
    word_t head = r->head, capacity = r->capacity;
    /* the consumer's tail is not trusted: a value that makes the ring look
     * full (or over-full) only drops records. (No other CPU writes it while
     * the kernel runs, so a plain load.) */
    word_t tail = hdr->tail;
    if (unlikely(head - tail >= capacity)) {
        hdr->dropped = ++r->dropped;
        return;
    }
    hypos_trace_record_t *rec = r->next, *next = rec + 1;
    uint64_t *w = (uint64_t *)rec;
    /* (length is a constant wherever this is inlined, so is the choice) */
    w[0] = length == TRACE_IPC_LENGTH ? header | type : (header >> 32 << 32) | type | length << 16;
    w[1] = time;
    w[2] = w0;
    w[3] = w1;
    w[4] = w2;
    w[5] = w3;
    r->next = next == r->end ? (hypos_trace_record_t *)(hdr + 1) : next;
    r->head = head + 1;
    arch_trace_publish_barrier();
    hdr->head = head + 1;
    if (unlikely(head + 1 - tail == r->threshold))
        trace_signal_due((word_t)(r - trace_rings));
}

/* The same, stamped now. */
static ALWAYS_INLINE void trace_write(const trace_hook_t *h, word_t type, word_t length, word_t w0, word_t w1,
                                      word_t w2, word_t w3)
{
    trace_write_at(h, type, length, arch_trace_time(), w0, w1, w2, w3);
}

static inline word_t ipc_words(word_t lo, word_t hi) { return (lo & 0xffffffffull) | hi << 32; }

/* An IPC record, inline for the fastpath and out of line for the slow
 * paths (trace_ipc). */
static ALWAYS_INLINE void trace_ipc_inline(const trace_hook_t *h, word_t type, const tcb_t *sender,
                                           const tcb_t *receiver, word_t info, word_t badge, word_t flags)
{
    /* seL4_MessageInfo: length in bits 0-6, the label from bit 12 */
    trace_write(h, type, sizeof(hypos_trace_ipc_t),
                (sender ? sender->trace_id : 0) | (word_t)(receiver ? receiver->trace_id : 0) << 32,
                flags | (info & 0x7f) << 32, info >> 12, badge);
}

/* A Call through hook h (number hook) will be answered: mark the caller
 * so that the reply is recorded there too (if the hook records replies,
 * which the record checks: marking whatever the hook records keeps the
 * test off the Call's path). */
static ALWAYS_INLINE void trace_mark_for_reply(const trace_hook_t *h, word_t hook, tcb_t *caller)
{
    caller->trace_reply_hook = (uint8_t)hook;
    caller->trace_reply_gen = h->gen;
}

/* replier answers caller, which is marked; info is the reply's. */
static ALWAYS_INLINE void trace_reply_inline(const tcb_t *replier, tcb_t *caller, word_t info, word_t flags)
{
    const trace_hook_t *h = &trace_hooks[caller->trace_reply_hook];
    caller->trace_reply_hook = 0;
    /* the endpoint (or its hook) may have gone since the Call */
    if (h->gen == caller->trace_reply_gen && h->kind == TRACE_ENDPOINT)
        trace_ipc_inline(h, HYPOS_TRACE_IPC_REPLY, replier, caller, info, 0, flags);
}

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
void trace_irq(word_t hook, word_t irq, const tcb_t *woken, word_t time);
void trace_irq_ack(word_t hook, word_t irq, word_t delivered);
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
