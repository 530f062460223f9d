/* Ring buffer producer: reserve/submit, reserve/discard, output. */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct event {
	__u32 seq;
	__u32 kind;
	__u64 value;
};

__u32 seq;

SEC("tracepoint/ring")
int produce(struct test_ctx *ctx)
{
	int sent = 0;
	for (__u32 i = 0; i < ctx->n && i < 8; i++) {
		struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
		if (!e)
			break;
		e->seq = seq++;
		e->kind = 1;
		e->value = ctx->a + i;
		if (i & 1)
			bpf_ringbuf_discard(e, 0);
		else
			bpf_ringbuf_submit(e, 0);
		sent++;
	}
	struct event out = {.seq = seq++, .kind = 2, .value = ctx->b};
	if (bpf_ringbuf_output(&events, &out, sizeof(out), 0) == 0)
		sent++;
	return sent + (int)(bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) << 8);
}

char LICENSE[] SEC("license") = "GPL";
