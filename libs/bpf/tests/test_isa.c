/* Every opcode of RFC 9669 and its edge cases, run in both modes. */
#include "test.h"

#define ISA(name, desc, expect, ...)                                                   \
	TEST(ISA, name, desc)                                                          \
	{                                                                              \
		const struct bpf_insn p[] = {__VA_ARGS__, EXIT()};                     \
		CHECK_EQ(run_both(p, NELEM(p), NULL, 0, NULL, 0), (uint64_t)(expect)); \
	}

#define R0 0
#define R1 1
#define R2 2
#define R3 3
#define R10 10

/* ---- ALU64 (§4.1) ---- */
ISA(add64_k, "ALU64 ADD K sign-extends imm", 5, MOV64_K(R0, 6), ALU64_K(BPF_ADD, R0, -1))
ISA(add64_x, "ALU64 ADD X wraps", 1, LD64(R0, 0xffffffffffffffffULL), MOV64_K(R1, 2),
    ALU64_X(BPF_ADD, R0, R1))
ISA(sub64_k, "ALU64 SUB K", 0xfffffffffffffffeULL, MOV64_K(R0, 1), ALU64_K(BPF_SUB, R0, 3))
ISA(sub64_x, "ALU64 SUB X", 7, MOV64_K(R0, 10), MOV64_K(R1, 3), ALU64_X(BPF_SUB, R0, R1))
ISA(mul64_k, "ALU64 MUL K negative imm", (uint64_t)-21, MOV64_K(R0, 7), ALU64_K(BPF_MUL, R0, -3))
ISA(mul64_x, "ALU64 MUL X 64-bit product", 0x100000000ULL * 3, LD64(R0, 0x100000000ULL),
    MOV64_K(R1, 3), ALU64_X(BPF_MUL, R0, R1))
ISA(div64_k, "ALU64 DIV K unsigned", 0x7fffffffffffffffULL, MOV64_K(R0, -1),
    ALU64_K(BPF_DIV, R0, 2))
ISA(div64_k_negimm, "ALU64 DIV K: imm sign-extended then unsigned", 1, MOV64_K(R0, -1),
    ALU64_K(BPF_DIV, R0, -1))
ISA(div64_x, "ALU64 DIV X", 33, MOV64_K(R0, 100), MOV64_K(R1, 3), ALU64_X(BPF_DIV, R0, R1))
ISA(div64_zero_k, "ALU64 DIV by zero imm gives 0", 0, MOV64_K(R0, 100), ALU64_K(BPF_DIV, R0, 0))
ISA(div64_zero_x, "ALU64 DIV by zero register gives 0", 0, MOV64_K(R0, 100), MOV64_K(R1, 0),
    ALU64_X(BPF_DIV, R0, R1))
ISA(mod64_k, "ALU64 MOD K", 1, MOV64_K(R0, 100), ALU64_K(BPF_MOD, R0, 3))
ISA(mod64_x, "ALU64 MOD X unsigned", 0xffffffffffffffffULL % 10, MOV64_K(R0, -1), MOV64_K(R1, 10),
    ALU64_X(BPF_MOD, R0, R1))
ISA(mod64_zero, "ALU64 MOD by zero leaves dst unchanged", 0xdeadbeefcafeULL,
    LD64(R0, 0xdeadbeefcafeULL), MOV64_K(R1, 0), ALU64_X(BPF_MOD, R0, R1))
ISA(mod64_zero_k, "ALU64 MOD by zero imm leaves dst unchanged", 0x1234567890ULL,
    LD64(R0, 0x1234567890ULL), ALU64_K(BPF_MOD, R0, 0))
ISA(sdiv64_k, "ALU64 SDIV K truncates toward zero", (uint64_t)-4, MOV64_K(R0, -13), SDIV64_K(R0, 3))
ISA(sdiv64_x, "ALU64 SDIV X both negative", 4, MOV64_K(R0, -13), MOV64_K(R1, -3), SDIV64_X(R0, R1))
ISA(sdiv64_zero, "ALU64 SDIV by zero gives 0", 0, MOV64_K(R0, -13), SDIV64_K(R0, 0))
ISA(sdiv64_min, "ALU64 SDIV INT64_MIN / -1 wraps to INT64_MIN", 0x8000000000000000ULL,
    LD64(R0, 0x8000000000000000ULL), SDIV64_K(R0, -1))
ISA(smod64_k, "ALU64 SMOD: result has sign of dividend (-13 % 3 = -1)", (uint64_t)-1,
    MOV64_K(R0, -13), SMOD64_K(R0, 3))
