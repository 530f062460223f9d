/* The second version of count.bpf.c: the same maps (so a replacement
 * keeps their contents), passes every byte unchanged, and adds a hash map
 * of its own that the replacement must place around the kept ones. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "byte_hook.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} classes SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16);
    __type(key, __u32);
    __type(value, __u64);
} seen SEC(".maps");

__u64 runs = 1000;

SEC("pdhook/rx")
int count_v2(struct byte_ctx *c)
{
    __u32 b = c->byte, k = 3;
    if (b >= '0' && b <= '9')
        k = 0;
    else if (b >= 'a' && b <= 'z')
        k = 1;
    else if (b >= 'A' && b <= 'Z')
        k = 2;
    __u64 *n = bpf_map_lookup_elem(&classes, &k);
    if (n)
        __sync_fetch_and_add(n, 1);
    __u64 one = 1;
    bpf_map_update_elem(&seen, &b, &one, BPF_ANY);
    runs++;
    return VERDICT_PASS;
}

char LICENSE[] SEC("license") = "GPL";
