/* Trace hooks: the declaration a trace hook's programs are verified
 * against, event names, and the ring consumer (hypos/bpftrace.h). */
#include "internal.h"
#include <hypos/bpftrace.h>

_Static_assert(sizeof(struct trace_record) == 64, "a trace record is one 64-byte slot");
_Static_assert(sizeof(struct trace_ring) == 64, "the ring header is one 64-byte slot");

static const struct {
    const char *name;
    uint32_t length;
} types[TRACE_NTYPES] = {
    [TRACE_IPC_SEND] = {"send", sizeof(struct trace_ipc)},
    [TRACE_IPC_CALL] = {"call", sizeof(struct trace_ipc)},
    [TRACE_IPC_RECV] = {"recv", sizeof(struct trace_ipc)},
    [TRACE_IPC_REPLY] = {"reply", sizeof(struct trace_ipc)},
    [TRACE_SIGNAL] = {"signal", sizeof(struct trace_ntfn)},
    [TRACE_WAIT] = {"wait", sizeof(struct trace_ntfn)},
    [TRACE_SCHED] = {"sched", sizeof(struct trace_sched)},
    [TRACE_FAULT] = {"fault", sizeof(struct trace_fault)},
    [TRACE_IRQ] = {"irq", sizeof(struct trace_irq)},
    [TRACE_IRQ_ACK] = {"irq_ack", sizeof(struct trace_irq)},
    [TRACE_INVOKE_FAIL] = {"invoke_fail", sizeof(struct trace_invoke_fail)},
    [TRACE_RETYPE] = {"retype", sizeof(struct trace_object)},
    [TRACE_DELETE] = {"delete", sizeof(struct trace_object)},
};

#define EV(t) (1u << (t))
static const struct {
    const char *name;
    uint32_t mask;
} groups[] = {
    {"ipc", EV(TRACE_IPC_SEND) | EV(TRACE_IPC_CALL) | EV(TRACE_IPC_RECV) | EV(TRACE_IPC_REPLY)},
    {"notification", EV(TRACE_SIGNAL) | EV(TRACE_WAIT)},
    {"thread", EV(TRACE_SCHED) | EV(TRACE_FAULT)},
    {"irq", EV(TRACE_IRQ) | EV(TRACE_IRQ_ACK)},
    {"system", EV(TRACE_SCHED) | EV(TRACE_FAULT) | EV(TRACE_INVOKE_FAIL) | EV(TRACE_RETYPE) | EV(TRACE_DELETE)},
};

uint32_t bpftrace_type_length(uint32_t type) { return type < TRACE_NTYPES ? types[type].length : 0; }

const char *bpftrace_type_name(uint32_t type) { return type && type < TRACE_NTYPES ? types[type].name : NULL; }

static int word_is(const char *w, size_t n, const char *name)
{
    size_t i = 0;
    for (; i < n && name[i]; i++)
        if (w[i] != name[i])
            return 0;
    return i == n && !name[i];
}

int bpftrace_parse_events(const char *list, uint32_t *mask, char *bad, size_t bad_len)
{
    uint32_t m = 0;
    const char *p = list;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == ',')
            p++;
        if (!*p)
            break;
        const char *w = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != ',')
            p++;
        size_t n = (size_t)(p - w);
        uint32_t got = 0;
        for (uint32_t t = 1; t < TRACE_NTYPES && !got; t++)
            if (word_is(w, n, types[t].name))
                got = EV(t);
        for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]) && !got; g++)
            if (word_is(w, n, groups[g].name))
                got = groups[g].mask;
        if (!got) {
            if (bad && bad_len) {
                size_t k = 0;
                for (; k + 1 < bad_len && k < n; k++)
                    bad[k] = w[k];
                bad[k] = 0;
            }
            return -BPF_EINVAL;
        }
        m |= got;
    }
    *mask = m;
    return 0;
}

int bpftrace_decl(const char *name, uint32_t events, uint64_t notify_channels, struct bpfhook_decl *d)
{
    zero_bytes(d, sizeof(*d));
    size_t n = 0;
    while (name[n] && n < BPFHOOK_NAME_LEN)
        n++;
    if (n == 0 || n == BPFHOOK_NAME_LEN || !events || (events & ~(uint32_t)((1u << TRACE_NTYPES) - 2)))
        return -BPF_EINVAL;
    copy_bytes(d->name, name, n);
    uint32_t payload = 0;
    for (uint32_t t = 1; t < TRACE_NTYPES; t++)
        if ((events >> t) & 1 && types[t].length > payload)
            payload = types[t].length;
    d->ctx_size = sizeof(struct trace_record);
    d->nfields = 1;
    d->fields[0] = (struct bpfhook_field){0, (uint32_t)sizeof(struct trace_header) + payload, BPF_FIELD_READ};
    static const uint32_t helpers[] = {
        BPF_FUNC_map_lookup_elem, BPF_FUNC_map_update_elem, BPF_FUNC_map_delete_elem, BPF_FUNC_ktime_get_ns,
        BPF_FUNC_trace_printk,    BPF_FUNC_ringbuf_output,  BPF_FUNC_ringbuf_reserve, BPF_FUNC_ringbuf_submit,
        BPF_FUNC_ringbuf_discard, BPFHOOK_FUNC_pd_notify,
    };
    d->nhelpers = sizeof(helpers) / sizeof(helpers[0]);
    for (uint32_t i = 0; i < d->nhelpers; i++)
        d->helpers[i] = helpers[i];
    /* the value a trace program returns means nothing: any is accepted */
    d->verdict_min = INT64_MIN;
    d->verdict_max = INT64_MAX;
    d->verdict_default = 0;
    d->max_insns = BPFTRACE_MAX_INSNS;
    d->notify_channels = notify_channels & ((1ULL << 62) - 1);
    struct msgbuf m;
    msg_init(&m, NULL, 0);
    return decl_check(d, &m);
}

int64_t bpftrace_drain(void *ring, uint64_t ring_bytes, void (*fn)(const struct trace_record *rec, void *arg),
                       void *arg, uint64_t max)
{
    struct trace_ring *r = ring;
    if (!ring || ring_bytes < 2 * sizeof(struct trace_record))
        return -BPF_EINVAL;
    uint64_t cap = r->capacity;
    if (cap == 0 && r->head == 0)
        return -BPF_ENOENT; /* the kernel has not set the ring up (yet) */
    uint64_t head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE), tail = r->tail;
    if (cap == 0 || cap > ring_bytes / sizeof(struct trace_record) - 1 || head < tail || head - tail > cap)
        return -BPF_EINVAL;
    const struct trace_record *slots = (const struct trace_record *)ring + 1;
    uint64_t done = 0;
    while (tail != head && done < max) {
        fn(&slots[tail % cap], arg);
        tail++;
        done++;
    }
    /* the records up to tail are read: the kernel may reuse their slots */
    __atomic_store_n(&r->tail, tail, __ATOMIC_RELEASE);
    return (int64_t)done;
}