ISA(smod64_x, "ALU64 SMOD X 13 % -3 = 1", 1, MOV64_K(R0, 13), MOV64_K(R1, -3), SMOD64_X(R0, R1))
ISA(smod64_min, "ALU64 SMOD INT64_MIN % -1 = 0", 0, LD64(R0, 0x8000000000000000ULL),
    SMOD64_K(R0, -1))
ISA(smod64_zero, "ALU64 SMOD by zero leaves dst unchanged", (uint64_t)-13, MOV64_K(R0, -13),
    SMOD64_K(R0, 0))
ISA(or64, "ALU64 OR K and X", 0xff00000000000f0fULL, LD64(R0, 0xff00000000000000ULL),
    ALU64_K(BPF_OR, R0, 0xf00), MOV64_K(R1, 0xf), ALU64_X(BPF_OR, R0, R1))
ISA(and64_k_signext, "ALU64 AND K with -1 keeps upper bits", 0x123456789ULL,
    LD64(R0, 0x123456789ULL), ALU64_K(BPF_AND, R0, -1))
ISA(and64_x, "ALU64 AND X", 0x8, MOV64_K(R0, 0x1c), MOV64_K(R1, 0xa), ALU64_X(BPF_AND, R0, R1))
ISA(xor64, "ALU64 XOR K and X", 0xfffffffffffffff0ULL ^ 3, MOV64_K(R0, 0xf),
    ALU64_K(BPF_XOR, R0, -1), MOV64_K(R1, 3), ALU64_X(BPF_XOR, R0, R1))
ISA(lsh64, "ALU64 LSH K", 0x8000000000000000ULL, MOV64_K(R0, 1), ALU64_K(BPF_LSH, R0, 63))
ISA(lsh64_mask, "ALU64 LSH X masks the shift with 63", 2, MOV64_K(R0, 1), MOV64_K(R1, 65),
    ALU64_X(BPF_LSH, R0, R1))
ISA(rsh64, "ALU64 RSH K logical", 1, MOV64_K(R0, -1), ALU64_K(BPF_RSH, R0, 63))
ISA(rsh64_mask, "ALU64 RSH X masks with 63", 0x7fffffffffffffffULL, MOV64_K(R0, -1),
    MOV64_K(R1, 64 + 1), ALU64_X(BPF_RSH, R0, R1))
ISA(arsh64, "ALU64 ARSH K arithmetic", (uint64_t)-1, MOV64_K(R0, -16), ALU64_K(BPF_ARSH, R0, 63))
ISA(arsh64_x, "ALU64 ARSH X masks with 63", (uint64_t)-8, MOV64_K(R0, -16), MOV64_K(R1, 65),
    ALU64_X(BPF_ARSH, R0, R1))
ISA(neg64, "ALU64 NEG", (uint64_t)-5, MOV64_K(R0, 5), ALU64_K(BPF_NEG, R0, 0))
ISA(mov64_k, "ALU64 MOV K sign-extends", 0xffffffff80000000ULL, MOV64_K(R0, (int32_t)0x80000000))
ISA(mov64_x, "ALU64 MOV X", 0x1122334455667788ULL, LD64(R1, 0x1122334455667788ULL), MOV64_X(R0, R1))
ISA(movsx64_8, "ALU64 MOVSX 8", (uint64_t)-128, MOV64_K(R1, 0x180), MOVSX64(R0, R1, 8))
ISA(movsx64_16, "ALU64 MOVSX 16", (uint64_t)-32768, MOV64_K(R1, 0x18000), MOVSX64(R0, R1, 16))
ISA(movsx64_32, "ALU64 MOVSX 32", 0xffffffff80000000ULL, LD64(R1, 0x180000000ULL),
    MOVSX64(R0, R1, 32))
ISA(bswap16, "ALU64 BSWAP 16 zero-extends", 0x1122, LD64(R0, 0x8877665544332211ULL), BSWAP(R0, 16))
ISA(bswap32, "ALU64 BSWAP 32", 0x11223344, LD64(R0, 0x8877665544332211ULL), BSWAP(R0, 32))
ISA(bswap64, "ALU64 BSWAP 64", 0x1122334455667788ULL, LD64(R0, 0x8877665544332211ULL),
    BSWAP(R0, 64))

/* ---- ALU 32-bit (§4.1): results zero-extended ---- */
ISA(add32_wrap, "ALU ADD wraps and zeroes upper 32 bits", 0, LD64(R0, 0x1ffffffffULL),
    ALU32_K(BPF_ADD, R0, 1))
ISA(add32_x, "ALU ADD X ignores upper bits of src", 3, LD64(R1, 0x500000001ULL), MOV64_K(R0, 2),
    ALU32_X(BPF_ADD, R0, R1))
