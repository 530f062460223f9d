/* Trace hooks and rings: creating and removing them, and keeping them
 * consistent with the objects they observe when either goes away. */
#include <trace/trace.h>
#include <kernel/addr.h>
#include <kernel/mdb.h>
#include <object/capops.h>
#include <object/ipc.h>
#include <object/irq.h>

trace_hook_t trace_hooks[TRACE_HOOKS];
trace_ring_t trace_rings[TRACE_RINGS];
cte_t trace_ring_slots[TRACE_RINGS][TRACE_SLOTS_PER_RING];
word_t trace_system_hook;
word_t trace_rings_in_use;
word_t trace_kernel_work;
word_t fastpath_msg_bound = N_MSG_REGISTERS + 1;
static uint32_t next_thread_id = 1;

uint32_t trace_new_thread_id(void)
{
    uint32_t id = next_thread_id++;
    if (next_thread_id == 0) /* 0 means "no thread" in records */
        next_thread_id = 1;
    return id;
}

/* ---- the object's side of a hook ---- */

static void set_queue_hook(word_t *head_state, word_t hook)
{
    *head_state = (*head_state & ~QUEUE_HOOK_BITS) | hook << QUEUE_HOOK_SHIFT;
}

static word_t object_hook(const trace_hook_t *h)
{
    switch (h->kind) {
    case TRACE_ENDPOINT:
        return ep_hook(h->object);
    case TRACE_NOTIFICATION:
        return ntfn_hook(h->object);
    case TRACE_THREAD:
        return ((const tcb_t *)h->object)->trace_hook;
    case TRACE_IRQ:
        return irq_trace_hook(h->irq);
    case TRACE_SYSTEM:
        return trace_system_hook;
    default:
        return 0;
    }
}

static void set_object_hook(const trace_hook_t *h, word_t hook)
{
    switch (h->kind) {
    case TRACE_ENDPOINT:
        set_queue_hook(&((endpoint_t *)h->object)->head_state, hook);
        break;
    case TRACE_NOTIFICATION:
        set_queue_hook(&((notification_t *)h->object)->head_state, hook);
        break;
    case TRACE_THREAD:
        ((tcb_t *)h->object)->trace_hook = (uint8_t)hook;
        break;
    case TRACE_IRQ:
        irq_set_trace_hook(h->irq, hook);
        break;
    case TRACE_SYSTEM:
        trace_system_hook = hook;
        break;
    default:
        break;
    }
}

/* Thread switches are recorded only while some hook asks for them, and
 * while any does, IPC avoids the fastpath (whose switches bypass the
 * scheduler). */
static void update_switch_tracing(void)
{
    bool any = false;
    for (word_t i = 1; i < TRACE_HOOKS; i++)
        if (trace_hooks[i].kind != TRACE_FREE && (trace_hooks[i].events & HYPOS_TRACE_EV(HYPOS_TRACE_SCHED)))
            any = true;
    if (any)
        trace_kernel_work |= TRACE_WORK_SWITCHES;
    else
        trace_kernel_work &= ~(word_t)TRACE_WORK_SWITCHES;
    fastpath_msg_bound = any ? 0 : N_MSG_REGISTERS + 1;
}

static void free_hook(word_t i)
{
    trace_hook_t *h = &trace_hooks[i];
    set_object_hook(h, 0);
    uint16_t gen = h->gen + 1;
    *h = (trace_hook_t){.gen = gen};
    update_switch_tracing();
}

static word_t find_hook(word_t kind, const void *object, word_t irq)
{
    trace_hook_t probe = {.kind = (uint8_t)kind, .object = (void *)object, .irq = (uint16_t)irq};
    word_t i = object_hook(&probe);
    return i && trace_hooks[i].kind == kind ? i : 0;
}

/* ---- objects going away ---- */

void trace_endpoint_gone(endpoint_t *ep)
{
    word_t i = ep_hook(ep);
    if (i)
        free_hook(i);
}

