/*
 * Host benchmark for the eBPF interpreter: ns per executed eBPF
 * instruction for the programs in bench_progs.h.  Prints one line per
 * program and mode:
 *   BENCH <name> ns/insn median=<x> min=<x> max=<x> n=<runs>
 * The executed-instruction count comes from one checked-mode run (which
 * counts exactly); the timed runs use verified mode unless the name ends
 * in _checked, or the x86_64 JIT for names ending in _jit (compiled
 * without the verifier, which cannot prove these multi-million-iteration
 * loops: the same trust the verified-mode interpreter runs get here).
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_progs.h"
#include "jit_internal.h"

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void *bench_alloc(void *c, size_t n)
{
	(void)c;
	return malloc(n);
}
static void bench_free(void *c, void *p, size_t n)
{
	(void)c;
	(void)n;
	free(p);
}

static uint64_t stack[BPF_STACK_SIZE / 8];
static struct bpf_env env;

static void bench(const char *name, const struct bpf_insn *insns, uint32_t len,
                  struct bpf_map *const *maps, uint32_t nmaps, void *ctx, size_t ctx_len, int runs,
                  int mode, uint64_t expect, int check_expect)
{
	/* BENCH_ONLY=<name>: just that benchmark (profiling) */
	const char *only = getenv("BENCH_ONLY");
	if (only && strcmp(only, name))
		return;
	struct bpf_prog prog;
	struct bpf_prog_error err;
	if (bpf_prog_init(&prog, insns, len, maps, nmaps, &env, &err)) {
		printf("# %s: invalid program at %u: %s\n", name, err.insn, err.reason);
		exit(1);
	}
	struct bpf_vm vm;
	bpf_vm_init(&vm, &env, stack, sizeof(stack));
	bpf_vm_set_mode(&vm, BPF_MODE_CHECKED, 1ULL << 40);
	uint64_t r0;
	if (bpf_vm_run(&vm, &prog, ctx, ctx_len, &r0) != BPF_OK) {
		printf("# %s: checked run failed\n", name);
		exit(1);
	}
	uint64_t count = vm.insn_count;
	if (check_expect && r0 != expect) {
		printf("# %s: wrong result 0x%" PRIx64 " (want 0x%" PRIx64 ")\n", name, r0, expect);
		exit(1);
	}
	double *t = calloc((size_t)runs, sizeof(double));
	if (mode == BPF_MODE_JIT) {
		static const struct bpf_allocator heap = {bench_alloc, bench_free, NULL};
		struct bpf_jit_opts o = {.alloc = &heap};
		if (bpf__jit_compile_unverified(&prog, &env, &o) || !prog.jit) {
			printf("# %s: JIT compilation failed\n", name);
			exit(1);
		}
		printf("# %s: %zu bytes of x86_64 code for %u instructions\n", name, prog.jit->size,
		       len);
	}
	bpf_vm_set_mode(&vm, mode, 1ULL << 40);
	for (int i = 0; i < runs; i++) {
		uint64_t t0 = now_ns();
		int st = bpf_vm_run(&vm, &prog, ctx, ctx_len, &r0);
		uint64_t t1 = now_ns();
		if (st != BPF_OK || (check_expect && r0 != expect)) {
			printf("# %s: run %d failed\n", name, i);
			exit(1);
		}
		t[i] = (double)(t1 - t0) / (double)count;
	}
	qsort(t, (size_t)runs, sizeof(double), cmp_double);
	printf("BENCH %s ns/insn median=%.3f min=%.3f max=%.3f n=%d\n", name, t[runs / 2], t[0],
	       t[runs - 1], runs);
	printf("# %s: %" PRIu64 " eBPF instructions per run\n", name, count);
	bpf_jit_free(&prog);
	free(t);
}

