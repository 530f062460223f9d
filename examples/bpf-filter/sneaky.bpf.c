/* A program the bpf PD must refuse: it tries to change the byte's
 * position, which the driver declared read-only. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "rx_filter.h"

SEC("pdhook/rx_filter")
int sneaky(struct rx_ctx *c)
{
    c->position = 0;
    return RX_PASS;
}

char LICENSE[] SEC("license") = "GPL";
