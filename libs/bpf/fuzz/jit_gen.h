/*
 * Program generator for differential testing of the JIT against the
 * interpreter: random programs meant to pass the verifier that use every
 * instruction class of RFC 9669 the runtime implements.
 *
 *   ALU / ALU64  every operation, K and X forms, signed division and
 *                modulo (offset 1), sign-extending moves, byte swaps
 *   JMP / JMP32  every condition, K and X, if/else with JA and gotol
 *                (JMP32 JA), bounded loops (backward jumps)
 *   LD           LD_IMM64 plain, map and map-value sources; legacy
 *                packet loads (LD_ABS, LD_IND) for packet hooks
 *   LDX/ST/STX   every size, sign-extending loads, on the stack, the
 *                context and map values
 *   ATOMIC       every operation, 32 and 64 bits, on stack and map values
 *   CALL         helpers (maps, ring buffer, tail call, misc), callx by
 *                helper id, BPF-to-BPF calls static and through callx
 *   EXIT
 *
 * Randomness comes from the input bytes and, once they run out, from an
 * xorshift stream seeded by them, so a short input still makes a whole
 * program (libFuzzer mutates the bytes; the standalone driver passes a
 * seed).  At the end every scalar register and the stack area are folded
 * into R0, so a wrong value anywhere shows in the result.
 *
 * The maps are fuzz_maps.h's: 0 array (4-byte key, 16-byte value, 4
 * entries), 1 hash (4, 8, 8), 2 LRU hash (8, 8, 4), 3 ring buffer, 4
 * program array (slot 0: the program itself).
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "bpf/insn.h"

#define JG_I(code, dst, src, off, imm) \
	((struct bpf_insn){(uint8_t)(code), BPF_REGS(dst, src), (int16_t)(off), (int32_t)(imm)})

enum {
	JG_SLOTS = 8, /* random stack slots fp-8 .. fp-64 */
	JG_MAX_INSNS = 900,
	JG_MAX_SUBS = 2,
};

struct jgen {
	const uint8_t *d;
	size_t n, pos;
	uint64_t x; /* xorshift state once the bytes are used up */
	struct bpf_insn *out;
	uint32_t len, cap;
	/* what the program may use */
	bool packet;    /* hook allows LD_ABS/LD_IND */
	bool ctx_write; /* hook context writable */
	uint32_t ctx_size;
	/* generation state */
	bool in_sub;    /* in a subprogram: R6 is no context, no tail calls */
	uint16_t fixed; /* registers the current block must not write */
	int depth;      /* nesting of if/loop blocks */
	uint32_t nsubs;
	uint32_t call_at[64], ncalls; /* calls to patch with their subprogram */
	uint8_t call_sub[64];
	uint8_t call_kind[64]; /* 0: static call, 1: callx (the MOV before) */
};

static uint64_t jg_rnd(struct jgen *g)
{
	if (g->pos + 4 <= g->n) {
		uint32_t v = (uint32_t)g->d[g->pos] | (uint32_t)g->d[g->pos + 1] << 8 |
		             (uint32_t)g->d[g->pos + 2] << 16 | (uint32_t)g->d[g->pos + 3] << 24;
		g->pos += 4;
		g->x ^= v * 0x9e3779b97f4a7c15ULL;
		return (uint64_t)v | (uint64_t)v << 32;
	}
	g->x ^= g->x << 13;
	g->x ^= g->x >> 7;
	g->x ^= g->x << 17;
	return g->x;
}
static uint32_t jg_pick(struct jgen *g, uint32_t n)
{
	return (uint32_t)((jg_rnd(g) >> 8) % n);
}

static int32_t jg_imm(struct jgen *g)
{
	static const int32_t edge[] = {0,         1,         -1,    2,      3,      7,
	                               8,         15,        16,    31,     32,     63,
	                               64,        255,       -255,  0x7fff, 0x8000, -0x8000,
	                               INT32_MAX, INT32_MIN, 0x7ff, 0x800,  -0x800, 0x12345678};
	uint64_t r = jg_rnd(g);
	return r % 3 ? edge[(r >> 8) % (sizeof(edge) / sizeof(edge[0]))] : (int32_t)(r >> 16);
}