void trace_notification_gone(notification_t *n)
{
    word_t i = ntfn_hook(n);
    if (i)
        free_hook(i);
}

void trace_thread_gone(tcb_t *t)
{
    if (t->trace_hook)
        free_hook(t->trace_hook);
}

void trace_irq_gone(word_t irq)
{
    word_t i = irq_trace_hook(irq);
    if (i)
        free_hook(i);
}

/* ---- rings ---- */

static void detach_ring(word_t ring)
{
    for (word_t i = 1; i < TRACE_HOOKS; i++)
        if (trace_hooks[i].kind != TRACE_FREE && trace_hooks[i].ring == ring)
            free_hook(i);
    trace_rings[ring] = (trace_ring_t){0};
    trace_rings_in_use &= ~BIT(ring);
    trace_signals_due &= ~BIT(ring);
}

void trace_slot_emptied(cte_t *slot)
{
    word_t index = (word_t)(slot - &trace_ring_slots[0][0]);
    word_t ring = index / TRACE_SLOTS_PER_RING;
    /* without its frame the ring is gone (the notification's copy stays
     * until the ring is set up again or cleared: deleting it here would be
     * a second deletion inside the one in progress); without its
     * notification it only stops signalling */
    if (index % TRACE_SLOTS_PER_RING == TRACE_SLOT_FRAME && trace_rings[ring].hdr)
        detach_ring(ring);
}

static void empty_ring_slots(word_t ring)
{
    /* the notification first: emptying the frame's slot detaches the ring */
    for (word_t s = TRACE_SLOTS_PER_RING; s-- > 0;)
        if (!cap_is_null(trace_ring_slots[ring][s].cap))
            cte_delete(&trace_ring_slots[ring][s]);
    detach_ring(ring);
}

/* ---- performing the trace control cap's methods (decoded in
 * trace_invocation.c; nothing here can fail) ---- */

void trace_clear_ring(word_t ring) { empty_ring_slots(ring); }

void trace_set_ring(word_t ring, cte_t *frame_src, cap_t frame, cte_t *ntfn_src, cap_t ntfn, word_t threshold)
{
    empty_ring_slots(ring);
    cte_insert(frame, frame_src, &trace_ring_slots[ring][TRACE_SLOT_FRAME]);
    if (ntfn_src)
        cte_insert(ntfn, ntfn_src, &trace_ring_slots[ring][TRACE_SLOT_NTFN]);
    word_t bytes = BIT(frame_size_bits(cap_frame_size(frame)));
    hypos_trace_ring_t *hdr = oref_ptr(cap_frame_ptr(frame));
    trace_ring_t *r = &trace_rings[ring];
    /* the header takes the first record's place */
    word_t capacity = bytes / sizeof(hypos_trace_record_t) - 1;
    hypos_trace_record_t *first = (hypos_trace_record_t *)(hdr + 1);
    *r = (trace_ring_t){
        .hdr = hdr, .next = first, .end = first + capacity, .capacity = capacity, .threshold = threshold};
    *hdr = (hypos_trace_ring_t){.capacity = (seL4_Uint32)r->capacity, .threshold = (seL4_Uint32)threshold};
    trace_rings_in_use |= BIT(ring);
}

word_t trace_free_hook_slot(void)
{
    for (word_t i = 1; i < TRACE_HOOKS; i++)
        if (trace_hooks[i].kind == TRACE_FREE)
            return i;
    return 0;
}

word_t trace_existing_hook(word_t kind, const void *object, word_t irq) { return find_hook(kind, object, irq); }

word_t trace_set_hook(word_t kind, void *object, word_t irq, word_t ring, word_t events, word_t cookie)
{
    word_t i = find_hook(kind, object, irq);
    if (!i)
        i = trace_free_hook_slot();
    trace_hook_t *h = &trace_hooks[i];
    *h = (trace_hook_t){.object = object,
                        .rp = &trace_rings[ring],
                        .irq = (uint16_t)irq,
                        .events = (uint16_t)events,
                        .header = trace_header(cookie),
                        .kind = (uint8_t)kind,
                        .ring = (uint8_t)ring,
                        .gen = h->gen};
    set_object_hook(h, i);
    update_switch_tracing();
    return i;
}

