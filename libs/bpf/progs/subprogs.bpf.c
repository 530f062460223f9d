/* Three programs and four subprograms in .text: prog_a reaches scale()
 * through mix() (a chain), prog_b calls flip() and the global
 * weigh(), prog_c calls nothing; never_called() is reached by no
 * program.  The loader links each program with exactly the subprograms
 * it reaches, so every program verifies (no unreachable code). */
#include "common.h"

static __attribute__((noinline)) __u64 scale(__u64 x)
{
	return x * 3 + 1;
}

static __attribute__((noinline)) __u64 mix(__u64 a, __u64 b)
{
	return scale(a) + (b ^ 0x11);
}

static __attribute__((noinline)) __u64 flip(__u64 a)
{
	return a ^ 0x5a;
}

__attribute__((noinline)) int weigh(__u32 n)
{
	return (int)(n & 0xff) * 2;
}

__attribute__((noinline)) int never_called(__u32 n)
{
	return (int)n - 1;
}

SEC("tp/sub_a")
int prog_a(struct test_ctx *ctx)
{
	return (int)mix(ctx->a, ctx->b);
}

SEC("tp/sub_b")
int prog_b(struct test_ctx *ctx)
{
	return (int)flip(ctx->n) + weigh(ctx->flags);
}

SEC("tp/sub_c")
int prog_c(struct test_ctx *ctx)
{
	return (int)(ctx->a + 7);
}

char LICENSE[] SEC("license") = "GPL";
