/* Rejected: a function pointer (callback) relocation. */
#include "common.h"
static int cb(__u32 i, void *c)
{
	return 0;
}
SEC("xdp")
int p(void *ctx)
{
	return bpf_loop(4, cb, 0, 0);
}
char LICENSE[] SEC("license") = "GPL";
