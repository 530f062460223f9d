/*
 * Differential test: random straight-line programs of every ALU, ALU64,
 * JMP and JMP32 opcode (forward jumps only) run in both interpreter modes
 * and in a small reference evaluator written separately here from the
 * RFC 9669 text, decoding class/op/source fields instead of opcodes.
 */
#include "test.h"

static uint64_t x_state = 0x853c49e6748fea9bULL;
static uint64_t rnd(void)
{
	x_state ^= x_state << 13;
	x_state ^= x_state >> 7;
	x_state ^= x_state << 17;
	return x_state;
}

/* Interesting operands: edges mixed with random values. */
static int64_t pick_imm(void)
{
	static const int64_t edge[] = {0,  1,  -1, 2,  7,         8,         16,     31,      32,
	                               33, 63, 64, 65, INT32_MAX, INT32_MIN, 0x7fff, -0x8000, 0xff};
	uint64_t r = rnd();
	if (r % 3 == 0)
		return edge[(r >> 8) % NELEM(edge)];
	return (int32_t)(r >> 16);
}

static uint64_t ref_alu(int is64, int op, int off, uint64_t d, uint64_t s, int imm, int width)
{
	if (!is64) {
		uint32_t a = (uint32_t)d, b = (uint32_t)s;
		switch (op) {
		case BPF_ADD:
			return (uint32_t)(a + b);
		case BPF_SUB:
			return (uint32_t)(a - b);
		case BPF_MUL:
			return (uint32_t)(a * b);
		case BPF_DIV:
			if (b == 0)
				return 0;
			if (off == 0)
				return a / b;
			if ((int32_t)b == -1)
				return (uint32_t)(0u - a);
			return (uint32_t)((int32_t)a / (int32_t)b);
		case BPF_MOD:
			if (b == 0)
				return a;
			if (off == 0)
				return a % b;
			if ((int32_t)b == -1)
				return 0;
			return (uint32_t)((int32_t)a % (int32_t)b);
		case BPF_OR:
			return a | b;
		case BPF_AND:
			return a & b;
		case BPF_XOR:
			return a ^ b;
		case BPF_LSH:
			return (uint32_t)(a << (b & 31));
		case BPF_RSH:
			return a >> (b & 31);
		case BPF_ARSH:
			return (uint32_t)((int32_t)a >> (b & 31));
		case BPF_NEG:
			return (uint32_t)(0u - a);
		case BPF_MOV:
			if (off == 8)
				return (uint32_t)(int32_t)(int8_t)b;
			if (off == 16)
				return (uint32_t)(int32_t)(int16_t)b;
			return b;
		case BPF_END: {
			uint64_t v = d;
			if (imm == 16)
				v &= 0xffff;
			else if (imm == 32)
				v &= 0xffffffff;
			if (width) { /* to big endian: reverse the low imm/8 bytes */
				uint64_t r = 0;
				for (int i = 0; i < imm / 8; i++)
					r = (r << 8) | ((v >> (8 * i)) & 0xff);
				v = r;
			}
			return v;
		}
		}
		return 0;
	}
	switch (op) {
	case BPF_ADD:
		return d + s;
	case BPF_SUB:
		return d - s;
	case BPF_MUL:
		return d * s;
	case BPF_DIV:
		if (s == 0)
			return 0;
		if (off == 0)
			return d / s;
		if ((int64_t)s == -1)
			return 0 - d;
		return (uint64_t)((int64_t)d / (int64_t)s);
	case BPF_MOD:
		if (s == 0)
			return d;
		if (off == 0)
			return d % s;
		if ((int64_t)s == -1)
			return 0;
		return (uint64_t)((int64_t)d % (int64_t)s);
	case BPF_OR:
		return d | s;
	case BPF_AND:
		return d & s;
	case BPF_XOR:
		return d ^ s;
	case BPF_LSH:
		return d << (s & 63);
	case BPF_RSH:
		return d >> (s & 63);
	case BPF_ARSH:
		return (uint64_t)((int64_t)d >> (s & 63));
	case BPF_NEG:
		return 0 - d;
	case BPF_MOV:
		if (off == 8)
			return (uint64_t)(int64_t)(int8_t)s;
		if (off == 16)
			return (uint64_t)(int64_t)(int16_t)s;
		if (off == 32)
			return (uint64_t)(int64_t)(int32_t)s;
		return s;
	case BPF_END: { /* unconditional swap of the low imm/8 bytes */
		uint64_t r = 0;
		for (int i = 0; i < imm / 8; i++)
			r = (r << 8) | ((d >> (8 * i)) & 0xff);
		return r;
	}
	}
	return 0;
}

static int ref_cond(int is64, int op, uint64_t d, uint64_t s)
{
	if (!is64) {
		d = (uint32_t)d;
		s = (uint32_t)s;
	}
	int64_t sd = is64 ? (int64_t)d : (int64_t)(int32_t)d;
	int64_t ss = is64 ? (int64_t)s : (int64_t)(int32_t)s;
	switch (op) {
	case BPF_JEQ:
		return d == s;
	case BPF_JNE:
		return d != s;
	case BPF_JGT:
		return d > s;
	case BPF_JGE:
		return d >= s;
	case BPF_JLT:
		return d < s;
	case BPF_JLE:
		return d <= s;
	case BPF_JSET:
		return (d & s) != 0;
	case BPF_JSGT:
		return sd > ss;
	case BPF_JSGE:
		return sd >= ss;
	case BPF_JSLT:
		return sd < ss;
	case BPF_JSLE:
		return sd <= ss;
	}
	return 0;
}