static void jg_emit(struct jgen *g, struct bpf_insn in)
{
	if (g->len < g->cap)
		g->out[g->len++] = in;
}

static void jg_ld64(struct jgen *g, int dst, uint8_t src, uint64_t v)
{
	jg_emit(g, JG_I(BPF_LD | BPF_IMM | BPF_DW, dst, src, 0, (uint32_t)v));
	jg_emit(g, JG_I(0, 0, 0, 0, (uint32_t)(v >> 32)));
}

/* Scalar registers: R0-R5, R7-R9 (R6 holds the context in the main
 * program; in a subprogram it is written before use like the others). */
static int jg_reg(struct jgen *g)
{
	static const int regs[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 6};
	return regs[jg_pick(g, g->in_sub ? 10 : 9)];
}
static int jg_dst(struct jgen *g)
{
	for (int t = 0; t < 16; t++) {
		int r = jg_reg(g);
		if (!(g->fixed & (1u << r)))
			return r;
	}
	for (int r = 0; r < 10; r++)
		if (!(g->fixed & (1u << r)) && (r != 6 || g->in_sub))
			return r;
	return 0;
}
/* A writable scalar register other than reg. */
static int jg_other(struct jgen *g, int reg)
{
	int r = jg_dst(g);
	for (int t = 0; r == reg && t < 16; t++)
		r = jg_dst(g);
	if (r == reg)
		r = reg == 9 ? 8 : 9;
	return r;
}

static int jg_size(struct jgen *g, int *bytes)
{
	static const int sz[] = {BPF_B, BPF_H, BPF_W, BPF_DW}, nb[] = {1, 2, 4, 8};
	int k = (int)jg_pick(g, 4);
	*bytes = nb[k];
	return sz[k];
}

/* An offset inside a region of len bytes, aligned to size. */
static int16_t jg_off(struct jgen *g, int base, int len, int size)
{
	return (int16_t)(base + size * (int)jg_pick(g, (uint32_t)(len / size)));
}

/* After a helper call R1-R5 are unreadable: give them values again. */
static void jg_reinit_args(struct jgen *g)
{
	for (int r = 1; r <= 5; r++)
		jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_K, r, 0, 0, jg_imm(g)));
}

static void jg_alu(struct jgen *g)
{
	static const int ops[] = {BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR,  BPF_AND,  BPF_LSH,
	                          BPF_RSH, BPF_NEG, BPF_MOD, BPF_XOR, BPF_MOV, BPF_ARSH, BPF_END};
	int is64 = (int)(jg_rnd(g) & 1), x = (int)(jg_rnd(g) >> 9 & 1);
	int op = ops[jg_pick(g, sizeof(ops) / sizeof(ops[0]))];
	int dst = jg_dst(g), src = jg_reg(g), off = 0;
	int32_t imm = jg_imm(g);
	uint8_t cls = is64 ? BPF_ALU64 : BPF_ALU;
	if (op == BPF_END) { /* ALU: to-LE / to-BE; ALU64: unconditional swap */
		static const int widths[] = {16, 32, 64};
		jg_emit(g, JG_I(cls | BPF_END |
		                        (is64 ? 0
		                         : x  ? BPF_TO_BE
		                              : BPF_TO_LE),
		                dst, 0, 0, widths[jg_pick(g, 3)]));
		return;
	}
	if (op == BPF_NEG) {
		jg_emit(g, JG_I(cls | BPF_NEG, dst, 0, 0, 0));
		return;
	}
	if ((op == BPF_DIV || op == BPF_MOD) && (jg_rnd(g) & 1))
		off = 1; /* SDIV / SMOD */
	if (op == BPF_MOV && x && jg_pick(g, 2)) {
		static const int offs[] = {8, 16, 32};
		off = offs[jg_pick(g, is64 ? 3 : 2)]; /* MOVSX */
	}
	if (x)
		jg_emit(g, JG_I(cls | op | BPF_X, dst, src, off, 0));
	else
		jg_emit(g, JG_I(cls | op | BPF_K, dst, 0, off, imm));
}

