/* Refused by the verifier: writes the read-only sequence number. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "event.h"

SEC("pdhook/event")
int bad_write(struct event_ctx *c)
{
    c->seq = 0;
    return 1;
}

char LICENSE[] SEC("license") = "GPL";
