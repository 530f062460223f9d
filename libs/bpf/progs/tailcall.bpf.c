/* Tail calls through a program array, including the chain limit. */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} jumps SEC(".maps");

__u32 depth;

SEC("tc/entry")
int entry(struct test_ctx *ctx)
{
	depth = 0;
	bpf_tail_call(ctx, &jumps, ctx->n);
	return 1000; /* only reached if the tail call fails */
}

SEC("tc/target")
int target(struct test_ctx *ctx)
{
	return 2000 + ctx->flags;
}

SEC("tc/chain")
int chain(struct test_ctx *ctx)
{
	depth++;
	bpf_tail_call(ctx, &jumps, 2); /* slot 2 holds this program */
	return 3000 + depth;
}

char LICENSE[] SEC("license") = "GPL";