static struct bpf_insn jg_cond(struct jgen *g, int16_t off)
{
	static const int jops[] = {BPF_JEQ,  BPF_JGT, BPF_JGE, BPF_JSET, BPF_JNE, BPF_JSGT,
	                           BPF_JSGE, BPF_JLT, BPF_JLE, BPF_JSLT, BPF_JSLE};
	uint8_t cls = (jg_rnd(g) & 1) ? BPF_JMP : BPF_JMP32;
	int op = jops[jg_pick(g, sizeof(jops) / sizeof(jops[0]))];
	/* one draw per statement: initialisers and arguments are not
	 * sequenced, and a seed must give the same program whatever the
	 * compiler and machine (jit_diff --accepted | --stdin) */
	bool x = jg_rnd(g) & 1;
	int a = jg_reg(g);
	if (x)
		return JG_I(cls | op | BPF_X, a, jg_reg(g), off, 0);
	return JG_I(cls | op | BPF_K, a, 0, off, jg_imm(g));
}

/* Stack memory: loads, sign-extending loads, stores of both kinds. */
static void jg_stack(struct jgen *g)
{
	int nb, sz = jg_size(g, &nb);
	int16_t off = jg_off(g, -8 * JG_SLOTS, 8 * JG_SLOTS, nb);
	switch (jg_pick(g, 4)) {
	case 0:
		jg_emit(g, JG_I(BPF_STX | BPF_MEM | sz, 10, jg_reg(g), off, 0));
		break;
	case 1:
		jg_emit(g, JG_I(BPF_ST | BPF_MEM | sz, 10, 0, off, jg_imm(g)));
		break;
	default:
		jg_emit(g,
		        JG_I(BPF_LDX | (sz != BPF_DW && (jg_rnd(g) & 1) ? BPF_MEMSX : BPF_MEM) | sz,
		             jg_dst(g), 10, off, 0));
	}
}

static void jg_atomic(struct jgen *g, int base_reg, int base, int len)
{
	static const int aops[] = {BPF_ADD,
	                           BPF_OR,
	                           BPF_AND,
	                           BPF_XOR,
	                           BPF_ADD | BPF_FETCH,
	                           BPF_OR | BPF_FETCH,
	                           BPF_AND | BPF_FETCH,
	                           BPF_XOR | BPF_FETCH,
	                           BPF_XCHG,
	                           BPF_CMPXCHG};
	int dw = (int)(jg_rnd(g) & 1);
	int aop = aops[jg_pick(g, sizeof(aops) / sizeof(aops[0]))];
	/* fetching forms write src (CMPXCHG: R0): never a fixed register,
	 * never the base pointer (which would also store a pointer) */
	int src = jg_other(g, base_reg);
	if (aop == BPF_CMPXCHG && ((g->fixed & 1u) || base_reg == 0))
		aop = BPF_ADD;
	jg_emit(g, JG_I(BPF_STX | BPF_ATOMIC | (dw ? BPF_DW : BPF_W), base_reg, src,
	                jg_off(g, base, len, dw ? 8 : 4), aop));
}

/* R2 = fp + off of a key for map m written just before. */
static void jg_key(struct jgen *g, uint32_t m, int16_t off)
{
	uint32_t entries = m == 0 ? 5 : m == 1 ? 10 : 6; /* a few keys past the map */
	jg_emit(g, JG_I(BPF_ST | BPF_MEM | (m == 2 ? BPF_DW : BPF_W), 10, 0, off,
	                (int32_t)jg_pick(g, entries)));
	jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0));
	jg_emit(g, JG_I(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, off));
}

