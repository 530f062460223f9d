/*
 * The verifier's abstract domain for one register (internal).
 *
 * A scalar is the set of 64-bit values that satisfy all of: a tristate
 * number (known bits: value v, unknown-bit mask m), a signed and an
 * unsigned 64-bit interval, and a signed and an unsigned interval for
 * the low 32 bits.  A pointer is base + off + x where x ranges over the
 * same scalar description (the "variable offset").  The representation is
 * the one the Linux verifier uses; the tristate arithmetic follows
 * Vishwanathan et al., "Sound, Precise, and Fast Abstract Interpretation
 * with Tristate Numbers" (CGO 2022); all code here is written afresh.
 */
#ifndef BPF_VDOMAIN_H
#define BPF_VDOMAIN_H

#include "internal.h"

struct tnum {
	uint64_t v, m; /* bit i: m=1 unknown, else v's bit */
};

enum vtype {
	V_NOT_INIT = 0,
	V_SCALAR,
	V_PTR_CTX,
	V_PTR_STACK,     /* frameno: which call frame's stack */
	V_CONST_MAP,     /* aux: map index */
	V_PTR_MAP_VALUE, /* aux: map index, size: region bytes */
	V_PTR_MAP_VALUE_OR_NULL,
	V_PTR_ALLOC, /* ring-buffer record: size bytes, id = reference */
	V_PTR_ALLOC_OR_NULL,
	V_PTR_MEM, /* platform variable (var_addr): aux = var index */
	V_NTYPES
};

struct vreg {
	uint8_t type;
	uint8_t frameno;
	uint8_t rdonly;
	uint8_t pad;
	uint32_t id; /* scalar copies / null-check partners / reference */
	uint32_t aux;
	uint32_t size;
	int32_t off;
	int32_t s32min, s32max;
	uint32_t u32min, u32max;
	struct tnum var;
	int64_t smin, smax;
	uint64_t umin, umax;
};

static inline bool t_is_const(struct tnum t)
{
	return t.m == 0;
}
struct tnum t_const(uint64_t c);
struct tnum t_unknown(void);
struct tnum t_range(uint64_t lo, uint64_t hi);
struct tnum t_add(struct tnum a, struct tnum b);
struct tnum t_sub(struct tnum a, struct tnum b);
struct tnum t_and(struct tnum a, struct tnum b);
struct tnum t_or(struct tnum a, struct tnum b);
struct tnum t_xor(struct tnum a, struct tnum b);
struct tnum t_mul(struct tnum a, struct tnum b);
struct tnum t_lsh(struct tnum a, unsigned k);
struct tnum t_rsh(struct tnum a, unsigned k);
struct tnum t_arsh(struct tnum a, unsigned k);
bool t_intersect(struct tnum a, struct tnum b, struct tnum *out);
bool t_subset(struct tnum outer, struct tnum inner); /* inner ⊆ outer */
bool t_contains(struct tnum t, uint64_t x);

void v_mark_unknown(struct vreg *r);
void v_mark_const(struct vreg *r, uint64_t c);
void v_mark_not_init(struct vreg *r);
void v_ptr_init(struct vreg *r, uint8_t type);
/* Tighten all views against each other; false if the set is empty. */
bool v_sync(struct vreg *r);
static inline bool v_is_const(const struct vreg *r)
{
	return r->var.m == 0;
}
/* Is every value described by inner also described by outer? */
bool v_scalar_subset(const struct vreg *outer, const struct vreg *inner);
/* Does the description admit the concrete value x? (tests) */
bool v_contains(const struct vreg *r, uint64_t x);

/* dst = dst OP src for a scalar ALU instruction (class BPF_ALU or
 * BPF_ALU64, op, off = the instruction's offset field).  src is the
 * immediate turned into a constant register for K forms. */
void v_alu(struct vreg *dst, const struct vreg *src, uint8_t cls, uint8_t op, int16_t off,
           int32_t imm);
/* The concrete semantics (RFC 9669 §4.1, as the interpreter implements
 * them), for constant folding. */
uint64_t v_alu_eval(uint8_t cls, uint8_t op, int16_t off, int32_t imm, uint64_t d, uint64_t s);

/* Refine a and b for the branch "a OP b" being taken (taken=true) or not.
 * is32: JMP32 (compare the low 32 bits).  Returns false if that outcome
 * is impossible. */
bool v_refine(struct vreg *a, struct vreg *b, uint8_t op, bool is32, bool taken);

#endif
