/* A program for the rx_filter hook that the verifier accepts but whose
 * map (64 KiB of counters) does not fit the maps area of the driver's
 * 64 KiB hook region. A system that hands it to the bpf PD with
 * <hypos:pd_hook> naming that region is refused when it is built
 * (tests/tools/run.sh); with setvar names only, the tool cannot tell
 * which region the hook lives in and the bpf PD refuses it at boot. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "rx_filter.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 8192);
    __type(key, __u32);
    __type(value, __u64);
} per_position SEC(".maps");

SEC("pdhook/rx_filter")
int greedy(struct rx_ctx *c)
{
    __u32 k = c->position & 8191;
    __u64 *n = bpf_map_lookup_elem(&per_position, &k);
    if (n)
        *n += 1;
    return RX_PASS;
}

char LICENSE[] SEC("license") = "GPL";
