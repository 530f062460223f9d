/* Shared header for the test programs: Debian's libbpf-dev headers. */
#ifndef PROGS_COMMON_H
#define PROGS_COMMON_H
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* The context the host tests pass in. */
struct test_ctx {
	__u64 a, b;
	__u32 n, flags;
	__u8 data[64];
};
#endif