/* Memory access through a map value pointer in reg (value of vlen bytes). */
static void jg_value_access(struct jgen *g, int reg, int vlen)
{
	int nb, sz = jg_size(g, &nb);
	if (nb > vlen)
		sz = BPF_W, nb = 4;
	int16_t off = jg_off(g, 0, vlen, nb);
	switch (jg_pick(g, 5)) {
	case 0:
		jg_emit(g, JG_I(BPF_STX | BPF_MEM | sz, reg, jg_other(g, reg), off, 0));
		break;
	case 1:
		jg_emit(g, JG_I(BPF_ST | BPF_MEM | sz, reg, 0, off, jg_imm(g)));
		break;
	case 2:
		jg_atomic(g, reg, 0, vlen);
		break;
	default: {
		int dst = jg_other(g, reg);
		jg_emit(g,
		        JG_I(BPF_LDX | (sz != BPF_DW && (jg_rnd(g) & 1) ? BPF_MEMSX : BPF_MEM) | sz,
		             dst, reg, off, 0));
	}
	}
}

static void jg_map_call(struct jgen *g)
{
	uint32_t m = jg_pick(g, 3);
	uint32_t vlen = m == 0 ? 16 : 8;
	int16_t koff = (int16_t)(-8 * (JG_SLOTS + 1)), voff = (int16_t)(-8 * (JG_SLOTS + 3));
	uint32_t what = jg_pick(g, 4);
	jg_key(g, m, koff);
	jg_ld64(g, 1, BPF_PSEUDO_MAP_IDX, m);
	if (what == 0) { /* update: value from two random slots */
		jg_emit(g, JG_I(BPF_STX | BPF_MEM | BPF_DW, 10, jg_reg(g), voff, 0));
		jg_emit(g, JG_I(BPF_STX | BPF_MEM | BPF_DW, 10, jg_reg(g), voff + 8, 0));
		jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_X, 3, 10, 0, 0));
		jg_emit(g, JG_I(BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, voff));
		jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_K, 4, 0, 0, jg_pick(g, 3)));
		jg_emit(g, JG_I(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_update_elem));
	} else if (what == 1) {
		jg_emit(g, JG_I(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_delete_elem));
	} else {
		jg_emit(g, JG_I(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem));
		jg_reinit_args(g); /* the accesses may read any scalar register */
		/* if (r0) { accesses; } r0 = scalar */
		uint32_t at = g->len, k = 1 + jg_pick(g, 3);
		jg_emit(g, JG_I(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 0, 0));
		/* keep the pointer in R0: accesses may not write it */
		uint16_t saved = g->fixed;
		g->fixed |= 1u;
		for (uint32_t i = 0; i < k; i++)
			jg_value_access(g, 0, (int)vlen);
		g->fixed = saved;
		g->out[at].off = (int16_t)(g->len - at - 1);
		jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, jg_imm(g)));
	}
	jg_reinit_args(g);
}

