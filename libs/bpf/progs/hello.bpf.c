/* End-to-end: BTF maps, .data/.rodata/.bss, subprograms, printk. */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct pair {
	__u64 sum;
	__u32 calls;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct pair);
} stats SEC(".maps");

__u64 total = 100;              /* .data */
const volatile __u32 scale = 3; /* .rodata */
__u32 runs;                     /* .bss */

/* A global function lands in .text: a BPF-to-BPF call with relocation. */
__attribute__((noinline)) __u64 mix(__u64 x, __u64 y)
{
	return x * scale + y;
}

/* A static non-inlined function: also in .text. */
static __attribute__((noinline)) __u64 square(__u64 x)
{
	volatile __u64 buf[4]; /* uses its own stack frame */
	buf[0] = x;
	buf[3] = buf[0] * x;
	return buf[3];
}

SEC("tracepoint/hello")
int hello(struct test_ctx *ctx)
{
	__u32 key = ctx->n;
	__u64 one = 1, *v;

	v = bpf_map_lookup_elem(&counts, &key);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST);

	__u32 idx = ctx->flags & 3;
	struct pair *p = bpf_map_lookup_elem(&stats, &idx);
	if (p) {
		p->sum += ctx->a;
		p->calls++;
	}
	runs++;
	total += ctx->a;
	bpf_printk("hello n=%u a=%llu runs=%u", key, ctx->a, runs);
	return (int)(mix(ctx->a, ctx->b) + square(ctx->b));
}

SEC("xdp")
int second(struct test_ctx *ctx)
{
	return ctx->n + scale;
}

char LICENSE[] SEC("license") = "GPL";
