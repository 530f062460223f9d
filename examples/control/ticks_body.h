/* The body of the trace programs for the kernel trace hook "ticks"
 * (ticks.bpf.c, ticks_v2.bpf.c): the hook records every signal of the
 * sink PD's notification, which the ticker sends one after another. The
 * programs count them in the array "ticks" — 0: records handled, 1 and
 * 2: handled by version 1 and by version 2, 3: records of another type
 * (none expected) — so that after any number of replacements the count
 * must equal the ticker's signals exactly, and the two versions' counts
 * must add up to it. Both versions have the same map: a replacement
 * keeps it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <hypos/bpf_trace.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} ticks SEC(".maps");

static __always_inline void bump(__u32 k)
{
    __u64 *v = bpf_map_lookup_elem(&ticks, &k);
    if (v)
        *v += 1;
}

SEC("trace/ticks")
int count_ticks(struct trace_record *r)
{
    bump(0);
    bump(r->h.type == TRACE_SIGNAL ? VERSION : 3);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
