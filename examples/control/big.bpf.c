/* A program of about 1,000 instructions for the hook "event" (the load
 * benchmark of docs/control-plane.md): straight-line arithmetic on the
 * event's value, verdict 1 or 2. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "event.h"

#define STEP(k) x = (x ^ (k)) * 31 + ((x >> 3) & 0xff);
#define STEP10(k) STEP(k##0) STEP(k##1) STEP(k##2) STEP(k##3) STEP(k##4) STEP(k##5) STEP(k##6) STEP(k##7) STEP(k##8) STEP(k##9)
#define STEP100(k) STEP10(k##0) STEP10(k##1) STEP10(k##2) STEP10(k##3) STEP10(k##4) STEP10(k##5) STEP10(k##6) \
    STEP10(k##7) STEP10(k##8) STEP10(k##9)

SEC("pdhook/event")
int big(struct event_ctx *c)
{
    __u64 x = c->value;
    STEP100(1) STEP10(20) STEP10(21) STEP10(22) STEP10(23) STEP10(24) STEP10(25) STEP(260) STEP(261) STEP(262) STEP(263) STEP(264) STEP(265)
    return (int)(x & 1) + 1;
}

char LICENSE[] SEC("license") = "GPL";
