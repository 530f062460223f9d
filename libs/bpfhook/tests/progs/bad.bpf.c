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

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u64);
} cells SEC(".maps");

SEC("pdhook/rx")
int past_map_value(struct byte_ctx *c)
{
    __u32 k = 0;
    __u64 *v = bpf_map_lookup_elem(&cells, &k);
    if (!v)
        return VERDICT_PASS;
    return *(volatile __u32 *)((char *)v + 8 + (c->byte & 4)) & 1; /* one value is 8 bytes */
}

SEC("pdhook/rx")
int pointer_into_map(struct byte_ctx *c)
{
    __u32 k = 1;
    __u64 *v = bpf_map_lookup_elem(&cells, &k);
    if (v)
        *v = (__u64)(unsigned long)c; /* readers would learn an address */
    return VERDICT_PASS;
}

char LICENSE[] SEC("license") = "GPL";
