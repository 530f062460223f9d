/*
 * eBPF to riscv64: RV64IMA (no compressed instructions are emitted),
 * plus Zba (add.uw) and Zbb (rev8, sext.b/h, zext.h) when the caller says
 * the hart has them.  Encodings from the RISC-V unprivileged ISA manual
 * (RV32I/RV64I base formats, "M", "A", Zba, Zbb chapters).  Freestanding.
 *
 * Registers: BPF R1-R5 are a1-a5, so a helper call (vm, R1..R5) only
 * loads a0, and the result comes back in a0 = R0.
 *   R0 a0  R1 a1  R2 a2  R3 a3  R4 a4  R5 a5
 *   R6 s1  R7 s2  R8 s3  R9 s4  R10 s5
 *   s6: the run (struct bpf__jit_run); s7: return address of the
 *   current BPF function; t0-t6: scratch (t6: far jumps).
 * A BPF-to-BPF call saves R6-R10 and s7 on the native stack and jumps
 * with `jal s7`; EXIT is `jalr x0, 0(s7)`, so helper calls may clobber ra.
 *
 * RISC-V division already matches RFC 9669 §4.1 except for x / 0: the
 * remainder by zero is the dividend, INT_MIN / -1 = INT_MIN and
 * INT_MIN % -1 = 0 (unprivileged ISA, "M" extension, division table);
 * only the quotient by zero (all ones there, 0 in BPF) is masked.
 */
#include "jit_internal.h"

enum {
	ZERO = 0,
	RA = 1,
	SP = 2,
	T0 = 5,
	T1 = 6,
	T2 = 7,
	S1 = 9,
	A0 = 10,
	A1,
	A2,
	A3,
	A4,
	A5,
	S2 = 18,
	S3,
	S4,
	S5,
	S6,
	S7,
	T3 = 28,
	T4,
	T5,
	T6
};
static const uint8_t REG[BPF_NREGS] = {A0, A1, A2, A3, A4, A5, S1, S2, S3, S4, S5};
#define RUN S6
#define LINK S7

enum { STUB_EXIT, STUB_TAIL, STUB_PKT, STUB_TABLE };

/* ---- encodings ---- */
enum {
	OP = 0x33,
	OP_IMM = 0x13,
	OP_32 = 0x3b,
	OP_IMM_32 = 0x1b,
	LOAD = 0x03,
	STORE = 0x23,
	BRANCH = 0x63,
	JAL = 0x6f,
	JALR = 0x67,
	LUI = 0x37,
	AUIPC = 0x17,
	AMO = 0x2f
};
enum { BEQ = 0, BNE = 1, BLT = 4, BGE = 5, BLTU = 6, BGEU = 7 };

static void ins(struct jit *c, uint32_t v)
{
	jit_emit32(c, v);
}

static void r_type(struct jit *c, uint32_t f7, int rs2, int rs1, uint32_t f3, int rd, uint32_t opc)
{
	ins(c, f7 << 25 | (uint32_t)rs2 << 20 | (uint32_t)rs1 << 15 | f3 << 12 | (uint32_t)rd << 7 |
	               opc);
}
static void i_type(struct jit *c, int32_t imm, int rs1, uint32_t f3, int rd, uint32_t opc)
{
	ins(c, ((uint32_t)imm & 0xfff) << 20 | (uint32_t)rs1 << 15 | f3 << 12 | (uint32_t)rd << 7 |
	               opc);
}
static void s_type(struct jit *c, int32_t imm, int rs2, int rs1, uint32_t f3)
{
	uint32_t u = (uint32_t)imm;
	ins(c, ((u >> 5) & 0x7f) << 25 | (uint32_t)rs2 << 20 | (uint32_t)rs1 << 15 | f3 << 12 |
	               (u & 0x1f) << 7 | STORE);
}
static void b_type(struct jit *c, int32_t off, int rs2, int rs1, uint32_t f3)
{
	uint32_t u = (uint32_t)off;
	ins(c, ((u >> 12) & 1) << 31 | ((u >> 5) & 0x3f) << 25 | (uint32_t)rs2 << 20 |
	               (uint32_t)rs1 << 15 | f3 << 12 | ((u >> 1) & 0xf) << 8 |
	               ((u >> 11) & 1) << 7 | BRANCH);
}
static void jal(struct jit *c, int rd, int32_t off)
{
	uint32_t u = (uint32_t)off;
	ins(c, ((u >> 20) & 1) << 31 | ((u >> 1) & 0x3ff) << 21 | ((u >> 11) & 1) << 20 |
	               ((u >> 12) & 0xff) << 12 | (uint32_t)rd << 7 | JAL);
}
static void jalr(struct jit *c, int rd, int rs1, int32_t imm)
{
	i_type(c, imm, rs1, 0, rd, JALR);
}
static void u_type(struct jit *c, uint32_t imm20, int rd, uint32_t opc)
{
	ins(c, (imm20 & 0xfffff) << 12 | (uint32_t)rd << 7 | opc);
}