ISA(sub32, "ALU SUB underflow", 0xffffffffULL, MOV64_K(R0, 0), ALU32_K(BPF_SUB, R0, 1))
ISA(sub32_x, "ALU SUB X", 5, MOV64_K(R0, 8), MOV64_K(R1, 3), ALU32_X(BPF_SUB, R0, R1))
ISA(mul32, "ALU MUL truncates", 0xfffffffeULL, MOV64_K(R0, 0x7fffffff), ALU32_K(BPF_MUL, R0, 2))
ISA(mul32_x, "ALU MUL X", 42, MOV64_K(R0, 6), MOV64_K(R1, 7), ALU32_X(BPF_MUL, R0, R1))
ISA(div32_k, "ALU DIV K unsigned 32-bit", 0x7fffffff, MOV64_K(R0, -1), ALU32_K(BPF_DIV, R0, 2))
ISA(div32_x, "ALU DIV X uses low 32 bits", 3, LD64(R0, 0x10000000aULL), LD64(R1, 0x100000003ULL),
    ALU32_X(BPF_DIV, R0, R1))
ISA(div32_zero, "ALU DIV by zero gives 0", 0, MOV64_K(R0, 77), MOV64_K(R1, 0),
    ALU32_X(BPF_DIV, R0, R1))
ISA(mod32_k, "ALU MOD K", 2, MOV64_K(R0, 17), ALU32_K(BPF_MOD, R0, 5))
ISA(mod32_x, "ALU MOD X", 2, MOV64_K(R0, 17), MOV64_K(R1, 5), ALU32_X(BPF_MOD, R0, R1))
ISA(mod32_zero, "ALU MOD by zero zeroes upper 32 bits only", 0x89abcdefULL,
    LD64(R0, 0x0123456789abcdefULL), ALU32_K(BPF_MOD, R0, 0))
ISA(sdiv32, "ALU SDIV", 0xfffffffcULL, MOV32_K(R0, -13), SDIV32_K(R0, 3))
ISA(sdiv32_x, "ALU SDIV X", 4, MOV32_K(R0, -13), MOV32_K(R1, -3), SDIV32_X(R0, R1))
ISA(sdiv32_min, "ALU SDIV INT32_MIN / -1 wraps", 0x80000000ULL, MOV32_K(R0, (int32_t)0x80000000),
    SDIV32_K(R0, -1))
ISA(sdiv32_zero, "ALU SDIV by zero gives 0", 0, MOV32_K(R0, -5), SDIV32_K(R0, 0))
ISA(smod32, "ALU SMOD sign of dividend", 0xffffffffULL, MOV32_K(R0, -13), SMOD32_K(R0, 3))
ISA(smod32_x, "ALU SMOD X", 1, MOV32_K(R0, 13), MOV32_K(R1, -3), SMOD32_X(R0, R1))
ISA(smod32_min, "ALU SMOD INT32_MIN % -1 = 0", 0, MOV32_K(R0, (int32_t)0x80000000),
    SMOD32_K(R0, -1))
ISA(smod32_zero, "ALU SMOD by zero zero-extends dst", 0xfffffff3ULL, MOV64_K(R0, -13),
    SMOD32_K(R0, 0))
ISA(or32, "ALU OR clears upper bits", 0xf0f, LD64(R0, 0xff00000000000f00ULL),
    ALU32_K(BPF_OR, R0, 0xf))
ISA(or32_x, "ALU OR X", 0x3, MOV64_K(R0, 1), MOV64_K(R1, 2), ALU32_X(BPF_OR, R0, R1))
ISA(and32, "ALU AND", 0x4, MOV64_K(R0, -4), ALU32_K(BPF_AND, R0, 0x7))
ISA(and32_x, "ALU AND X", 0x2, MOV64_K(R0, 6), MOV64_K(R1, 3), ALU32_X(BPF_AND, R0, R1))
ISA(xor32, "ALU XOR", 0xfffffff0ULL, MOV64_K(R0, 0xf), ALU32_K(BPF_XOR, R0, -1))
ISA(xor32_x, "ALU XOR X", 0x5, MOV64_K(R0, 6), MOV64_K(R1, 3), ALU32_X(BPF_XOR, R0, R1))
ISA(lsh32, "ALU LSH drops bits past 32", 0x80000000ULL, MOV64_K(R0, 3), ALU32_K(BPF_LSH, R0, 31))
ISA(lsh32_mask, "ALU LSH X masks the shift with 31", 2, MOV64_K(R0, 1), MOV64_K(R1, 33),
    ALU32_X(BPF_LSH, R0, R1))
ISA(rsh32, "ALU RSH ignores upper input bits", 0x7fffffff, MOV64_K(R0, -1), ALU32_K(BPF_RSH, R0, 1))
ISA(rsh32_x, "ALU RSH X masks with 31", 0x40000000, MOV32_K(R0, (int32_t)0x80000000),
    MOV64_K(R1, 33), ALU32_X(BPF_RSH, R0, R1))