void trace_remove_hook(word_t i) { free_hook(i); }

/* ---- invariants ---- */

/* An object a cap names points at a hook only if that hook names it. */
bool trace_cap_violates(cap_t c)
{
    trace_hook_t probe;
    switch (cap_get_type(c)) {
    case cap_endpoint:
        probe = (trace_hook_t){.kind = TRACE_ENDPOINT, .object = oref_ptr(cap_endpoint_ptr(c))};
        break;
    case cap_notification:
        probe = (trace_hook_t){.kind = TRACE_NOTIFICATION, .object = oref_ptr(cap_notification_ptr(c))};
        break;
    case cap_thread: {
        const tcb_t *t = oref_ptr(cap_thread_ptr(c));
        /* a reply is recorded only for a thread waiting for one */
        if (t->trace_reply_hook && t->state != ThreadState_BlockedOnReply)
            return true;
        probe = (trace_hook_t){.kind = TRACE_THREAD, .object = (void *)t};
        break;
    }
    case cap_irq_handler:
        probe = (trace_hook_t){.kind = TRACE_IRQ, .irq = (uint16_t)cap_irq_handler_irq(c)};
        break;
#ifndef CONFIG_KERNEL_MCS
    case cap_reply:
        /* a reply cap marked traced answers a caller marked for the record */
        return (c.w0 & CAP_REPLY_TRACED) && !((const tcb_t *)oref_ptr(cap_reply_tcb(c)))->trace_reply_hook;
#endif
    default:
        return false;
    }
    word_t i = object_hook(&probe);
    if (!i)
        return false;
    const trace_hook_t *h = &trace_hooks[i];
    return h->kind != probe.kind || h->object != probe.object || h->irq != probe.irq;
}

word_t check_trace_invariants(void)
{
    word_t bad = 0;
    bool switches = false;
    for (word_t i = 1; i < TRACE_HOOKS; i++) {
        const trace_hook_t *h = &trace_hooks[i];
        if (h->kind == TRACE_FREE) {
            bad += h->object != NULL;
            continue;
        }
        /* the object names this hook back, the ring exists */
        bad += object_hook(h) != i;
        bad += h->ring >= TRACE_RINGS || !trace_rings[h->ring].hdr || h->rp != &trace_rings[h->ring];
        bad += (h->kind == TRACE_IRQ || h->kind == TRACE_SYSTEM) != (h->object == NULL);
        switches |= (h->events & HYPOS_TRACE_EV(HYPOS_TRACE_SCHED)) != 0;
    }
    if (trace_system_hook)
        bad += trace_hooks[trace_system_hook].kind != TRACE_SYSTEM;
    bad += switches != ((trace_kernel_work & TRACE_WORK_SWITCHES) != 0);
    bad += switches != (fastpath_msg_bound == 0);
    for (word_t r = 0; r < TRACE_RINGS; r++) {
        const trace_ring_t *ring = &trace_rings[r];
        cap_t f = trace_ring_slots[r][TRACE_SLOT_FRAME].cap, n = trace_ring_slots[r][TRACE_SLOT_NTFN].cap;
        bad += !ring->hdr == ((trace_rings_in_use & BIT(r)) != 0);
        if (!ring->hdr) {
            bad += !cap_is_null(f) || (trace_signals_due & BIT(r)) != 0;
            continue;
        }
        /* the ring lies in the frame whose cap the kernel keeps */
        bad += cap_get_type(f) != cap_frame || oref_ptr(cap_frame_ptr(f)) != ring->hdr;
        bad += !cap_is_null(n) && cap_get_type(n) != cap_notification;
        hypos_trace_record_t *first = (hypos_trace_record_t *)(ring->hdr + 1);
        bad += ring->capacity == 0 || ring->end != first + ring->capacity ||
               ring->next != first + ring->head % ring->capacity;
    }
    return bad;
}
