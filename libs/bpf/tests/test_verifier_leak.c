/*
 * Verifier: hooks without BPF_HOOK_PTR_LEAK never let address bits out
 * (rule PTR_LEAK), and map_val pointers stay inside one value
 * (MEM_BOUNDS).  test_hook_all (the default of these cases) forbids
 * leaks; hook_leak allows them.
 *
 * Every pointer kind is exercised through R6, set up by one of the
 * P_* sequences below (R7 holds an unknown scalar from the context and
 * R8 the context pointer, both loaded first).
 */
#include "vcase.h"

#define PRE LDX(BPF_DW, R7, R1, 8), MOV64_X(R8, R1)
#define P_CTX() MOV64_X(R6, R1)
#define P_FP() MOV64_X(R6, R10), ALU64_K(BPF_ADD, R6, -16)
#define P_MAP() LD_MAP(R6, 0)
#define P_MAPVAL() LD_MAP_VALUE(R6, 0, 0)
#define P_VALUE() LOOKUP(0), JMP_K(BPF_JNE, R0, 0, 1), EXIT(), MOV64_X(R6, R0)
#define P_VALUE_OR_NULL() LOOKUP(0), MOV64_X(R6, R0)
#define P_RECORD() RESERVE(8), JMP_K(BPF_JNE, R0, 0, 1), EXIT(), MOV64_X(R6, R0)
#define P_RECORD_OR_NULL() RESERVE(8), MOV64_X(R6, R0)

/* Instructions before the case's own: PRE plus the setup. */
#define AT(...) ((int)NELEM(((const struct bpf_insn[]){PRE, __VA_ARGS__})))
/* A record must be released before the exit; other kinds need nothing. */
#define DISCARD_R6() MOV64_X(R1, R6), MOV64_K(R2, 0), CALL(BPF_FUNC_ringbuf_discard)
#define NOTHING() MOV64_K(R5, 0)

/* ================================================================== */
/* Partly overwritten spills.  Spill the pointer to fp-8, overwrite 1, 2
 * or 4 of its bytes (low or high end), read all 8 back as a number:
 * that would return the rest of the address.  The bytes left of the
 * pointer are unreadable; the bytes written are the program's own. */
#define SPILL_OW(nm, KIND, SETUP, sz, off)                                  \
	REJECT(spill_##nm##_##KIND, PTR_LEAK, AT(SETUP()) + 2,              \
	       "a " #KIND " spill with " #sz " overwritten at fp" #off      \
	       " is not readable as a number",                              \
	       PRE, SETUP(), STX(BPF_DW, R10, R6, -8), ST(sz, R10, off, 0), \
	       LDX(BPF_DW, R0, R10, -8), EXIT())
/* clang-format off */
#define SPILL_KIND(KIND, SETUP)                                                   \
	SPILL_OW(b_low, KIND, SETUP, BPF_B, -8) SPILL_OW(b_high, KIND, SETUP, BPF_B, -1) \
	SPILL_OW(h_low, KIND, SETUP, BPF_H, -8) SPILL_OW(h_high, KIND, SETUP, BPF_H, -2) \
	SPILL_OW(w_low, KIND, SETUP, BPF_W, -8) SPILL_OW(w_high, KIND, SETUP, BPF_W, -4)
/* clang-format on */

SPILL_KIND(ctx, P_CTX)
SPILL_KIND(fp, P_FP)
SPILL_KIND(map, P_MAP)
SPILL_KIND(mapval, P_MAPVAL)
SPILL_KIND(value, P_VALUE)
SPILL_KIND(value_or_null, P_VALUE_OR_NULL)
SPILL_KIND(record, P_RECORD)
SPILL_KIND(record_or_null, P_RECORD_OR_NULL)

REJECT(spill_overwrite_by_register, PTR_LEAK, 5, "overwriting with a register's low half", PRE,
       P_CTX(), STX(BPF_DW, R10, R6, -8), STX(BPF_W, R10, R7, -8), LDX(BPF_DW, R0, R10, -8), EXIT())