ISA(arsh32, "ALU ARSH sign of bit 31", 0xffffffffULL, MOV32_K(R0, (int32_t)0x80000000),
    ALU32_K(BPF_ARSH, R0, 31))
ISA(arsh32_x, "ALU ARSH X", 0xfffffffcULL, MOV32_K(R0, -16), MOV64_K(R1, 2),
    ALU32_X(BPF_ARSH, R0, R1))
ISA(neg32, "ALU NEG zero-extends", 0xfffffffbULL, MOV64_K(R0, 5), ALU32_K(BPF_NEG, R0, 0))
ISA(mov32_k, "ALU MOV K does not sign-extend", 0xffffffffULL, MOV32_K(R0, -1))
ISA(mov32_x, "ALU MOV X zero-extends", 0x55667788ULL, LD64(R1, 0x1122334455667788ULL),
    ALU32_X(BPF_MOV, R0, R1))
ISA(movsx32_8, "ALU MOVSX 8 then zero-extend", 0xffffff80ULL, MOV64_K(R1, 0x80), MOVSX32(R0, R1, 8))
ISA(movsx32_16, "ALU MOVSX 16 then zero-extend", 0xffff8000ULL, MOV64_K(R1, 0x8000),
    MOVSX32(R0, R1, 16))
ISA(le16, "END TO_LE 16 truncates", 0x2211, LD64(R0, 0x8877665544332211ULL), LE(R0, 16))
ISA(le32, "END TO_LE 32 truncates", 0x44332211, LD64(R0, 0x8877665544332211ULL), LE(R0, 32))
ISA(le64, "END TO_LE 64 is identity", 0x8877665544332211ULL, LD64(R0, 0x8877665544332211ULL),
    LE(R0, 64))
ISA(be16, "END TO_BE 16", 0x1122, LD64(R0, 0x8877665544332211ULL), BE(R0, 16))
ISA(be32, "END TO_BE 32", 0x11223344, LD64(R0, 0x8877665544332211ULL), BE(R0, 32))
ISA(be64, "END TO_BE 64", 0x1122334455667788ULL, LD64(R0, 0x8877665544332211ULL), BE(R0, 64))

/* ---- §5.4 LD_IMM64 ---- */
ISA(lddw, "LD_IMM64 loads all 64 bits", 0xfedcba9876543210ULL, LD64(R0, 0xfedcba9876543210ULL))
ISA(lddw_neg_lo, "LD_IMM64 low half not sign-extended", 0x00000001ffffffffULL,
    LD64(R0, 0x00000001ffffffffULL))

/* ---- §4.3 jumps: each condition, taken and not taken ---- */
#define JT(name, desc, setup_d, setup_s, op, taken)                                                \
	ISA(name##_k, desc " (K)", taken, LD64(R1, setup_d), MOV64_K(R0, 0),                       \
	    JMP_K(op, R1, (int32_t)(setup_s), 1), JA(1), MOV64_K(R0, 1))                           \
	ISA(name##_x, desc " (X)", taken, LD64(R1, setup_d),                                       \
	    LD64(R2, (uint64_t)(int64_t)(int32_t)(setup_s)), MOV64_K(R0, 0), JMP_X(op, R1, R2, 1), \
	    JA(1), MOV64_K(R0, 1))
JT(jeq_t, "JEQ taken", 5, 5, BPF_JEQ, 1)
JT(jeq_n, "JEQ not taken", 5, 6, BPF_JEQ, 0)
JT(jeq_sext, "JEQ imm sign-extended to 64", 0xffffffffffffffffULL, -1, BPF_JEQ, 1)
JT(jne_t, "JNE taken", 5, 6, BPF_JNE, 1)
JT(jne_n, "JNE not taken", 5, 5, BPF_JNE, 0)
JT(jgt_t, "JGT unsigned: -1 > 1", (uint64_t)-1, 1, BPF_JGT, 1)
JT(jgt_n, "JGT not taken on equal", 7, 7, BPF_JGT, 0)
JT(jge_t, "JGE taken on equal", 7, 7, BPF_JGE, 1)
JT(jge_n, "JGE not taken", 6, 7, BPF_JGE, 0)
JT(jlt_t, "JLT unsigned: 1 < -1", 1, -1, BPF_JLT, 1)
JT(jlt_n, "JLT not taken", 7, 7, BPF_JLT, 0)
JT(jle_t, "JLE taken on equal", 7, 7, BPF_JLE, 1)
JT(jle_n, "JLE not taken", 8, 7, BPF_JLE, 0)
JT(jsgt_t, "JSGT signed: 1 > -1", 1, -1, BPF_JSGT, 1)
JT(jsgt_n, "JSGT signed: -1 > 1 false", (uint64_t)-1, 1, BPF_JSGT, 0)
JT(jsge_t, "JSGE taken on equal", (uint64_t)-5, -5, BPF_JSGE, 1)
JT(jsge_n, "JSGE not taken", (uint64_t)-6, -5, BPF_JSGE, 0)
JT(jslt_t, "JSLT signed -2 < 1", (uint64_t)-2, 1, BPF_JSLT, 1)
JT(jslt_n, "JSLT not taken", 1, -2, BPF_JSLT, 0)
JT(jsle_t, "JSLE taken on equal", (uint64_t)-2, -2, BPF_JSLE, 1)
JT(jsle_n, "JSLE not taken", 3, -2, BPF_JSLE, 0)
JT(jset_t, "JSET taken", 0x6, 0x2, BPF_JSET, 1)
JT(jset_n, "JSET not taken", 0x4, 0x3, BPF_JSET, 0)
JT(jset_hi, "JSET sees bits of sign-extended imm", 0x8000000000000000ULL, (int32_t)0x80000000,
   BPF_JSET, 1)

