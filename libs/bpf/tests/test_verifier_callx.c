/*
 * Verifier: callx (opcode 0x8d) targets are constants naming a helper
 * the hook allows (src 0) or a function the structure pass knows (src 1,
 * PC += dst, set by the instruction before the call) [rule CALLX]; and
 * the exec(mem, len) entry form, BPF_HOOK_CTX_LEN (R2 = ctx_size).
 */
#include "vcase.h"

#define CALLX(dst) I(BPF_JMP | BPF_CALL | BPF_X, dst, 0, 0, 0)
#define CALLX_LOCAL(dst) I(BPF_JMP | BPF_CALL | BPF_X, dst, BPF_PSEUDO_CALL_LOCAL, 0, 0)

ACCEPT(callx_helper_const, "[CALLX] the conformance program: helper 5 by register", MOV64_K(R1, -1),
       MOV64_K(R2, 5), CALLX(R2), MOV64_K(R0, 2), EXIT())
/* map_lookup_elem through a register: the prototype is checked as for a
 * static call, and R0 is typed by it (NULL check needed). */
ACCEPT(callx_helper_lookup, "[CALLX] map_lookup_elem by register, NULL-checked value",
       ST(BPF_W, R10, -4, 0), MOV64_X(R2, R10), ALU64_K(BPF_ADD, R2, -4), LD_MAP(R1, 0),
       MOV64_K(R6, BPF_FUNC_map_lookup_elem), CALLX(R6), JMP_K(BPF_JEQ, R0, 0, 1),
       LDX(BPF_DW, R0, R0, 8), EXIT())
REJECT(callx_helper_lookup_null, MEM_NULL, 7,
       "a value from map_lookup_elem by register may be NULL", ST(BPF_W, R10, -4, 0),
       MOV64_X(R2, R10), ALU64_K(BPF_ADD, R2, -4), LD_MAP(R1, 0),
       MOV64_K(R6, BPF_FUNC_map_lookup_elem), CALLX(R6), LDX(BPF_DW, R0, R0, 8), EXIT())
REJECT(callx_helper_bad_arg, HELPER_ARG, 2, "helper arguments are checked for callx too",
       MOV64_K(R1, 0), MOV64_K(R3, BPF_FUNC_map_lookup_elem), CALLX(R3), RET0)
REJECT(callx_unknown_value, CALLX, 2, "a target read from the context is not known",
       LDX(BPF_B, R2, R1, 0), MOV64_K(R0, 0), CALLX(R2), EXIT())
REJECT(callx_range_not_const, CALLX, 3, "a bounded but not constant id is refused",
       LDX(BPF_B, R2, R1, 0), ALU64_K(BPF_AND, R2, 1), ALU64_K(BPF_ADD, R2, 7), CALLX(R2), RET0)
REJECT(callx_pointer, CALLX, 0, "a pointer is not a call target", CALLX(R1), RET0)
REJECT(callx_uninit, REG_UNINIT, 0, "the target register must be initialised", CALLX(R3), RET0)
REJECT(callx_unknown_helper, HELPER_DENIED, 1, "an id no helper has", MOV64_K(R2, 300), CALLX(R2),
       RET0)
REJECT(callx_zero, HELPER_DENIED, 1, "id 0 is no helper", MOV64_K(R2, 0), CALLX(R2), RET0)
REJECT_H(callx_denied_by_hook, HELPER_DENIED, 1, &hook_few, "the hook's helper list applies",
         MOV64_K(R2, BPF_FUNC_get_smp_processor_id), CALLX(R2), RET0)
ACCEPT_H(callx_allowed_by_hook, &hook_few, "[HELPER_DENIED] a listed helper by register",
         MOV64_K(R2, BPF_FUNC_ktime_get_ns), CALLX(R2), EXIT())
ACCEPT(callx_path_consts, "[CALLX] a different constant on each path, each a helper",
       LDX(BPF_B, R2, R1, 0), MOV64_K(R3, BPF_FUNC_ktime_get_ns), JMP_K(BPF_JGT, R2, 9, 1),
       MOV64_K(R3, BPF_FUNC_get_prandom_u32), CALLX(R3), EXIT())

/* Local functions through callx: 0-5 main, 6-9 the function. */
ACCEPT(callx_local, "[CALLX] callx pc+r2 with r2 set right before: a known function",
       MOV64_K(R1, 5), MOV64_K(R6, 40), MOV64_K(R2, 2), CALLX_LOCAL(R2), ALU64_X(BPF_ADD, R0, R6),
       EXIT(), MOV64_X(R0, R1), ALU64_K(BPF_ADD, R0, 1), MOV64_K(R6, 0), EXIT())
