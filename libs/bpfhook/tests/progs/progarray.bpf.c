/* A program array cannot be handed to a PD hook. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "byte_hook.h"

struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u32);
} jumps SEC(".maps");

SEC("pdhook/rx")
int uses_progarray(struct byte_ctx *c)
{
    bpf_tail_call(c, &jumps, 0);
    return VERDICT_PASS;
}

char LICENSE[] SEC("license") = "GPL";