#define JT32(name, desc, setup_d, setup_s, op, taken)                                    \
	ISA(name##_k, desc " (K)", taken, LD64(R1, setup_d), MOV64_K(R0, 0),             \
	    JMP32_K(op, R1, (int32_t)(setup_s), 1), JA(1), MOV64_K(R0, 1))               \
	ISA(name##_x, desc " (X)", taken, LD64(R1, setup_d),                             \
	    LD64(R2, (uint64_t)(uint32_t)(setup_s) | 0xabcd00000000ULL), MOV64_K(R0, 0), \
	    JMP32_X(op, R1, R2, 1), JA(1), MOV64_K(R0, 1))
JT32(j32eq_t, "JMP32 JEQ ignores upper 32 bits", 0x1200000005ULL, 5, BPF_JEQ, 1)
JT32(j32eq_n, "JMP32 JEQ not taken", 5, 6, BPF_JEQ, 0)
JT32(j32ne_t, "JMP32 JNE", 5, 6, BPF_JNE, 1)
JT32(j32ne_n, "JMP32 JNE not taken", 0x700000005ULL, 5, BPF_JNE, 0)
JT32(j32gt_t, "JMP32 JGT unsigned", 0xffffffffULL, 1, BPF_JGT, 1)
JT32(j32gt_n, "JMP32 JGT not taken", 1, 2, BPF_JGT, 0)
JT32(j32ge_t, "JMP32 JGE", 2, 2, BPF_JGE, 1)
JT32(j32ge_n, "JMP32 JGE not taken", 0x100000001ULL, 2, BPF_JGE, 0)
JT32(j32lt_t, "JMP32 JLT", 0x100000001ULL, 2, BPF_JLT, 1)
JT32(j32lt_n, "JMP32 JLT not taken", 3, 2, BPF_JLT, 0)
JT32(j32le_t, "JMP32 JLE", 2, 2, BPF_JLE, 1)
JT32(j32le_n, "JMP32 JLE not taken", 3, 2, BPF_JLE, 0)
JT32(j32sgt_t, "JMP32 JSGT signed", 1, -1, BPF_JSGT, 1)
JT32(j32sgt_n, "JMP32 JSGT signed 0xffffffff is -1", 0xffffffffULL, 1, BPF_JSGT, 0)
JT32(j32sge_t, "JMP32 JSGE", 0xfffffffbULL, -5, BPF_JSGE, 1)
JT32(j32sge_n, "JMP32 JSGE not taken", 0xfffffffaULL, -5, BPF_JSGE, 0)
JT32(j32slt_t, "JMP32 JSLT", 0x80000000ULL, 0, BPF_JSLT, 1)
JT32(j32slt_n, "JMP32 JSLT not taken", 0x7fffffffULL, 0, BPF_JSLT, 0)
JT32(j32sle_t, "JMP32 JSLE", 0xfffffffeULL, -2, BPF_JSLE, 1)
JT32(j32sle_n, "JMP32 JSLE not taken", 3, -2, BPF_JSLE, 0)
JT32(j32set_t, "JMP32 JSET", 0x100000002ULL, 2, BPF_JSET, 1)
JT32(j32set_n, "JMP32 JSET ignores upper bits", 0x100000000ULL, 0, BPF_JSET, 0)

/* The skipped instruction is also a (never taken) branch target, so the
 * program has no unreachable code and passes the verifier. */
ISA(ja, "JA skips", 1, MOV64_K(R0, 1), MOV64_K(R2, 0), JMP_K(BPF_JNE, R2, 0, 1), JA(1),
    MOV64_K(R0, 2))