static void jg_helper(struct jgen *g)
{
	int16_t voff = (int16_t)(-8 * (JG_SLOTS + 3));
	switch (jg_pick(g, 6)) {
	case 0: /* misc helpers by id */
	case 1: {
		static const int ids[] = {BPF_FUNC_get_prandom_u32, BPF_FUNC_ktime_get_ns,
		                          BPF_FUNC_get_smp_processor_id};
		jg_emit(g, JG_I(BPF_JMP | BPF_CALL, 0, 0, 0, ids[jg_pick(g, 3)]));
		break;
	}
	case 2: { /* the same through callx */
		int r = 7 + (int)jg_pick(g, 3);
		if (g->fixed & (1u << r))
			r = 0;
		static const int ids[] = {BPF_FUNC_get_prandom_u32, BPF_FUNC_ktime_get_ns,
		                          BPF_FUNC_get_smp_processor_id};
		jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_K, r, 0, 0, ids[jg_pick(g, 3)]));
		jg_emit(g, JG_I(BPF_JMP | BPF_CALL | BPF_X, r, 0, 0, 0));
		break;
	}
	case 3: { /* ring buffer record: reserve, fill, submit or discard */
		int32_t size = 8 + 8 * (int32_t)jg_pick(g, 4);
		jg_ld64(g, 1, BPF_PSEUDO_MAP_IDX, 3);
		jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, size));
		jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 0));
		jg_emit(g, JG_I(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ringbuf_reserve));
		jg_emit(g, JG_I(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 5, 0));
		jg_emit(g, JG_I(BPF_STX | BPF_MEM | BPF_DW, 0, 7 + jg_pick(g, 3), 0, 0));
		jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_X, 1, 0, 0, 0));
		jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 0));
		jg_emit(g,
		        JG_I(BPF_JMP | BPF_CALL, 0, 0, 0,
		             (jg_rnd(g) & 1) ? BPF_FUNC_ringbuf_submit : BPF_FUNC_ringbuf_discard));
		jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0));
		break;
	}
	case 4: /* ring buffer output from the stack */
		jg_emit(g, JG_I(BPF_STX | BPF_MEM | BPF_DW, 10, jg_reg(g), voff, 0));
		jg_ld64(g, 1, BPF_PSEUDO_MAP_IDX, 3);
		jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0));
		jg_emit(g, JG_I(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, voff));
		jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 8));
		jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_K, 4, 0, 0, 0));
		jg_emit(g, JG_I(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ringbuf_output));
		break;
	default: /* ring buffer query */
		jg_ld64(g, 1, BPF_PSEUDO_MAP_IDX, 3);
		jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, jg_pick(g, 4)));
		jg_emit(g, JG_I(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ringbuf_query));
	}
	jg_reinit_args(g);
}

static void jg_block(struct jgen *g, uint32_t items);

