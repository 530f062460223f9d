/* Rejected: a map type the runtime does not implement. */
#include "common.h"
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} pc SEC(".maps");
SEC("xdp")
int p(void *ctx)
{
	__u32 k = 0;
	return bpf_map_lookup_elem(&pc, &k) != 0;
}
char LICENSE[] SEC("license") = "GPL";