static void addi(struct jit *c, int rd, int rs, int32_t imm)
{
	i_type(c, imm, rs, 0, rd, OP_IMM);
}
static void mv(struct jit *c, int rd, int rs)
{
	addi(c, rd, rs, 0);
}
static void slli(struct jit *c, int rd, int rs, int sh)
{
	i_type(c, sh & 63, rs, 1, rd, OP_IMM);
}
static void srli(struct jit *c, int rd, int rs, int sh)
{
	i_type(c, sh & 63, rs, 5, rd, OP_IMM);
}
static void srai(struct jit *c, int rd, int rs, int sh)
{
	i_type(c, 0x400 | (sh & 63), rs, 5, rd, OP_IMM);
}
static void andi(struct jit *c, int rd, int rs, int32_t imm)
{
	i_type(c, imm, rs, 7, rd, OP_IMM);
}
static void op_rr(struct jit *c, uint32_t f7, uint32_t f3, int rd, int rs1, int rs2)
{
	r_type(c, f7, rs2, rs1, f3, rd, OP);
}
static void add(struct jit *c, int rd, int a, int b)
{
	op_rr(c, 0, 0, rd, a, b);
}
static void or_(struct jit *c, int rd, int a, int b)
{
	op_rr(c, 0, 6, rd, a, b);
}
static void and_(struct jit *c, int rd, int a, int b)
{
	op_rr(c, 0, 7, rd, a, b);
}
static void ld(struct jit *c, int rd, int base, int32_t off)
{
	i_type(c, off, base, 3, rd, LOAD);
}
static void sd(struct jit *c, int rs, int base, int32_t off)
{
	s_type(c, off, rs, base, 3);
}
static void sw(struct jit *c, int rs, int base, int32_t off)
{
	s_type(c, off, rs, base, 2);
}

static int fits12(int64_t v)
{
	return v >= -2048 && v <= 2047;
}

static int has_zba(const struct jit *c)
{
	return c->flags & BPF_JIT_F_RV_ZBA;
}
static int has_zbb(const struct jit *c)
{
	return c->flags & BPF_JIT_F_RV_ZBB;
}

/* rd = (uint32_t)rs: the ALU results RFC 9669 §4.1 wants zero-extended. */
static void zext32(struct jit *c, int rd, int rs)
{
	if (has_zba(c)) {
		r_type(c, 0x04, ZERO, rs, 0, rd, OP_32); /* add.uw rd, rs, zero */
	} else {
		slli(c, rd, rs, 32);
		srli(c, rd, rd, 32);
	}
}
static void sext32(struct jit *c, int rd, int rs)
{
	i_type(c, 0, rs, 0, rd, OP_IMM_32);
}

/* Load any 64-bit constant. */
static void li(struct jit *c, int rd, int64_t v)
{
	if (fits12(v)) {
		addi(c, rd, ZERO, (int32_t)v);
		return;
	}
	if (v == (int32_t)v) {
		int64_t lo = (int64_t)((uint64_t)v << 52) >> 52;
		uint32_t hi = (uint32_t)((v - lo) >> 12);
		u_type(c, hi, rd, LUI);
		if (lo)
			i_type(c, (int32_t)lo, rd, 0, rd, OP_IMM_32); /* addiw */
		return;
	}
	int64_t lo = (int64_t)((uint64_t)v << 52) >> 52;
	int64_t hi = (v - lo) >> 12;
	int sh = 12;
	while (!(hi & 1)) {
		hi >>= 1;
		sh++;
	}
	li(c, rd, hi);
	slli(c, rd, rd, sh);
	if (lo)
		addi(c, rd, rd, (int32_t)lo);
}

static int blind(const struct jit *c)
{
	return c->flags & BPF_JIT_F_BLIND;
}

/* An immediate operand in a register (T0), blinded when asked; zero
 * stays x0 unless blinding. */
static int imm_reg(struct jit *c, int64_t v)
{
	if (blind(c)) {
		int64_t key = (int32_t)jit_blind_key(c);
		li(c, T0, v ^ key);
		li(c, T1, key);
		op_rr(c, 0, 4, T0, T0, T1);
		return T0;
	}
	if (v == 0)
		return ZERO;
	li(c, T0, v);
	return T0;
}

/* ---- control flow ---- */

/* Unconditional jump to a native offset: jal (±1 MiB) or auipc+jalr. */
static void jump_to(struct jit *c, int64_t target, int form)
{
	int64_t d = target - (int64_t)c->pos;
	if (form != JIT_FORM_LONG) {
		jal(c, ZERO, (int32_t)d);
		return;
	}
	int64_t lo = (int64_t)((uint64_t)d << 52) >> 52;
	u_type(c, (uint32_t)((d - lo) >> 12), T6, AUIPC);
	jalr(c, ZERO, T6, (int32_t)lo);
}