REJECT(spill_read_rest_word, PTR_LEAK, 5, "the 4 bytes not overwritten are unreadable", PRE,
       P_CTX(), STX(BPF_DW, R10, R6, -8), ST(BPF_W, R10, -8, 0), LDX(BPF_W, R0, R10, -4), EXIT())
REJECT(spill_read_rest_byte, PTR_LEAK, 5, "one byte not overwritten is unreadable", PRE, P_CTX(),
       STX(BPF_DW, R10, R6, -8), ST(BPF_H, R10, -8, 0), LDX(BPF_B, R0, R10, -5), EXIT())
ACCEPT(spill_read_written_part, "[PTR_LEAK] the overwritten bytes themselves are readable", PRE,
       P_CTX(), STX(BPF_DW, R10, R6, -8), ST(BPF_W, R10, -8, 7), LDX(BPF_W, R0, R10, -8), EXIT())
ACCEPT(spill_all_bytes_rewritten, "[PTR_LEAK] a slot rewritten byte by byte is readable again", PRE,
       P_CTX(), STX(BPF_DW, R10, R6, -8), ST(BPF_B, R10, -8, 1), ST(BPF_B, R10, -7, 2),
       ST(BPF_B, R10, -6, 3), ST(BPF_B, R10, -5, 4), ST(BPF_B, R10, -4, 5), ST(BPF_B, R10, -3, 6),
       ST(BPF_B, R10, -2, 7), ST(BPF_B, R10, -1, 8), LDX(BPF_DW, R0, R10, -8), EXIT())
ACCEPT(spill_two_words_rewritten, "[PTR_LEAK] two 4-byte stores rewrite the whole slot", PRE,
       P_CTX(), STX(BPF_DW, R10, R6, -8), ST(BPF_W, R10, -8, 1), STX(BPF_W, R10, R7, -4),
       LDX(BPF_DW, R0, R10, -8), EXIT())
ACCEPT(spill_full_overwrite, "[PTR_LEAK] an 8-byte store replaces the spill", PRE, P_CTX(),
       STX(BPF_DW, R10, R6, -8), ST(BPF_DW, R10, -8, 3), LDX(BPF_DW, R0, R10, -8), EXIT())
ACCEPT(spill_respill_after_partial, "[SPILL] a pointer spilled again over the remains is a pointer",
       PRE, P_CTX(), STX(BPF_DW, R10, R6, -8), ST(BPF_W, R10, -8, 0), STX(BPF_DW, R10, R6, -8),
       LDX(BPF_DW, R2, R10, -8), LDX(BPF_DW, R0, R2, 0), EXIT())
ACCEPT(spill_scalar_partial, "[PTR_LEAK] a scalar spill partly overwritten reads back as a number",
       PRE, STX(BPF_DW, R10, R7, -8), ST(BPF_B, R10, -8, 0), LDX(BPF_DW, R0, R10, -8), EXIT())
ACCEPT_H(spill_partial_leak_hook, &hook_leak,
         "[PTR_LEAK] with BPF_HOOK_PTR_LEAK the rest is a number", PRE, P_CTX(),
         STX(BPF_DW, R10, R6, -8), ST(BPF_H, R10, -8, 0), LDX(BPF_DW, R0, R10, -8), EXIT())
/* r3 = fp-8 + (ctx byte & 7): a store somewhere in the slot */
REJECT(spill_var_offset_write, PTR_LEAK, 10, "a variable-offset byte store may leave any byte", PRE,
       P_CTX(), STX(BPF_DW, R10, R6, -8), LDX(BPF_B, R2, R1, 0), ALU64_K(BPF_AND, R2, 7),
       MOV64_X(R3, R10), ALU64_K(BPF_ADD, R3, -8), ALU64_X(BPF_ADD, R3, R2), ST(BPF_B, R3, 0, 0),
       LDX(BPF_DW, R0, R10, -8), EXIT())
