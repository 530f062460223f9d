/*
 * eBPF to x86_64 (RFC 9669 semantics; encodings from the Intel SDM
 * vol. 2).  Freestanding: only produces bytes.
 *
 * Registers: the BPF argument registers sit where a System V call puts
 * arguments 2-6, so a helper call (vm, R1..R5) only loads the first:
 *   R0 rax  R1 rsi  R2 rdx  R3 rcx  R4 r8  R5 r9
 *   R6 rbx  R7 r13  R8 r14  R9 r15  R10 rbp
 *   r12: the run (struct bpf__jit_run); r10, r11, rdi: scratch.
 * BPF-to-BPF calls are native calls: the caller saves R6-R9 and R10 on
 * the native stack and moves R10 down one frame; EXIT is a native ret.
 * The native stack stays 16-byte aligned at every helper call (the
 * prologue pushes 6 registers, a BPF call pushes 5 plus the return
 * address).
 */
#include "jit_internal.h"

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };
static const uint8_t REG[BPF_NREGS] = {RAX, RSI, RDX, RCX, R8, R9, RBX, R13, R14, R15, RBP};
#define RUN R12
#define TMP R10 /* blinded immediates; never an operand's own scratch */

/* Condition codes (SDM vol. 2, Jcc). */
enum {
	CC_B = 2,
	CC_AE = 3,
	CC_E = 4,
	CC_NE = 5,
	CC_BE = 6,
	CC_A = 7,
	CC_L = 0xc,
	CC_GE = 0xd,
	CC_LE = 0xe,
	CC_G = 0xf
};

enum { STUB_EXIT, STUB_TAIL, STUB_PKT, STUB_TABLE };

static void e8(struct jit *c, uint8_t v)
{
	jit_emit8(c, v);
}
static void e32(struct jit *c, uint32_t v)
{
	jit_emit32(c, v);
}

/* REX prefix; force for byte access to sil/dil/bpl/spl. */
static void rex(struct jit *c, int w, int r, int b, int force)
{
	uint8_t v = (uint8_t)(0x40 | (w ? 8 : 0) | ((r & 8) ? 4 : 0) | ((b & 8) ? 1 : 0));
	if (v != 0x40 || force)
		e8(c, v);
}

