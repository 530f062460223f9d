/* Verifier test cases shared by the test_verifier*.c files: maps, hooks,
 * and vcase(), which verifies a program, checks the rule (and where
 * given the instruction) of a rejection, and runs every accepted program
 * in checked mode, which must not trip a check. */
#ifndef BPF_TEST_VCASE_H
#define BPF_TEST_VCASE_H

#include "test.h"

#define R0 0
#define R1 1
#define R2 2
#define R3 3
#define R4 4
#define R5 5
#define R6 6
#define R7 7
#define R8 8
#define R9 9
#define R10 10

/* Maps every case can use: 0 array (4-byte key, 16-byte value, 4
 * entries), 1 hash (4 -> 8), 2 ring buffer (4096), 3 program array (4),
 * 4 read-only array (32-byte value holding "hello\0..."), 5 array of
 * 1-byte values (2 entries; stored 8 bytes apart) */
#define NMAPS_V 6
extern struct bpf_map *M[NMAPS_V];
extern const struct bpf_hook hook_ro, hook_leak, hook_fields, hook_few, hook_ret;
void vcase_fixture(void); /* (re)creates the maps */
extern uint64_t vstack[BPF_STACK_SIZE / 8];
void vcase(const struct bpf_insn *p, uint32_t n, int want, int at, const struct bpf_hook *hook,
           int line);

#define VCASE(name, want, at, hook, desc, ...)                           \
	TEST(VERIFIER, name, "[" #want "] " desc)                        \
	{                                                                \
		const struct bpf_insn p_[] = {__VA_ARGS__};              \
		vcase(p_, NELEM(p_), BPF_VR_##want, at, hook, __LINE__); \
	}
#define ACCEPT(name, desc, ...) VCASE(name, OK, -1, NULL, desc, __VA_ARGS__)
#define ACCEPT_H(name, hook, desc, ...) VCASE(name, OK, -1, hook, desc, __VA_ARGS__)
#define REJECT(name, rule, at, desc, ...) VCASE(name, rule, at, NULL, desc, __VA_ARGS__)
#define REJECT_H(name, rule, at, hook, desc, ...) VCASE(name, rule, at, hook, desc, __VA_ARGS__)

#define RET0 MOV64_K(R0, 0), EXIT()
/* r2 = ctx byte 0 (an unknown in [0, 255]) */
#define LOAD_U8_R2 LDX(BPF_B, R2, R1, 0)
/* 16 initialised stack bytes at fp-16 */
#define INIT16 ST(BPF_DW, R10, -16, 0), ST(BPF_DW, R10, -8, 0)
/* r0 = *(u8 *)(fp - 16 + r2) */
#define INDEX_R2                                                               \
	MOV64_X(R3, R10), ALU64_K(BPF_ADD, R3, -16), ALU64_X(BPF_ADD, R3, R2), \
	        LDX(BPF_B, R0, R3, 0), EXIT()
/* key 0 at fp-4, r2 = fp-4, r1 = map idx */
#define LOOKUP(idx)                                                                         \
	ST(BPF_W, R10, -4, 0), MOV64_X(R2, R10), ALU64_K(BPF_ADD, R2, -4), LD_MAP(R1, idx), \
	        CALL(BPF_FUNC_map_lookup_elem)
#define RESERVE(sz) LD_MAP(R1, 2), MOV64_K(R2, sz), MOV64_K(R3, 0), CALL(BPF_FUNC_ringbuf_reserve)

#endif