/* if (rs1 cond rs2) goto target, in one of three forms. */
static void branch_to(struct jit *c, uint32_t f3, int rs1, int rs2, int64_t target, int form)
{
	if (form == JIT_FORM_SHORT) {
		b_type(c, (int32_t)(target - (int64_t)c->pos), rs2, rs1, f3);
		return;
	}
	/* inverted condition skips the jump */
	b_type(c, form == JIT_FORM_MID ? 8 : 12, rs2, rs1, f3 ^ 1);
	jump_to(c, target, form);
}

static int pick_form(int64_t d)
{
	if (d >= -4096 && d < 4096)
		return JIT_FORM_SHORT;
	if (d >= -(1 << 20) && d < (1 << 20))
		return JIT_FORM_MID;
	return JIT_FORM_LONG;
}

/* A BPF branch at insn i to insn t (f3 < 0: unconditional). */
static void bpf_branch(struct jit *c, uint32_t i, int f3, int rs1, int rs2, uint32_t t)
{
	int64_t target = jit_target_off(c, i, t);
	/* conservatively measured from the instruction's start and with
	 * room for the up to three instructions of the long form */
	if (c->pass == 1) {
		int64_t d = target - (int64_t)c->pos;
		c->form[i] = (uint8_t)pick_form(d < 0 ? d - 12 : d + 12);
	}
	int form = c->pass == 0 ? JIT_FORM_LONG : c->form[i];
	if (f3 < 0) {
		if (form == JIT_FORM_SHORT)
			form = JIT_FORM_MID; /* jal has the larger range */
		jump_to(c, target, form);
	} else {
		branch_to(c, (uint32_t)f3, rs1, rs2, target, form);
	}
}

/* Forward branch over a block of this instruction: returns the patch
 * position; skip_end fills in the offset (always within ±4 KiB). */
static size_t skip_begin(struct jit *c, uint32_t f3, int rs1, int rs2)
{
	size_t at = c->pos;
	b_type(c, 0, rs2, rs1, f3);
	return at;
}
static void skip_end(struct jit *c, size_t at, uint32_t f3, int rs1, int rs2)
{
	size_t here = c->pos;
	c->pos = at; /* re-encode in place */
	b_type(c, (int32_t)(here - at), rs2, rs1, f3);
	c->pos = here;
}

/* Stop the run with status at instruction pc. */
static void fail(struct jit *c, int status, uint32_t pc)
{
	li(c, T0, pc);
	sw(c, T0, RUN, JRUN_PC);
	li(c, T0, status);
	sw(c, T0, RUN, JRUN_STATUS);
	jump_to(c, c->stub_cur[STUB_EXIT], JIT_FORM_LONG);
}

/* ---- §4.1 arithmetic ---- */

static void bswap(struct jit *c, int dst, int width)
{
	if (has_zbb(c)) {
		i_type(c, 0x6b8, dst, 5, dst, OP_IMM); /* rev8 */
		if (width < 64)
			srli(c, dst, dst, 64 - width);
		return;
	}
	int n = width / 8;
	for (int k = 0; k < n; k++) {
		int t = k == 0 ? T1 : T2;
		if (k)
			srli(c, t, dst, 8 * k);
		andi(c, t, k ? t : dst, 0xff);
		if (n - 1 - k)
			slli(c, t, t, 8 * (n - 1 - k));
		if (k)
			or_(c, T1, T1, T2);
	}
	mv(c, dst, T1);
}

static void sign_extend(struct jit *c, int rd, int rs, int bits)
{
	if (bits == 32) {
		sext32(c, rd, rs);
	} else if (has_zbb(c)) {
		i_type(c, bits == 8 ? 0x604 : 0x605, rs, 1, rd, OP_IMM); /* sext.b / sext.h */
	} else {
		slli(c, rd, rs, 64 - bits);
		srai(c, rd, rd, 64 - bits);
	}
}

static void zext16(struct jit *c, int rd, int rs)
{
	if (has_zbb(c)) {
		r_type(c, 0x04, ZERO, rs, 4, rd, OP_32); /* zext.h */
	} else {
		slli(c, rd, rs, 48);
		srli(c, rd, rd, 48);
	}
}