REJECT(spill_partial_helper_read, PTR_LEAK, 13, "a helper may not read the remains either", PRE,
       P_CTX(), STX(BPF_DW, R10, R6, -8), ST(BPF_W, R10, -8, 0), ST(BPF_W, R10, -16, 0),
       LD_MAP(R1, 1), MOV64_X(R2, R10), ALU64_K(BPF_ADD, R2, -16), MOV64_X(R3, R10),
       ALU64_K(BPF_ADD, R3, -8), MOV64_K(R4, 0), CALL(BPF_FUNC_map_update_elem), RET0)
REJECT(spill_partial_atomic, PTR_LEAK, 6, "an atomic add on the remains reads them", PRE, P_CTX(),
       STX(BPF_DW, R10, R6, -8), ST(BPF_W, R10, -8, 0), MOV64_K(R2, 1),
       ATOMIC(BPF_DW, BPF_ADD | BPF_FETCH, R10, R2, -8), MOV64_X(R0, R2), EXIT())
/* Pruning: the scalar path reaches the join first and is stored; the
 * pointer path must not be pruned against it (its bytes are remains of
 * a pointer, the stored path's are a number). */
REJECT(spill_partial_prune, PTR_LEAK, 9,
       "remains of a pointer are not covered by a number at a join", LDX(BPF_B, R2, R1, 0),
       JMP_K(BPF_JGT, R2, 5, 4), MOV64_K(R3, 7), STX(BPF_DW, R10, R3, -8), ST(BPF_B, R10, -8, 0),
       JA(3), STX(BPF_DW, R10, R1, -8), ST(BPF_B, R10, -8, 0), JA(0), LDX(BPF_DW, R0, R10, -8),
       EXIT())
ACCEPT(spill_partial_prune_unread, "[PTR_LEAK] remains never read: both paths are fine",
       LDX(BPF_B, R2, R1, 0), JMP_K(BPF_JGT, R2, 5, 4), MOV64_K(R3, 7), STX(BPF_DW, R10, R3, -8),
       ST(BPF_B, R10, -8, 0), JA(3), STX(BPF_DW, R10, R1, -8), ST(BPF_B, R10, -8, 0), JA(0),
       LDX(BPF_B, R0, R10, -8), EXIT())

/* ================================================================== */
/* Pointer comparisons.  A branch on "pointer OP number" tells the
 * program one bit of the address per run.  For every pointer kind, JMP
 * and JMP32, K and X: refused; NULL checks (==/!= 0, 64-bit) and
 * orderings of two pointers into the same region are allowed. */
