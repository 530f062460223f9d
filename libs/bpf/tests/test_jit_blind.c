/* Constant blinding in the riscv64 back end, checked on any machine by
 * emitting riscv64 code into a buffer: RISC-V has no 32-bit immediate
 * field, so a constant is loaded as LUI (upper 20 bits) plus an add of
 * the lower 12; plain code holds the LUI of the program's constant,
 * blinded code never does. */
#include <stdint.h>

#include "bpf/jit.h"
#include "test.h"

#define R0 0
#define R1 1
#define R10 10

/* Does code hold a LUI (any register) whose immediate is hi20? */
static int has_lui(const uint8_t *code, size_t len, uint32_t hi20)
{
	for (size_t i = 0; i + 4 <= len; i += 4) {
		uint32_t w = (uint32_t)code[i] | (uint32_t)code[i + 1] << 8 |
		             (uint32_t)code[i + 2] << 16 | (uint32_t)code[i + 3] << 24;
		if ((w & 0x7f) == 0x37 && (w >> 12) == hi20)
			return 1;
	}
	return 0;
}

TEST(JIT, blinding_riscv64,
     "riscv64 blinding: plain code loads the program's constant with a LUI, blinded code "
     "never does, with or without Zba/Zbb")
{
	const int32_t K = 0x5a17c0de;
	const uint32_t hi20 = ((uint32_t)K + 0x800u) >> 12;
	const struct bpf_insn p[] = {
	        MOV64_K(R0, K),          ALU64_K(BPF_ADD, R0, K),
	        ALU32_K(BPF_XOR, R0, K), ST(BPF_W, R10, -4, K),
	        LDX(BPF_W, R1, R10, -4), JMP_K(BPF_JEQ, R1, K, 1),
	        MOV64_K(R0, 0),          ALU64_K(BPF_MUL, R0, K),
	        ALU64_K(BPF_MOD, R0, K), EXIT(),
	};
	struct bpf_prog prog;
	CHECK_EQ(bpf_prog_init(&prog, p, NELEM(p), NULL, 0, &test_env, NULL), 0);
	static uint8_t buf[8192];
	for (int ext = 0; ext < 2; ext++) {
		uint32_t isa = ext ? BPF_JIT_F_RV_ZBA | BPF_JIT_F_RV_ZBB : 0;
		struct bpf_jit_opts o = {
		        .hook = &test_hook_all, .alloc = &test_alloc, .flags = isa};
		size_t len = 0;
		CHECK_EQ(bpf_jit_emit(BPF_JIT_ARCH_RISCV64, &prog, &test_env, &o, buf, sizeof(buf),
		                      &len, NULL),
		         0);
		CHECK(has_lui(buf, len, hi20));
		for (uint64_t seed = 1; seed <= 8; seed++) {
			o.flags = isa | BPF_JIT_F_BLIND;
			o.blind_seed = seed;
			CHECK_EQ(bpf_jit_emit(BPF_JIT_ARCH_RISCV64, &prog, &test_env, &o, buf,
			                      sizeof(buf), &len, NULL),
			         0);
			CHECK(!has_lui(buf, len, hi20));
		}
	}
}