static int alu(struct jit *c, const struct bpf_insn *in)
{
	int w = BPF_CLASS(in->code) == BPF_ALU64;
	int op = BPF_OP(in->code);
	int k = BPF_SRC_BIT(in->code) == BPF_K;
	int dst = REG[BPF_INSN_DST(in)];
	int src = REG[BPF_INSN_SRC(in)];
	int64_t imm = (int64_t)in->imm; /* sign-extended: ALU uses its low 32 bits */

	switch (op) {
	case BPF_ADD:
	case BPF_SUB:
	case BPF_OR:
	case BPF_AND:
	case BPF_XOR: {
		int64_t v = op == BPF_SUB ? -imm : imm;
		if (k && !blind(c) && fits12(v)) {
			/* addi, andi, ori, xori (12-bit sign-extended); the ALU
			 * forms are zero-extended below */
			uint32_t f3 = op == BPF_OR ? 6 : op == BPF_AND ? 7 : op == BPF_XOR ? 4 : 0;
			i_type(c, (int32_t)v, dst, f3, dst, OP_IMM);
		} else {
			int s = k ? imm_reg(c, imm) : src;
			uint32_t f3 = op == BPF_OR ? 6 : op == BPF_AND ? 7 : op == BPF_XOR ? 4 : 0;
			r_type(c, op == BPF_SUB ? 0x20 : 0, s, dst, f3, dst,
			       (op == BPF_ADD || op == BPF_SUB) && !w ? OP_32 : OP);
		}
		if (!w)
			zext32(c, dst, dst);
		return 0;
	}
	case BPF_MUL: {
		int s = k ? imm_reg(c, imm) : src;
		r_type(c, 1, s, dst, 0, dst, w ? OP : OP_32);
		if (!w)
			zext32(c, dst, dst);
		return 0;
	}
	case BPF_DIV:
	case BPF_MOD: {
		int is_signed = in->off == 1;
		uint32_t f3 = (op == BPF_DIV ? 4 : 6) | (is_signed ? 0 : 1);
		if (k && !blind(c)) {
			uint64_t d = w ? (uint64_t)imm : (uint32_t)imm;
			if (d == 0) {
				/* x / 0 = 0, x % 0 = x (ALU: zero-extended) */
				if (op == BPF_DIV)
					mv(c, dst, ZERO);
				else if (!w)
					zext32(c, dst, dst);
				return 0;
			}
			li(c, T0, imm);
			r_type(c, 1, T0, dst, f3, dst, w ? OP : OP_32);
			if (!w)
				zext32(c, dst, dst);
			return 0;
		}
		int s = k ? imm_reg(c, imm) : src;
		if (op == BPF_MOD) {
			r_type(c, 1, s, dst, f3, dst, w ? OP : OP_32);
		} else {
			/* mask = (divisor != 0) ? ~0 : 0 (ALU: its low 32 bits) */
			r_type(c, 1, s, dst, f3, T2, w ? OP : OP_32);
			if (w) {
				i_type(c, 1, s, 3, T1, OP_IMM); /* sltiu t1, s, 1 */
			} else {
				slli(c, T1, s, 32);
				i_type(c, 1, T1, 3, T1, OP_IMM);
			}
			addi(c, T1, T1, -1);
			and_(c, dst, T2, T1);
		}
		if (!w)
			zext32(c, dst, dst);
		return 0;
	}
	case BPF_LSH:
	case BPF_RSH:
	case BPF_ARSH: {
		uint32_t f3 = op == BPF_LSH ? 1 : 5;
		uint32_t hi = op == BPF_ARSH ? 0x20 : 0;
		if (k && !blind(c)) {
			int sh = in->imm & (w ? 63 : 31);
			i_type(c, (int32_t)(hi << 5 | (uint32_t)sh), dst, f3, dst,
			       w ? OP_IMM : OP_IMM_32);
		} else {
			/* sll/srl/sra use the low 6 bits, the W forms the low 5:
			 * the masks §4.1 asks for */
			int s = k ? imm_reg(c, imm) : src;
			r_type(c, hi, s, dst, f3, dst, w ? OP : OP_32);
		}
		if (!w)
			zext32(c, dst, dst);
		return 0;
	}
	case BPF_NEG:
		r_type(c, 0x20, dst, ZERO, 0, dst, w ? OP : OP_32);
		if (!w)
			zext32(c, dst, dst);
		return 0;
	case BPF_MOV:
		if (k) {
			if (blind(c))
				mv(c, dst, imm_reg(c, imm));
			else
				li(c, dst, w ? imm : (int64_t)(uint32_t)in->imm);
			if (!w && blind(c))
				zext32(c, dst, dst);
		} else if (in->off == 0) {
			if (w)
				mv(c, dst, src);
			else
				zext32(c, dst, src);
		} else {
			sign_extend(c, dst, src, in->off);
			if (!w)
				zext32(c, dst, dst);
		}
		return 0;
	case BPF_END:
		if (BPF_CLASS(in->code) == BPF_ALU && BPF_SRC_BIT(in->code) == BPF_TO_LE) {
			/* §4.2: little-endian target: truncate */
			if (in->imm == 16)
				zext16(c, dst, dst);
			else if (in->imm == 32)
				zext32(c, dst, dst);
		} else {
			bswap(c, dst, in->imm);
		}
		return 0;
	}
	return -BPF_EOPNOTSUPP;
}

/* ---- §4.3 jumps ---- */