static void modrm_reg(struct jit *c, int reg, int rm)
{
	e8(c, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
}

/* [base + disp]: rsp/r12 need a SIB byte, rbp/r13 a displacement. */
static void modrm_mem(struct jit *c, int reg, int base, int32_t disp)
{
	int mod = (disp == 0 && (base & 7) != 5) ? 0 : (disp >= -128 && disp <= 127) ? 1 : 2;
	e8(c, (uint8_t)(mod << 6 | (reg & 7) << 3 | (base & 7)));
	if ((base & 7) == 4)
		e8(c, 0x24);
	if (mod == 1)
		e8(c, (uint8_t)disp);
	else if (mod == 2)
		e32(c, (uint32_t)disp);
}

/* op reg, rm (both registers); op may be 0x0fXX. */
static void op_rr(struct jit *c, int pfx66, int w, unsigned op, int reg, int rm, int force)
{
	if (pfx66)
		e8(c, 0x66);
	rex(c, w, reg, rm, force);
	if (op > 0xff)
		e8(c, (uint8_t)(op >> 8));
	e8(c, (uint8_t)op);
	modrm_reg(c, reg, rm);
}

static void op_rm(struct jit *c, int pfx66, int w, unsigned op, int reg, int base, int32_t disp,
                  int force)
{
	if (pfx66)
		e8(c, 0x66);
	rex(c, w, reg, base, force);
	if (op > 0xff)
		e8(c, (uint8_t)(op >> 8));
	e8(c, (uint8_t)op);
	modrm_mem(c, reg, base, disp);
}

static int fits8(int64_t v)
{
	return v >= -128 && v <= 127;
}

/* group-1 ALU with an immediate: ext = /digit (ADD 0, OR 1, AND 4, SUB 5,
 * XOR 6, CMP 7); imm sign-extended for 64-bit operations. */
static void alu_ri(struct jit *c, int w, int ext, int dst, int32_t imm)
{
	rex(c, w, 0, dst, 0);
	if (fits8(imm)) {
		e8(c, 0x83);
		modrm_reg(c, ext, dst);
		e8(c, (uint8_t)imm);
	} else {
		e8(c, 0x81);
		modrm_reg(c, ext, dst);
		e32(c, (uint32_t)imm);
	}
}

static void mov_rr(struct jit *c, int w, int dst, int src)
{
	op_rr(c, 0, w, 0x89, src, dst, 0);
}

static void mov_imm(struct jit *c, int dst, uint64_t v)
{
	if (v == 0) {
		op_rr(c, 0, 0, 0x31, dst, dst, 0); /* xor r32, r32 */
	} else if (v <= 0xffffffffULL) {
		rex(c, 0, 0, dst, 0);
		e8(c, (uint8_t)(0xb8 + (dst & 7)));
		e32(c, (uint32_t)v);
	} else if ((int64_t)v == (int32_t)v) {
		rex(c, 1, 0, dst, 0);
		e8(c, 0xc7);
		modrm_reg(c, 0, dst);
		e32(c, (uint32_t)v);
	} else {
		rex(c, 1, 0, dst, 0);
		e8(c, (uint8_t)(0xb8 + (dst & 7)));
		jit_emit64(c, v);
	}
}

/* dst = sign-extended imm with the value never in the code: mov of
 * imm ^ key, xor with key (both sign-extended, so the xor commutes). */
static void mov_blinded(struct jit *c, int dst, int32_t imm)
{
	int32_t key = (int32_t)jit_blind_key(c);
	rex(c, 1, 0, dst, 0);
	e8(c, 0xc7);
	modrm_reg(c, 0, dst);
	e32(c, (uint32_t)(imm ^ key));
	rex(c, 1, 0, dst, 0);
	e8(c, 0x81);
	modrm_reg(c, 6, dst);
	e32(c, (uint32_t)key);
}

static void mov_imm64_blinded(struct jit *c, int dst, uint64_t v)
{
	uint64_t key = (uint64_t)jit_blind_key(c) << 32 | jit_blind_key(c);
	rex(c, 1, 0, dst, 0);
	e8(c, (uint8_t)(0xb8 + (dst & 7)));
	jit_emit64(c, v ^ key);
	rex(c, 1, 0, TMP, 0);
	e8(c, (uint8_t)(0xb8 + (TMP & 7)));
	jit_emit64(c, key);
	op_rr(c, 0, 1, 0x31, TMP, dst, 0);
}

static int blind(const struct jit *c)
{
	return c->flags & BPF_JIT_F_BLIND;
}

/* Immediate operand as a register: TMP, blinded when asked. */
static int imm_reg(struct jit *c, int32_t imm)
{
	if (blind(c))
		mov_blinded(c, TMP, imm);
	else
		mov_imm(c, TMP, (uint64_t)(int64_t)imm);
	return TMP;
}

/* mov dword [run + off], imm32 */
static void store_run32(struct jit *c, int off, uint32_t v)
{
	op_rm(c, 0, 0, 0xc7, 0, RUN, off, 0);
	e32(c, v);
}

/* Jump to a native offset: short or near form, or jcc when cc >= 0. */
static void jump_to(struct jit *c, int cc, int64_t target, int form)
{
	if (form == JIT_FORM_SHORT) {
		e8(c, cc < 0 ? 0xeb : (uint8_t)(0x70 + cc));
		e8(c, (uint8_t)(target - (int64_t)(c->pos + 1)));
	} else {
		if (cc < 0) {
			e8(c, 0xe9);
		} else {
			e8(c, 0x0f);
			e8(c, (uint8_t)(0x80 + cc));
		}
		e32(c, (uint32_t)(target - (int64_t)(c->pos + 4)));
	}
}

/* A BPF jump at insn i to insn t: picks the form in pass 1. */
static void bpf_jump(struct jit *c, uint32_t i, int cc, uint32_t t)
{
	int64_t target = jit_target_off(c, i, t);
	if (c->pass == 1)
		c->form[i] = fits8(target - (int64_t)(c->pos + 2)) ? JIT_FORM_SHORT : JIT_FORM_LONG;
	jump_to(c, cc, target, c->pass == 0 ? JIT_FORM_LONG : c->form[i]);
}

/* Short forward jcc (cc >= 0) or jmp (cc < 0) over a block: returns
 * where to patch. */
static size_t skip_begin(struct jit *c, int cc)
{
	e8(c, cc < 0 ? 0xeb : (uint8_t)(0x70 + cc));
	e8(c, 0);
	return c->pos;
}
static void skip_end(struct jit *c, size_t at)
{
	uint8_t d = (uint8_t)(c->pos - at);
	jit_patch(c, at - 1, &d, 1);
}

/* Stop the run with status at instruction pc. */
static void fail(struct jit *c, int status, uint32_t pc)
{
	store_run32(c, JRUN_PC, pc);
	store_run32(c, JRUN_STATUS, (uint32_t)status);
	jump_to(c, -1, c->stub_cur[STUB_EXIT], JIT_FORM_LONG);
}

/* ---- §4.1 arithmetic ---- */

static void shift(struct jit *c, int w, int op, int dst, int src)
{
	int ext = op == BPF_LSH ? 4 : op == BPF_RSH ? 5 : 7;
	/* SHL/SHR/SAR by CL mask the count with 63 (64-bit) or 31, as
	 * §4.1 requires; CL is R3's register. */
	if (dst == RCX) {
		mov_rr(c, 1, R11, RCX);
		mov_rr(c, 1, RCX, src);
		rex(c, w, 0, R11, 0);
		e8(c, 0xd3);
		modrm_reg(c, ext, R11);
		mov_rr(c, 1, RCX, R11);
		if (!w)
			mov_rr(c, 0, RCX, RCX);
		return;
	}
	if (src != RCX) {
		mov_rr(c, 1, R11, RCX);
		mov_rr(c, 1, RCX, src);
	}
	rex(c, w, 0, dst, 0);
	e8(c, 0xd3);
	modrm_reg(c, ext, dst);
	if (src != RCX)
		mov_rr(c, 1, RCX, R11);
}

/* DIV/MOD with the divisor in register div (already not rax/rdx-clobbered
 * by us).  §4.1: x / 0 = 0; x % 0 = x (ALU64) or (u32)x (ALU); signed
 * forms truncate; INT_MIN / -1 = INT_MIN, INT_MIN % -1 = 0 (IDIV would
 * trap). */
static void divmod(struct jit *c, int w, int is_mod, int is_signed, int dst, int div_src)
{
	mov_rr(c, w, R11, div_src);
	op_rr(c, 0, w, 0x85, R11, R11, 0); /* test */
	size_t nz = skip_begin(c, CC_NE);
	if (!is_mod)
		op_rr(c, 0, 0, 0x31, dst, dst, 0);
	else if (!w)
		mov_rr(c, 0, dst, dst);
	size_t done1 = skip_begin(c, -1);
	skip_end(c, nz);
	size_t done2 = 0;
	if (is_signed) {
		alu_ri(c, w, 7, R11, -1);
		size_t ne = skip_begin(c, CC_NE);
		if (!is_mod) {
			rex(c, w, 0, dst, 0);
			e8(c, 0xf7);
			modrm_reg(c, 3, dst); /* neg */
		} else {
			op_rr(c, 0, 0, 0x31, dst, dst, 0);
		}
		done2 = skip_begin(c, -1);
		skip_end(c, ne);
	}
	mov_rr(c, 1, R10, RAX);
	mov_rr(c, 1, RDI, RDX);
	if (dst != RAX)
		mov_rr(c, w, RAX, dst);
	if (is_signed) {
		if (w)
			e8(c, 0x48);
		e8(c, 0x99); /* cqo / cdq */
	} else {
		op_rr(c, 0, 0, 0x31, RDX, RDX, 0);
	}
	rex(c, w, 0, R11, 0);
	e8(c, 0xf7);
	modrm_reg(c, is_signed ? 7 : 6, R11);
	mov_rr(c, w, R11, is_mod ? RDX : RAX);
	mov_rr(c, 1, RAX, R10);
	mov_rr(c, 1, RDX, RDI);
	mov_rr(c, w, dst, R11);
	skip_end(c, done1);
	if (done2)
		skip_end(c, done2);
}

static void divmod_k(struct jit *c, int w, int is_mod, int is_signed, int dst, int32_t imm)
{
	if (blind(c)) {
		divmod(c, w, is_mod, is_signed, dst, imm_reg(c, imm));
		return;
	}
	/* Known divisor: the special cases are decided here. */
	uint64_t d = w ? (uint64_t)(int64_t)imm : (uint32_t)imm;
	if (d == 0) {
		if (!is_mod)
			op_rr(c, 0, 0, 0x31, dst, dst, 0);
		else if (!w)
			mov_rr(c, 0, dst, dst);
		return;
	}
	if (is_signed && imm == -1) {
		if (!is_mod) {
			rex(c, w, 0, dst, 0);
			e8(c, 0xf7);
			modrm_reg(c, 3, dst);
		} else {
			op_rr(c, 0, 0, 0x31, dst, dst, 0);
		}
		return;
	}
	mov_imm(c, TMP, w ? d : (uint32_t)imm);
	divmod(c, w, is_mod, is_signed, dst, TMP);
}

static void bswap(struct jit *c, int dst, int width)
{
	if (width == 16) {
		/* rol r16, 8 then zero-extend */
		e8(c, 0x66);
		rex(c, 0, 0, dst, 0);
		e8(c, 0xc1);
		modrm_reg(c, 0, dst);
		e8(c, 8);
		op_rr(c, 0, 0, 0x0fb7, dst, dst, 0);
	} else {
		rex(c, width == 64, 0, dst, 0);
		e8(c, 0x0f);
		e8(c, (uint8_t)(0xc8 + (dst & 7)));
	}
}

static int alu(struct jit *c, const struct bpf_insn *in)
{
	int w = BPF_CLASS(in->code) == BPF_ALU64;
	int op = BPF_OP(in->code);
	int k = BPF_SRC_BIT(in->code) == BPF_K;
	int dst = REG[BPF_INSN_DST(in)], src = REG[BPF_INSN_SRC(in)];
	static const uint8_t rr_op[16] = {[BPF_ADD >> 4] = 0x01,
	                                  [BPF_SUB >> 4] = 0x29,
	                                  [BPF_OR >> 4] = 0x09,
	                                  [BPF_AND >> 4] = 0x21,
	                                  [BPF_XOR >> 4] = 0x31};
	static const uint8_t ri_ext[16] = {[BPF_ADD >> 4] = 0,
	                                   [BPF_SUB >> 4] = 5,
	                                   [BPF_OR >> 4] = 1,
	                                   [BPF_AND >> 4] = 4,
	                                   [BPF_XOR >> 4] = 6};

	switch (op) {
	case BPF_ADD:
	case BPF_SUB:
	case BPF_OR:
	case BPF_AND:
	case BPF_XOR:
		if (k && !blind(c))
			alu_ri(c, w, ri_ext[op >> 4], dst, in->imm);
		else
			op_rr(c, 0, w, rr_op[op >> 4], k ? imm_reg(c, in->imm) : src, dst, 0);
		return 0;
	case BPF_MUL:
		if (k && !blind(c)) {
			/* imul r, r/m, imm32 (sign-extended for 64-bit) */
			rex(c, w, dst, dst, 0);
			e8(c, 0x69);
			modrm_reg(c, dst, dst);
			e32(c, (uint32_t)in->imm);
		} else {
			op_rr(c, 0, w, 0x0faf, dst, k ? imm_reg(c, in->imm) : src, 0);
		}
		return 0;
	case BPF_DIV:
	case BPF_MOD:
		if (k)
			divmod_k(c, w, op == BPF_MOD, in->off == 1, dst, in->imm);
		else
			divmod(c, w, op == BPF_MOD, in->off == 1, dst, src);
		return 0;
	case BPF_LSH:
	case BPF_RSH:
	case BPF_ARSH:
		if (k && !blind(c)) {
			int ext = op == BPF_LSH ? 4 : op == BPF_RSH ? 5 : 7;
			rex(c, w, 0, dst, 0);
			e8(c, 0xc1);
			modrm_reg(c, ext, dst);
			e8(c, (uint8_t)(in->imm & (w ? 63 : 31)));
		} else {
			shift(c, w, op, dst, k ? imm_reg(c, in->imm) : src);
		}
		return 0;
	case BPF_NEG:
		rex(c, w, 0, dst, 0);
		e8(c, 0xf7);
		modrm_reg(c, 3, dst);
		return 0;
	case BPF_MOV:
		if (k) {
			if (blind(c)) {
				mov_blinded(c, dst, in->imm);
				if (!w)
					mov_rr(c, 0, dst, dst);
			} else {
				mov_imm(c, dst, w ? (uint64_t)(int64_t)in->imm : (uint32_t)in->imm);
			}
		} else if (in->off == 0) {
			mov_rr(c, w, dst, src);
		} else if (in->off == 32) {
			op_rr(c, 0, 1, 0x63, dst, src, 0); /* movsxd */
		} else {
			/* movsx r, r/m8 or r/m16; the 32-bit form zero-extends */
			op_rr(c, 0, w, in->off == 8 ? 0x0fbe : 0x0fbf, dst, src,
			      in->off == 8 && src >= 4 && src < 8);
		}
		return 0;
	case BPF_END:
		if (BPF_CLASS(in->code) == BPF_ALU && BPF_SRC_BIT(in->code) == BPF_TO_LE) {
			/* §4.2: to little endian on a little-endian machine truncates */
			if (in->imm == 16)
				op_rr(c, 0, 0, 0x0fb7, dst, dst, 0);
			else if (in->imm == 32)
				mov_rr(c, 0, dst, dst);
		} else {
			bswap(c, dst, in->imm);
		}
		return 0;
	}
	return -BPF_EOPNOTSUPP;
}

/* ---- §4.3 jumps ---- */

static int cond_code(int op)
{
	switch (op) {
	case BPF_JEQ:
		return CC_E;
	case BPF_JNE:
		return CC_NE;
	case BPF_JSET:
		return CC_NE;
	case BPF_JGT:
		return CC_A;
	case BPF_JGE:
		return CC_AE;
	case BPF_JLT:
		return CC_B;
	case BPF_JLE:
		return CC_BE;
	case BPF_JSGT:
		return CC_G;
	case BPF_JSGE:
		return CC_GE;
	case BPF_JSLT:
		return CC_L;
	case BPF_JSLE:
		return CC_LE;
	}
	return -1;
}

static void cond_jump(struct jit *c, uint32_t i, const struct bpf_insn *in)
{
	int w = BPF_CLASS(in->code) == BPF_JMP;
	int op = BPF_OP(in->code);
	int dst = REG[BPF_INSN_DST(in)];
	int k = BPF_SRC_BIT(in->code) == BPF_K;
	if (op == BPF_JSET) {
		if (k && !blind(c)) {
			rex(c, w, 0, dst, 0);
			e8(c, 0xf7);
			modrm_reg(c, 0, dst);
			e32(c, (uint32_t)in->imm);
		} else {
			op_rr(c, 0, w, 0x85, k ? imm_reg(c, in->imm) : REG[BPF_INSN_SRC(in)], dst,
			      0);
		}
	} else if (k && !blind(c)) {
		alu_ri(c, w, 7, dst, in->imm);
	} else {
		op_rr(c, 0, w, 0x39, k ? imm_reg(c, in->imm) : REG[BPF_INSN_SRC(in)], dst, 0);
	}
	bpf_jump(c, i, cond_code(op), jit_jump_target(in, i));
}

/* ---- calls ---- */

/* op reg, [base + index * 2^scale + disp32] */
static void op_sib(struct jit *c, int w, unsigned op, int reg, int base, int index, int scale,
                   int32_t disp)
{
	e8(c, (uint8_t)(0x40 | (w ? 8 : 0) | ((reg & 8) ? 4 : 0) | ((index & 8) ? 2 : 0) |
	                ((base & 8) ? 1 : 0)));
	e8(c, (uint8_t)op);
	e8(c, (uint8_t)(0x84 | (reg & 7) << 3)); /* mod 10, rm = SIB */
	e8(c, (uint8_t)(scale << 6 | (index & 7) << 3 | (base & 7)));
	e32(c, (uint32_t)disp);
}

/* lea r, [rip + (target - end of this instruction)] */
static void lea_rip(struct jit *c, int reg, int64_t target)
{
	rex(c, 1, reg, 0, 0);
	e8(c, 0x8d);
	e8(c, (uint8_t)(0x05 | (reg & 7) << 3));
	e32(c, (uint32_t)(target - (int64_t)(c->pos + 4)));
}

/* Helper by static id (call) or by the id in dst (callx, src 0). */
static void helper_call(struct jit *c, uint32_t i, const struct bpf_insn *in)
{
	uint32_t id = (uint32_t)in->imm;
	int dynamic = in->code == BPF_CALLX;
	if (dynamic) {
		/* ids past the table name no helper, as in the interpreter */
		mov_rr(c, 1, R11, REG[BPF_INSN_DST(in)]);
		alu_ri(c, 1, 7, R11, BPF_MAX_HELPER_ID);
		size_t in_range = skip_begin(c, CC_B);
		fail(c, BPF_ERR_NO_HELPER, i);
		skip_end(c, in_range);
	}
	/* R1 and R2 survive for a tail call (the target gets them). */
	op_rm(c, 0, 1, 0x89, RSI, RUN, JRUN_R1, 0);
	op_rm(c, 0, 1, 0x89, RDX, RUN, JRUN_R2, 0);
	/* The helper is looked up in vm->env at run time, as the
	 * interpreter does: one removed since validation stops the run. */
	op_rm(c, 0, 1, 0x8b, RDI, RUN, JRUN_VM, 0);
	op_rm(c, 0, 1, 0x8b, RAX, RDI, (int32_t)offsetof(struct bpf_vm, env), 0);
	if (dynamic)
		op_sib(c, 1, 0x8b, RAX, RAX, R11, 3, (int32_t)offsetof(struct bpf_env, helpers));
	else
		op_rm(c, 0, 1, 0x8b, RAX, RAX, (int32_t)JIT_ENV_HELPER_OFF(id), 0);
	op_rr(c, 0, 1, 0x85, RAX, RAX, 0);
	size_t ok = skip_begin(c, CC_NE);
	fail(c, BPF_ERR_NO_HELPER, i);
	skip_end(c, ok);
	/* call [rax + fn] with rdi = vm, R1-R5 already in rsi..r9 */
	op_rm(c, 0, 0, 0xff, 2, RAX, (int32_t)offsetof(struct bpf_helper, fn), 0);
	op_rm(c, 0, 1, 0x8b, RDI, RUN, JRUN_VM, 0);
	/* cmp qword [rdi + tail_target], 0 */
	op_rm(c, 0, 1, 0x83, 7, RDI, (int32_t)offsetof(struct bpf_vm, tail_target), 0);
	e8(c, 0);
	jump_to(c, CC_NE, c->stub_cur[STUB_TAIL], JIT_FORM_LONG);
	/* cmp byte [rdi + abort], 0 */
	op_rm(c, 0, 0, 0x80, 7, RDI, (int32_t)offsetof(struct bpf_vm, abort), 0);
	e8(c, 0);
	size_t go = skip_begin(c, CC_E);
	fail(c, BPF_ERR_ABORT, i);
	skip_end(c, go);
}

static const uint8_t callee_saved[5] = {RBX, R13, R14, R15, RBP};

static void push_pop(struct jit *c, int reg, int pop)
{
	rex(c, 0, 0, reg, 0);
	e8(c, (uint8_t)((pop ? 0x58 : 0x50) + (reg & 7)));
}

static void local_call(struct jit *c, uint32_t i, const struct bpf_insn *in)
{
	int dynamic = in->code == BPF_CALLX;
	if (dynamic) {
		/* callx, src 1: target = pc + 1 + dst, checked against the
		 * program's instruction boundaries as the interpreter does;
		 * its native address (r11) from the target table. */
		uint32_t n = c->prog->len;
		mov_rr(c, 1, R11, REG[BPF_INSN_DST(in)]);
		alu_ri(c, 1, 0, R11, (int32_t)(i + 1));
		alu_ri(c, 1, 7, R11, (int32_t)n);
		size_t inside = skip_begin(c, CC_B);
		fail(c, BPF_ERR_BAD_INSN, i);
		skip_end(c, inside);
		lea_rip(c, R10, c->stub[STUB_TABLE]);
		op_sib(c, 0, 0x8b, R11, R10, R11, 2, 0); /* mov r11d, [r10 + r11*4] */
		alu_ri(c, 0, 7, R11, -1);
		size_t valid = skip_begin(c, CC_NE);
		fail(c, BPF_ERR_BAD_INSN, i);
		skip_end(c, valid);
		lea_rip(c, R10, 0);
		op_rr(c, 0, 1, 0x01, R10, R11, 0); /* add r11, r10 */
	}
	/* §4.3.2 frame limit, as the interpreter counts it: the new frame
	 * and one more below it must fit above the stack base. */
	op_rm(c, 0, 1, 0x8d, R10, RBP, -2 * BPF_STACK_FRAME_SIZE, 0); /* lea */
	op_rm(c, 0, 1, 0x3b, R10, RUN, JRUN_STACK_BASE, 0);           /* cmp */
	size_t ok = skip_begin(c, CC_AE);
	fail(c, BPF_ERR_CALL_DEPTH, i);
	skip_end(c, ok);
	for (int k = 0; k < 5; k++)
		push_pop(c, callee_saved[k], 0);
	alu_ri(c, 1, 5, RBP, BPF_STACK_FRAME_SIZE);
	if (dynamic) {
		rex(c, 0, 0, R11, 0);
		e8(c, 0xff);
		modrm_reg(c, 2, R11); /* call r11 */
	} else {
		uint32_t t = (uint32_t)((int64_t)i + 1 + in->imm);
		e8(c, 0xe8);
		e32(c, (uint32_t)(jit_target_off(c, i, t) - (int64_t)(c->pos + 4)));
	}
	for (int k = 4; k >= 0; k--)
		push_pop(c, callee_saved[k], 1);
}

/* ---- §5 loads and stores ---- */

static int size_bytes(int sz)
{
	return sz == BPF_B ? 1 : sz == BPF_H ? 2 : sz == BPF_W ? 4 : 8;
}

static void store_reg(struct jit *c, int sz, int base, int32_t off, int src)
{
	switch (sz) {
	case BPF_B:
		op_rm(c, 0, 0, 0x88, src, base, off, src >= 4 && src < 8);
		break;
	case BPF_H:
		op_rm(c, 1, 0, 0x89, src, base, off, 0);
		break;
	case BPF_W:
		op_rm(c, 0, 0, 0x89, src, base, off, 0);
		break;
	default:
		op_rm(c, 0, 1, 0x89, src, base, off, 0);
		break;
	}
}

static void load(struct jit *c, const struct bpf_insn *in)
{
	int dst = REG[BPF_INSN_DST(in)], src = REG[BPF_INSN_SRC(in)];
	int sz = BPF_SIZE(in->code);
	if (BPF_MODE(in->code) == BPF_MEMSX) {
		/* §5.2 sign-extending loads */
		if (sz == BPF_W)
			op_rm(c, 0, 1, 0x63, dst, src, in->off, 0);
		else
			op_rm(c, 0, 1, sz == BPF_H ? 0x0fbf : 0x0fbe, dst, src, in->off, 0);
		return;
	}
	switch (sz) {
	case BPF_B:
		op_rm(c, 0, 0, 0x0fb6, dst, src, in->off, 0);
		break;
	case BPF_H:
		op_rm(c, 0, 0, 0x0fb7, dst, src, in->off, 0);
		break;
	case BPF_W:
		op_rm(c, 0, 0, 0x8b, dst, src, in->off, 0);
		break;
	default:
		op_rm(c, 0, 1, 0x8b, dst, src, in->off, 0);
		break;
	}
}

static void store_imm(struct jit *c, const struct bpf_insn *in)
{
	int dst = REG[BPF_INSN_DST(in)];
	int sz = BPF_SIZE(in->code);
	if (blind(c)) {
		store_reg(c, sz, dst, in->off, imm_reg(c, in->imm));
		return;
	}
	switch (sz) {
	case BPF_B:
		op_rm(c, 0, 0, 0xc6, 0, dst, in->off, 0);
		e8(c, (uint8_t)in->imm);
		break;
	case BPF_H:
		op_rm(c, 1, 0, 0xc7, 0, dst, in->off, 0);
		e8(c, (uint8_t)in->imm);
		e8(c, (uint8_t)(in->imm >> 8));
		break;
	default:
		op_rm(c, 0, sz == BPF_DW, 0xc7, 0, dst, in->off, 0);
		e32(c, (uint32_t)in->imm);
		break;
	}
}

/* §5.3 atomics, sequentially consistent (every LOCKed x86 instruction
 * is a full barrier). */
static int atomic(struct jit *c, const struct bpf_insn *in)
{
	int w = BPF_SIZE(in->code) == BPF_DW;
	int dst = REG[BPF_INSN_DST(in)], src = REG[BPF_INSN_SRC(in)];
	int32_t off = in->off;
	switch (in->imm) {
	case BPF_ADD:
	case BPF_OR:
	case BPF_AND:
	case BPF_XOR: {
		unsigned op = in->imm == BPF_ADD   ? 0x01
		              : in->imm == BPF_OR  ? 0x09
		              : in->imm == BPF_AND ? 0x21
		                                   : 0x31;
		e8(c, 0xf0);
		op_rm(c, 0, w, op, src, dst, off, 0);
		return 0;
	}
	case BPF_ADD | BPF_FETCH:
		e8(c, 0xf0);
		op_rm(c, 0, w, 0x0fc1, src, dst, off, 0); /* xadd: src = old, zero-extended */
		return 0;
	case BPF_XCHG:
		op_rm(c, 0, w, 0x87, src, dst, off, 0);
		return 0;
	case BPF_CMPXCHG:
		e8(c, 0xf0);
		op_rm(c, 0, w, 0x0fb1, src, dst, off, 0);
		/* R0 = old value, zero-extended (a successful 32-bit
		 * cmpxchg leaves rax's upper half alone) */
		if (!w)
			mov_rr(c, 0, RAX, RAX);
		return 0;
	case BPF_OR | BPF_FETCH:
	case BPF_AND | BPF_FETCH:
	case BPF_XOR | BPF_FETCH: {
		unsigned op = (in->imm & ~BPF_FETCH) == BPF_OR    ? 0x09
		              : (in->imm & ~BPF_FETCH) == BPF_AND ? 0x21
		                                                  : 0x31;
		/* cmpxchg loop: rax holds the expected old value */
		op_rm(c, 0, 1, 0x8d, R10, dst, off, 0); /* lea r10, [dst+off] */
		mov_rr(c, 1, R11, RAX);                 /* R0 (and src if it is R0) */
		int val = src == RAX ? R11 : src;
		op_rm(c, 0, w, 0x8b, RAX, R10, 0, 0); /* mov rax, [r10] */
		size_t loop = c->pos;
		mov_rr(c, 1, RDI, RAX);
		op_rr(c, 0, w, op, val, RDI, 0);
		e8(c, 0xf0);
		op_rm(c, 0, w, 0x0fb1, RDI, R10, 0, 0);
		jump_to(c, CC_NE, (int64_t)loop, JIT_FORM_SHORT);
		mov_rr(c, w, src, RAX);
		if (src != RAX)
			mov_rr(c, 1, RAX, R11);
		return 0;
	}
	}
	return -BPF_EOPNOTSUPP;
}

/* §5.5 legacy packet loads: big-endian from the context, bounds always
 * checked; out of bounds ends the run with R0 = 0. */
static void packet_load(struct jit *c, const struct bpf_insn *in)
{
	int size = size_bytes(BPF_SIZE(in->code));
	if (BPF_MODE(in->code) == BPF_IND) {
		mov_rr(c, 0, R10, REG[BPF_INSN_SRC(in)]);
		if (blind(c)) {
			int32_t key = (int32_t)jit_blind_key(c);
			mov_imm(c, R11, (uint32_t)(in->imm ^ key));
			alu_ri(c, 0, 6, R11, key);
			op_rr(c, 0, 0, 0x01, R11, R10, 0);
		} else {
			alu_ri(c, 0, 0, R10, in->imm);
		}
	} else if (blind(c)) {
		int32_t key = (int32_t)jit_blind_key(c);
		mov_imm(c, R10, (uint32_t)(in->imm ^ key));
		alu_ri(c, 0, 6, R10, key);
	} else {
		mov_imm(c, R10, (uint32_t)in->imm);
	}
	op_rm(c, 0, 1, 0x8b, RDI, RUN, JRUN_VM, 0);
	op_rm(c, 0, 1, 0x8b, R11, RDI, (int32_t)offsetof(struct bpf_vm, ctx_len), 0);
	op_rr(c, 0, 1, 0x39, R11, R10, 0); /* cmp r10, r11 */
	jump_to(c, CC_A, c->stub_cur[STUB_PKT], JIT_FORM_LONG);
	op_rr(c, 0, 1, 0x29, R10, R11, 0); /* r11 = len - off */
	alu_ri(c, 1, 7, R11, size);
	jump_to(c, CC_B, c->stub_cur[STUB_PKT], JIT_FORM_LONG);
	op_rm(c, 0, 1, 0x03, R10, RDI, (int32_t)offsetof(struct bpf_vm, ctx),
	      0); /* add r10, [ctx] */
	if (size == 4) {
		op_rm(c, 0, 0, 0x8b, RAX, R10, 0, 0);
		bswap(c, RAX, 32);
	} else if (size == 2) {
		op_rm(c, 0, 0, 0x0fb7, RAX, R10, 0, 0);
		bswap(c, RAX, 16);
	} else {
		op_rm(c, 0, 0, 0x0fb6, RAX, R10, 0, 0);
	}
}

static int ld_imm64(struct jit *c, const struct bpf_insn *in)
{
	int dst = REG[BPF_INSN_DST(in)];
	uint64_t v;
	switch (BPF_INSN_SRC(in)) {
	case BPF_PSEUDO_IMM64:
		v = (uint64_t)(uint32_t)in[0].imm | (uint64_t)(uint32_t)in[1].imm << 32;
		if (blind(c))
			mov_imm64_blinded(c, dst, v);
		else
			mov_imm(c, dst, v);
		return 0;
	case BPF_PSEUDO_MAP_FD:
	case BPF_PSEUDO_MAP_IDX:
		mov_imm(c, dst, (uintptr_t)c->prog->maps[(uint32_t)in->imm]);
		return 0;
	case BPF_PSEUDO_MAP_VALUE:
	case BPF_PSEUDO_MAP_IDX_VALUE:
		mov_imm(c, dst,
		        (uintptr_t)c->prog->maps[(uint32_t)in->imm]->data + (uint32_t)in[1].imm);
		return 0;
	case BPF_PSEUDO_VAR_ADDR: {
		/* Resolved with the environment the program was verified
		 * against (the addresses the verifier reasoned about). */
		const struct bpf_var *var = bpf_env_var(c->env, (uint32_t)in->imm);
		if (!var)
			return -BPF_EOPNOTSUPP;
		mov_imm(c, dst, (uintptr_t)var->addr);
		return 0;
	}
	}
	return -BPF_EOPNOTSUPP;
}

/* ---- prologue and shared stubs ---- */

static void prologue(struct jit *c)
{
	static const uint8_t saved[6] = {RBP, RBX, R12, R13, R14, R15};
	for (int k = 0; k < 6; k++)
		push_pop(c, saved[k], 0);
	mov_rr(c, 1, RUN, RDI);
	mov_rr(c, 1, RBP, RDX); /* R10 = fp; R1 = rsi already */
	mov_rr(c, 1, RDX, RCX); /* R2 */
	op_rm(c, 0, 1, 0x89, RSP, RUN, JRUN_SAVED_SP, 0);
	/* The other registers start at 0, as in the interpreter. */
	static const uint8_t zero[] = {RAX, RCX, R8, R9, RBX, R13, R14, R15};
	for (unsigned k = 0; k < sizeof(zero); k++)
		op_rr(c, 0, 0, 0x31, zero[k], zero[k], 0);
	e8(c, 0xe8); /* call body */
	e32(c, (uint32_t)((int64_t)c->off[0] - (int64_t)(c->pos + 4)));
	op_rm(c, 0, 1, 0x89, RAX, RUN, JRUN_R0, 0);
	/* exit: leave from any depth */
	c->stub_cur[STUB_EXIT] = (uint32_t)c->pos;
	op_rm(c, 0, 1, 0x8b, RSP, RUN, JRUN_SAVED_SP, 0);
	for (int k = 5; k >= 0; k--)
		push_pop(c, saved[k], 1);
	e8(c, 0xc3);
	/* tail call: run the target in this frame, return its R0 from it */
	c->stub_cur[STUB_TAIL] = (uint32_t)c->pos;
	mov_rr(c, 1, RDI, RUN);
	op_rm(c, 0, 1, 0x8b, RSI, RUN, JRUN_R1, 0);
	mov_rr(c, 1, RDX, RBP);
	op_rm(c, 0, 1, 0x8b, RCX, RUN, JRUN_R2, 0);
	rex(c, 1, 0, R11, 0);
	e8(c, (uint8_t)(0xb8 + (R11 & 7)));
	jit_emit64(c, (uint64_t)(uintptr_t)&bpf__jit_tail_call);
	rex(c, 0, 0, R11, 0);
	e8(c, 0xff);
	modrm_reg(c, 2, R11); /* call r11 */
	op_rm(c, 0, 0, 0x83, 7, RUN, JRUN_STATUS, 0);
	e8(c, 0);
	jump_to(c, CC_NE, c->stub_cur[STUB_EXIT], JIT_FORM_LONG);
	e8(c, 0xc3);
	/* packet load out of bounds */
	c->stub_cur[STUB_PKT] = (uint32_t)c->pos;
	store_run32(c, JRUN_STATUS, (uint32_t)JIT_ST_PKT_END);
	jump_to(c, -1, c->stub_cur[STUB_EXIT], JIT_FORM_LONG);
}

int bpf__jit_x86_64(struct jit *c)
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
				bpf_jump(c, i, -1, jit_jump_target(in, i));
			} else if (in->code == (BPF_JMP | BPF_CALL) || in->code == BPF_CALLX) {
				if (BPF_INSN_SRC(in) == BPF_PSEUDO_CALL_LOCAL)
					local_call(c, i, in);
				else if (BPF_INSN_SRC(in) == BPF_PSEUDO_CALL_HELPER)
					helper_call(c, i, in);
				else
					rc = -BPF_EOPNOTSUPP;
			} else if (in->code == (BPF_JMP | BPF_EXIT)) {
				e8(c, 0xc3);
			} else if (cond_code(BPF_OP(in->code)) >= 0) {
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
		case BPF_ST:
			store_imm(c, in);
			break;
		case BPF_STX:
			if (BPF_MODE(in->code) == BPF_ATOMIC)
				rc = atomic(c, in);
			else
				store_reg(c, BPF_SIZE(in->code), REG[BPF_INSN_DST(in)], in->off,
				          REG[BPF_INSN_SRC(in)]);
			break;
		}
		if (rc) {
			c->err_insn = i;
			return rc;
		}
	}
	if (bpf__jit_needs_target_table(c->prog))
		c->stub_cur[STUB_TABLE] = bpf__jit_emit_target_table(c, 0xcc);
	return 0;
}