static void jg_item(struct jgen *g)
{
	uint32_t kind = jg_pick(g, 32);
	if (g->len + 48 >= g->cap)
		return;
	switch (kind) {
	case 0 ... 8:
		jg_alu(g);
		break;
	case 9 ... 12:
		jg_stack(g);
		break;
	case 13:
	case 14:
		jg_atomic(g, 10, -8 * JG_SLOTS, 8 * JG_SLOTS);
		break;
	case 15: /* context */
		if (!g->in_sub) {
			int nb, sz = jg_size(g, &nb);
			if ((uint32_t)nb > g->ctx_size)
				sz = BPF_W, nb = 4;
			int16_t off = jg_off(g, 0, (int)g->ctx_size, nb);
			if (g->ctx_write && (jg_rnd(g) & 1))
				jg_emit(g, JG_I(BPF_STX | BPF_MEM | sz, 6, jg_reg(g), off, 0));
			else
				jg_emit(g, JG_I(BPF_LDX | BPF_MEM | sz, jg_dst(g), 6, off, 0));
		}
		break;
	case 16: /* map value address from LD_IMM64 (array map 0, element 0) */
	{
		int r = 7 + (int)jg_pick(g, 3);
		if (g->fixed & (1u << r))
			break;
		uint64_t voff = 8 * jg_pick(g, 2);
		jg_ld64(g, r, BPF_PSEUDO_MAP_IDX_VALUE, (uint64_t)0 | voff << 32);
		jg_value_access(g, r, 16 - (int)voff);
		jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_K, r, 0, 0, jg_imm(g)));
		break;
	}
	case 17: {
		int d = jg_dst(g);
		jg_ld64(g, d, 0, jg_rnd(g));
		break;
	}
	case 18:
	case 19:
		jg_map_call(g);
		break;
	case 20:
		jg_helper(g);
		break;
	case 21: /* legacy packet loads: the context is the packet */
		if (g->packet && !g->in_sub) {
			static const int lsz[] = {BPF_B, BPF_H, BPF_W};
			int sz = lsz[jg_pick(g, 3)];
			if (jg_rnd(g) & 1) {
				jg_emit(g, JG_I(BPF_LD | BPF_ABS | sz, 0, 0, 0,
				                (int32_t)jg_pick(g, g->ctx_size + 4)));
			} else {
				int r = jg_reg(g);
				if (jg_pick(g, 4) && !(g->fixed & (1u << r)))
					jg_emit(g, JG_I(BPF_ALU64 | BPF_AND | BPF_K, r, 0, 0, 63));
				jg_emit(g, JG_I(BPF_LD | BPF_IND | sz, 0, r, 0,
				                (int32_t)jg_pick(g, 16) - 4));
			}
		}
		break;
	case 22: /* tail call to slot 0 (this program) or 1 (empty) */
		if (!g->in_sub && g->nsubs == 0) {
			jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_X, 1, 6, 0, 0));
			jg_ld64(g, 2, BPF_PSEUDO_MAP_IDX, 4);
			jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, jg_pick(g, 3)));
			jg_emit(g, JG_I(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_tail_call));
			jg_reinit_args(g);
		}
		break;
	case 23: /* BPF-to-BPF call, static or callx (patched at the end) */
		if (g->ncalls < 64 && !g->in_sub) {
			uint32_t sub = jg_pick(g, JG_MAX_SUBS);
			int via = (int)(jg_rnd(g) & 1);
			for (int r = 1; r <= 5; r++) /* arguments the callee reads */
				jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_K, r, 0, 0, jg_imm(g)));
			g->call_sub[g->ncalls] = (uint8_t)sub;
			g->call_kind[g->ncalls] = (uint8_t)via;
			if (via) {
				int r = 7 + (int)jg_pick(g, 3);
				if (g->fixed & (1u << r))
					r = 0;
				g->call_at[g->ncalls++] = g->len;
				jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_K, r, 0, 0, 0));
				jg_emit(g, JG_I(BPF_JMP | BPF_CALL | BPF_X, r,
				                BPF_PSEUDO_CALL_LOCAL, 0, 0));
			} else {
				g->call_at[g->ncalls++] = g->len;
				jg_emit(g,
				        JG_I(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL_LOCAL, 0, 0));
			}
			jg_reinit_args(g);
		}
		break;
	case 24 ... 27: /* if / if-else (JA or gotol over the else) */
		if (g->depth < 3) {
			uint32_t at = g->len;
			jg_emit(g, jg_cond(g, 0));
			g->depth++;
			jg_block(g, 1 + jg_pick(g, 3));
			if (jg_rnd(g) & 1) {
				uint32_t ja = g->len;
				bool gotol = jg_rnd(g) & 1;
				jg_emit(g, gotol ? JG_I(BPF_JMP32 | BPF_JA, 0, 0, 0, 0)
				                 : JG_I(BPF_JMP | BPF_JA, 0, 0, 0, 0));
				g->out[at].off = (int16_t)(g->len - at - 1);
				jg_block(g, 1 + jg_pick(g, 3));
				if (gotol)
					g->out[ja].imm = (int32_t)(g->len - ja - 1);
				else
					g->out[ja].off = (int16_t)(g->len - ja - 1);
			} else {
				g->out[at].off = (int16_t)(g->len - at - 1);
			}
			g->depth--;
		}
		break;
	case 28: /* bounded loop on a counter the body may not write */
		if (g->depth < 2) {
			int c = 7 + (int)jg_pick(g, 3);
			if (g->fixed & (1u << c))
				break;
			int32_t n = 1 + (int32_t)jg_pick(g, 5), step = 1 + (int32_t)jg_pick(g, 2);
			jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_K, c, 0, 0, 0));
			uint32_t top = g->len;
			uint16_t saved = g->fixed;
			g->fixed |= (uint16_t)(1u << c);
			g->depth++;
			jg_block(g, 1 + jg_pick(g, 2));
			g->depth--;
			g->fixed = saved;
			jg_emit(g, JG_I(BPF_ALU64 | BPF_ADD | BPF_K, c, 0, 0, step));
			uint8_t cls = (jg_rnd(g) & 1) ? BPF_JMP : BPF_JMP32;
			jg_emit(g,
			        JG_I(cls | BPF_JLT | BPF_K, c, 0, (int)top - (int)g->len - 1, n));
		}
		break;
	default:
		jg_alu(g);
	}
}