static void cond_jump(struct jit *c, uint32_t i, const struct bpf_insn *in)
{
	int w = BPF_CLASS(in->code) == BPF_JMP;
	int op = BPF_OP(in->code);
	int k = BPF_SRC_BIT(in->code) == BPF_K;
	int a = REG[BPF_INSN_DST(in)];
	int b = k ? imm_reg(c, (int64_t)in->imm) : REG[BPF_INSN_SRC(in)];
	uint32_t t = jit_jump_target(in, i);
	if (op == BPF_JSET) {
		and_(c, T1, a, b);
		if (!w)
			slli(c, T1, T1, 32);
		bpf_branch(c, i, BNE, T1, ZERO, t);
		return;
	}
	if (!w) {
		/* JMP32 compares the low halves; sign-extending both keeps
		 * signed and unsigned 32-bit order alike. */
		sext32(c, T1, a);
		a = T1;
		if (b != ZERO) {
			sext32(c, T2, b);
			b = T2;
		}
	}
	switch (op) {
	case BPF_JEQ:
		bpf_branch(c, i, BEQ, a, b, t);
		break;
	case BPF_JNE:
		bpf_branch(c, i, BNE, a, b, t);
		break;
	case BPF_JGT:
		bpf_branch(c, i, BLTU, b, a, t);
		break;
	case BPF_JGE:
		bpf_branch(c, i, BGEU, a, b, t);
		break;
	case BPF_JLT:
		bpf_branch(c, i, BLTU, a, b, t);
		break;
	case BPF_JLE:
		bpf_branch(c, i, BGEU, b, a, t);
		break;
	case BPF_JSGT:
		bpf_branch(c, i, BLT, b, a, t);
		break;
	case BPF_JSGE:
		bpf_branch(c, i, BGE, a, b, t);
		break;
	case BPF_JSLT:
		bpf_branch(c, i, BLT, a, b, t);
		break;
	case BPF_JSLE:
		bpf_branch(c, i, BGE, b, a, t);
		break;
	}
}

static int is_cond(int op)
{
	switch (op) {
	case BPF_JEQ:
	case BPF_JNE:
	case BPF_JSET:
	case BPF_JGT:
	case BPF_JGE:
	case BPF_JLT:
	case BPF_JLE:
	case BPF_JSGT:
	case BPF_JSGE:
	case BPF_JSLT:
	case BPF_JSLE:
		return 1;
	}
	return 0;
}

/* ---- calls ---- */

/* rd = *(u64 *)(base + off) for any 32-bit off */
static void ld_far(struct jit *c, int rd, int base, int64_t off)
{
	if (fits12(off)) {
		ld(c, rd, base, (int32_t)off);
	} else {
		li(c, T3, off);
		add(c, T3, T3, base);
		ld(c, rd, T3, 0);
	}
}

/* rd = pc-relative address of native offset target */
static void la_pcrel(struct jit *c, int rd, int64_t target)
{
	int64_t d = target - (int64_t)c->pos;
	int64_t lo = (int64_t)((uint64_t)d << 52) >> 52;
	u_type(c, (uint32_t)((d - lo) >> 12), rd, AUIPC);
	addi(c, rd, rd, (int32_t)lo);
}

/* Helper by static id (call) or by the id in dst (callx, src 0). */
static void helper_call(struct jit *c, uint32_t i, const struct bpf_insn *in)
{
	uint32_t id = (uint32_t)in->imm;
	int dynamic = in->code == BPF_CALLX;
	if (dynamic) {
		/* ids past the table name no helper, as in the interpreter */
		mv(c, T4, REG[BPF_INSN_DST(in)]);
		li(c, T5, BPF_MAX_HELPER_ID);
		size_t in_range = skip_begin(c, BLTU, T4, T5);
		fail(c, BPF_ERR_NO_HELPER, i);
		skip_end(c, in_range, BLTU, T4, T5);
	}
	sd(c, A1, RUN, JRUN_R1); /* R1 and R2 survive for a tail call */
	sd(c, A2, RUN, JRUN_R2);
	/* looked up in vm->env at run time, as the interpreter does */
	ld(c, T0, RUN, JRUN_VM);
	ld(c, T1, T0, (int32_t)offsetof(struct bpf_vm, env));
	if (dynamic) {
		slli(c, T4, T4, 3);
		add(c, T1, T1, T4);
		ld_far(c, T1, T1, (int64_t)offsetof(struct bpf_env, helpers));
	} else {
		ld_far(c, T1, T1, (int64_t)JIT_ENV_HELPER_OFF(id));
	}
	size_t ok = skip_begin(c, BNE, T1, ZERO);
	fail(c, BPF_ERR_NO_HELPER, i);
	skip_end(c, ok, BNE, T1, ZERO);
	ld(c, T2, T1, (int32_t)offsetof(struct bpf_helper, fn));
	mv(c, A0, T0);
	jalr(c, RA, T2, 0);
	ld(c, T0, RUN, JRUN_VM);
	ld(c, T1, T0, (int32_t)offsetof(struct bpf_vm, tail_target));
	size_t no_tail = skip_begin(c, BEQ, T1, ZERO);
	jump_to(c, c->stub_cur[STUB_TAIL], JIT_FORM_LONG);
	skip_end(c, no_tail, BEQ, T1, ZERO);
	i_type(c, (int32_t)offsetof(struct bpf_vm, abort), T0, 4, T1, LOAD); /* lbu */
	size_t go = skip_begin(c, BEQ, T1, ZERO);
	fail(c, BPF_ERR_ABORT, i);
	skip_end(c, go, BEQ, T1, ZERO);
}

static const uint8_t frame_regs[6] = {S1, S2, S3, S4, S5, LINK};

