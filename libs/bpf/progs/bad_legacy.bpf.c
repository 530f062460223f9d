/* Rejected: a legacy "maps" section definition. */
#include "common.h"
struct legacy_def {
	unsigned int type, key_size, value_size, max_entries, map_flags;
};
struct legacy_def old SEC("maps") = {BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0};
SEC("xdp")
int p(void *ctx)
{
	__u32 k = 0;
	return bpf_map_lookup_elem(&old, &k) != 0;
}
char LICENSE[] SEC("license") = "GPL";