static void jg_block(struct jgen *g, uint32_t items)
{
	for (uint32_t i = 0; i < items; i++)
		jg_item(g);
}

static void jg_fold(struct jgen *g)
{
	for (int r = 1; r < 10; r++) {
		if (r == 6 && !g->in_sub)
			continue;
		jg_emit(g, JG_I(BPF_ALU64 | BPF_MUL | BPF_K, 0, 0, 0, 31));
		jg_emit(g, JG_I(BPF_ALU64 | BPF_XOR | BPF_X, 0, r, 0, 0));
	}
	for (int s = 1; s <= JG_SLOTS; s++) {
		jg_emit(g, JG_I(BPF_LDX | BPF_MEM | BPF_DW, 1, 10, -8 * s, 0));
		jg_emit(g, JG_I(BPF_ALU64 | BPF_MUL | BPF_K, 0, 0, 0, 17));
		jg_emit(g, JG_I(BPF_ALU64 | BPF_ADD | BPF_X, 0, 1, 0, 0));
	}
	jg_emit(g, JG_I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

static void jg_frame_init(struct jgen *g)
{
	for (int s = 1; s <= JG_SLOTS + 4; s++)
		jg_emit(g, JG_I(BPF_ST | BPF_MEM | BPF_DW, 10, 0, -8 * s, jg_imm(g)));
}

/* Writes the program to g->out; returns its length. */
static uint32_t jg_generate(struct jgen *g)
{
	g->x = 0x9e3779b97f4a7c15ULL;
	for (size_t i = 0; i < g->n; i++)
		g->x = (g->x ^ g->d[i]) * 0x100000001b3ULL;
	if (!g->x)
		g->x = 1;
	jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0));
	for (int r = 0; r < 10; r++)
		if (r != 6 && r != 1)
			jg_ld64(g, r, 0,
			        (jg_rnd(g) & 3) ? jg_rnd(g) : (uint64_t)(int64_t)jg_imm(g));
	jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, jg_imm(g)));
	jg_frame_init(g);
	jg_block(g, 6 + jg_pick(g, 40));
	jg_fold(g);
	/* subprograms, only those called (unreachable code is refused):
	 * R1-R5 in, R0 out */
	uint32_t entry[JG_MAX_SUBS] = {0};
	uint32_t main_calls = g->ncalls;
	bool used[JG_MAX_SUBS] = {false};
	for (uint32_t k = 0; k < main_calls; k++)
		used[g->call_sub[k]] = true;
	g->in_sub = true;
	for (uint32_t s = 0; s < JG_MAX_SUBS; s++) {
		if (!used[s])
			continue;
		entry[s] = g->len;
		g->nsubs = s + 1;
		jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_X, 0, 1, 0, 0));
		for (int r = 6; r < 10; r++)
			jg_emit(g, JG_I(BPF_ALU64 | BPF_MOV | BPF_K, r, 0, 0, jg_imm(g)));
		jg_frame_init(g);
		jg_block(g, 3 + jg_pick(g, 12));
		jg_fold(g);
	}
	for (uint32_t k = 0; k < main_calls; k++) {
		uint32_t at = g->call_at[k];
		uint32_t target = entry[g->call_sub[k]];
		if (g->call_kind[k]) /* MOV rX, target - (callx pc + 1) */
			g->out[at].imm = (int32_t)(target - (at + 1) - 1);
		else
			g->out[at].imm = (int32_t)(target - at - 1);
	}
	return g->len;
}
