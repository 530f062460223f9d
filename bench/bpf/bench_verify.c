/*
 * Verifier benchmark: time and peak memory of bpf_verify for the
 * clang-built test programs, for generated programs of 1,000, 4,096 and
 * 100,000 instructions, and for a program that explores about a million
 * instructions.  Prints
 *   BENCH verify_<name> ms median=<x> min=<x> max=<x> n=<runs>
 *   BENCH verify_<name>_mem KiB median=<x> min=<x> max=<x> n=1
 * Targets: 4,096 instructions in <= 20 ms; 1M explored in <= 64 MiB.
 *
 * JIT compile time for the generated programs, in microseconds per 100
 * eBPF instructions (target: at most 10 on the host):
 *   BENCH jit_compile_<name> us/100insn ...        bpf_jit_compile: verify,
 *                                                  emit x86_64, mmap, mprotect
 *   BENCH jit_emit_<arch>_<name> us/100insn ...    emission alone (the three
 *                                                  passes), either back end
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpf/jit.h"
#include "bpf/verifier.h"
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

static void *a_alloc(void *c, size_t n)
{
	(void)c;
	return malloc(n);
}
static void a_free(void *c, void *p, size_t n)
{
	(void)c;
	(void)n;
	free(p);
}
static const struct bpf_allocator alloc = {a_alloc, a_free, NULL};
static struct bpf_env env;

static void bench(const char *name, const struct bpf_prog *prog, const struct bpf_hook *hook,
                  int runs)
{
	double *t = calloc((size_t)runs, sizeof(double));
	struct bpf_verifier_result res;
	static char log[8192];
	struct bpf_verifier_opts opts = {.alloc = &alloc, .log = log, .log_size = sizeof(log)};
	for (int i = 0; i < runs; i++) {
		uint64_t t0 = now_ns();
		int rc = bpf_verify(prog, &env, hook, &opts, &res);
		uint64_t t1 = now_ns();
		if (rc && i == 0) /* measured anyway: time and memory to the verdict */
			printf("# %s: REJECTED at %u [%s] %s\n", name, res.insn,
			       bpf_vrule_name(res.rule), res.msg);
		t[i] = (double)(t1 - t0) / 1e6;
	}
	qsort(t, (size_t)runs, sizeof(double), cmp_double);
	printf("BENCH verify_%s ms median=%.3f min=%.3f max=%.3f n=%d\n", name, t[runs / 2], t[0],
	       t[runs - 1], runs);
	double kib = (double)res.peak_mem / 1024.0;
	printf("BENCH verify_%s_mem KiB median=%.1f min=%.1f max=%.1f n=1\n", name, kib, kib, kib);
	printf("# %s: %u insns, %" PRIu64 " explored, %" PRIu64 " states stored, %" PRIu64
	       " pruned, %" PRIu64 " max pending\n",
	       name, prog->len, res.explored, res.states_stored, res.states_pruned,
	       res.max_pending);
	free(t);
}

#include "bench_gen.h"
#define I BG_I

static void print_per100(const char *what, const char *name, double *t, int runs, uint32_t len)
{
	qsort(t, (size_t)runs, sizeof(double), cmp_double);
	double k = 100.0 / 1000.0 / (double)len; /* ns per program -> us per 100 insns */
	printf("BENCH %s_%s us/100insn median=%.3f min=%.3f max=%.3f n=%d\n", what, name,
	       t[runs / 2] * k, t[0] * k, t[runs - 1] * k, runs);
}

static void bench_compile(const char *name, struct bpf_prog *prog, const struct bpf_hook *hook,
                          int runs)
{
	double *t = calloc((size_t)runs, sizeof(double));
	struct bpf_jit_opts o = {.hook = hook, .alloc = &alloc};
	struct bpf_verifier_result res;
	for (int i = 0; i < runs; i++) {
		uint64_t t0 = now_ns();
		int rc = bpf_jit_compile(prog, &env, &o, &res);
		uint64_t t1 = now_ns();
		if (rc) {
			printf("# %s: not compiled: %s at %u\n", name, bpf_vrule_name(res.rule),
			       res.insn);
			free(t);
			return;
		}
		t[i] = (double)(t1 - t0);
	}
	printf("# %s: %zu bytes of x86_64 code for %u instructions\n", name, prog->jit->size,
	       prog->len);
	bpf_jit_free(prog);
	print_per100("jit_compile", name, t, runs, prog->len);
	static const struct {
		enum bpf_jit_arch arch;
		const char *name;
	} arches[] = {{BPF_JIT_ARCH_X86_64, "jit_emit_x86_64"},
	              {BPF_JIT_ARCH_RISCV64, "jit_emit_riscv64"}};
	for (size_t a = 0; a < sizeof(arches) / sizeof(arches[0]); a++) {
		size_t len = 0;
		if (bpf__jit_emit_verified(arches[a].arch, prog, &env, &o, NULL, 0, &len, &res))
			return;
		void *buf = malloc(len);
		for (int i = 0; i < runs; i++) {
			uint64_t t0 = now_ns();
			int rc = bpf__jit_emit_verified(arches[a].arch, prog, &env, &o, buf, len,
			                                &len, &res);
			uint64_t t1 = now_ns();
			if (rc)
				exit(1);
			t[i] = (double)(t1 - t0);
		}
		free(buf);
		print_per100(arches[a].name, name, t, runs, prog->len);
	}
	free(t);
}

