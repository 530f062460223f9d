/* The body of the counter programs (counter.bpf.c, counter_v2.bpf.c):
 * counts events, checks that their sequence numbers follow each other
 * without a gap or a repeat, and returns the program's VERSION, so the
 * worker can tell which program handled each event. Both versions have
 * the same maps, so a replacement keeps their contents: the sequence check
 * then runs across replacements too. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "event.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} state SEC(".maps"); /* 0: events handled, 1: last seq, 2: gaps, 3: repeats */

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 64);
    __type(key, __u32);
    __type(value, __u64);
} kinds SEC(".maps"); /* events per kind */

SEC("pdhook/event")
int counter(struct event_ctx *c)
{
    __u32 k = 0;
    __u64 *handled = bpf_map_lookup_elem(&state, &k);
    k = 1;
    __u64 *last = bpf_map_lookup_elem(&state, &k);
    k = 2;
    __u64 *gaps = bpf_map_lookup_elem(&state, &k);
    k = 3;
    __u64 *repeats = bpf_map_lookup_elem(&state, &k);
    if (!handled || !last || !gaps || !repeats)
        return VERSION;
    __u64 seq = c->seq;
    if (seq <= *last)
        *repeats += 1;
    else if (seq != *last + 1)
        *gaps += 1;
    *last = seq;
    *handled += 1;
    __u32 kind = c->kind;
    __u64 *n = bpf_map_lookup_elem(&kinds, &kind);
    if (n) {
        *n += 1;
    } else {
        __u64 one = 1;
        bpf_map_update_elem(&kinds, &kind, &one, BPF_ANY);
    }
    return VERSION;
}

char LICENSE[] SEC("license") = "GPL";