static void local_call(struct jit *c, uint32_t i, const struct bpf_insn *in)
{
	int dynamic = in->code == BPF_CALLX;
	if (dynamic) {
		/* callx, src 1: target = pc + 1 + dst, checked against the
		 * program's instruction boundaries as the interpreter does;
		 * its native address (t4) from the target table. */
		li(c, T5, (int64_t)i + 1);
		add(c, T4, REG[BPF_INSN_DST(in)], T5);
		li(c, T5, c->prog->len);
		size_t inside = skip_begin(c, BLTU, T4, T5);
		fail(c, BPF_ERR_BAD_INSN, i);
		skip_end(c, inside, BLTU, T4, T5);
		la_pcrel(c, T5, c->stub[STUB_TABLE]);
		slli(c, T3, T4, 2);
		add(c, T5, T5, T3);
		i_type(c, 0, T5, 6, T4, LOAD); /* lwu */
		addi(c, T5, ZERO, -1);
		srli(c, T5, T5, 32);
		size_t valid = skip_begin(c, BNE, T4, T5);
		fail(c, BPF_ERR_BAD_INSN, i);
		skip_end(c, valid, BNE, T4, T5);
		la_pcrel(c, T5, 0);
		add(c, T4, T4, T5);
	}
	/* §4.3.2 frame limit as the interpreter counts it: this frame and
	 * one more must fit above the stack base */
	addi(c, T0, S5, -2 * BPF_STACK_FRAME_SIZE);
	ld(c, T1, RUN, JRUN_STACK_BASE);
	size_t ok = skip_begin(c, BGEU, T0, T1);
	fail(c, BPF_ERR_CALL_DEPTH, i);
	skip_end(c, ok, BGEU, T0, T1);
	addi(c, SP, SP, -48);
	for (int k = 0; k < 6; k++)
		sd(c, frame_regs[k], SP, 8 * k);
	addi(c, S5, S5, -BPF_STACK_FRAME_SIZE);
	uint32_t t = (uint32_t)((int64_t)i + 1 + in->imm);
	int64_t d = dynamic ? 0 : jit_target_off(c, i, t) - (int64_t)c->pos;
	if (c->pass == 1)
		c->form[i] =
		        d >= -(1 << 20) + 16 && d < (1 << 20) - 16 ? JIT_FORM_MID : JIT_FORM_LONG;
	if (dynamic) {
		jalr(c, LINK, T4, 0);
	} else if (c->pass != 0 && c->form[i] == JIT_FORM_MID) {
		jal(c, LINK, (int32_t)d);
	} else {
		int64_t lo = (int64_t)((uint64_t)d << 52) >> 52;
		u_type(c, (uint32_t)((d - lo) >> 12), T6, AUIPC);
		jalr(c, LINK, T6, (int32_t)lo);
	}
	for (int k = 0; k < 6; k++)
		ld(c, frame_regs[k], SP, 8 * k);
	addi(c, SP, SP, 48);
}

/* ---- §5 loads and stores ---- */

/* base + off as a register and a 12-bit displacement */
static int address(struct jit *c, int base, int32_t off, int32_t *disp)
{
	if (fits12(off)) {
		*disp = off;
		return base;
	}
	li(c, T3, off);
	add(c, T3, T3, base);
	*disp = 0;
	return T3;
}

static void load(struct jit *c, const struct bpf_insn *in)
{
	int sz = BPF_SIZE(in->code);
	int32_t disp;
	int base = address(c, REG[BPF_INSN_SRC(in)], in->off, &disp);
	/* lb 0, lh 1, lw 2, ld 3, lbu 4, lhu 5, lwu 6 */
	uint32_t f3 = sz == BPF_B ? 0 : sz == BPF_H ? 1 : sz == BPF_W ? 2 : 3;
	if (BPF_MODE(in->code) == BPF_MEM && sz != BPF_DW)
		f3 |= 4;
	i_type(c, disp, base, f3, REG[BPF_INSN_DST(in)], LOAD);
}

static void store(struct jit *c, int sz, int base_reg, int32_t off, int src)
{
	int32_t disp;
	int base = address(c, base_reg, off, &disp);
	s_type(c, disp, src, base, sz == BPF_B ? 0 : sz == BPF_H ? 1 : sz == BPF_W ? 2 : 3);
}