ISA(ja_back, "JA backwards loop counts to 10", 10, MOV64_K(R0, 0), ALU64_K(BPF_ADD, R0, 1),
    JMP_K(BPF_JLT, R0, 10, -2))
ISA(gotol, "JMP32 JA (gotol) uses imm as offset", 7, MOV64_K(R0, 7), MOV64_K(R2, 0),
    JMP_K(BPF_JNE, R2, 0, 1), GOTOL(1), MOV64_K(R0, 2))

/* ---- §5.1/§5.2 loads and stores (on the stack) ---- */
ISA(stx_ldx_dw, "STX/LDX DW", 0x0102030405060708ULL, LD64(R1, 0x0102030405060708ULL),
    STX(BPF_DW, R10, R1, -8), LDX(BPF_DW, R0, R10, -8))
ISA(stx_ldx_w, "STX/LDX W zero-extends", 0x05060708ULL, LD64(R1, 0x0102030405060708ULL),
    STX(BPF_DW, R10, R1, -8), LDX(BPF_W, R0, R10, -8))
ISA(stx_ldx_h, "STX/LDX H", 0x0708, LD64(R1, 0x0102030405060708ULL), STX(BPF_H, R10, R1, -2),
    LDX(BPF_H, R0, R10, -2))
ISA(stx_ldx_b, "STX/LDX B", 0x08, LD64(R1, 0x0102030405060708ULL), STX(BPF_B, R10, R1, -1),
    LDX(BPF_B, R0, R10, -1))
ISA(stx_narrow, "STX W writes only 4 bytes", 0xaaaaaaaa11223344ULL, LD64(R1, 0xaaaaaaaaaaaaaaaaULL),
    STX(BPF_DW, R10, R1, -8), MOV64_K(R2, 0x11223344), STX(BPF_W, R10, R2, -8),
    LDX(BPF_DW, R0, R10, -8))
ISA(st_dw, "ST DW sign-extends imm", 0xfffffffffffffffeULL, ST(BPF_DW, R10, -8, -2),
    LDX(BPF_DW, R0, R10, -8))
ISA(st_w, "ST W", 0xfffffffeULL, ST(BPF_W, R10, -4, -2), LDX(BPF_W, R0, R10, -4))
ISA(st_h, "ST H", 0xbeef, ST(BPF_H, R10, -2, 0xbeef), LDX(BPF_H, R0, R10, -2))
ISA(st_b, "ST B", 0x7f, ST(BPF_B, R10, -1, 0x17f), LDX(BPF_B, R0, R10, -1))
ISA(ldxsx_b, "LDXSX B sign-extends", (uint64_t)-1, ST(BPF_B, R10, -1, 0xff),
    LDXSX(BPF_B, R0, R10, -1))
ISA(ldxsx_h, "LDXSX H sign-extends", (uint64_t)-2, ST(BPF_H, R10, -2, 0xfffe),
    LDXSX(BPF_H, R0, R10, -2))
ISA(ldxsx_w, "LDXSX W sign-extends", 0xffffffff80000000ULL, ST(BPF_W, R10, -4, (int32_t)0x80000000),
    LDXSX(BPF_W, R0, R10, -4))
ISA(ldxsx_pos, "LDXSX B positive", 0x7f, ST(BPF_B, R10, -1, 0x7f), LDXSX(BPF_B, R0, R10, -1))
ISA(unaligned, "unaligned DW access", 0x1122334455667788ULL, LD64(R1, 0x1122334455667788ULL),
    STX(BPF_DW, R10, R1, -11), LDX(BPF_DW, R0, R10, -11))
ISA(r10_base_reg, "stores through a copy of R10", 9, MOV64_X(R1, R10), ALU64_K(BPF_ADD, R1, -16),
    ST(BPF_DW, R1, 0, 9), LDX(BPF_DW, R0, R10, -16))

/* ---- §5.3 atomics ---- */
#define AT64(name, desc, init, op, srcv, expect_mem, expect_src)                               \
	TEST(ISA, name, desc)                                                                  \
	{                                                                                      \
		const struct bpf_insn p[] = {LD64(R1, init),                                   \
		                             STX(BPF_DW, R10, R1, -8),                         \
		                             LD64(R2, srcv),                                   \
		                             ATOMIC(BPF_DW, op, R10, R2, -8),                  \
		                             LDX(BPF_DW, R0, R10, -8),                         \
		                             STX(BPF_DW, R10, R2, -16),                        \
		                             EXIT()};                                          \
		CHECK_EQ(run_both(p, NELEM(p), NULL, 0, NULL, 0), expect_mem);                 \
		const struct bpf_insn q[] = {LD64(R1, init),  STX(BPF_DW, R10, R1, -8),        \
		                             LD64(R2, srcv),  ATOMIC(BPF_DW, op, R10, R2, -8), \
		                             MOV64_X(R0, R2), EXIT()};                         \
		CHECK_EQ(run_both(q, NELEM(q), NULL, 0, NULL, 0), expect_src);                 \
	}
