/* A program for a hook this system does not have ("rx_filter"). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("pdhook/rx_filter")
int other(void *c)
{
    (void)c;
    return 1;
}

char LICENSE[] SEC("license") = "GPL";