/* §5.3 atomics: AMOs and LR/SC with aq+rl (sequentially consistent). */
static int atomic(struct jit *c, const struct bpf_insn *in)
{
	uint32_t f3 = BPF_SIZE(in->code) == BPF_DW ? 3 : 2;
	int w32 = f3 == 2;
	int dst = REG[BPF_INSN_DST(in)], src = REG[BPF_INSN_SRC(in)];
	int addr = dst;
	if (in->off) {
		li(c, T0, in->off);
		add(c, T0, T0, dst);
		addr = T0;
	}
	uint32_t f5;
	switch (in->imm & ~BPF_FETCH) {
	case BPF_ADD:
		f5 = 0x00;
		break;
	case BPF_OR:
		f5 = 0x08;
		break;
	case BPF_AND:
		f5 = 0x0c;
		break;
	case BPF_XOR:
		f5 = 0x04;
		break;
	default:
		f5 = 0xff;
		break;
	}
	if (in->imm == BPF_XCHG)
		f5 = 0x01;
	if (in->imm == BPF_CMPXCHG) {
		/* loop: lr t1; bne t1, R0 -> done; sc t2, src; bnez t2 -> loop */
		int cmp = A0;
		if (w32) {
			sext32(c, T4, A0); /* lr.w sign-extends */
			cmp = T4;
		}
		size_t loop = c->pos;
		r_type(c, 0x02 << 2 | 3, ZERO, addr, f3, T1, AMO);
		b_type(c, 12, cmp, T1, BNE);
		r_type(c, 0x03 << 2 | 3, src, addr, f3, T2, AMO);
		b_type(c, (int32_t)((int64_t)loop - (int64_t)c->pos), ZERO, T2, BNE);
		if (w32)
			zext32(c, A0, T1);
		else
			mv(c, A0, T1);
		return 0;
	}
	if (f5 == 0xff)
		return -BPF_EOPNOTSUPP;
	int fetch = in->imm & BPF_FETCH;
	r_type(c, f5 << 2 | 3, src, addr, f3, fetch ? src : ZERO, AMO);
	if (fetch && w32)
		zext32(c, src, src); /* the old value, zero-extended */
	return 0;
}

/* §5.5 legacy packet loads: big-endian, bounds always checked; out of
 * bounds ends the run with R0 = 0. */
static void packet_load(struct jit *c, const struct bpf_insn *in)
{
	int size = BPF_SIZE(in->code) == BPF_W ? 4 : BPF_SIZE(in->code) == BPF_H ? 2 : 1;
	int k = imm_reg(c, (int64_t)in->imm);
	if (BPF_MODE(in->code) == BPF_IND) {
		r_type(c, 0, k, REG[BPF_INSN_SRC(in)], 0, T0, OP_32); /* addw */
		zext32(c, T0, T0);
	} else {
		zext32(c, T0, k);
	}
	ld(c, T1, RUN, JRUN_VM);
	ld(c, T2, T1, (int32_t)offsetof(struct bpf_vm, ctx_len));
	size_t in1 = skip_begin(c, BGEU, T2, T0);
	jump_to(c, c->stub_cur[STUB_PKT], JIT_FORM_LONG);
	skip_end(c, in1, BGEU, T2, T0);
	op_rr(c, 0x20, 0, T2, T2, T0); /* len - off */
	addi(c, T3, ZERO, size);
	size_t in2 = skip_begin(c, BGEU, T2, T3);
	jump_to(c, c->stub_cur[STUB_PKT], JIT_FORM_LONG);
	skip_end(c, in2, BGEU, T2, T3);
	ld(c, T1, T1, (int32_t)offsetof(struct bpf_vm, ctx));
	add(c, T0, T0, T1);
	i_type(c, 0, T0, 4, A0, LOAD); /* lbu */
	for (int b = 1; b < size; b++) {
		i_type(c, b, T0, 4, T1, LOAD);
		slli(c, A0, A0, 8);
		or_(c, A0, A0, T1);
	}
}

static int ld_imm64(struct jit *c, const struct bpf_insn *in)
{
	int dst = REG[BPF_INSN_DST(in)];
	switch (BPF_INSN_SRC(in)) {
	case BPF_PSEUDO_IMM64: {
		uint64_t v = (uint64_t)(uint32_t)in[0].imm | (uint64_t)(uint32_t)in[1].imm << 32;
		if (blind(c)) {
			uint64_t key = (uint64_t)jit_blind_key(c) << 32 | jit_blind_key(c);
			li(c, dst, (int64_t)(v ^ key));
			li(c, T0, (int64_t)key);
			op_rr(c, 0, 4, dst, dst, T0);
		} else {
			li(c, dst, (int64_t)v);
		}
		return 0;
	}
	case BPF_PSEUDO_MAP_FD:
	case BPF_PSEUDO_MAP_IDX:
		li(c, dst, (int64_t)(uintptr_t)c->prog->maps[(uint32_t)in->imm]);
		return 0;
	case BPF_PSEUDO_MAP_VALUE:
	case BPF_PSEUDO_MAP_IDX_VALUE:
		li(c, dst,
		   (int64_t)((uintptr_t)c->prog->maps[(uint32_t)in->imm]->data +
		             (uint32_t)in[1].imm));
		return 0;
	case BPF_PSEUDO_VAR_ADDR: {
		const struct bpf_var *var = bpf_env_var(c->env, (uint32_t)in->imm);
		if (!var)
			return -BPF_EOPNOTSUPP;
		li(c, dst, (int64_t)(uintptr_t)var->addr);
		return 0;
	}
	}
	return -BPF_EOPNOTSUPP;
}

/* ---- prologue and shared stubs ---- */

static const uint8_t saved_regs[8] = {RA, S1, S2, S3, S4, S5, S6, S7};

