/*
 * Verifier tests: accept/reject cases, each named after the
 * rule it exercises ([RULE] in the description; rejections must report
 * exactly that rule).  Every accepted program is also run in checked mode
 * against a context of the hook's size and must not trip a check.
 */
#include "vcase.h"

/* ================================================================== */
/* Branch refinement: every condition, JMP and JMP32, K and X, bounds an
 * index into a 16-byte stack buffer; the off-by-one variant must fail.
 * (RFC 9669 §4.3; refinement in vdomain.c v_refine.) */
#define BR_TAKEN(cls, op, k) \
	LOAD_U8_R2, INIT16, I(cls | op | BPF_K, R2, 0, 2, k), MOV64_K(R0, 0), EXIT(), INDEX_R2
#define BR_FALL(cls, op, k) \
	LOAD_U8_R2, INIT16, I(cls | op | BPF_K, R2, 0, 5, k), INDEX_R2, MOV64_K(R0, 0), EXIT()
#define BR_TAKEN_X(cls, op, k)                                                                 \
	LOAD_U8_R2, INIT16, MOV64_K(R4, k), I(cls | op | BPF_X, R2, R4, 2, 0), MOV64_K(R0, 0), \
	        EXIT(), INDEX_R2
#define BR_FALL_X(cls, op, k)                                                            \
	LOAD_U8_R2, INIT16, MOV64_K(R4, k), I(cls | op | BPF_X, R2, R4, 5, 0), INDEX_R2, \
	        MOV64_K(R0, 0), EXIT()