#define CMP_KIND(KIND, SETUP, OTHER, TAIL)                                                         \
	REJECT(cmp_##KIND##_scalar, PTR_LEAK, AT(SETUP()), #KIND " >= scalar (JMP X)", PRE,        \
	       SETUP(), JMP_X(BPF_JGE, R6, R7, 0), TAIL(), RET0)                                   \
	REJECT(cmp_##KIND##_scalar32, PTR_LEAK, AT(SETUP()), #KIND " >= scalar (JMP32 X)", PRE,    \
	       SETUP(), JMP32_X(BPF_JGE, R6, R7, 0), TAIL(), RET0)                                 \
	REJECT(cmp_##KIND##_scalar_dst, PTR_LEAK, AT(SETUP()), "scalar < " #KIND " (JMP X)", PRE,  \
	       SETUP(), JMP_X(BPF_JLT, R7, R6, 0), TAIL(), RET0)                                   \
	REJECT(cmp_##KIND##_imm, PTR_LEAK, AT(SETUP()), #KIND " > constant (JMP K)", PRE, SETUP(), \
	       JMP_K(BPF_JGT, R6, 0x1000, 0), TAIL(), RET0)                                        \
	REJECT(cmp_##KIND##_imm32, PTR_LEAK, AT(SETUP()), #KIND " s< constant (JMP32 K)", PRE,     \
	       SETUP(), JMP32_K(BPF_JSLT, R6, 0x1000, 0), TAIL(), RET0)                            \
	REJECT(cmp_##KIND##_jset, PTR_LEAK, AT(SETUP()), #KIND " & bit (JSET K)", PRE, SETUP(),    \
	       JMP_K(BPF_JSET, R6, 0x1000, 0), TAIL(), RET0)                                       \
	REJECT(cmp_##KIND##_eq_scalar, PTR_LEAK, AT(SETUP()), #KIND " == unknown scalar", PRE,     \
	       SETUP(), JMP_X(BPF_JEQ, R6, R7, 0), TAIL(), RET0)                                   \
	REJECT(cmp_##KIND##_null32, PTR_LEAK, AT(SETUP()),                                         \
	       #KIND " == 0 as JMP32 tests the low half", PRE, SETUP(),                            \
	       JMP32_K(BPF_JEQ, R6, 0, 0), TAIL(), RET0)                                           \
	REJECT(cmp_##KIND##_other_region, PTR_LEAK, AT(SETUP()), #KIND " > a pointer elsewhere",   \
	       PRE, SETUP(), JMP_X(BPF_JGT, R6, OTHER, 0), TAIL(), RET0)                           \
	REJECT(cmp_##KIND##_same_jset, PTR_LEAK, AT(SETUP()) + 1, #KIND " & itself (JSET X)", PRE, \
	       SETUP(), MOV64_X(R9, R6), JMP_X(BPF_JSET, R6, R9, 0), TAIL(), RET0)                 \
	REJECT(cmp_##KIND##_same32, PTR_LEAK, AT(SETUP()) + 1, #KIND " > itself as JMP32", PRE,    \
	       SETUP(), MOV64_X(R9, R6), JMP32_X(BPF_JGT, R6, R9, 0), TAIL(), RET0)                \
	ACCEPT(cmp_##KIND##_null, "[PTR_LEAK] " #KIND " != 0 (JMP K) is a NULL check", PRE,        \
	       SETUP(), JMP_K(BPF_JNE, R6, 0, 0), TAIL(), RET0)                                    \
	ACCEPT(cmp_##KIND##_null_x, "[PTR_LEAK] " #KIND " == zero register (JMP X)", PRE, SETUP(), \
	       MOV64_K(R9, 0), JMP_X(BPF_JEQ, R6, R9, 0), TAIL(), RET0)                            \
	ACCEPT(cmp_##KIND##_same_region, "[PTR_LEAK] " #KIND " ordered against a copy of itself",  \
	       PRE, SETUP(), MOV64_X(R9, R6), JMP_X(BPF_JSLE, R6, R9, 0), TAIL(), RET0)            \
	ACCEPT_H(cmp_##KIND##_leak_hook, &hook_leak,                                               \
	         "[PTR_LEAK] with BPF_HOOK_PTR_LEAK anything goes", PRE, SETUP(),                  \
	         JMP_X(BPF_JGE, R6, R7, 0), JMP32_K(BPF_JSET, R6, 1, 0), TAIL(), RET0)

CMP_KIND(ctx, P_CTX, R10, NOTHING)
CMP_KIND(fp, P_FP, R8, NOTHING)
CMP_KIND(map, P_MAP, R8, NOTHING)
CMP_KIND(mapval, P_MAPVAL, R8, NOTHING)
CMP_KIND(value, P_VALUE, R8, NOTHING)
CMP_KIND(record, P_RECORD, R8, DISCARD_R6)

/* The *_or_null kinds: only rejections (they cannot be used after). */
#define CMP_NULLABLE(KIND, SETUP)                                                                \
	REJECT(cmp_##KIND##_scalar, PTR_LEAK, AT(SETUP()), #KIND " >= scalar (JMP X)", PRE,      \
	       SETUP(), JMP_X(BPF_JGE, R6, R7, 0), RET0)                                         \
	REJECT(cmp_##KIND##_imm32, PTR_LEAK, AT(SETUP()), #KIND " > constant (JMP32 K)", PRE,    \
	       SETUP(), JMP32_K(BPF_JGT, R6, 0x1000, 0), RET0)                                   \
	REJECT(cmp_##KIND##_null32, PTR_LEAK, AT(SETUP()), #KIND " == 0 as JMP32", PRE, SETUP(), \
	       JMP32_K(BPF_JEQ, R6, 0, 0), RET0)                                                 \
	REJECT(cmp_##KIND##_other_region, PTR_LEAK, AT(SETUP()), #KIND " > the context", PRE,    \
	       SETUP(), JMP_X(BPF_JGT, R6, R8, 0), RET0)

