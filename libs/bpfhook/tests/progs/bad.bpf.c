/* Programs the verifier must refuse for the hook "rx", one rule each. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "byte_hook.h"

SEC("pdhook/rx")
int write_pos(struct byte_ctx *c)
{
    c->pos = 7; /* pos is read-only */
    return VERDICT_PASS;
}

SEC("pdhook/rx")
int read_secret(struct byte_ctx *c) { return c->secret == 42; /* not a field of the hook */ }

SEC("pdhook/rx")
int read_past_ctx(struct byte_ctx *c) { return *(volatile unsigned int *)((char *)c + 64) & 1; }

SEC("pdhook/rx")
int call_random(struct byte_ctx *c)
{
    (void)c;
    return bpf_get_prandom_u32() & 1; /* the hook does not offer it */
}

SEC("pdhook/rx")
int verdict_two(struct byte_ctx *c) { return c->byte == 'x' ? 2 : VERDICT_PASS; /* verdicts are 0..1 */ }

char LICENSE[] SEC("license") = "GPL";
