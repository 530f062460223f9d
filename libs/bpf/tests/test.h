/* Minimal test harness: TEST() registers a function; CHECK*() record
 * failures (as "# ..." lines) and let the test continue. */
#ifndef BPF_TEST_H
#define BPF_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/bpf.h"

struct test {
	const char *group, *name, *desc;
	void (*fn)(void);
	struct test *next;
};
void test_register(struct test *t);
extern int test_failed;

#define TEST(group, name, desc)                                                      \
	static void t_##group##_##name(void);                                        \
	__attribute__((constructor)) static void reg_##group##_##name(void)          \
	{                                                                            \
		static struct test t = {#group, #name, desc, t_##group##_##name, 0}; \
		test_register(&t);                                                   \
	}                                                                            \
	static void t_##group##_##name(void)

#define CHECK(cond)                                                                       \
	do {                                                                              \
		if (!(cond)) {                                                            \
			printf("# %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
			test_failed = 1;                                                  \
		}                                                                         \
	} while (0)

#define CHECK_EQ(a, b)                                                                       \
	do {                                                                                 \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                             \
		if (a_ != b_) {                                                              \
			printf("# %s:%d: %s == %s failed: 0x%" PRIx64 " != 0x%" PRIx64 "\n", \
			       __FILE__, __LINE__, #a, #b, a_, b_);                          \
			test_failed = 1;                                                     \
		}                                                                            \
	} while (0)

#define CHECK_STR(a, b)                                                                    \
	do {                                                                               \
		const char *a_ = (a), *b_ = (b);                                           \
		if (strcmp(a_, b_)) {                                                      \
			printf("# %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, a_, b_); \
			test_failed = 1;                                                   \
		}                                                                          \
	} while (0)

/* ---- instruction builders (RFC 9669 encodings) ---- */
#define I(code, dst, src, off, imm) \
	((struct bpf_insn){(uint8_t)(code), BPF_REGS(dst, src), (int16_t)(off), (int32_t)(imm)})
#define ALU64_K(op, d, imm) I(BPF_ALU64 | (op) | BPF_K, d, 0, 0, imm)
#define ALU64_X(op, d, s) I(BPF_ALU64 | (op) | BPF_X, d, s, 0, 0)
#define ALU32_K(op, d, imm) I(BPF_ALU | (op) | BPF_K, d, 0, 0, imm)
#define ALU32_X(op, d, s) I(BPF_ALU | (op) | BPF_X, d, s, 0, 0)
#define SDIV64_K(d, imm) I(BPF_ALU64 | BPF_DIV | BPF_K, d, 0, 1, imm)
#define SDIV64_X(d, s) I(BPF_ALU64 | BPF_DIV | BPF_X, d, s, 1, 0)
#define SMOD64_K(d, imm) I(BPF_ALU64 | BPF_MOD | BPF_K, d, 0, 1, imm)
#define SMOD64_X(d, s) I(BPF_ALU64 | BPF_MOD | BPF_X, d, s, 1, 0)
#define SDIV32_K(d, imm) I(BPF_ALU | BPF_DIV | BPF_K, d, 0, 1, imm)
#define SDIV32_X(d, s) I(BPF_ALU | BPF_DIV | BPF_X, d, s, 1, 0)
#define SMOD32_K(d, imm) I(BPF_ALU | BPF_MOD | BPF_K, d, 0, 1, imm)
#define SMOD32_X(d, s) I(BPF_ALU | BPF_MOD | BPF_X, d, s, 1, 0)
#define MOV64_K(d, imm) ALU64_K(BPF_MOV, d, imm)
#define MOV64_X(d, s) ALU64_X(BPF_MOV, d, s)
#define MOV32_K(d, imm) ALU32_K(BPF_MOV, d, imm)
#define MOVSX64(d, s, bits) I(BPF_ALU64 | BPF_MOV | BPF_X, d, s, bits, 0)
#define MOVSX32(d, s, bits) I(BPF_ALU | BPF_MOV | BPF_X, d, s, bits, 0)
#define LE(d, w) I(BPF_ALU | BPF_END | BPF_TO_LE, d, 0, 0, w)
#define BE(d, w) I(BPF_ALU | BPF_END | BPF_TO_BE, d, 0, 0, w)
#define BSWAP(d, w) I(BPF_ALU64 | BPF_END, d, 0, 0, w)
#define LD64(d, v)                                                      \
	I(BPF_LD | BPF_IMM | BPF_DW, d, 0, 0, (uint32_t)(uint64_t)(v)), \
	        I(0, 0, 0, 0, (uint32_t)((uint64_t)(v) >> 32))
#define LD_MAP(d, idx) I(BPF_LD | BPF_IMM | BPF_DW, d, BPF_PSEUDO_MAP_IDX, 0, idx), I(0, 0, 0, 0, 0)
#define LD_MAP_VALUE(d, idx, off) \
	I(BPF_LD | BPF_IMM | BPF_DW, d, BPF_PSEUDO_MAP_IDX_VALUE, 0, idx), I(0, 0, 0, 0, off)
#define LDX(sz, d, s, off) I(BPF_LDX | BPF_MEM | (sz), d, s, off, 0)
#define LDXSX(sz, d, s, off) I(BPF_LDX | BPF_MEMSX | (sz), d, s, off, 0)
#define STX(sz, d, s, off) I(BPF_STX | BPF_MEM | (sz), d, s, off, 0)
#define ST(sz, d, off, imm) I(BPF_ST | BPF_MEM | (sz), d, 0, off, imm)
#define ATOMIC(sz, op, d, s, off) I(BPF_STX | BPF_ATOMIC | (sz), d, s, off, op)
#define JMP_K(op, d, imm, off) I(BPF_JMP | (op) | BPF_K, d, 0, off, imm)
#define JMP_X(op, d, s, off) I(BPF_JMP | (op) | BPF_X, d, s, off, 0)
#define JMP32_K(op, d, imm, off) I(BPF_JMP32 | (op) | BPF_K, d, 0, off, imm)
#define JMP32_X(op, d, s, off) I(BPF_JMP32 | (op) | BPF_X, d, s, off, 0)
#define JA(off) I(BPF_JMP | BPF_JA, 0, 0, off, 0)
#define GOTOL(imm) I(BPF_JMP32 | BPF_JA, 0, 0, 0, imm)
#define CALL(id) I(BPF_JMP | BPF_CALL, 0, 0, 0, id)
#define CALL_LOCAL(rel) I(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL_LOCAL, 0, rel)
#define EXIT() I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define LDABS(sz, imm) I(BPF_LD | BPF_ABS | (sz), 0, 0, 0, imm)
#define LDIND(sz, s, imm) I(BPF_LD | BPF_IND | (sz), 0, s, 0, imm)

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- shared fixtures (tests/util.c) ---- */
extern struct bpf_env test_env;
extern char test_print_buf[4096];
extern size_t test_print_len;
extern uint64_t test_ktime;

/* Run insns in the given mode; the program must pass bpf_prog_init. */
int run_mode(const struct bpf_insn *insns, uint32_t n, struct bpf_map *const *maps, uint32_t nmaps,
             void *ctx, size_t ctx_len, int mode, uint64_t *r0, struct bpf_vm *vm_out);
/* Run in verified and checked mode; both must succeed with the same R0. */
uint64_t run_both(const struct bpf_insn *insns, uint32_t n, struct bpf_map *const *maps,
                  uint32_t nmaps, void *ctx, size_t ctx_len);
/* bpf_prog_init's verdict: 0 or the failing instruction + 1. */
int validate_at(const struct bpf_insn *insns, uint32_t n, const char **reason);

struct bpf_map *make_map(uint32_t type, uint32_t key, uint32_t value, uint32_t max, uint32_t flags,
                         const char *name);
void free_maps(void);

/* Verifier fixtures (tests/util.c): verify insns against a hook; returns
 * bpf_verify's result, fills res and (if given) log. */
#include "bpf/verifier.h"
extern const struct bpf_hook test_hook_all; /* 64-byte ctx, everything allowed but pointer leaks */
int verify_insns(const struct bpf_insn *insns, uint32_t n, struct bpf_map *const *maps,
                 uint32_t nmaps, const struct bpf_hook *hook, struct bpf_verifier_result *res,
                 char *log, size_t log_size);
extern int verify_all_runs; /* run_both also verifies (count of programs verified) */

/* JIT runs (tests/util.c): with --jit on|blind the binary runs every
 * verified-mode execution through the JIT.  test_mode maps a requested
 * mode to the one to use; test_jit_prepare compiles (0 when compiled);
 * test_jit_keep releases code after the test when the prog struct goes
 * away first (loader objects). */
extern int test_jit;
extern uint32_t test_jit_flags;
extern long test_jit_compiled, test_jit_fallback;
int test_mode(int mode);
int test_jit_prepare(struct bpf_prog *prog, size_t ctx_len);
void test_jit_keep(struct bpf_prog *prog);

/* Counting allocator for the loader: detects leaks and double frees. */
extern struct bpf_allocator test_alloc;
extern long test_alloc_live;
extern long test_alloc_fail_after; /* -1: never fail */
void *read_file(const char *path, size_t *len);
#endif
