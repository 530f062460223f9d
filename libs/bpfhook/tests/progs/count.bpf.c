/* Counts bytes per class, drops digits, turns lower case into upper case;
 * a global in .data starts at 1000 and counts runs. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "byte_hook.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} classes SEC(".maps");

__u64 runs = 1000;

SEC("pdhook/rx")
int count(struct byte_ctx *c)
{
    __u32 b = c->byte, k = 3, verdict = VERDICT_PASS;
    if (b >= '0' && b <= '9') {
        k = 0;
        verdict = VERDICT_DROP;
    } else if (b >= 'a' && b <= 'z') {
        k = 1;
        c->byte = b - 'a' + 'A';
    } else if (b >= 'A' && b <= 'Z') {
        k = 2;
    }
    __u64 *n = bpf_map_lookup_elem(&classes, &k);
    if (n)
        __sync_fetch_and_add(n, 1);
    runs++;
    return verdict;
}

char LICENSE[] SEC("license") = "GPL";
