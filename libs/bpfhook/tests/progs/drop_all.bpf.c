/* Drops every byte and keeps the count in a hash map keyed by position
 * parity (a map readers cannot view in place). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "byte_hook.h"

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 8);
    __type(key, __u32);
    __type(value, __u64);
} parity SEC(".maps");

SEC("pdhook/rx")
int drop_all(struct byte_ctx *c)
{
    __u32 k = c->pos & 1;
    __u64 one = 1, *n = bpf_map_lookup_elem(&parity, &k);
    if (n)
        *n += 1;
    else
        bpf_map_update_elem(&parity, &k, &one, BPF_ANY);
    return VERDICT_DROP;
}

char LICENSE[] SEC("license") = "GPL";