ACCEPT(callx_local_ldimm, "[CALLX] the offset from an LD_IMM64 right before", MOV64_K(R1, 5),
       LD64(R4, 1), CALLX_LOCAL(R4), EXIT(), MOV64_X(R0, R1), EXIT())
/* The function at 6 is also called statically, so it is known; the
 * callx at 4 is not resolved (insn 3 sets another register). */
REJECT(callx_local_not_adjacent, CALLX, 4, "the register is set earlier, not right before: refused",
       MOV64_K(R1, 5), CALL_LOCAL(4), MOV64_K(R2, 1), MOV64_K(R3, 0), CALLX_LOCAL(R2), EXIT(),
       MOV64_X(R0, R1), EXIT())
REJECT(callx_local_unresolved_only, UNREACHABLE, 5,
       "a function only an unresolved callx reaches is unreachable", MOV64_K(R1, 5), MOV64_K(R2, 2),
       MOV64_K(R3, 0), CALLX_LOCAL(R2), EXIT(), MOV64_X(R0, R1), EXIT())
/* A path that jumps to the call with another value in the register. */
REJECT(callx_local_other_path, CALLX, 4, "another path reaches the call with a different offset",
       LDX(BPF_B, R3, R1, 0), MOV64_K(R2, 7), JMP_K(BPF_JGT, R3, 5, 1), MOV64_K(R2, 1),
       CALLX_LOCAL(R2), EXIT(), MOV64_K(R0, 0), EXIT())
REJECT(callx_local_unreachable_fn, UNREACHABLE, 3,
       "a function reached only by an unknown callx is unreachable", LDX(BPF_B, R2, R1, 0),
       CALLX_LOCAL(R2), EXIT(), MOV64_K(R0, 1), EXIT())
REJECT(callx_local_into_ldimm, UNREACHABLE, 4,
       "an offset into the middle of an LD_IMM64 names no function", MOV64_K(R2, 3),
       CALLX_LOCAL(R2), RET0, LD64(R0, 1), EXIT())
/* Stack of a chain through callx: 400 bytes in main, 200 in the callee. */
REJECT(callx_local_stack_chain, STACK_SIZE, -1, "the combined stack counts callx edges",
       ST(BPF_DW, R10, -400, 0), MOV64_K(R2, 1), CALLX_LOCAL(R2), EXIT(), ST(BPF_DW, R10, -200, 0),
       MOV64_K(R0, 0), EXIT())
ACCEPT(callx_local_stack_fits, "[STACK_SIZE] 256 + 256 bytes through callx fit",
       ST(BPF_DW, R10, -256, 0), MOV64_K(R2, 1), CALLX_LOCAL(R2), EXIT(), ST(BPF_DW, R10, -256, 0),
       MOV64_K(R0, 0), EXIT())

/* ================================================================== */
/* BPF_HOOK_CTX_LEN: R2 is the context's length at entry. */
static const struct bpf_hook hook_len = {
        .name = "len",
        .ctx_size = 64,
        .flags = BPF_HOOK_CTX_LEN,
};
ACCEPT_H(ctxlen_last_byte, &hook_len, "[CTX_ACCESS] r1 + r2 - 1 is the context's last byte",
         ALU64_X(BPF_ADD, R1, R2), LDX(BPF_B, R0, R1, -1), EXIT())
REJECT_H(ctxlen_past_end, CTX_ACCESS, 1, &hook_len, "r1 + r2 is one past the end",
         ALU64_X(BPF_ADD, R1, R2), LDX(BPF_B, R0, R1, 0), EXIT())
ACCEPT_H(ctxlen_loop, &hook_len, "[LOOP] a loop bounded by r2 sums every byte", MOV64_K(R0, 0),
         MOV64_K(R3, 0),
         /* 2: */ JMP_X(BPF_JGE, R3, R2, 6), MOV64_X(R4, R1), ALU64_X(BPF_ADD, R4, R3),
         LDX(BPF_B, R4, R4, 0), ALU64_X(BPF_ADD, R0, R4), ALU64_K(BPF_ADD, R3, 1), JA(-7), EXIT())
REJECT(ctxlen_without_flag, REG_UNINIT, 0, "without BPF_HOOK_CTX_LEN R2 is not set",
       MOV64_X(R0, R2), EXIT())
/* A hook that allows tail calls cannot promise R2: a program may start as a
 * tail-call target, whose R2 is whatever its caller passed along. */
static const struct bpf_hook hook_len_tail = {
        .name = "len+tail",
        .ctx_size = 64,
        .flags = BPF_HOOK_CTX_LEN | BPF_HOOK_TAIL_CALLS,
};
REJECT_H(ctxlen_with_tail_calls, REG_UNINIT, 0, &hook_len_tail,
         "with tail calls allowed R2 is not the length (a tail-call target gets its caller's R2)",
         MOV64_X(R0, R2), EXIT())
