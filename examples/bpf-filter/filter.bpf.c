/* Receive filter for the serial driver: drops digits, turns lower case
 * into upper case, counts the bytes of each class in an array map that
 * the statistics PD reads from shared memory, and at the end of a line
 * tells the statistics PD (through the driver's channel, which the hook
 * lets its programs signal). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <hypos/bpf_pdhook.h>
#include "rx_filter.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, NCLASSES);
    __type(key, __u32);
    __type(value, __u64);
} classes SEC(".maps");

SEC("pdhook/rx_filter")
int filter(struct rx_ctx *c)
{
    __u32 b = c->byte, k = CLASS_OTHER, verdict = RX_PASS;
    if (b >= '0' && b <= '9') {
        k = CLASS_DIGIT;
        verdict = RX_DROP;
    } else if (b >= 'a' && b <= 'z') {
        k = CLASS_LOWER;
        c->byte = b - 'a' + 'A';
    } else if (b >= 'A' && b <= 'Z') {
        k = CLASS_UPPER;
    }
    __u64 *n = bpf_map_lookup_elem(&classes, &k);
    if (n)
        *n += 1;
    if (b == '\r' || b == '\n')
        pd_notify(STATS_CHANNEL);
    return verdict;
}

char LICENSE[] SEC("license") = "GPL";
