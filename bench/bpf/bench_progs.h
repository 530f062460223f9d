/*
 * The benchmark programs, kept as eBPF instructions (hand-assembled so the
 * executed instruction stream is fixed and independent of the compiler).
 * bench.c counts the executed instructions with a checked-mode run and
 * times verified-mode runs.
 */
#ifndef BENCH_PROGS_H
#define BENCH_PROGS_H

#include "bpf/bpf.h"

#define BI(code, dst, src, off, imm)                                                \
	{                                                                           \
		(uint8_t)(code), BPF_REGS(dst, src), (int16_t)(off), (int32_t)(imm) \
	}
#define B_ALU64K(op, d, imm) BI(BPF_ALU64 | (op) | BPF_K, d, 0, 0, imm)
#define B_ALU64X(op, d, s) BI(BPF_ALU64 | (op) | BPF_X, d, s, 0, 0)
#define B_ALU32K(op, d, imm) BI(BPF_ALU | (op) | BPF_K, d, 0, 0, imm)
#define B_ALU32X(op, d, s) BI(BPF_ALU | (op) | BPF_X, d, s, 0, 0)
#define B_JMPK(op, d, imm, off) BI(BPF_JMP | (op) | BPF_K, d, 0, off, imm)
#define B_JMPX(op, d, s, off) BI(BPF_JMP | (op) | BPF_X, d, s, off, 0)
#define B_LDX(sz, d, s, off) BI(BPF_LDX | BPF_MEM | (sz), d, s, off, 0)
#define B_STX(sz, d, s, off) BI(BPF_STX | BPF_MEM | (sz), d, s, off, 0)
#define B_EXIT() BI(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* 1. Sum the integers 0 .. 9,999,999: three instructions per iteration. */
static const struct bpf_insn bench_loop_sum[] = {
        B_ALU64K(BPF_MOV, 0, 0), B_ALU64K(BPF_MOV, 1, 0),   B_ALU64K(BPF_MOV, 2, 10000000),
        B_ALU64X(BPF_ADD, 0, 1), /* loop: */
        B_ALU64K(BPF_ADD, 1, 1), B_JMPX(BPF_JLT, 1, 2, -3), B_EXIT(),
};
#define BENCH_LOOP_SUM_RESULT (10000000ULL * 9999999ULL / 2)

/* 2. Internet checksum (RFC 1071 style one's-complement sum of 16-bit
 * words) over the 64 KiB context buffer. */
static const struct bpf_insn bench_checksum[] = {
        B_ALU64X(BPF_MOV, 2, 1),        B_ALU64X(BPF_MOV, 3, 1),      B_ALU64K(BPF_ADD, 3, 65536),
        B_ALU64K(BPF_MOV, 0, 0),        B_LDX(BPF_H, 4, 2, 0), /* loop: */
        B_ALU64X(BPF_ADD, 0, 4),        B_ALU64K(BPF_ADD, 2, 2),      B_JMPX(BPF_JLT, 2, 3, -4),
        B_ALU64X(BPF_MOV, 4, 0), /* fold: */
        B_ALU64K(BPF_RSH, 4, 16),       B_ALU64K(BPF_AND, 0, 0xffff), B_ALU64X(BPF_ADD, 0, 4),
        B_JMPK(BPF_JGT, 0, 0xffff, -5), B_ALU64K(BPF_XOR, 0, 0xffff), B_EXIT(),
};

/* 3. Hash-map lookup loop: 100,000 lookups of keys i & 1023 in a
 * 1024-entry hash map (map index 0), summing the values found. */
#define BENCH_HASH_LOOKUPS 100000
static const struct bpf_insn bench_hash_lookup[] = {
        B_ALU64K(BPF_MOV, 6, 0),
        B_ALU64K(BPF_MOV, 7, 0),
        B_ALU64X(BPF_MOV, 1, 7), /* loop: */
        B_ALU64K(BPF_AND, 1, 1023),
        B_STX(BPF_W, 10, 1, -4),
        BI(BPF_LD | BPF_IMM | BPF_DW, 1, BPF_PSEUDO_MAP_IDX, 0, 0),
        BI(0, 0, 0, 0, 0),
        B_ALU64X(BPF_MOV, 2, 10),
        B_ALU64K(BPF_ADD, 2, -4),
        BI(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem),
        B_JMPK(BPF_JEQ, 0, 0, 2),
        B_LDX(BPF_DW, 1, 0, 0),
        B_ALU64X(BPF_ADD, 6, 1),
        B_ALU64K(BPF_ADD, 7, 1), /* skip: */
        B_JMPK(BPF_JLT, 7, BENCH_HASH_LOOKUPS, -13),
        B_ALU64X(BPF_MOV, 0, 6),
        B_EXIT(),
};

/* 4. Instruction mix: 64- and 32-bit ALU, multiply, divide, modulo,
 * shifts, byte swap, stack store/load and branches, 1,000,000 iterations. */
#define BENCH_MIX_ITERS 1000000
static const struct bpf_insn bench_insn_mix[] = {
        B_ALU64K(BPF_MOV, 0, 0),           B_ALU64K(BPF_MOV, 1, 0),
        B_ALU64K(BPF_MOV, 2, 12345),       B_ALU64K(BPF_MOV, 9, BENCH_MIX_ITERS),
        B_ALU64X(BPF_MOV, 3, 1), /* loop: */
        B_ALU64K(BPF_MUL, 3, -1640531535), B_ALU64X(BPF_XOR, 3, 2),
        B_ALU64X(BPF_MOV, 4, 3),           B_ALU64K(BPF_RSH, 4, 7),
        B_ALU32X(BPF_MOV, 5, 3),           B_ALU32X(BPF_ADD, 5, 4),
        B_ALU64X(BPF_MOV, 6, 3),           B_ALU64K(BPF_DIV, 6, 7),
        B_ALU64K(BPF_MOD, 6, 13),          B_STX(BPF_DW, 10, 3, -8),
        B_LDX(BPF_W, 7, 10, -8),           BI(BPF_ALU | BPF_END | BPF_TO_BE, 7, 0, 0, 32),
        B_JMPK(BPF_JSET, 5, 1, 1),         B_ALU64X(BPF_ADD, 0, 6),
        B_ALU64X(BPF_ADD, 0, 7),           B_ALU64X(BPF_XOR, 0, 5),
        B_ALU64K(BPF_LSH, 4, 3),           B_ALU64X(BPF_SUB, 0, 4),
        B_ALU64X(BPF_MOV, 2, 3),           B_ALU64K(BPF_ADD, 1, 1),
        B_JMPX(BPF_JLT, 1, 9, -22),        B_EXIT(),
};

#endif