#define BR_TAKEN_AT 9
#define BR_FALL_AT 7
#define BR_FAMILY(nm, OPNAME, op, SIDE, kgood, kbad)                                               \
	ACCEPT(br_##nm##_k, OPNAME " K bounds an index (JMP)", SIDE(BPF_JMP, op, kgood))           \
	REJECT(br_##nm##_k_off1, MEM_BOUNDS, SIDE##_AT, OPNAME " K off by one (JMP)",              \
	       SIDE(BPF_JMP, op, kbad))                                                            \
	ACCEPT(br_##nm##_k32, OPNAME " K bounds an index (JMP32)", SIDE(BPF_JMP32, op, kgood))     \
	REJECT(br_##nm##_k32_off1, MEM_BOUNDS, SIDE##_AT, OPNAME " K off by one (JMP32)",          \
	       SIDE(BPF_JMP32, op, kbad))                                                          \
	ACCEPT(br_##nm##_x, OPNAME " X bounds an index (JMP)", SIDE##_X(BPF_JMP, op, kgood))       \
	REJECT(br_##nm##_x_off1, MEM_BOUNDS, SIDE##_AT + 1, OPNAME " X off by one (JMP)",          \
	       SIDE##_X(BPF_JMP, op, kbad))                                                        \
	ACCEPT(br_##nm##_x32, OPNAME " X bounds an index (JMP32)", SIDE##_X(BPF_JMP32, op, kgood)) \
	REJECT(br_##nm##_x32_off1, MEM_BOUNDS, SIDE##_AT + 1, OPNAME " X off by one (JMP32)",      \
	       SIDE##_X(BPF_JMP32, op, kbad))

BR_FAMILY(jlt, "JLT", BPF_JLT, BR_TAKEN, 16, 17)
BR_FAMILY(jle, "JLE", BPF_JLE, BR_TAKEN, 15, 16)
BR_FAMILY(jgt, "JGT", BPF_JGT, BR_FALL, 15, 16)
BR_FAMILY(jge, "JGE", BPF_JGE, BR_FALL, 16, 17)
BR_FAMILY(jslt, "JSLT", BPF_JSLT, BR_TAKEN, 16, 17)
BR_FAMILY(jsle, "JSLE", BPF_JSLE, BR_TAKEN, 15, 16)
BR_FAMILY(jsgt, "JSGT", BPF_JSGT, BR_FALL, 15, 16)
BR_FAMILY(jsge, "JSGE", BPF_JSGE, BR_FALL, 16, 17)
BR_FAMILY(jeq, "JEQ", BPF_JEQ, BR_TAKEN, 15, 16)
BR_FAMILY(jne, "JNE", BPF_JNE, BR_FALL, 15, 16)
BR_FAMILY(jset, "JSET", BPF_JSET, BR_FALL, 0xf0, 0xe0)

/* ================================================================== */
/* Scalar arithmetic: each ALU operation (RFC 9669 §4.1) bounds an index
 * into the 16-byte buffer, in ALU64 and ALU (32-bit), K and X forms. */
#define AL_CASE(cls, op, pre, k) LOAD_U8_R2, INIT16, pre, I(cls | op | BPF_K, R2, 0, 0, k), INDEX_R2
#define AL_CASE_X(cls, op, pre, k) \
	LOAD_U8_R2, INIT16, pre, MOV64_K(R4, k), I(cls | op | BPF_X, R2, R4, 0, 0), INDEX_R2
#define NOPRE MOV64_K(R5, 0)
#define AL_FAMILY(nm, OPNAME, op, pre, kgood, kbad, badat)                               \
	ACCEPT(alu_##nm##_k64, OPNAME " K (ALU64) bounds an index",                      \
	       AL_CASE(BPF_ALU64, op, pre, kgood))                                       \
	REJECT(alu_##nm##_k64_bad, MEM_BOUNDS, badat, OPNAME " K (ALU64) too loose",     \
	       AL_CASE(BPF_ALU64, op, pre, kbad))                                        \
	ACCEPT(alu_##nm##_k32, OPNAME " K (ALU) bounds an index",                        \
	       AL_CASE(BPF_ALU, op, pre, kgood))                                         \
	REJECT(alu_##nm##_k32_bad, MEM_BOUNDS, badat, OPNAME " K (ALU) too loose",       \
	       AL_CASE(BPF_ALU, op, pre, kbad))                                          \
	ACCEPT(alu_##nm##_x64, OPNAME " X (ALU64) bounds an index",                      \
	       AL_CASE_X(BPF_ALU64, op, pre, kgood))                                     \
	REJECT(alu_##nm##_x64_bad, MEM_BOUNDS, badat + 1, OPNAME " X (ALU64) too loose", \
	       AL_CASE_X(BPF_ALU64, op, pre, kbad))                                      \
	ACCEPT(alu_##nm##_x32, OPNAME " X (ALU) bounds an index",                        \
	       AL_CASE_X(BPF_ALU, op, pre, kgood))                                       \
	REJECT(alu_##nm##_x32_bad, MEM_BOUNDS, badat + 1, OPNAME " X (ALU) too loose",   \
	       AL_CASE_X(BPF_ALU, op, pre, kbad))

AL_FAMILY(and, "AND", BPF_AND, NOPRE, 15, 31, 8)
AL_FAMILY(mod, "MOD", BPF_MOD, NOPRE, 16, 17, 8)
AL_FAMILY(div, "DIV", BPF_DIV, NOPRE, 16, 8, 8)
AL_FAMILY(rsh, "RSH", BPF_RSH, NOPRE, 4, 3, 8)
AL_FAMILY(arsh, "ARSH", BPF_ARSH, NOPRE, 4, 3, 8)
AL_FAMILY(mov, "MOV", BPF_MOV, NOPRE, 15, 16, 8)
AL_FAMILY(add, "ADD", BPF_ADD, ALU64_K(BPF_AND, R2, 7), 8, 9, 8)
AL_FAMILY(sub, "SUB", BPF_SUB, ALU64_K(BPF_AND, R2, 7), -8, -9, 8)
AL_FAMILY(or, "OR", BPF_OR, ALU64_K(BPF_AND, R2, 7), 8, 16, 8)
AL_FAMILY(xor, "XOR", BPF_XOR, ALU64_K(BPF_AND, R2, 7), 8, 16, 8)
AL_FAMILY(mul, "MUL", BPF_MUL, ALU64_K(BPF_AND, R2, 3), 5, 6, 8)
AL_FAMILY(lsh, "LSH", BPF_LSH, ALU64_K(BPF_AND, R2, 3), 2, 3, 8)

/* ================================================================== */
/* Structure */
REJECT(struct_bad_opcode, STRUCT, 0, "unknown opcode", I(0xff, 0, 0, 0, 0), RET0)
REJECT(struct_jump_out, STRUCT, 0, "jump past the end", JA(5), RET0)
REJECT(struct_jump_into_ldimm, STRUCT, 0, "jump into the second half of LD_IMM64",
       JMP_K(BPF_JEQ, R1, 0, 1), LD64(R0, 1), EXIT())
REJECT(struct_fall_off_end, STRUCT, 1, "last instruction is not exit", MOV64_K(R0, 0),
       MOV64_K(R0, 1))
REJECT(struct_r10_write, STRUCT, 0, "R10 is read-only", MOV64_K(R10, 0), RET0)
REJECT(struct_bad_reg, STRUCT, 0, "register 11", I(BPF_ALU64 | BPF_MOV | BPF_K, 11, 0, 0, 0), RET0)
REJECT(unreachable_after_exit, UNREACHABLE, 2, "code after the last exit", RET0, RET0)
REJECT(unreachable_jumped_over, UNREACHABLE, 1, "code jumped over", JA(1), MOV64_K(R0, 2), RET0)
REJECT(unreachable_branch_island, UNREACHABLE, 3, "island between exits", JMP_K(BPF_JEQ, R1, 0, 1),
       RET0, MOV64_K(R0, 7), EXIT(), EXIT())
REJECT(subprog_jump_in, SUBPROG_JUMP, 1, "main jumps into a function body", CALL_LOCAL(3), JA(3),
       RET0, EXIT(), MOV64_K(R0, 1), EXIT())
REJECT(subprog_jump_out, SUBPROG_JUMP, 3, "function jumps back into main", CALL_LOCAL(2),
       MOV64_K(R0, 1), EXIT(), JA(-3))
REJECT(fallthrough_into_function, FALLTHROUGH, 1, "main runs off its end into a function",
       CALL_LOCAL(1), MOV64_K(R0, 0), MOV64_K(R0, 1), EXIT())
ACCEPT(call_simple, "[CALL] BPF-to-BPF call returns R0", MOV64_K(R1, 5), CALL_LOCAL(1), EXIT(),
       MOV64_X(R0, R1), ALU64_K(BPF_ADD, R0, 1), EXIT())
REJECT(call_recursion_self, CALL_DEPTH, 3, "unbounded self-recursion exceeds 8 frames",
       CALL_LOCAL(1), EXIT(), MOV64_K(R0, 0), CALL_LOCAL(-2), EXIT())
REJECT(call_recursion_mutual, CALL_DEPTH, -1, "unbounded mutual recursion exceeds 8 frames",
       CALL_LOCAL(1), EXIT(), MOV64_K(R0, 0), CALL_LOCAL(1), EXIT(), MOV64_K(R0, 0), CALL_LOCAL(-5),
       EXIT())
ACCEPT(call_recursion_bounded, "[CALL_DEPTH] recursion the analysis bounds to 7 frames",
       MOV64_K(R1, 6), CALL_LOCAL(1), EXIT(), JMP_K(BPF_JNE, R1, 0, 2), MOV64_K(R0, 0), EXIT(),
       ALU64_K(BPF_SUB, R1, 1), CALL_LOCAL(-5), ALU64_K(BPF_ADD, R0, 1), EXIT())
REJECT(call_recursion_ctx_bound, CALL_DEPTH, -1, "recursion depth taken from the context",
       LDX(BPF_B, R1, R1, 0), CALL_LOCAL(1), EXIT(), JMP_K(BPF_JNE, R1, 0, 2), MOV64_K(R0, 0),
       EXIT(), ALU64_K(BPF_SUB, R1, 1), CALL_LOCAL(-5), ALU64_K(BPF_ADD, R0, 1), EXIT())
#define NEST(n) CALL_LOCAL(1), EXIT()
REJECT(call_depth_9, CALL_DEPTH, -1, "nine nested frames", MOV64_K(R0, 0), NEST(1), MOV64_K(R0, 0),
       NEST(2), MOV64_K(R0, 0), NEST(3), MOV64_K(R0, 0), NEST(4), MOV64_K(R0, 0), NEST(5),
       MOV64_K(R0, 0), NEST(6), MOV64_K(R0, 0), NEST(7), MOV64_K(R0, 0), NEST(8), MOV64_K(R0, 0),
       EXIT())
ACCEPT(call_depth_8, "[CALL_DEPTH] eight nested frames are allowed", MOV64_K(R0, 0), NEST(1),
       MOV64_K(R0, 0), NEST(2), MOV64_K(R0, 0), NEST(3), MOV64_K(R0, 0), NEST(4), MOV64_K(R0, 0),
       NEST(5), MOV64_K(R0, 0), NEST(6), MOV64_K(R0, 0), NEST(7), MOV64_K(R0, 0), EXIT())
REJECT(stack_chain_over_512, STACK_SIZE, -1, "400 + 200 bytes of stack in one chain",
       ST(BPF_DW, R10, -400, 0), CALL_LOCAL(1), EXIT(), ST(BPF_DW, R10, -200, 0), RET0)
ACCEPT(stack_chain_512, "[STACK_SIZE] 256 + 256 bytes in one chain", ST(BPF_DW, R10, -256, 0),
       CALL_LOCAL(1), EXIT(), ST(BPF_DW, R10, -256, 0), RET0)

/* ================================================================== */
/* Registers */
REJECT(reg_uninit_mov, REG_UNINIT, 0, "read of R2 never written", MOV64_X(R0, R2), EXIT())
REJECT(reg_uninit_alu_dst, REG_UNINIT, 0, "ADD to an uninitialised R0", ALU64_K(BPF_ADD, R0, 1),
       EXIT())
REJECT(reg_uninit_store_src, REG_UNINIT, 0, "store of uninitialised R3", STX(BPF_DW, R10, R3, -8),
       RET0)
REJECT(reg_uninit_jmp, REG_UNINIT, 0, "compare an uninitialised R4", JMP_K(BPF_JEQ, R4, 0, 0), RET0)
REJECT(reg_uninit_after_helper, REG_UNINIT, 2, "R1-R5 are clobbered by a helper call",
       CALL(BPF_FUNC_ktime_get_ns), MOV64_K(R0, 0), MOV64_X(R0, R1), EXIT())
REJECT(reg_uninit_after_local_call, REG_UNINIT, 1, "R1-R5 are clobbered by a local call",
       CALL_LOCAL(2), MOV64_X(R0, R2), EXIT(), RET0)
REJECT(reg_uninit_callee_r6, REG_UNINIT, 3, "a callee cannot read the caller's R6", MOV64_K(R6, 1),
       CALL_LOCAL(1), EXIT(), MOV64_X(R0, R6), EXIT())
ACCEPT(reg_callee_saved, "[REG_UNINIT] R6-R9 survive a local call", MOV64_K(R6, 1), MOV64_K(R9, 2),
       CALL_LOCAL(3), ALU64_X(BPF_ADD, R6, R9), MOV64_X(R0, R6), EXIT(), MOV64_K(R6, 9), RET0)
REJECT(ret_uninit, RET, 0, "exit with R0 never written", EXIT())
REJECT(ret_uninit_callee, RET, 3, "function exits without setting R0", CALL_LOCAL(1), EXIT(),
       MOV64_K(R1, 0), EXIT())
REJECT(ret_uninit_one_path, RET, 3, "R0 set on one path only", LDX(BPF_B, R2, R1, 0),
       JMP_K(BPF_JEQ, R2, 0, 1), MOV64_K(R0, 0), EXIT())
ACCEPT(ret_ctx_scalar, "[RET] return a value read from the context", LDX(BPF_DW, R0, R1, 8), EXIT())
REJECT(ret_pointer, PTR_LEAK, 1, "returning the context pointer", MOV64_X(R0, R1), EXIT())
ACCEPT_H(ret_pointer_leak_hook, &hook_leak, "[PTR_LEAK] a hook may allow returning pointers",
         MOV64_X(R0, R10), EXIT())
REJECT_H(ret_range_const, RET, 1, &hook_ret, "return 2 where the hook allows [0,1]", MOV64_K(R0, 2),
         EXIT())
ACCEPT_H(ret_range_ok, &hook_ret, "[RET] a value masked to one bit is in [0,1]",
         LDX(BPF_B, R0, R1, 0), ALU64_K(BPF_AND, R0, 1), EXIT())
REJECT_H(ret_range_unknown, RET, 1, &hook_ret, "an unknown byte is not in [0,1]",
         LDX(BPF_B, R0, R1, 0), EXIT())
REJECT_H(ret_range_negative, RET, 1, &hook_ret, "-1 is not in [0,1]", MOV64_K(R0, -1), EXIT())

/* ================================================================== */
/* Stack (RFC 9669 §2.3 frame of 512 bytes; per-byte initialisation) */
REJECT(stack_read_uninit, STACK_UNINIT, 0, "read of a never-written slot", LDX(BPF_DW, R0, R10, -8),
       EXIT())
REJECT(stack_read_partial, STACK_UNINIT, 1, "4 bytes written, 8 read", ST(BPF_W, R10, -8, 1),
       LDX(BPF_DW, R0, R10, -8), EXIT())
ACCEPT(stack_read_part_of_written, "[STACK_UNINIT] read 4 of 8 written bytes",
       ST(BPF_DW, R10, -8, 7), LDX(BPF_W, R0, R10, -4), EXIT())
ACCEPT(stack_spill_fill_ptr, "[SPILL] a spilled context pointer is restored by an 8-byte fill",
       STX(BPF_DW, R10, R1, -8), MOV64_K(R1, 0), LDX(BPF_DW, R2, R10, -8), LDX(BPF_W, R0, R2, 0),
       EXIT())
REJECT(stack_spill_misaligned, SPILL, 0, "pointer spilled to a misaligned slot",
       STX(BPF_DW, R10, R1, -12), RET0)
REJECT(stack_spill_narrow, SPILL, 0, "pointer spilled with a 4-byte store", STX(BPF_W, R10, R1, -8),
       RET0)
REJECT_H(stack_spill_clobbered, MEM_TYPE, 3, &hook_leak,
         "a spilled pointer partly overwritten is a scalar (hook allowing leaks)",
         STX(BPF_DW, R10, R1, -8), ST(BPF_B, R10, -8, 0), LDX(BPF_DW, R2, R10, -8),
         LDX(BPF_W, R0, R2, 0), EXIT())
REJECT(stack_spill_partial_read, PTR_LEAK, 1, "reading half of a spilled pointer leaks it",
       STX(BPF_DW, R10, R1, -8), LDX(BPF_W, R0, R10, -8), EXIT())
REJECT(stack_below_frame, MEM_BOUNDS, 0, "store below the 512-byte frame", ST(BPF_DW, R10, -520, 0),
       RET0)
REJECT(stack_at_fp, MEM_BOUNDS, 0, "load at fp+0", LDX(BPF_B, R0, R10, 0), EXIT())
REJECT(stack_straddle_fp, MEM_BOUNDS, 0, "8-byte store at fp-4", ST(BPF_DW, R10, -4, 0), RET0)
ACCEPT(stack_bottom, "[MEM_BOUNDS] store at fp-512", ST(BPF_DW, R10, -512, 0), RET0)
ACCEPT(stack_var_read, "[STACK_UNINIT] variable-offset read of initialised bytes", LOAD_U8_R2,
       ALU64_K(BPF_AND, R2, 7), INIT16, INDEX_R2)
REJECT(stack_var_read_uninit, STACK_UNINIT, 6, "variable-offset read reaching uninitialised bytes",
       LOAD_U8_R2, ALU64_K(BPF_AND, R2, 15), ST(BPF_DW, R10, -16, 0), INDEX_R2)
REJECT(stack_var_unbounded, PTR_ARITH, 5, "adding an unbounded scalar to fp",
       LDX(BPF_DW, R2, R1, 0), INIT16, INDEX_R2)
REJECT(stack_var_out, MEM_BOUNDS, 5, "variable offset may reach fp+0", LOAD_U8_R2,
       ALU64_K(BPF_AND, R2, 15), MOV64_X(R3, R10), ALU64_X(BPF_ADD, R3, R2),
       ALU64_K(BPF_ADD, R3, -8), LDX(BPF_B, R0, R3, 0), EXIT())
ACCEPT(stack_var_write, "[MEM_BOUNDS] variable-offset store inside the frame", LOAD_U8_R2,
       ALU64_K(BPF_AND, R2, 7), MOV64_X(R3, R10), ALU64_K(BPF_ADD, R3, -16),
       ALU64_X(BPF_ADD, R3, R2), ST(BPF_B, R3, 0, 1), RET0)
REJECT(stack_var_write_keeps_uninit, STACK_UNINIT, 6,
       "a variable-offset store does not initialise bytes", LOAD_U8_R2, ALU64_K(BPF_AND, R2, 7),
       MOV64_X(R3, R10), ALU64_K(BPF_ADD, R3, -16), ALU64_X(BPF_ADD, R3, R2), ST(BPF_B, R3, 0, 1),
       LDX(BPF_B, R0, R10, -16), EXIT())
ACCEPT(stack_zero_fill_const, "[STACK_UNINIT] bytes stored as zero read back as constant 0",
       ST(BPF_W, R10, -4, 0), LDX(BPF_W, R2, R10, -4), MOV64_X(R0, R2), EXIT())
ACCEPT(stack_const_spill_narrow_read, "[SPILL] a narrow read of a spilled constant is exact",
       ST(BPF_DW, R10, -8, 0x0a0b), LDX(BPF_B, R2, R10, -8), INIT16, INDEX_R2)
ACCEPT(stack_ptr_to_callee, "[CALL] a callee writes through a pointer to the caller's stack",
       MOV64_X(R1, R10), ALU64_K(BPF_ADD, R1, -8), CALL_LOCAL(2), LDX(BPF_DW, R0, R10, -8), EXIT(),
       ST(BPF_DW, R1, 0, 3), RET0)
REJECT(stack_return_callee_fp, RET, 4, "a function returns a pointer to its own stack",
       CALL_LOCAL(1), EXIT(), MOV64_X(R0, R10), ALU64_K(BPF_ADD, R0, -8), EXIT())

/* ================================================================== */
/* Context */
ACCEPT(ctx_read_first, "[CTX_ACCESS] 8-byte read at offset 0", LDX(BPF_DW, R0, R1, 0), EXIT())
ACCEPT(ctx_read_last, "[CTX_ACCESS] 8-byte read at offset 56", LDX(BPF_DW, R0, R1, 56), EXIT())
REJECT(ctx_read_past, CTX_ACCESS, 0, "8-byte read at offset 60 of 64", LDX(BPF_DW, R0, R1, 60),
       EXIT())
REJECT(ctx_read_negative, CTX_ACCESS, 0, "read before the context", LDX(BPF_B, R0, R1, -1), EXIT())
ACCEPT(ctx_write_writable, "[CTX_ACCESS] store into a writable context", ST(BPF_DW, R1, 0, 5), RET0)
REJECT_H(ctx_write_readonly, CTX_ACCESS, 0, &hook_ro, "store into a read-only context",
         ST(BPF_DW, R1, 0, 5), RET0)
ACCEPT_H(ctx_field_read, &hook_fields, "[CTX_ACCESS] read of a readable field",
         LDX(BPF_DW, R0, R1, 0), EXIT())
REJECT_H(ctx_field_unlisted, CTX_ACCESS, 0, &hook_fields, "read of bytes no field covers",
         LDX(BPF_W, R0, R1, 16), EXIT())
REJECT_H(ctx_field_write_ro, CTX_ACCESS, 0, &hook_fields, "store into a read-only field",
         ST(BPF_DW, R1, 0, 1), RET0)
ACCEPT_H(ctx_field_write_rw, &hook_fields, "[CTX_ACCESS] store into a read-write field",
         ST(BPF_DW, R1, 8, 1), RET0)
REJECT_H(ctx_field_read_wo, CTX_ACCESS, 0, &hook_fields, "read of a write-only field",
         LDX(BPF_W, R0, R1, 32), EXIT())
ACCEPT_H(ctx_field_span, &hook_fields, "[CTX_ACCESS] a read spanning two readable fields",
         LDX(BPF_DW, R0, R1, 4), EXIT())
ACCEPT(ctx_var_offset, "[CTX_ACCESS] variable offset inside the context", LOAD_U8_R2,
       ALU64_K(BPF_AND, R2, 31), ALU64_X(BPF_ADD, R1, R2), LDX(BPF_W, R0, R1, 0), EXIT())
REJECT(ctx_var_offset_out, CTX_ACCESS, 3, "variable offset may leave the context", LOAD_U8_R2,
       ALU64_K(BPF_AND, R2, 63), ALU64_X(BPF_ADD, R1, R2), LDX(BPF_W, R0, R1, 0), EXIT())
REJECT(ctx_atomic, ALIGN, 1, "atomic add on the context", MOV64_K(R2, 1),
       ATOMIC(BPF_DW, BPF_ADD, R1, R2, 0), RET0)
REJECT(ctx_store_pointer, PTR_LEAK, 0, "storing a pointer into the context",
       STX(BPF_DW, R1, R10, 0), RET0)

/* ================================================================== */
/* Maps and helper prototypes (§4.3.1) */
ACCEPT(map_lookup_null_checked, "[MEM_NULL] lookup, NULL check, read the value", LOOKUP(0),
       JMP_K(BPF_JEQ, R0, 0, 1), LDX(BPF_DW, R0, R0, 8), EXIT())
REJECT(map_lookup_no_check, MEM_NULL, 6, "value read without a NULL check", LOOKUP(0),
       LDX(BPF_DW, R0, R0, 0), EXIT())
REJECT(map_value_past_end, MEM_BOUNDS, 7, "read past the 16-byte value", LOOKUP(0),
       JMP_K(BPF_JEQ, R0, 0, 1), LDX(BPF_B, R0, R0, 16), EXIT())
ACCEPT(map_value_write, "[MEM_BOUNDS] store into the last 8 bytes of a value", LOOKUP(0),
       JMP_K(BPF_JEQ, R0, 0, 1), ST(BPF_DW, R0, 8, 1), RET0)
ACCEPT(map_null_check_jne, "[MEM_NULL] JNE form of the NULL check", LOOKUP(1),
       JMP_K(BPF_JNE, R0, 0, 2), MOV64_K(R0, 0), EXIT(), LDX(BPF_DW, R0, R0, 0), EXIT())
ACCEPT(map_null_check_copy, "[MEM_NULL] the check covers copies of the pointer", LOOKUP(1),
       MOV64_X(R6, R0), JMP_K(BPF_JEQ, R0, 0, 1), LDX(BPF_DW, R0, R6, 0), EXIT())
REJECT(map_null_branch_deref, MEM_TYPE, 7, "dereference on the NULL side", LOOKUP(1),
       JMP_K(BPF_JNE, R0, 0, 1), LDX(BPF_DW, R0, R0, 0), EXIT())
REJECT(map_or_null_arith, PTR_ARITH, 6, "arithmetic before the NULL check", LOOKUP(0),
       ALU64_K(BPF_ADD, R0, 8), JMP_K(BPF_JEQ, R0, 0, 1), LDX(BPF_B, R0, R0, 0), EXIT())
ACCEPT(map_value_var_offset, "[MEM_BOUNDS] bounded variable offset into a value",
       LDX(BPF_B, R6, R1, 0), ALU64_K(BPF_AND, R6, 7), LOOKUP(0), JMP_K(BPF_JEQ, R0, 0, 2),
       ALU64_X(BPF_ADD, R0, R6), LDX(BPF_DW, R0, R0, 0), EXIT())
REJECT(map_value_var_offset_out, MEM_BOUNDS, 10, "variable offset may pass the value's end",
       LDX(BPF_B, R6, R1, 0), ALU64_K(BPF_AND, R6, 15), LOOKUP(0), JMP_K(BPF_JEQ, R0, 0, 2),
       ALU64_X(BPF_ADD, R0, R6), LDX(BPF_DW, R0, R0, 0), EXIT())
REJECT(map_key_uninit, STACK_UNINIT, 4, "key bytes never written", MOV64_X(R2, R10),
       ALU64_K(BPF_ADD, R2, -4), LD_MAP(R1, 0), CALL(BPF_FUNC_map_lookup_elem), EXIT())
REJECT(map_key_out_of_frame, HELPER_ARG, 5, "4-byte key at fp-2", ST(BPF_H, R10, -2, 0),
       MOV64_X(R2, R10), ALU64_K(BPF_ADD, R2, -2), LD_MAP(R1, 0), CALL(BPF_FUNC_map_lookup_elem),
       EXIT())
REJECT(map_arg_not_map, HELPER_ARG, 3, "context passed as the map", ST(BPF_W, R10, -4, 0),
       MOV64_X(R2, R10), ALU64_K(BPF_ADD, R2, -4), CALL(BPF_FUNC_map_lookup_elem), EXIT())
REJECT(map_lookup_ringbuf, HELPER_ARG, 5, "lookup on a ring buffer (map type mask)", LOOKUP(2),
       EXIT())
REJECT(map_lookup_prog_array, HELPER_ARG, 5, "lookup on a program array (map type mask)", LOOKUP(3),
       EXIT())
REJECT(map_update_value_uninit, STACK_UNINIT, 8, "update with an uninitialised value",
       ST(BPF_W, R10, -4, 0), MOV64_X(R2, R10), ALU64_K(BPF_ADD, R2, -4), MOV64_X(R3, R10),
       ALU64_K(BPF_ADD, R3, -24), MOV64_K(R4, 0), LD_MAP(R1, 0), CALL(BPF_FUNC_map_update_elem),
       EXIT())
ACCEPT(map_update_ok, "[HELPER_ARG] update with key and value on the stack", ST(BPF_W, R10, -4, 0),
       ST(BPF_DW, R10, -24, 1), ST(BPF_DW, R10, -16, 2), MOV64_X(R2, R10), ALU64_K(BPF_ADD, R2, -4),
       MOV64_X(R3, R10), ALU64_K(BPF_ADD, R3, -24), MOV64_K(R4, 0), LD_MAP(R1, 0),
       CALL(BPF_FUNC_map_update_elem), EXIT())
ACCEPT(map_value_as_key, "[HELPER_ARG] a map value can serve as a key", LOOKUP(0),
       JMP_K(BPF_JEQ, R0, 0, 4), MOV64_X(R2, R0), LD_MAP(R1, 1), CALL(BPF_FUNC_map_lookup_elem),
       MOV64_K(R0, 0), EXIT())
REJECT(map_store_pointer, PTR_LEAK, 7, "storing a pointer into a map value", LOOKUP(0),
       JMP_K(BPF_JEQ, R0, 0, 1), STX(BPF_DW, R0, R10, 0), RET0)
ACCEPT_H(map_store_pointer_leak_hook, &hook_leak, "[PTR_LEAK] the hook allows pointers in maps",
         LOOKUP(0), JMP_K(BPF_JEQ, R0, 0, 1), STX(BPF_DW, R0, R10, 0), RET0)
REJECT(map_rodata_write, MEM_RDONLY, 7, "store into a BPF_F_RDONLY_PROG map", LOOKUP(4),
       JMP_K(BPF_JEQ, R0, 0, 1), ST(BPF_B, R0, 0, 1), RET0)
ACCEPT(map_rodata_read, "[MEM_RDONLY] reading a read-only map is fine", LOOKUP(4),
       JMP_K(BPF_JEQ, R0, 0, 1), LDX(BPF_B, R0, R0, 31), EXIT())
ACCEPT(map_direct_value, "[MEM_BOUNDS] LD_IMM64 map_val (§5.4) read", LD_MAP_VALUE(R2, 0, 8),
       LDX(BPF_DW, R0, R2, 0), EXIT())
REJECT(map_direct_value_next, MEM_BOUNDS, 2, "map_val is the first value only, not the next ones",
       LD_MAP_VALUE(R2, 0, 8), LDX(BPF_DW, R0, R2, 8), EXIT())
REJECT(map_direct_value_past, MEM_BOUNDS, 2, "map_val read past the array storage",
       LD_MAP_VALUE(R2, 0, 8), LDX(BPF_DW, R0, R2, 56), EXIT())
REJECT(map_direct_rodata_write, MEM_RDONLY, 2, "map_val store into read-only data",
       LD_MAP_VALUE(R2, 4, 0), ST(BPF_B, R2, 0, 1), RET0)
REJECT(map_ptr_deref, MEM_TYPE, 2, "a map pointer is not memory", LD_MAP(R2, 0),
       LDX(BPF_DW, R0, R2, 0), EXIT())
REJECT(map_ptr_arith, PTR_ARITH, 2, "arithmetic on a map pointer", LD_MAP(R2, 0),
       ALU64_K(BPF_ADD, R2, 8), RET0)
REJECT(scalar_deref, MEM_TYPE, 1, "a number is not a pointer", MOV64_K(R2, 4096),
       LDX(BPF_DW, R0, R2, 0), EXIT())
REJECT(scalar_store, MEM_TYPE, 1, "store through a number", MOV64_K(R2, 4096), ST(BPF_DW, R2, 0, 0),
       RET0)

/* ================================================================== */
/* Ring buffer references */
ACCEPT(rb_reserve_submit, "[REF_LEAK] reserve, write, submit", RESERVE(16),
       JMP_K(BPF_JEQ, R0, 0, 5), ST(BPF_DW, R0, 8, 1), MOV64_X(R1, R0), MOV64_K(R2, 0),
       CALL(BPF_FUNC_ringbuf_submit), MOV64_K(R0, 0), EXIT())
ACCEPT(rb_reserve_discard, "[REF_LEAK] reserve then discard", RESERVE(8), JMP_K(BPF_JEQ, R0, 0, 4),
       MOV64_X(R1, R0), MOV64_K(R2, 0), CALL(BPF_FUNC_ringbuf_discard), MOV64_K(R0, 0), EXIT())
REJECT(rb_leak, REF_LEAK, 6, "reserved record never released", RESERVE(8), MOV64_K(R0, 0), EXIT())
REJECT(rb_leak_one_path, REF_LEAK, 13, "released on one path only", LDX(BPF_B, R6, R1, 0),
       RESERVE(8), JMP_K(BPF_JEQ, R0, 0, 6), JMP_K(BPF_JEQ, R6, 0, 4), MOV64_X(R1, R0),
       MOV64_K(R2, 0), CALL(BPF_FUNC_ringbuf_submit), MOV64_K(R0, 0), MOV64_K(R0, 0), EXIT())
REJECT(rb_use_after_submit, REG_UNINIT, 10, "the record pointer is dead after submit", RESERVE(8),
       MOV64_X(R6, R0), JMP_K(BPF_JEQ, R0, 0, 6), MOV64_X(R1, R0), MOV64_K(R2, 0),
       CALL(BPF_FUNC_ringbuf_submit), ST(BPF_DW, R6, 0, 1), MOV64_K(R0, 0), EXIT(), MOV64_K(R0, 0),
       EXIT())
REJECT(rb_double_submit, REG_UNINIT, 10, "submitting twice", RESERVE(8), MOV64_X(R6, R0),
       JMP_K(BPF_JEQ, R0, 0, 7), MOV64_X(R1, R0), MOV64_K(R2, 0), CALL(BPF_FUNC_ringbuf_submit),
       MOV64_X(R1, R6), MOV64_K(R2, 0), CALL(BPF_FUNC_ringbuf_submit), MOV64_K(R0, 0), EXIT())
REJECT(rb_submit_unchecked, HELPER_ARG, 7, "submitting a record that may be NULL", RESERVE(8),
       MOV64_X(R1, R0), MOV64_K(R2, 0), CALL(BPF_FUNC_ringbuf_submit), MOV64_K(R0, 0), EXIT())
REJECT(rb_write_past, MEM_BOUNDS, 6, "store past the reserved size", RESERVE(8),
       JMP_K(BPF_JEQ, R0, 0, 5), ST(BPF_DW, R0, 8, 1), MOV64_X(R1, R0), MOV64_K(R2, 0),
       CALL(BPF_FUNC_ringbuf_submit), MOV64_K(R0, 0), EXIT())
REJECT(rb_size_not_const, HELPER_ARG, 4, "reserve size must be a constant", LDX(BPF_B, R2, R1, 0),
       LD_MAP(R1, 2), MOV64_K(R3, 0), CALL(BPF_FUNC_ringbuf_reserve), EXIT())
REJECT(rb_submit_offset, HELPER_ARG, 9, "submitting record + 8", RESERVE(16),
       JMP_K(BPF_JEQ, R0, 0, 5), ALU64_K(BPF_ADD, R0, 8), MOV64_X(R1, R0), MOV64_K(R2, 0),
       CALL(BPF_FUNC_ringbuf_submit), MOV64_K(R0, 0), EXIT())
REJECT(rb_submit_map_value, HELPER_ARG, 9, "submitting a map value", LOOKUP(0),
       JMP_K(BPF_JEQ, R0, 0, 3), MOV64_X(R1, R0), MOV64_K(R2, 0), CALL(BPF_FUNC_ringbuf_submit),
       MOV64_K(R0, 0), EXIT())
ACCEPT(rb_null_needs_no_release, "[REF_LEAK] the NULL side holds nothing", RESERVE(8),
       JMP_K(BPF_JNE, R0, 0, 1), EXIT(), MOV64_X(R1, R0), MOV64_K(R2, 0),
       CALL(BPF_FUNC_ringbuf_discard), MOV64_K(R0, 0), EXIT())
REJECT(rb_tail_call_holding, TAIL_CALL, 12, "tail call while a record is held", MOV64_X(R6, R1),
       RESERVE(8), JMP_K(BPF_JEQ, R0, 0, 9), MOV64_X(R7, R0), MOV64_X(R1, R6), LD_MAP(R2, 3),
       MOV64_K(R3, 0), CALL(BPF_FUNC_tail_call), MOV64_X(R1, R7), MOV64_K(R2, 0),
       CALL(BPF_FUNC_ringbuf_submit), MOV64_K(R0, 0), EXIT())
ACCEPT(rb_spill_fill, "[SPILL] a record pointer survives a spill and fill", RESERVE(8),
       JMP_K(BPF_JEQ, R0, 0, 6), STX(BPF_DW, R10, R0, -8), LDX(BPF_DW, R1, R10, -8),
       ST(BPF_DW, R1, 0, 9), MOV64_K(R2, 0), CALL(BPF_FUNC_ringbuf_submit), MOV64_K(R0, 0), EXIT())
REJECT(rb_packet_holding, PACKET, 5, "legacy packet load while a record is held", RESERVE(8),
       LDABS(BPF_B, 0), JMP_K(BPF_JEQ, R0, 0, 1), MOV64_K(R0, 0), EXIT())
ACCEPT(rb_output, "[HELPER_ARG] ringbuf_output from initialised stack", ST(BPF_DW, R10, -8, 5),
       LD_MAP(R1, 2), MOV64_X(R2, R10), ALU64_K(BPF_ADD, R2, -8), MOV64_K(R3, 8), MOV64_K(R4, 0),
       CALL(BPF_FUNC_ringbuf_output), EXIT())
REJECT(rb_output_uninit, STACK_UNINIT, 6, "ringbuf_output of uninitialised stack", LD_MAP(R1, 2),
       MOV64_X(R2, R10), ALU64_K(BPF_ADD, R2, -8), MOV64_K(R3, 8), MOV64_K(R4, 0),
       CALL(BPF_FUNC_ringbuf_output), EXIT())
REJECT(rb_output_size_unbounded, HELPER_ARG, 7, "ringbuf_output with an unbounded size",
       ST(BPF_DW, R10, -8, 5), LDX(BPF_DW, R3, R1, 0), LD_MAP(R1, 2), MOV64_X(R2, R10),
       ALU64_K(BPF_ADD, R2, -8), MOV64_K(R4, 0), CALL(BPF_FUNC_ringbuf_output), EXIT())
ACCEPT(rb_output_size_zero, "[HELPER_ARG] CONST_SIZE_OR_ZERO accepts 0", LD_MAP(R1, 2),
       MOV64_X(R2, R10), MOV64_K(R3, 0), MOV64_K(R4, 0), CALL(BPF_FUNC_ringbuf_output), EXIT())
ACCEPT(rb_output_var_size, "[HELPER_ARG] bounded variable size", INIT16, LDX(BPF_B, R3, R1, 0),
       ALU64_K(BPF_AND, R3, 15), LD_MAP(R1, 2), MOV64_X(R2, R10), ALU64_K(BPF_ADD, R2, -16),
       MOV64_K(R4, 0), CALL(BPF_FUNC_ringbuf_output), EXIT())
ACCEPT(rb_reserve_in_callee, "[REF_LEAK] reserved in a function, submitted by its caller",
       CALL_LOCAL(6), JMP_K(BPF_JEQ, R0, 0, 3), MOV64_X(R1, R0), MOV64_K(R2, 0),
       CALL(BPF_FUNC_ringbuf_submit), RET0, RESERVE(8), EXIT())

/* ================================================================== */
/* Helpers and hooks */
REJECT_H(helper_denied, HELPER_DENIED, 0, &hook_few, "helper not in the hook's list",
         CALL(BPF_FUNC_get_prandom_u32), EXIT())
ACCEPT_H(helper_allowed, &hook_few, "[HELPER_DENIED] a listed helper", CALL(BPF_FUNC_ktime_get_ns),
         EXIT())
REJECT(helper_unknown, STRUCT, 0, "helper id not registered", CALL(200), EXIT())
ACCEPT(helper_printk, "[HELPER_ARG] trace_printk with a format on the stack",
       ST(BPF_DW, R10, -8, 0x216968), MOV64_X(R1, R10), ALU64_K(BPF_ADD, R1, -8), MOV64_K(R2, 4),
       MOV64_K(R3, 0), MOV64_K(R4, 0), MOV64_K(R5, 0), CALL(BPF_FUNC_trace_printk), EXIT())
REJECT(helper_printk_size0, HELPER_ARG, 4, "CONST_SIZE rejects a zero size", ST(BPF_DW, R10, -8, 0),
       MOV64_X(R1, R10), ALU64_K(BPF_ADD, R1, -8), MOV64_K(R2, 0), CALL(BPF_FUNC_trace_printk),
       EXIT())
REJECT(helper_printk_size_past, HELPER_ARG, 4, "size larger than the buffer",
       ST(BPF_DW, R10, -8, 0), MOV64_X(R1, R10), ALU64_K(BPF_ADD, R1, -8), MOV64_K(R2, 9),
       CALL(BPF_FUNC_trace_printk), EXIT())
REJECT(helper_ptr_as_scalar, PTR_LEAK, 5, "pointer passed as an ANYTHING argument",
       ST(BPF_DW, R10, -8, 0), MOV64_X(R1, R10), ALU64_K(BPF_ADD, R1, -8), MOV64_K(R2, 8),
       MOV64_X(R3, R10), CALL(BPF_FUNC_trace_printk), EXIT())
REJECT(helper_arg_uninit, REG_UNINIT, 3, "an argument register never written", MOV64_X(R1, R10),
       ALU64_K(BPF_ADD, R1, -8), ST(BPF_DW, R10, -8, 0), CALL(BPF_FUNC_trace_printk), EXIT())
ACCEPT(tail_call_ok, "[TAIL_CALL] tail call through a program array", LD_MAP(R2, 3), MOV64_K(R3, 1),
       CALL(BPF_FUNC_tail_call), MOV64_K(R0, 0), EXIT())
REJECT_H(tail_call_denied, TAIL_CALL, 3, &hook_ro, "tail call in a hook that forbids it",
         LD_MAP(R2, 3), MOV64_K(R3, 1), CALL(BPF_FUNC_tail_call), MOV64_K(R0, 0), EXIT())
REJECT(tail_call_wrong_map, HELPER_ARG, 3, "tail call through an array map", LD_MAP(R2, 0),
       MOV64_K(R3, 1), CALL(BPF_FUNC_tail_call), MOV64_K(R0, 0), EXIT())
REJECT(tail_call_ctx_moved, HELPER_ARG, 4, "tail call with ctx + 8", ALU64_K(BPF_ADD, R1, 8),
       LD_MAP(R2, 3), MOV64_K(R3, 1), CALL(BPF_FUNC_tail_call), MOV64_K(R0, 0), EXIT())
ACCEPT(tail_call_self, "[TAIL_CALL] a program tail-calling itself ends", LD_MAP(R2, 3),
       MOV64_K(R3, 0), CALL(BPF_FUNC_tail_call), MOV64_K(R0, 0), EXIT())
ACCEPT(tail_call_in_function, "[TAIL_CALL] tail call inside a BPF-to-BPF function", CALL_LOCAL(2),
       MOV64_K(R0, 0), EXIT(), LD_MAP(R2, 3), MOV64_K(R3, 1), CALL(BPF_FUNC_tail_call),
       MOV64_K(R0, 0), EXIT())

/* ================================================================== */
/* Loops and termination */
ACCEPT(loop_count_10, "[LOOP] a counted loop of 10", MOV64_K(R0, 0), MOV64_K(R2, 0),
       ALU64_X(BPF_ADD, R0, R2), ALU64_K(BPF_ADD, R2, 1), JMP_K(BPF_JLT, R2, 10, -3), EXIT())
ACCEPT(loop_count_1000, "[LOOP] a counted loop of 1000", MOV64_K(R0, 0), MOV64_K(R2, 0),
       ALU64_X(BPF_ADD, R0, R2), ALU64_K(BPF_ADD, R2, 1), JMP_K(BPF_JLT, R2, 1000, -3), EXIT())
ACCEPT(loop_count_jmp32, "[LOOP] counted loop with a JMP32 bound", MOV64_K(R0, 0), MOV32_K(R2, 0),
       ALU64_K(BPF_ADD, R0, 3), ALU32_K(BPF_ADD, R2, 1), JMP32_K(BPF_JLT, R2, 50, -3), EXIT())
ACCEPT(loop_ctx_bound, "[LOOP] loop bound from the context, masked", LDX(BPF_B, R3, R1, 0),
       ALU64_K(BPF_AND, R3, 15), MOV64_K(R0, 0), MOV64_K(R2, 0), JMP_X(BPF_JGE, R2, R3, 3),
       ALU64_K(BPF_ADD, R0, 1), ALU64_K(BPF_ADD, R2, 1), JA(-4), EXIT())
REJECT(loop_self, LOOP, 4, "goto itself", MOV64_K(R0, 0), LOAD_U8_R2, JMP_K(BPF_JEQ, R2, 0, 1),
       EXIT(), JA(-1))
REJECT(loop_no_progress, LOOP, 1, "a loop whose state never changes", MOV64_K(R0, 0),
       JMP_K(BPF_JEQ, R0, 0, -1), EXIT())
REJECT(loop_random_exit, LOOP, 0, "loop until a random number is 0", CALL(BPF_FUNC_get_prandom_u32),
       JMP_K(BPF_JNE, R0, 0, -2), EXIT())
REJECT(loop_unbounded_counter, COMPLEXITY, -1, "loop bound by an unknown 64-bit value",
       LDX(BPF_DW, R3, R1, 0), MOV64_K(R0, 0), MOV64_K(R2, 0), ALU64_K(BPF_ADD, R2, 1),
       JMP_X(BPF_JLT, R2, R3, -2), EXIT())
ACCEPT(loop_nested, "[LOOP] two nested counted loops", MOV64_K(R0, 0), MOV64_K(R2, 0),
       MOV64_K(R3, 0), ALU64_K(BPF_ADD, R0, 1), ALU64_K(BPF_ADD, R3, 1), JMP_K(BPF_JLT, R3, 8, -3),
       ALU64_K(BPF_ADD, R2, 1), JMP_K(BPF_JLT, R2, 8, -6), EXIT())
ACCEPT(loop_stack_index, "[MEM_BOUNDS] loop writing every byte of a 64-byte buffer", MOV64_K(R2, 0),
       MOV64_X(R3, R10), ALU64_K(BPF_ADD, R3, -64), ALU64_X(BPF_ADD, R3, R2), ST(BPF_B, R3, 0, 1),
       ALU64_K(BPF_ADD, R2, 1), JMP_K(BPF_JLT, R2, 64, -6), LDX(BPF_DW, R0, R10, -64), EXIT())
REJECT(loop_stack_index_over, MEM_BOUNDS, 4, "the same loop running one byte too far",
       MOV64_K(R2, 0), MOV64_X(R3, R10), ALU64_K(BPF_ADD, R3, -64), ALU64_X(BPF_ADD, R3, R2),
       ST(BPF_B, R3, 0, 1), ALU64_K(BPF_ADD, R2, 1), JMP_K(BPF_JLE, R2, 64, -6), RET0)

/* ================================================================== */
/* Pointer arithmetic and leaks */
REJECT(ptr_add_ptr, PTR_ARITH, 0, "pointer + pointer", ALU64_X(BPF_ADD, R1, R10), RET0)
REJECT(ptr_sub_ptr, PTR_LEAK, 0, "pointer - pointer", ALU64_X(BPF_SUB, R1, R10), RET0)
ACCEPT_H(ptr_sub_ptr_leak_hook, &hook_leak, "[PTR_LEAK] pointer - pointer where leaks are allowed",
         MOV64_X(R0, R10), ALU64_X(BPF_SUB, R0, R1), EXIT())
REJECT(ptr_mul, PTR_ARITH, 0, "pointer * 2", ALU64_K(BPF_MUL, R1, 2), RET0)
REJECT(ptr_alu32, PTR_ARITH, 0, "32-bit add on a pointer", ALU32_K(BPF_ADD, R1, 2), RET0)
REJECT(ptr_mov32, PTR_LEAK, 0, "32-bit move of a pointer", ALU32_X(BPF_MOV, R2, R1), RET0)
REJECT(ptr_neg, PTR_ARITH, 0, "negating a pointer", ALU64_K(BPF_NEG, R1, 0), RET0)
/* NEG of an unknown is a range, not a constant (fuzz_verify finding:
 * NEG was folded to the constant -x.v because its K operand is constant). */
REJECT(alu_neg64_unknown, REG_UNINIT, 5,
       "-x of x in [16,31] is not the constant -16: both sides explored", LDX(BPF_B, R2, R1, 0),
       ALU64_K(BPF_AND, R2, 15), ALU64_K(BPF_OR, R2, 16), ALU64_K(BPF_NEG, R2, 0),
       JMP_K(BPF_JEQ, R2, -16, 2), MOV64_X(R0, R5), EXIT(), MOV64_K(R0, 0), EXIT())
REJECT(alu_neg32_unknown, REG_UNINIT, 5, "-w of w in [16,31] is not the constant 0xfffffff0",
       LDX(BPF_B, R2, R1, 0), ALU32_K(BPF_AND, R2, 15), ALU32_K(BPF_OR, R2, 16),
       ALU32_K(BPF_NEG, R2, 0), JMP32_K(BPF_JEQ, R2, -16, 2), MOV64_X(R0, R5), EXIT(),
       MOV64_K(R0, 0), EXIT())
REJECT(alu_neg_unknown_stack, STACK_UNINIT, 8,
       "fp + -x for x in [16,31] reaches below the 16 initialised bytes", LDX(BPF_B, R2, R1, 0),
       ALU64_K(BPF_AND, R2, 15), ALU64_K(BPF_OR, R2, 16), ALU64_K(BPF_NEG, R2, 0), INIT16,
       MOV64_X(R3, R10), ALU64_X(BPF_ADD, R3, R2), LDX(BPF_B, R0, R3, 0), EXIT())
ACCEPT(alu_neg_unknown_range,
       "[MEM_BOUNDS] fp - 1 + -x for x in [0,15] stays in the 16 initialised bytes",
       LDX(BPF_B, R2, R1, 0), ALU64_K(BPF_AND, R2, 15), ALU64_K(BPF_NEG, R2, 0), INIT16,
       MOV64_X(R3, R10), ALU64_K(BPF_ADD, R3, -1), ALU64_X(BPF_ADD, R3, R2), LDX(BPF_B, R0, R3, 0),
       EXIT())
REJECT(alu_neg_ctx_offset, PTR_ARITH, 6, "the fuzz case: ctx + -(u32 load) is not ctx + constant",
       MOV64_X(R6, R1), MOV64_K(R0, 0), LDX(BPF_B, R4, R6, 22), LDX(BPF_W, R0, R6, 0),
       ALU64_K(BPF_NEG, R0, 0), MOV64_X(R7, R6), ALU64_X(BPF_ADD, R7, R0), LDX(BPF_W, R0, R7, 0),
       EXIT())
REJECT(ptr_bswap, PTR_LEAK, 0, "byte-swapping a pointer", BSWAP(R1, 64), RET0)
REJECT(ptr_and, PTR_ARITH, 0, "masking a pointer", ALU64_K(BPF_AND, R1, -8), RET0)
ACCEPT(ptr_scalar_plus_ptr, "[PTR_ARITH] scalar + pointer is a pointer", MOV64_K(R2, -8),
       ALU64_X(BPF_ADD, R2, R10), ST(BPF_DW, R2, 0, 1), RET0)
ACCEPT(ptr_sub_const, "[PTR_ARITH] pointer - constant", MOV64_X(R2, R10), ALU64_K(BPF_SUB, R2, 16),
       ST(BPF_DW, R2, 0, 1), RET0)
REJECT(ptr_offset_huge, PTR_ARITH, 2, "constant offset beyond 2^29", LD64(R2, 1ULL << 40),
       ALU64_X(BPF_ADD, R1, R2), RET0)
ACCEPT_H(ptr_compare_ptr, &hook_leak, "[PTR_LEAK] comparing two pointers explores both sides",
         MOV64_K(R0, 0), JMP_X(BPF_JGT, R1, R10, 1), MOV64_K(R0, 1), EXIT())
ACCEPT(ptr_nonnull_dead_branch, "[MEM_NULL] a valid pointer is never NULL: that branch is dead",
       JMP_K(BPF_JEQ, R1, 0, 2), MOV64_K(R0, 0), EXIT(), MOV64_X(R0, R5), EXIT())
ACCEPT(range_dead_branch, "[REG_UNINIT] a branch impossible by ranges is never explored",
       MOV64_K(R2, 5), JMP_K(BPF_JGT, R2, 10, 2), MOV64_K(R0, 0), EXIT(), MOV64_X(R0, R5), EXIT())
ACCEPT(range_linked_copy, "[MEM_BOUNDS] a bound on a register also bounds its copy", LOAD_U8_R2,
       MOV64_X(R5, R2), INIT16, JMP_K(BPF_JGT, R5, 15, 5), INDEX_R2, MOV64_K(R0, 0), EXIT())
REJECT(range_copy_then_change, MEM_BOUNDS, 9, "the copy is not linked after it changes", LOAD_U8_R2,
       MOV64_X(R5, R2), ALU64_K(BPF_ADD, R2, 1), INIT16, JMP_K(BPF_JGT, R5, 15, 5), INDEX_R2,
       MOV64_K(R0, 0), EXIT())
REJECT(range_jmp32_upper_unknown, PTR_ARITH, 6, "a JMP32 bound says nothing of the upper half",
       LDX(BPF_DW, R2, R1, 0), INIT16, JMP32_K(BPF_JGT, R2, 15, 5), INDEX_R2, MOV64_K(R0, 0),
       EXIT())
ACCEPT(range_signed_both, "[MEM_BOUNDS] a sign-extended byte bounded on both sides",
       LDXSX(BPF_B, R2, R1, 0), INIT16, JMP_K(BPF_JSLT, R2, 0, 6), JMP_K(BPF_JSGT, R2, 15, 5),
       INDEX_R2, MOV64_K(R0, 0), EXIT())
REJECT(range_signed_upper_only, PTR_ARITH, 7, "a signed upper bound alone allows negatives",
       LDXSX(BPF_B, R2, R1, 0), ALU64_K(BPF_LSH, R2, 40), INIT16, JMP_K(BPF_JSGT, R2, 15, 5),
       INDEX_R2, MOV64_K(R0, 0), EXIT())
ACCEPT(range_div_by_zero_reg, "[REG_UNINIT] division by a possibly-zero register is defined",
       LDX(BPF_B, R2, R1, 0), MOV64_K(R0, 100), ALU64_X(BPF_DIV, R0, R2), ALU64_X(BPF_MOD, R0, R2),
       EXIT())

/* ================================================================== */
/* Atomics (§5.3) */
ACCEPT(atomic_stack, "[ALIGN] aligned atomic add on the stack", ST(BPF_DW, R10, -8, 1),
       MOV64_K(R2, 1), ATOMIC(BPF_DW, BPF_ADD, R10, R2, -8), LDX(BPF_DW, R0, R10, -8), EXIT())
REJECT(atomic_stack_uninit, STACK_UNINIT, 1, "atomic add on uninitialised stack", MOV64_K(R2, 1),
       ATOMIC(BPF_DW, BPF_ADD, R10, R2, -8), RET0)
REJECT(atomic_misaligned, ALIGN, 3, "8-byte atomic at fp-12", ST(BPF_DW, R10, -16, 0),
       ST(BPF_DW, R10, -8, 0), MOV64_K(R2, 1), ATOMIC(BPF_DW, BPF_ADD, R10, R2, -12), RET0)
ACCEPT(atomic_w_stack, "[ALIGN] 4-byte atomic at fp-4", ST(BPF_W, R10, -4, 0), MOV64_K(R2, 1),
       ATOMIC(BPF_W, BPF_ADD, R10, R2, -4), RET0)
ACCEPT(atomic_map_fetch, "[ALIGN] fetch-add on a map value", LOOKUP(0), JMP_K(BPF_JEQ, R0, 0, 3),
       MOV64_K(R2, 1), ATOMIC(BPF_DW, BPF_ADD | BPF_FETCH, R0, R2, 8), MOV64_X(R0, R2), EXIT())
REJECT(atomic_cmpxchg_r0_uninit, REG_UNINIT, 2, "cmpxchg compares with an uninitialised R0",
       ST(BPF_DW, R10, -8, 0), MOV64_K(R2, 1), ATOMIC(BPF_DW, BPF_CMPXCHG, R10, R2, -8), RET0)
ACCEPT(atomic_cmpxchg, "[ALIGN] cmpxchg on the stack", ST(BPF_DW, R10, -8, 0), MOV64_K(R2, 1),
       MOV64_K(R0, 0), ATOMIC(BPF_DW, BPF_CMPXCHG, R10, R2, -8), EXIT())
REJECT(atomic_ptr_operand, PTR_LEAK, 1, "atomic xchg of a pointer into memory",
       ST(BPF_DW, R10, -8, 0), ATOMIC(BPF_DW, BPF_XCHG, R10, R1, -8), RET0)
REJECT(atomic_rodata, MEM_RDONLY, 8, "atomic add on read-only data", LOOKUP(4),
       JMP_K(BPF_JEQ, R0, 0, 2), MOV64_K(R2, 1), ATOMIC(BPF_DW, BPF_ADD, R0, R2, 0), RET0)
REJECT(atomic_var_misaligned, ALIGN, 7, "atomic at an offset not known to be aligned", LOAD_U8_R2,
       INIT16, MOV64_X(R3, R10), ALU64_K(BPF_AND, R2, 15), ALU64_X(BPF_ADD, R3, R2), MOV64_K(R4, 1),
       ATOMIC(BPF_DW, BPF_ADD, R3, R4, -16), RET0)
ACCEPT(atomic_var_aligned, "[ALIGN] variable offset with known-zero low bits", LOAD_U8_R2, INIT16,
       ALU64_K(BPF_AND, R2, 8), MOV64_X(R3, R10), ALU64_X(BPF_ADD, R3, R2), MOV64_K(R4, 1),
       ATOMIC(BPF_DW, BPF_ADD, R3, R4, -16), RET0)

/* ================================================================== */
/* Legacy packet access (§5.5) */
ACCEPT(packet_abs, "[PACKET] LD_ABS where the hook allows it", LDABS(BPF_H, 2), EXIT())
REJECT_H(packet_denied, PACKET, 0, &hook_ro, "LD_ABS where the hook forbids it", LDABS(BPF_B, 0),
         EXIT())
ACCEPT(packet_ind, "[PACKET] LD_IND with a scalar offset", MOV64_K(R2, 3), LDIND(BPF_W, R2, 1),
       EXIT())
REJECT(packet_ind_uninit, REG_UNINIT, 0, "LD_IND with an uninitialised offset register",
       LDIND(BPF_B, R3, 0), EXIT())
REJECT(packet_ind_ptr, PTR_LEAK, 0, "LD_IND with a pointer offset", LDIND(BPF_B, R10, 0), EXIT())

/* ================================================================== */
/* Pruning over packed states: stored and pending states keep only the
 * live registers, the stack-byte descriptions and the spilled registers.
 * A record reserved in a callee is spilled, then a diamond: the
 * fall-through side (explored first, stored at the join) keeps the spill;
 * the taken side overwrites it with the same pointer (pruned at the join)
 * or with a scalar (must not be pruned: the submit then gets a scalar). */
#define PRUNE_SPILL(bad_store)                                                              \
	CALL_LOCAL(2), MOV64_K(R0, 0), EXIT(), LDX(BPF_B, R6, R1, 0), LD_MAP(R1, 2),        \
	        MOV64_K(R2, 8), MOV64_K(R3, 0), CALL(BPF_FUNC_ringbuf_reserve),             \
	        JMP_K(BPF_JNE, R0, 0, 2), MOV64_K(R0, 0), EXIT(), STX(BPF_DW, R10, R0, -8), \
	        JMP_K(BPF_JGT, R6, 100, 1), JA(1), bad_store, LDX(BPF_DW, R1, R10, -8),     \
	        MOV64_K(R2, 0), CALL(BPF_FUNC_ringbuf_submit), MOV64_K(R0, 0), EXIT()
ACCEPT(prune_packed_spill_same, "[REF_LEAK] both sides keep the spilled record: pruned at the join",
       PRUNE_SPILL(STX(BPF_DW, R10, R0, -8)))
REJECT(prune_packed_spill_scalar, HELPER_ARG, 18,
       "the taken side spills a scalar over the record: not covered by the stored state",
       PRUNE_SPILL(STX(BPF_DW, R10, R6, -8)))
/* The same with a map value (no reference to tell the states apart:
 * only the spilled register does). */
#define PRUNE_SPILL_MAPVAL(bad_store)                                                             \
	CALL_LOCAL(2), MOV64_K(R0, 0), EXIT(), LDX(BPF_B, R6, R1, 0), ST(BPF_W, R10, -16, 0),     \
	        MOV64_X(R2, R10), ALU64_K(BPF_ADD, R2, -16), LD_MAP(R1, 0),                       \
	        CALL(BPF_FUNC_map_lookup_elem), JMP_K(BPF_JNE, R0, 0, 2), MOV64_K(R0, 0), EXIT(), \
	        STX(BPF_DW, R10, R0, -8), JMP_K(BPF_JGT, R6, 100, 1), JA(1), bad_store,           \
	        LDX(BPF_DW, R1, R10, -8), ST(BPF_DW, R1, 0, 1), MOV64_K(R0, 0), EXIT()
ACCEPT(prune_packed_spill_mapval_same,
       "[MEM_TYPE] both sides keep the spilled map value: pruned at the join",
       PRUNE_SPILL_MAPVAL(STX(BPF_DW, R10, R0, -8)))
REJECT(prune_packed_spill_mapval_scalar, MEM_TYPE, 18,
       "the taken side spills a scalar over the map value: not covered by the stored state",
       PRUNE_SPILL_MAPVAL(STX(BPF_DW, R10, R6, -8)))

/* The benchmark's generated program (bench/bpf/bench_verify.c), shaped
 * like compiled code: blocks that read the context, bound an index, use
 * it on the stack, look a map value up with a NULL check, and rejoin.
 * bad_block > 0: that block's bound is off by one. */
static uint32_t gen_diamonds(struct bpf_insn *p, uint32_t target, uint32_t bad_block,
                             uint32_t *bad_at)
{
	uint32_t n = 0, k = 0;
	p[n++] = MOV64_X(R6, R1);
	p[n++] = ST(BPF_DW, R10, -16, 0);
	p[n++] = ST(BPF_DW, R10, -8, 0);
	p[n++] = MOV64_K(R7, 0);
	while (n + 24 < target) {
		k++;
		p[n++] = LDX(BPF_B, R2, R6, (int16_t)(k % 60));
		p[n++] = JMP_K(BPF_JGT, R2, k == bad_block ? 16 : 15, 4);
		p[n++] = MOV64_X(R3, R10);
		p[n++] = ALU64_K(BPF_ADD, R3, -16);
		p[n++] = ALU64_X(BPF_ADD, R3, R2);
		if (k == bad_block)
			*bad_at = n;
		p[n++] = LDX(BPF_B, R4, R3, 0);
		p[n++] = ALU64_X(BPF_ADD, R7, R2);
		p[n++] = ALU64_K(BPF_AND, R7, 0xffff);
		if (k % 4 == 0) {
			p[n++] = ST(BPF_W, R10, -20, (int)(k & 3));
			p[n++] = MOV64_X(R2, R10);
			p[n++] = ALU64_K(BPF_ADD, R2, -20);
			struct bpf_insn lm[] = {LD_MAP(R1, 0)};
			p[n++] = lm[0];
			p[n++] = lm[1];
			p[n++] = CALL(BPF_FUNC_map_lookup_elem);
			p[n++] = JMP_K(BPF_JEQ, R0, 0, 2);
			p[n++] = LDX(BPF_DW, R5, R0, 8);
			p[n++] = ALU64_X(BPF_ADD, R7, R5);
		}
		p[n++] = JMP32_K(BPF_JSET, R7, 1, 1);
		p[n++] = ALU64_K(BPF_ADD, R7, 3);
	}
	while (n + 2 < target)
		p[n++] = ALU64_K(BPF_ADD, R7, 1);
	p[n++] = MOV64_X(R0, R7);
	p[n++] = EXIT();
	return n;
}

TEST(VERIFIER, generated_100k,
     "[COMPLEXITY] the generated 100,000-insn program verifies within 1M explored and 64 MiB")
{
	vcase_fixture();
	struct bpf_insn *p = calloc(100032, sizeof(*p));
	uint32_t bad_at = 0, n = gen_diamonds(p, 100000, 0, &bad_at);
	struct bpf_verifier_result res;
	static char log[8192];
	int rc = verify_insns(p, n, M, 5, &test_hook_all, &res, log, sizeof(log));
	if (rc)
		printf("# rejected at %u [%s] %s\n", res.insn, bpf_vrule_name(res.rule), res.msg);
	CHECK_EQ(rc, 0);
	CHECK(res.explored < 1000000);
	CHECK(res.peak_mem <= 64u << 20);
	/* accepted: runs checked without tripping, on varied contexts */
	struct bpf_prog prog;
	CHECK_EQ(bpf_prog_init(&prog, p, n, M, 5, &test_env, NULL), 0);
	for (int c = 0; c < 4; c++) {
		uint8_t ctx[64];
		for (size_t i = 0; i < sizeof(ctx); i++)
			ctx[i] = (uint8_t)(c == 0 ? 0 : c == 1 ? 0xff : i * (37 * c) + 11);
		struct bpf_vm vm;
		bpf_vm_init(&vm, &test_env, vstack, sizeof(vstack));
		bpf_vm_set_mode(&vm, BPF_MODE_CHECKED, 10000000);
		uint64_t r0;
		CHECK_EQ(bpf_vm_run(&vm, &prog, ctx, sizeof(ctx), &r0), BPF_OK);
	}
	free(p);
}

TEST(VERIFIER, generated_100k_off_by_one,
     "[MEM_BOUNDS] one off-by-one bound deep in the generated 100,000-insn program is found")
{
	vcase_fixture();
	struct bpf_insn *p = calloc(100032, sizeof(*p));
	uint32_t bad_at = 0, n = gen_diamonds(p, 100000, 4001, &bad_at);
	struct bpf_verifier_result res;
	static char log[8192];
	int rc = verify_insns(p, n, M, 5, &test_hook_all, &res, log, sizeof(log));
	CHECK(rc != 0);
	CHECK_EQ(res.rule, BPF_VR_MEM_BOUNDS);
	CHECK_EQ(res.insn, bad_at);
	free(p);
}

/* ================================================================== */
/* Every program of the runtime's clang-built test objects verifies. */
TEST(VERIFIER, clang_programs,
     "[OK] every program in progs/*.bpf.o (clang -O2, v3 too) is accepted")
{
	static const char *const objs[] = {"hello.bpf.o",    "algo.bpf.o",     "algo.v3.bpf.o",
	                                   "multi.bpf.o",    "tailcall.bpf.o", "ringbuf.bpf.o",
	                                   "tailinit.bpf.o", "subprogs.bpf.o"};
	/* struct test_ctx of progs/common.h: 88 bytes, writable */
	struct bpf_hook hook = test_hook_all;
	hook.ctx_size = 88;
	int n = 0;
	for (size_t i = 0; i < NELEM(objs); i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", BPF_PROGS_DIR, objs[i]);
		size_t len;
		void *buf = read_file(path, &len);
		struct bpf_object *o = NULL;
		struct bpf_load_error e;
		if (!buf || bpf_object_load(&o, buf, len, &test_env, &test_alloc, &e)) {
			printf("# cannot load %s\n", path);
			test_failed = 1;
			free(buf);
			continue;
		}
		free(buf);
		for (uint32_t k = 0; k < bpf_object_prog_count(o); k++) {
			struct bpf_prog *p = bpf_object_prog_at(o, k);
			struct bpf_verifier_result res;
			static char log[32768];
			struct bpf_verifier_opts opts = {
			        .alloc = &test_alloc, .log = log, .log_size = sizeof(log)};
			/* multi.bpf.o prints a string with %s: the pointer goes to
			 * trace_vprintk through the stack, which only a hook that
			 * lets pointers out (a tracing hook) permits. */
			hook.flags = test_hook_all.flags |
			             (strstr(objs[i], "multi") ? BPF_HOOK_PTR_LEAK : 0);
			int rc = bpf_verify(p, &test_env, &hook, &opts, &res);
			n++;
			if (rc) {
				printf("# %s/%s rejected: insn %u [%s] %s\n", objs[i], p->name,
				       res.insn, bpf_vrule_name(res.rule), res.msg);
				for (char *l = strtok(log, "\n"); l; l = strtok(NULL, "\n"))
					printf("#   %s\n", l);
				test_failed = 1;
			}
		}
		bpf_object_free(o);
	}
	CHECK(n >= 12);
	CHECK_EQ(test_alloc_live, 0);
}