int main(void)
{
	bpf_env_init(&env, NULL, NULL);
	printf("# sizeof(struct bpf_vm) = %zu bytes\n", sizeof(struct bpf_vm));

	bench("bpf_loop_sum", bench_loop_sum, sizeof(bench_loop_sum) / sizeof(bench_loop_sum[0]),
	      NULL, 0, NULL, 0, 15, BPF_MODE_VERIFIED, BENCH_LOOP_SUM_RESULT, 1);

	static uint8_t buf[65536];
	uint32_t x = 1;
	for (size_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245 + 12345;
		buf[i] = (uint8_t)(x >> 16);
	}
	/* reference checksum */
	uint64_t sum = 0;
	for (size_t i = 0; i < sizeof(buf); i += 2)
		sum += (uint16_t)(buf[i] | (buf[i + 1] << 8));
	while (sum > 0xffff)
		sum = (sum & 0xffff) + (sum >> 16);
	sum ^= 0xffff;
	bench("bpf_checksum_64k", bench_checksum,
	      sizeof(bench_checksum) / sizeof(bench_checksum[0]), NULL, 0, buf, sizeof(buf), 201,
	      BPF_MODE_VERIFIED, sum, 1);

	struct bpf_map_def def = {BPF_MAP_TYPE_HASH, 4, 8, 1024, 0};
	size_t msz = bpf_map_mem_size(&def);
	void *mem = aligned_alloc(8, (msz + 7) & ~(size_t)7);
	struct bpf_map map;
	bpf_map_init(&map, &def, mem, msz, "bench");
	uint64_t expect = 0;
	for (uint32_t k = 0; k < 1024; k++) {
		uint64_t v = k * 3ULL;
		bpf_map_update(&map, &k, &v, BPF_ANY);
	}
	for (uint32_t i = 0; i < BENCH_HASH_LOOKUPS; i++)
		expect += (i & 1023) * 3ULL;
	struct bpf_map *maps[] = {&map};
	bench("bpf_hash_lookup", bench_hash_lookup,
	      sizeof(bench_hash_lookup) / sizeof(bench_hash_lookup[0]), maps, 1, NULL, 0, 101,
	      BPF_MODE_VERIFIED, expect, 1);

	bench("bpf_insn_mix", bench_insn_mix, sizeof(bench_insn_mix) / sizeof(bench_insn_mix[0]),
	      NULL, 0, NULL, 0, 31, BPF_MODE_VERIFIED, 0, 0);

	/* The same programs compiled by the JIT. */
	bench("bpf_loop_sum_jit", bench_loop_sum,
	      sizeof(bench_loop_sum) / sizeof(bench_loop_sum[0]), NULL, 0, NULL, 0, 15,
	      BPF_MODE_JIT, BENCH_LOOP_SUM_RESULT, 1);
	bench("bpf_checksum_64k_jit", bench_checksum,
	      sizeof(bench_checksum) / sizeof(bench_checksum[0]), NULL, 0, buf, sizeof(buf), 201,
	      BPF_MODE_JIT, sum, 1);
	bench("bpf_hash_lookup_jit", bench_hash_lookup,
	      sizeof(bench_hash_lookup) / sizeof(bench_hash_lookup[0]), maps, 1, NULL, 0, 101,
	      BPF_MODE_JIT, expect, 1);
	bench("bpf_insn_mix_jit", bench_insn_mix,
	      sizeof(bench_insn_mix) / sizeof(bench_insn_mix[0]), NULL, 0, NULL, 0, 31,
	      BPF_MODE_JIT, 0, 0);

	/* The same programs in checked mode, for the cost of the checks. */
	bench("bpf_loop_sum_checked", bench_loop_sum,
	      sizeof(bench_loop_sum) / sizeof(bench_loop_sum[0]), NULL, 0, NULL, 0, 7,
	      BPF_MODE_CHECKED, BENCH_LOOP_SUM_RESULT, 1);
	bench("bpf_checksum_64k_checked", bench_checksum,
	      sizeof(bench_checksum) / sizeof(bench_checksum[0]), NULL, 0, buf, sizeof(buf), 101,
	      BPF_MODE_CHECKED, sum, 1);
	bench("bpf_hash_lookup_checked", bench_hash_lookup,
	      sizeof(bench_hash_lookup) / sizeof(bench_hash_lookup[0]), maps, 1, NULL, 0, 51,
	      BPF_MODE_CHECKED, expect, 1);
	bench("bpf_insn_mix_checked", bench_insn_mix,
	      sizeof(bench_insn_mix) / sizeof(bench_insn_mix[0]), NULL, 0, NULL, 0, 15,
	      BPF_MODE_CHECKED, 0, 0);
	free(mem);
	return 0;
}
