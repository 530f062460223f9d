/* Rejected: a map far larger than the loader allows. */
#include "common.h"
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1 << 24);
	__type(key, __u64);
	__type(value, char[4096]);
} huge SEC(".maps");
SEC("xdp")
int p(void *ctx)
{
	__u64 k = 0;
	return bpf_map_lookup_elem(&huge, &k) != 0;
}
char LICENSE[] SEC("license") = "GPL";
