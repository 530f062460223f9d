/* A program of about 1,000 instructions for the hook "event" (the load
 * benchmark of docs/control-plane.md): straight-line arithmetic on the
 * event's value (a loop clang unrolls), verdict 1 or 2. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "event.h"

SEC("pdhook/event")
int big(struct event_ctx *c)
{
    __u64 x = c->value;
#pragma clang loop unroll(full)
    for (__u64 k = 0; k < 166; k++)
        x = (x ^ (k * 7 + 1)) * 31 + ((x >> 3) & 0xff);
    return (int)(x & 1) + 1;
}

char LICENSE[] SEC("license") = "GPL";