static void bench_generated(const char *name, uint32_t size, struct bpf_map *const *maps, int runs,
                            const struct bpf_hook *hook)
{
	struct bpf_insn *p = calloc(size + 32, sizeof(*p));
	uint32_t n = bench_gen_prog(p, size);
	struct bpf_prog prog;
	struct bpf_prog_error err;
	if (bpf_prog_init(&prog, p, n, maps, 1, &env, &err)) {
		printf("# %s: invalid at %u: %s\n", name, err.insn, err.reason);
		exit(1);
	}
	bench(name, &prog, hook, runs);
	/* Accepted must mean safe: run it in checked mode (every access
	 * checked) on a few contexts. */
	struct bpf_verifier_result res;
	struct bpf_verifier_opts opts = {.alloc = &alloc};
	if (bpf_verify(&prog, &env, hook, &opts, &res) == 0) {
		static uint64_t stack[BPF_STACK_SIZE / 8];
		int bad = 0;
		for (int c = 0; c < 8; c++) {
			uint8_t ctx[64];
			for (size_t i = 0; i < sizeof(ctx); i++)
				ctx[i] = (uint8_t)(c == 0 ? 0 : c == 1 ? 0xff : i * (37 * c) + 11);
			struct bpf_vm vm;
			bpf_vm_init(&vm, &env, stack, sizeof(stack));
			bpf_vm_set_mode(&vm, BPF_MODE_CHECKED, 10000000);
			uint64_t r0;
			bad += bpf_vm_run(&vm, &prog, ctx, sizeof(ctx), &r0) != BPF_OK;
		}
		printf("# %s: accepted; 8 checked runs, %d tripped a check\n", name, bad);
		bench_compile(name, &prog, hook, runs);
	}
	free(p);
}

static void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	void *buf = malloc(n > 0 ? (size_t)n : 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int main(void)
{
	bpf_env_init(&env, NULL, NULL);
	struct bpf_hook hook = {.name = "bench",
	                        .ctx_size = 88,
	                        .flags = BPF_HOOK_TAIL_CALLS | BPF_HOOK_CTX_WRITABLE};

	/* the clang-built test programs */
	static const char *const objs[] = {"hello.bpf.o", "algo.bpf.o",     "algo.v3.bpf.o",
	                                   "multi.bpf.o", "tailcall.bpf.o", "ringbuf.bpf.o"};
	for (size_t i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", BPF_PROGS_DIR, objs[i]);
		size_t len;
		void *buf = read_file(path, &len);
		struct bpf_object *o = NULL;
		struct bpf_load_error e;
		if (!buf || bpf_object_load(&o, buf, len, &env, &alloc, &e)) {
			printf("# cannot load %s\n", path);
			exit(1);
		}
		free(buf);
		for (uint32_t k = 0; k < bpf_object_prog_count(o); k++) {
			struct bpf_prog *p = bpf_object_prog_at(o, k);
			char name[128];
			snprintf(name, sizeof(name), "%.*s_%s", (int)(strlen(objs[i]) - 6), objs[i],
			         p->name);
			for (char *c = name; *c; c++)
				if (*c == '.' || *c == '/')
					*c = '_';
			struct bpf_hook h = hook;
			if (strstr(objs[i], "multi"))
				h.flags |= BPF_HOOK_PTR_LEAK;
			bench(name, p, &h, 21);
		}
		bpf_object_free(o);
	}

	struct bpf_map_def def = {BPF_MAP_TYPE_ARRAY, 4, 16, 4, 0};
	size_t msz = bpf_map_mem_size(&def);
	struct bpf_map map;
	bpf_map_init(&map, &def, aligned_alloc(8, (msz + 7) & ~(size_t)7), msz, "arr");
	struct bpf_map *maps[] = {&map};
	hook.ctx_size = 64;
	bench_generated("gen_1000", 1000, maps, 21, &hook);
	bench_generated("gen_4096", 4096, maps, 21, &hook);
	bench_generated("gen_100000", 100000, maps, 5, &hook);

	/* About a million explored instructions: a counted loop of 99,990
	 * iterations whose every iteration is explored (the counter differs). */
	struct bpf_insn loop[] = {
	        I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0),
	        I(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 0),
	        I(BPF_ST | BPF_MEM | BPF_DW, 10, 0, -8, 0),
	        I(BPF_ALU64 | BPF_ADD | BPF_X, 0, 2, 0, 0),
	        I(BPF_ALU64 | BPF_AND | BPF_K, 0, 0, 0, 0xfff),
	        I(BPF_ALU64 | BPF_XOR | BPF_K, 0, 0, 0, 0x55),
	        I(BPF_ALU64 | BPF_MOV | BPF_X, 3, 10, 0, 0),
	        I(BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, -8),
	        I(BPF_STX | BPF_MEM | BPF_DW, 3, 0, 0, 0),
	        I(BPF_LDX | BPF_MEM | BPF_DW, 4, 3, 0, 0),
	        I(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, 1),
	        I(BPF_JMP | BPF_JLT | BPF_K, 2, 0, -9, 99990),
	        I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	struct bpf_prog lp;
	struct bpf_prog_error err;
	if (bpf_prog_init(&lp, loop, sizeof(loop) / sizeof(loop[0]), NULL, 0, &env, &err))
		return 1;
	bench("explored_1m", &lp, &hook, 3);
	return 0;
}