AT64(atomic_add64, "atomic ADD DW", 40, BPF_ADD, 2, 42, 2)
AT64(atomic_or64, "atomic OR DW", 0xf0, BPF_OR, 0x0f, 0xff, 0x0f)
AT64(atomic_and64, "atomic AND DW", 0xf0, BPF_AND, 0x3c, 0x30, 0x3c)
AT64(atomic_xor64, "atomic XOR DW", 0xff, BPF_XOR, 0x0f, 0xf0, 0x0f)
AT64(atomic_fadd64, "atomic ADD|FETCH DW returns old", 40, BPF_ADD | BPF_FETCH, 2, 42, 40)
AT64(atomic_for64, "atomic OR|FETCH DW", 0xf0, BPF_OR | BPF_FETCH, 0x0f, 0xff, 0xf0)
AT64(atomic_fand64, "atomic AND|FETCH DW", 0xf0, BPF_AND | BPF_FETCH, 0x3c, 0x30, 0xf0)
AT64(atomic_fxor64, "atomic XOR|FETCH DW", 0xff, BPF_XOR | BPF_FETCH, 0x0f, 0xf0, 0xff)
AT64(atomic_xchg64, "atomic XCHG DW", 0x1111111111ULL, BPF_XCHG, 0x2222222222ULL, 0x2222222222ULL,
     0x1111111111ULL)

#define AT32(name, desc, init, op, srcv, expect_mem, expect_src)                       \
	TEST(ISA, name, desc)                                                          \
	{                                                                              \
		const struct bpf_insn p[] = {LD64(R1, 0xaaaaaaaa00000000ULL | (init)), \
		                             STX(BPF_DW, R10, R1, -8),                 \
		                             LD64(R2, srcv),                           \
		                             ATOMIC(BPF_W, op, R10, R2, -8),           \
		                             LDX(BPF_DW, R0, R10, -8),                 \
		                             EXIT()};                                  \
		CHECK_EQ(run_both(p, NELEM(p), NULL, 0, NULL, 0),                      \
		         0xaaaaaaaa00000000ULL | (expect_mem));                        \
		const struct bpf_insn q[] = {LD64(R1, 0xaaaaaaaa00000000ULL | (init)), \
		                             STX(BPF_DW, R10, R1, -8),                 \
		                             LD64(R2, srcv),                           \
		                             ATOMIC(BPF_W, op, R10, R2, -8),           \
		                             MOV64_X(R0, R2),                          \
		                             EXIT()};                                  \
		CHECK_EQ(run_both(q, NELEM(q), NULL, 0, NULL, 0), expect_src);         \
	}
AT32(atomic_add32, "atomic ADD W touches 4 bytes", 0xffffffffULL, BPF_ADD, 0x500000001ULL, 0,
     0x500000001ULL)
AT32(atomic_or32, "atomic OR W", 0xf0, BPF_OR, 0x0f, 0xff, 0x0f)
AT32(atomic_and32, "atomic AND W", 0xf0, BPF_AND, 0x3c, 0x30, 0x3c)
AT32(atomic_xor32, "atomic XOR W", 0xff, BPF_XOR, 0x0f, 0xf0, 0x0f)
AT32(atomic_fadd32, "atomic ADD|FETCH W zero-extends old value", 0xfffffff0ULL, BPF_ADD | BPF_FETCH,
     0x10, 0, 0xfffffff0ULL)
AT32(atomic_for32, "atomic OR|FETCH W", 0xf0, BPF_OR | BPF_FETCH, 0xffffffff0000000fULL, 0xff, 0xf0)
AT32(atomic_fand32, "atomic AND|FETCH W", 0xf0, BPF_AND | BPF_FETCH, 0x3c, 0x30, 0xf0)
AT32(atomic_fxor32, "atomic XOR|FETCH W", 0xff, BPF_XOR | BPF_FETCH, 0x0f, 0xf0, 0xff)
AT32(atomic_xchg32, "atomic XCHG W", 0x11, BPF_XCHG, 0x700000022ULL, 0x22, 0x11)