static const int alu_ops[] = {BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR,  BPF_AND,  BPF_LSH,
                              BPF_RSH, BPF_NEG, BPF_MOD, BPF_XOR, BPF_MOV, BPF_ARSH, BPF_END};
static const int jmp_ops[] = {BPF_JEQ,  BPF_JGT, BPF_JGE, BPF_JSET, BPF_JNE, BPF_JSGT,
                              BPF_JSGE, BPF_JLT, BPF_JLE, BPF_JSLT, BPF_JSLE};

#define PLEN 48

TEST(ISA, differential, "2000 random ALU/JMP programs: both modes equal a reference evaluator")
{
	struct bpf_insn p[PLEN * 2 + 40];
	for (int iter = 0; iter < 2000 && !test_failed; iter++) {
		uint64_t reg[10];
		int n = 0;
		for (int r = 0; r < 10; r++) {
			uint64_t v = rnd();
			if (rnd() % 4 == 0)
				v = (uint64_t)pick_imm();
			reg[r] = v;
			p[n++] = I(BPF_LD | BPF_IMM | BPF_DW, r, 0, 0, (uint32_t)v);
			p[n++] = I(0, 0, 0, 0, (uint32_t)(v >> 32));
		}
		/* generate, evaluating the reference as we go; a taken jump
		 * skips exactly the next instruction */
		int skip = 0;
		for (int k = 0; k < PLEN; k++) {
			int is_jmp = rnd() % 4 == 0;
			int is64 = rnd() & 1;
			int dst = (int)(rnd() % 10), src = (int)(rnd() % 10);
			int useX = rnd() & 1;
			int imm = (int)pick_imm();
			struct bpf_insn in;
			if (is_jmp) {
				int op = jmp_ops[rnd() % NELEM(jmp_ops)];
				uint8_t code = (uint8_t)((is64 ? BPF_JMP : BPF_JMP32) | op |
				                         (useX ? BPF_X : BPF_K));
				in = useX ? I(code, dst, src, 1, 0) : I(code, dst, 0, 1, imm);
				if (!skip) {
					uint64_t s = useX ? reg[src] : (uint64_t)(int64_t)imm;
					skip = ref_cond(is64, op, reg[dst], s) ? 1 : 0;
				} else {
					skip = 0;
				}
				p[n++] = in;
				continue;
			}
			int op = alu_ops[rnd() % NELEM(alu_ops)];
			int off = 0;
			if (op == BPF_NEG) { /* K form only, imm unused (zero) */
				useX = 0;
				imm = 0;
			}
			if ((op == BPF_DIV || op == BPF_MOD) && (rnd() & 1))
				off = 1;
			if (op == BPF_MOV && useX) {
				static const int offs[] = {0, 8, 16, 32};
				off = offs[rnd() % (is64 ? 4 : 3)];
			}
			int width = 0;
			if (op == BPF_END) {
				static const int widths[] = {16, 32, 64};
				imm = widths[rnd() % 3];
				width = (int)(rnd() & 1); /* ALU: 1 = to BE; ALU64: bswap */
				useX = is64 ? 0 : width;
			}
			uint8_t code = (uint8_t)((is64 ? BPF_ALU64 : BPF_ALU) | op |
			                         (useX ? BPF_X : BPF_K));
			if (op == BPF_END)
				in = I(code, dst, 0, 0, imm);
			else
				in = useX ? I(code, dst, src, off, 0) : I(code, dst, 0, off, imm);
			if (!skip) {
				uint64_t s = useX && op != BPF_END ? reg[src]
				                                   : (is64 ? (uint64_t)(int64_t)imm
				                                           : (uint32_t)imm);
				reg[dst] = ref_alu(is64, op, off, reg[dst], s, imm, width);
			}
			skip = 0;
			p[n++] = in;
		}
		if (skip) /* a jump as the last generated instruction skips this */
			p[n++] = MOV64_K(9, 0);
		/* fold R1..R9 into R0 with rotations so every register counts */
		for (int r = 1; r < 10; r++) {
			p[n++] = I(BPF_ALU64 | BPF_MUL | BPF_K, 0, 0, 0, 31);
			p[n++] = I(BPF_ALU64 | BPF_XOR | BPF_X, 0, r, 0, 0);
		}
		p[n++] = EXIT();
		uint64_t want = reg[0];
		for (int r = 1; r < 10; r++)
			want = (want * 31) ^ reg[r];
		uint64_t a = 0, b = 0;
		int s1 = run_mode(p, (uint32_t)n, NULL, 0, NULL, 0, BPF_MODE_VERIFIED, &a, NULL);
		int s2 = run_mode(p, (uint32_t)n, NULL, 0, NULL, 0, BPF_MODE_CHECKED, &b, NULL);
		if (s1 || s2 || a != want || b != want) {
			printf("# iteration %d: verified %d/0x%" PRIx64 " checked %d/0x%" PRIx64
			       " reference 0x%" PRIx64 "\n",
			       iter, s1, a, s2, b, want);
			test_failed = 1;
		}
	}
}
