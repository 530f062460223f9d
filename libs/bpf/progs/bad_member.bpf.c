/* Rejected: a map definition member the loader does not know. */
#include "common.h"
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__uint(numa_node, 1);
	__type(key, __u32);
	__type(value, __u64);
} h SEC(".maps");
SEC("xdp")
int p(void *ctx)
{
	__u32 k = 0;
	return bpf_map_lookup_elem(&h, &k) != 0;
}
char LICENSE[] SEC("license") = "GPL";
