/* Ordinary C compiled by clang: loops, switch, arrays on the stack,
 * 32-bit arithmetic, signed comparisons, byte access. */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8);
	__type(key, __u64);
	__type(value, __u64);
} recent SEC(".maps");

static __attribute__((noinline)) __u32 crc32(const __u8 *p, __u32 n)
{
	__u32 crc = 0xffffffff;
	for (__u32 i = 0; i < n && i < 64; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
	}
	return ~crc;
}

SEC("tracepoint/algo")
int algo(struct test_ctx *ctx)
{
	__s32 arr[16];
	for (int i = 0; i < 16; i++)
		arr[i] = (__s32)((ctx->a * (i + 7)) % 23) - 11;
	/* insertion sort */
	for (int i = 1; i < 16; i++) {
		__s32 x = arr[i];
		int j = i - 1;
		while (j >= 0 && arr[j] > x) {
			arr[j + 1] = arr[j];
			j--;
		}
		arr[j + 1] = x;
	}
	__s64 acc = 0;
	for (int i = 0; i < 16; i++) {
		switch (i & 3) {
		case 0:
			acc += arr[i];
			break;
		case 1:
			acc -= arr[i] * 3;
			break;
		case 2:
			acc ^= arr[i];
			break;
		default:
			acc = acc * 2 + arr[i];
			break;
		}
	}
	__u64 key = ctx->b, val = (__u64)acc;
	bpf_map_update_elem(&recent, &key, &val, BPF_ANY);
	ctx->a = (__u64)acc;
	return (int)crc32(ctx->data, ctx->n);
}

char LICENSE[] SEC("license") = "GPL";