CMP_NULLABLE(value_or_null, P_VALUE_OR_NULL)
CMP_NULLABLE(record_or_null, P_RECORD_OR_NULL)

/* Two lookups of the same map may return different elements: their
 * order reveals how the map's memory is laid out. */
REJECT(cmp_two_lookups, PTR_LEAK, 17, "values from two lookups are different regions", LOOKUP(1),
       JMP_K(BPF_JNE, R0, 0, 1), EXIT(), MOV64_X(R6, R0), LOOKUP(1), JMP_K(BPF_JNE, R0, 0, 1),
       EXIT(), JMP_X(BPF_JGT, R6, R0, 0), RET0)
REJECT(cmp_fp_other_frame, PTR_LEAK, 4, "stacks of two frames are different regions",
       MOV64_X(R1, R10), CALL_LOCAL(1), EXIT(), MOV64_K(R0, 0), JMP_X(BPF_JGT, R1, R10, 0), EXIT())
ACCEPT(cmp_fp_offsets, "[PTR_LEAK] fp-8 < fp-16 compares known offsets", MOV64_X(R2, R10),
       ALU64_K(BPF_ADD, R2, -8), MOV64_X(R3, R10), ALU64_K(BPF_ADD, R3, -16), MOV64_K(R0, 0),
       JMP_X(BPF_JLT, R2, R3, 1), MOV64_K(R0, 1), EXIT())
ACCEPT(cmp_scalars_unaffected, "[PTR_LEAK] scalars compare as before", LDX(BPF_DW, R2, R1, 0),
       LDX(BPF_DW, R3, R1, 8), MOV64_K(R0, 0), JMP32_X(BPF_JSET, R2, R3, 1), MOV64_K(R0, 1), EXIT())

/* ================================================================== */
/* map_val (RFC 9669 §5.4) points at the first value: one value's bytes.
 * Map 5 holds 1-byte values stored 8 bytes apart. */
ACCEPT(mapval_byte_value, "[MEM_BOUNDS] the 1-byte value itself", LD_MAP_VALUE(R2, 5, 0),
       ST(BPF_B, R2, 0, 7), LDX(BPF_B, R0, R2, 0), EXIT())
REJECT(mapval_byte_padding, MEM_BOUNDS, 2, "the padding after a 1-byte value",
       LD_MAP_VALUE(R2, 5, 0), ST(BPF_B, R2, 1, 7), RET0)
REJECT(mapval_byte_wide, MEM_BOUNDS, 2, "a 2-byte store over a 1-byte value",
       LD_MAP_VALUE(R2, 5, 0), ST(BPF_H, R2, 0, 7), RET0)
REJECT(mapval_byte_next, MEM_BOUNDS, 2, "the second element is not part of the first value",
       LD_MAP_VALUE(R2, 5, 0), LDX(BPF_B, R0, R2, 8), EXIT())
REJECT(mapval_offset_past_value, MEM_BOUNDS, 2, "next_imm past the value leaves nothing accessible",
       LD_MAP_VALUE(R2, 5, 1), LDX(BPF_B, R0, R2, 0), EXIT())
ACCEPT(mapval_offset_back, "[MEM_BOUNDS] map_val + 8 - 8 is the value again",
       LD_MAP_VALUE(R2, 0, 8), ALU64_K(BPF_ADD, R2, -8), LDX(BPF_DW, R0, R2, 0), EXIT())
REJECT(mapval_var_index_padding, MEM_BOUNDS, 5, "a variable index may reach the padding",
       LD_MAP_VALUE(R2, 5, 0), LDX(BPF_B, R3, R1, 0), ALU64_K(BPF_AND, R3, 1),
       ALU64_X(BPF_ADD, R2, R3), ST(BPF_B, R2, 0, 1), RET0)
REJECT(lookup_byte_padding, MEM_BOUNDS, 7, "a looked-up 1-byte value has no padding either",
       LOOKUP(5), JMP_K(BPF_JEQ, R0, 0, 1), ST(BPF_B, R0, 1, 0), RET0)
