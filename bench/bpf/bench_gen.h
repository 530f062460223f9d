/* A generated verifiable program of any size, shared by the verifier
 * and JIT compile-time benchmarks (host and riscv64 guest). */
#ifndef BENCH_GEN_H
#define BENCH_GEN_H

#include "bpf/bpf.h"

#define BG_I(code, dst, src, off, imm) \
	((struct bpf_insn){(uint8_t)(code), BPF_REGS(dst, src), (int16_t)(off), (int32_t)(imm)})

/* A generated program shaped like compiled code: repeated blocks that
 * read the context, bound an index with a branch, use it on the stack,
 * look up a map value with a NULL check, and rejoin (diamonds). */
static inline uint32_t bench_gen_prog(struct bpf_insn *p, uint32_t target)
{
	uint32_t n = 0;
	p[n++] = BG_I(BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0);
	p[n++] = BG_I(BPF_ST | BPF_MEM | BPF_DW, 10, 0, -16, 0);
	p[n++] = BG_I(BPF_ST | BPF_MEM | BPF_DW, 10, 0, -8, 0);
	p[n++] = BG_I(BPF_ALU64 | BPF_MOV | BPF_K, 7, 0, 0, 0);
	uint32_t k = 0;
	while (n + 24 < target) {
		k++;
		p[n++] = BG_I(BPF_LDX | BPF_MEM | BPF_B, 2, 6, (int16_t)(k % 60), 0);
		p[n++] = BG_I(BPF_JMP | BPF_JGT | BPF_K, 2, 0, 4, 15);
		p[n++] = BG_I(BPF_ALU64 | BPF_MOV | BPF_X, 3, 10, 0, 0);
		p[n++] = BG_I(BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, -16);
		p[n++] = BG_I(BPF_ALU64 | BPF_ADD | BPF_X, 3, 2, 0, 0);
		p[n++] = BG_I(BPF_LDX | BPF_MEM | BPF_B, 4, 3, 0, 0);
		p[n++] = BG_I(BPF_ALU64 | BPF_ADD | BPF_X, 7, 2, 0, 0);
		p[n++] = BG_I(BPF_ALU64 | BPF_AND | BPF_K, 7, 0, 0, 0xffff);
		if (k % 4 == 0) {
			p[n++] = BG_I(BPF_ST | BPF_MEM | BPF_W, 10, 0, -20, (int)(k & 3));
			p[n++] = BG_I(BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0);
			p[n++] = BG_I(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -20);
			p[n++] = BG_I(BPF_LD | BPF_IMM | BPF_DW, 1, BPF_PSEUDO_MAP_IDX, 0, 0);
			p[n++] = BG_I(0, 0, 0, 0, 0);
			p[n++] = BG_I(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
			p[n++] = BG_I(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2, 0);
			p[n++] = BG_I(BPF_LDX | BPF_MEM | BPF_DW, 5, 0, 8, 0);
			p[n++] = BG_I(BPF_ALU64 | BPF_ADD | BPF_X, 7, 5, 0, 0);
		}
		p[n++] = BG_I(BPF_JMP32 | BPF_JSET | BPF_K, 7, 0, 1, 1);
		p[n++] = BG_I(BPF_ALU64 | BPF_ADD | BPF_K, 7, 0, 0, 3);
	}
	while (n + 2 < target)
		p[n++] = BG_I(BPF_ALU64 | BPF_ADD | BPF_K, 7, 0, 0, 1);
	p[n++] = BG_I(BPF_ALU64 | BPF_MOV | BPF_X, 0, 7, 0, 0);
	p[n++] = BG_I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return n;
}

#endif