static void prologue(struct jit *c)
{
	addi(c, SP, SP, -64);
	for (int k = 0; k < 8; k++)
		sd(c, saved_regs[k], SP, 8 * k);
	mv(c, RUN, A0);
	mv(c, S5, A2); /* R10 = fp; R1 = a1 already */
	mv(c, A2, A3); /* R2 */
	sd(c, SP, RUN, JRUN_SAVED_SP);
	static const uint8_t zero[] = {A0, A3, A4, A5, S1, S2, S3, S4};
	for (unsigned k = 0; k < sizeof(zero); k++)
		mv(c, zero[k], ZERO);
	/* call the body: auipc+jalr (the body may be far) */
	int64_t d = (int64_t)c->off[0] - (int64_t)c->pos;
	int64_t lo = (int64_t)((uint64_t)d << 52) >> 52;
	u_type(c, (uint32_t)((d - lo) >> 12), T6, AUIPC);
	jalr(c, LINK, T6, (int32_t)lo);
	sd(c, A0, RUN, JRUN_R0);
	c->stub_cur[STUB_EXIT] = (uint32_t)c->pos;
	ld(c, SP, RUN, JRUN_SAVED_SP);
	for (int k = 0; k < 8; k++)
		ld(c, saved_regs[k], SP, 8 * k);
	addi(c, SP, SP, 64);
	jalr(c, ZERO, RA, 0);
	/* tail call: run the target in this frame, return its R0 from it */
	c->stub_cur[STUB_TAIL] = (uint32_t)c->pos;
	mv(c, A0, RUN);
	ld(c, A1, RUN, JRUN_R1);
	mv(c, A2, S5);
	ld(c, A3, RUN, JRUN_R2);
	li(c, T0, (int64_t)(uintptr_t)&bpf__jit_tail_call);
	jalr(c, RA, T0, 0);
	i_type(c, JRUN_STATUS, RUN, 2, T0, LOAD); /* lw */
	size_t ok = skip_begin(c, BEQ, T0, ZERO);
	jump_to(c, c->stub_cur[STUB_EXIT], JIT_FORM_MID);
	skip_end(c, ok, BEQ, T0, ZERO);
	jalr(c, ZERO, LINK, 0);
	c->stub_cur[STUB_PKT] = (uint32_t)c->pos;
	li(c, T0, JIT_ST_PKT_END);
	sw(c, T0, RUN, JRUN_STATUS);
	jump_to(c, c->stub_cur[STUB_EXIT], JIT_FORM_MID);
}

int bpf__jit_riscv64(struct jit *c)
{
	const struct bpf_insn *insns = c->prog->insns;
	uint32_t n = c->prog->len;
	prologue(c);
	for (uint32_t i = 0; i < n; i++) {
		const struct bpf_insn *in = &insns[i];
		c->cur[i] = (uint32_t)c->pos;
		int rc = 0;
		switch (BPF_CLASS(in->code)) {
		case BPF_ALU:
		case BPF_ALU64:
			rc = alu(c, in);
			break;
		case BPF_JMP:
		case BPF_JMP32:
			if (BPF_OP(in->code) == BPF_JA) {
				bpf_branch(c, i, -1, 0, 0, jit_jump_target(in, i));
			} else if (in->code == (BPF_JMP | BPF_CALL) || in->code == BPF_CALLX) {
				if (BPF_INSN_SRC(in) == BPF_PSEUDO_CALL_LOCAL)
					local_call(c, i, in);
				else if (BPF_INSN_SRC(in) == BPF_PSEUDO_CALL_HELPER)
					helper_call(c, i, in);
				else
					rc = -BPF_EOPNOTSUPP;
			} else if (in->code == (BPF_JMP | BPF_EXIT)) {
				jalr(c, ZERO, LINK, 0);
			} else if (is_cond(BPF_OP(in->code))) {
				cond_jump(c, i, in);
			} else {
				rc = -BPF_EOPNOTSUPP;
			}
			break;
		case BPF_LD:
			if (in->code == (BPF_LD | BPF_IMM | BPF_DW)) {
				rc = ld_imm64(c, in);
				i++;
				c->cur[i] = (uint32_t)c->pos;
			} else {
				packet_load(c, in);
			}
			break;
		case BPF_LDX:
			load(c, in);
			break;
		case BPF_ST: {
			int s = imm_reg(c, (int64_t)in->imm);
			store(c, BPF_SIZE(in->code), REG[BPF_INSN_DST(in)], in->off, s);
			break;
		}
		case BPF_STX:
			if (BPF_MODE(in->code) == BPF_ATOMIC)
				rc = atomic(c, in);
			else
				store(c, BPF_SIZE(in->code), REG[BPF_INSN_DST(in)], in->off,
				      REG[BPF_INSN_SRC(in)]);
			break;
		}
		if (rc) {
			c->err_insn = i;
			return rc;
		}
	}
	if (bpf__jit_needs_target_table(c->prog))
		c->stub_cur[STUB_TABLE] = bpf__jit_emit_target_table(c, 0);
	return 0;
}
