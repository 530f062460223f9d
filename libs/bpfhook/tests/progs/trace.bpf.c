/* Trace hook programs for the host tests (test_bpftrace.c): a latency
 * histogram keyed through a hash map, per-PD fault counts, and programs
 * each breaking one rule. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <hypos/bpf_trace.h>
#include <hypos/bpf_pdhook.h>

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16);
    __type(key, __u32);
    __type(value, __u64);
} start SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 8);
    __type(key, __u32);
    __type(value, __u64);
} hist SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} counts SEC(".maps");

static void count(__u32 k)
{
    __u64 *n = bpf_map_lookup_elem(&counts, &k);
    if (n)
        *n += 1;
}

/* counts: 0 calls, 1 replies, 2 matched; hist: log2 of the latency */
SEC("trace/ipc")
int latency(struct trace_record *r)
{
    if (r->h.type == TRACE_IPC_CALL) {
        __u32 caller = r->u.ipc.sender;
        __u64 t = r->h.time;
        bpf_map_update_elem(&start, &caller, &t, BPF_ANY);
        count(0);
    } else if (r->h.type == TRACE_IPC_REPLY) {
        __u32 caller = r->u.ipc.receiver;
        count(1);
        __u64 *t = bpf_map_lookup_elem(&start, &caller);
        if (!t)
            return 0;
        __u64 d = r->h.time - *t;
        bpf_map_delete_elem(&start, &caller);
        __u32 b = 0;
#pragma unroll
        for (int i = 1; i < 8; i++)
            if (d >> i)
                b = i;
        __u64 *n = bpf_map_lookup_elem(&hist, &b);
        if (n)
            *n += 1;
        count(2);
    }
    return 0;
}

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 64);
    __type(key, __u32);
    __type(value, __u64);
} faults SEC(".maps");

SEC("trace/faults")
int per_pd(struct trace_record *r)
{
    __u32 pd = (r->h.object >> 8) & 0xff;
    __u64 *n = bpf_map_lookup_elem(&faults, &pd);
    if (n)
        *n += r->u.fault.kind == 5 ? 100 : 1; /* VM faults weigh 100: the field is read */
    return 0;
}

/* refused: writes the record */
SEC("trace/bad_write")
int bad_write(struct trace_record *r)
{
    r->h.time = 0;
    return 0;
}

/* refused on a sched-only hook: fault.address lies past a sched record's fields */
SEC("trace/bad_field")
int bad_field(struct trace_record *r) { return r->u.fault.address == 1; }

/* refused: reads past the end of a map value */
SEC("trace/bad_map")
int bad_map(struct trace_record *r)
{
    __u32 k = 0;
    __u64 *n = bpf_map_lookup_elem(&counts, &k);
    (void)r;
    return n ? (int)n[1] : 0;
}

/* refused: reads past the end of the record */
SEC("trace/bad_past")
int bad_past(struct trace_record *r)
{
    const unsigned long long *w = (const void *)r;
    return w[8] == 0;
}

/* refused: stores a pointer into a map another PD reads */
SEC("trace/bad_leak")
int bad_leak(struct trace_record *r)
{
    __u32 k = 0;
    __u64 *n = bpf_map_lookup_elem(&counts, &k);
    if (n)
        *n = (__u64)r;
    return 0;
}

/* refused: a helper trace hooks do not offer */
SEC("trace/bad_helper")
int bad_helper(struct trace_record *r)
{
    (void)r;
    return (int)bpf_get_prandom_u32();
}

/* pd_notify on the channels the consumer has */
SEC("trace/notify")
int notify(struct trace_record *r) { return (int)pd_notify(r->h.object & 0xff ? 3 : 2); }

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
} events SEC(".maps");

/* ring-buffer output: each call's caller and label */
SEC("trace/out")
int out(struct trace_record *r)
{
    __u64 e[2] = {r->u.ipc.sender, r->u.ipc.label};
    bpf_ringbuf_output(&events, e, sizeof(e), 0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
