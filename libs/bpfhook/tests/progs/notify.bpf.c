/* Signals the channel named by the byte's position and keeps what
 * pd_notify returned in an array map. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <hypos/bpf_pdhook.h>
#include "byte_hook.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __s64);
} result SEC(".maps");

SEC("pdhook/rx")
int notify(struct byte_ctx *c)
{
    __u32 k = 0;
    __s64 *r = bpf_map_lookup_elem(&result, &k);
    long rc = pd_notify(c->pos);
    if (r)
        *r = rc;
    return VERDICT_PASS;
}

char LICENSE[] SEC("license") = "GPL";
