/* A program that breaks the rx_filter hook's rules: it changes the
 * byte's position, which the driver declared read-only. The microkit tool
 * refuses a system built with it (tests/tools/run.sh), and so would the
 * bpf PD at boot. */
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