TEST(ISA, cmpxchg64, "atomic CMPXCHG DW success and failure")
{
	/* success: R0 == mem -> store src, R0 = old */
	const struct bpf_insn ok[] = {
	        ST(BPF_DW, R10, -8, 5),   MOV64_K(R0, 5),
	        MOV64_K(R2, 9),           ATOMIC(BPF_DW, BPF_CMPXCHG, R10, R2, -8),
	        LDX(BPF_DW, R1, R10, -8), ALU64_K(BPF_LSH, R0, 8),
	        ALU64_X(BPF_OR, R0, R1),  EXIT()};
	CHECK_EQ(run_both(ok, NELEM(ok), NULL, 0, NULL, 0), (5 << 8) | 9);
	const struct bpf_insn bad[] = {
	        ST(BPF_DW, R10, -8, 5),   MOV64_K(R0, 6),
	        MOV64_K(R2, 9),           ATOMIC(BPF_DW, BPF_CMPXCHG, R10, R2, -8),
	        LDX(BPF_DW, R1, R10, -8), ALU64_K(BPF_LSH, R0, 8),
	        ALU64_X(BPF_OR, R0, R1),  EXIT()};
	CHECK_EQ(run_both(bad, NELEM(bad), NULL, 0, NULL, 0), (5 << 8) | 5);
}

TEST(ISA, cmpxchg32, "atomic CMPXCHG W compares low 32 bits of R0, zero-extends old")
{
	const struct bpf_insn ok[] = {ST(BPF_DW, R10, -8, -1),
	                              LD64(R0, 0x12ffffffffULL),
	                              MOV64_K(R2, 9),
	                              ATOMIC(BPF_W, BPF_CMPXCHG, R10, R2, -8),
	                              LDX(BPF_DW, R1, R10, -8),
	                              ALU64_X(BPF_ADD, R0, R1),
	                              EXIT()};
	/* old = 0xffffffff (zero-extended), mem = 0xffffffff00000009 */
	CHECK_EQ(run_both(ok, NELEM(ok), NULL, 0, NULL, 0), 0xffffffffULL + 0xffffffff00000009ULL);
}

/* ---- §5.5 legacy packet access ---- */
TEST(ISA, ld_abs, "LD_ABS B/H/W read big-endian from the packet")
{
	uint8_t pkt[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
	const struct bpf_insn w[] = {LDABS(BPF_W, 2), EXIT()};
	CHECK_EQ(run_both(w, NELEM(w), NULL, 0, pkt, sizeof(pkt)), 0x33445566);
	const struct bpf_insn h[] = {LDABS(BPF_H, 6), EXIT()};
	CHECK_EQ(run_both(h, NELEM(h), NULL, 0, pkt, sizeof(pkt)), 0x7788);
	const struct bpf_insn b[] = {LDABS(BPF_B, 0), EXIT()};
	CHECK_EQ(run_both(b, NELEM(b), NULL, 0, pkt, sizeof(pkt)), 0x11);
}

TEST(ISA, ld_ind, "LD_IND adds src register to imm")
{
	uint8_t pkt[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
	const struct bpf_insn p[] = {MOV64_K(R2, 3), LDIND(BPF_H, R2, 1), EXIT()};
	CHECK_EQ(run_both(p, NELEM(p), NULL, 0, pkt, sizeof(pkt)), 0x5566);
}

TEST(ISA, ld_abs_oob, "packet load out of bounds ends the program with R0 = 0")
{
	uint8_t pkt[8] = {0};
	const struct bpf_insn p[] = {MOV64_K(R0, 99), LDABS(BPF_W, 5), MOV64_K(R0, 7), EXIT()};
	CHECK_EQ(run_both(p, NELEM(p), NULL, 0, pkt, sizeof(pkt)), 0);
	const struct bpf_insn q[] = {MOV64_K(R2, -1), LDIND(BPF_B, R2, 2), MOV64_K(R0, 7), EXIT()};
	/* (u32)(-1 + 2) = 1 is in bounds */
	CHECK_EQ(run_both(q, NELEM(q), NULL, 0, pkt, sizeof(pkt)), 7);
	const struct bpf_insn r[] = {MOV64_K(R2, 8), LDIND(BPF_B, R2, 0), MOV64_K(R0, 7), EXIT()};
	CHECK_EQ(run_both(r, NELEM(r), NULL, 0, pkt, sizeof(pkt)), 0);
}

/* ---- registers at entry ---- */
TEST(ISA, entry_regs, "R1 holds the context and R10 the frame pointer at entry")
{
	uint64_t ctx[2] = {0x1234, 0};
	const struct bpf_insn p[] = {LDX(BPF_DW, R0, R1, 0), EXIT()};
	CHECK_EQ(run_both(p, NELEM(p), NULL, 0, ctx, sizeof(ctx)), 0x1234);
	const struct bpf_insn q[] = {ST(BPF_DW, R1, 8, 77), MOV64_K(R0, 0), EXIT()};
	run_both(q, NELEM(q), NULL, 0, ctx, sizeof(ctx));
	CHECK_EQ(ctx[1], 77);
}
