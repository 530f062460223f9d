/* The benchmark's filter: classifies the byte, counts it in an array map
 * and returns a verdict; 21 instructions run for a digit. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "hook.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} classes SEC(".maps");

SEC("pdhook/bench")
int filter(struct bench_ctx *c)
{
    __u32 b = c->byte, k = 3, verdict = 1;
    if (b >= '0' && b <= '9') {
        k = 0;
        verdict = 0;
    } else if (b >= 'a' && b <= 'z') {
        k = 1;
    } else if (b >= 'A' && b <= 'Z') {
        k = 2;
    }
    __u64 *n = bpf_map_lookup_elem(&classes, &k);
    if (n)
        *n += 1;
    return verdict;
}

char LICENSE[] SEC("license") = "GPL";
