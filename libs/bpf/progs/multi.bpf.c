/* Several programs in one section, static subprograms, string literals
 * (.rodata.str1.1), bpf_printk with more than three arguments
 * (trace_vprintk), several globals in one data section. */
#include "common.h"

__u64 g_a = 1, g_b = 2, g_c = 3; /* .data, three relocation offsets */
__u32 hits[4];                   /* .bss */

static __attribute__((noinline)) __u64 pick(__u32 i)
{
	switch (i & 3) {
	case 0:
		return g_a;
	case 1:
		return g_b;
	case 2:
		return g_c;
	default:
		return g_a + g_b + g_c;
	}
}

SEC("tp/multi")
int first(struct test_ctx *ctx)
{
	hits[0]++;
	g_b += ctx->a;
	return (int)pick(ctx->n);
}

SEC("tp/multi")
int second_prog(struct test_ctx *ctx)
{
	hits[1]++;
	bpf_printk("four %d %d %d %s", (int)ctx->a, (int)ctx->b, ctx->n, "args");
	return (int)(pick(ctx->n + 1) * 10);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
