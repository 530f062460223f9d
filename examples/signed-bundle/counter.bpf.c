/* The program the example's bundles carry: counts bytes on a hook. The
 * checker PD only admits or refuses it; attaching is the agent's work. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} bytes SEC(".maps");

SEC("pdhook/serial_rx")
int count(void *ctx)
{
    (void)ctx;
    __u32 k = 0;
    __u64 *n = bpf_map_lookup_elem(&bytes, &k);
    if (n)
        *n += 1;
    return 1;
}

char LICENSE[] SEC("license") = "GPL";
