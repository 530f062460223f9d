/* A program array initialised statically ('values'), as libbpf allows. */
#include "common.h"

int tail_a(struct test_ctx *ctx);
int tail_b(struct test_ctx *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__array(values, int(struct test_ctx *));
} table SEC(".maps") = {
        .values =
                {
                        [1] = (void *)&tail_a,
                        [3] = (void *)&tail_b,
                },
};

SEC("tc/a")
int tail_a(struct test_ctx *ctx)
{
	return 111;
}

SEC("tc/b")
int tail_b(struct test_ctx *ctx)
{
	return 222;
}

SEC("tc/main")
int dispatch(struct test_ctx *ctx)
{
	bpf_tail_call(ctx, &table, ctx->n);
	return 7;
}

char LICENSE[] SEC("license") = "GPL";
