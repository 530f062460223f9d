/*
 * Structural validation of a program (not the verifier): every
 * instruction is one RFC 9669 defines, with its reserved fields zero,
 * registers in range, R10 never written, jumps and local calls landing on
 * instruction boundaries inside the program, wide instructions complete,
 * map references resolvable and helpers known.  After this, the
 * interpreter can dispatch without decoding checks: control can never
 * leave the program or land in the middle of an LD_IMM64.
 */
#include "internal.h"

#define V(c) [c] = 1,
static const uint8_t opcode_ok[256] = {BPF_OPCODES(V)};
#undef V

static int fail(struct bpf_prog_error *err, uint32_t pc, const char *why)
{
	if (err) {
		err->insn = pc;
		err->reason = why;
	}
	return -BPF_EINVAL;
}

static bool target_ok(const struct bpf_insn *insns, uint32_t len, int64_t t)
{
	if (t < 0 || t >= (int64_t)len)
		return false;
	/* Only first halves of LD_IMM64 carry opcode 0x18 (a second half must
	 * be all zero but imm), so this identifies the middle of a pair. */
	return t == 0 || insns[t - 1].code != (BPF_LD | BPF_IMM | BPF_DW);
}

int bpf__validate(const struct bpf_insn *insns, uint32_t len, struct bpf_map *const *maps,
                  uint32_t nmaps, const struct bpf_env *env, struct bpf_prog_error *err)
{
	if (!insns || len == 0)
		return fail(err, 0, "empty program");
	if (len > BPF_MAX_INSNS)
		return fail(err, 0, "program too large");
	for (uint32_t i = 0; i < len; i++) {
		const struct bpf_insn *in = &insns[i];
		uint8_t code = in->code, cls = BPF_CLASS(code);
		uint8_t dst = BPF_INSN_DST(in), src = BPF_INSN_SRC(in);
		if (!opcode_ok[code]) {
			if (code == 0)
				return fail(err, i, "opcode 0 (stray second half of LD_IMM64?)");
			return fail(err, i, "unknown opcode");
		}
		if (dst > 10 || src > 10)
			return fail(err, i, "register number out of range");
		switch (cls) {
		case BPF_ALU:
		case BPF_ALU64: {
			uint8_t op = BPF_OP(code);
			if (dst == 10)
				return fail(err, i, "R10 is read-only");
			if (BPF_SRC_BIT(code) == BPF_K || op == BPF_END) {
				/* For END the source bit selects the byte order
				 * (§4.2) and imm holds the width. */
				if (src != 0)
					return fail(err, i, "reserved src_reg field not zero");
			} else if (in->imm != 0) {
				return fail(err, i, "reserved imm field not zero");
			}
			if (op == BPF_DIV || op == BPF_MOD) {
				if (in->off != 0 && in->off != 1)
					return fail(err, i, "DIV/MOD offset must be 0 or 1");
			} else if (op == BPF_MOV && BPF_SRC_BIT(code) == BPF_X) {
				if (!(in->off == 0 || in->off == 8 || in->off == 16 ||
				      (cls == BPF_ALU64 && in->off == 32)))
					return fail(err, i, "bad MOVSX offset");
			} else if (in->off != 0) {
				return fail(err, i, "reserved offset field not zero");
			}
			/* NEG (§4.1) has no source operand: its imm is an unused
			 * field and must be zero like every other (§3). */
			if (op == BPF_NEG && in->imm != 0)
				return fail(err, i, "reserved imm field in NEG not zero");
			if (op == BPF_END && in->imm != 16 && in->imm != 32 && in->imm != 64)
				return fail(err, i, "byte swap width must be 16, 32 or 64");
			break;
		}
		case BPF_JMP:
		case BPF_JMP32: {
			uint8_t op = BPF_OP(code);
			if (op == BPF_EXIT) {
				if (dst || src || in->off || in->imm)
					return fail(err, i, "reserved fields in EXIT not zero");
				break;
			}
			if (op == BPF_CALL && BPF_SRC_BIT(code) == BPF_X) {
				/* callx: the target is in dst (a helper id with
				 * src 0, PC += dst with src 1); imm and offset
				 * are unused. */
				if (in->off || in->imm)
					return fail(err, i, "reserved fields in callx not zero");
				if (src == BPF_PSEUDO_CALL_BTF)
					return fail(err, i, "callx by BTF id is not supported");
				if (src != BPF_PSEUDO_CALL_HELPER && src != BPF_PSEUDO_CALL_LOCAL)
					return fail(err, i, "bad callx src_reg");
				break;
			}
			if (op == BPF_CALL) {
				if (dst || in->off)
					return fail(err, i, "reserved fields in CALL not zero");
				if (src == BPF_PSEUDO_CALL_LOCAL) {
					if (!target_ok(insns, len, (int64_t)i + in->imm + 1))
						return fail(err, i,
						            "local call target out of range");
				} else if (src == BPF_PSEUDO_CALL_HELPER) {
					if (in->imm <= 0 || in->imm >= BPF_MAX_HELPER_ID)
						return fail(err, i, "helper id out of range");
					if (env && !env->helpers[in->imm])
						return fail(err, i, "unknown helper id");
				} else if (src == BPF_PSEUDO_CALL_BTF) {
					return fail(err, i,
					            "helper call by BTF id is not supported");
				} else {
					return fail(err, i, "bad CALL src_reg");
				}
				break;
			}
			if (op == BPF_JA) {
				if (dst || src)
					return fail(err, i, "reserved fields in JA not zero");
				int64_t off = cls == BPF_JMP ? in->off : in->imm;
				if ((cls == BPF_JMP && in->imm) || (cls == BPF_JMP32 && in->off))
					return fail(err, i, "reserved fields in JA not zero");
				if (!target_ok(insns, len, (int64_t)i + off + 1))
					return fail(err, i, "jump target out of range");
				break;
			}
			if (BPF_SRC_BIT(code) == BPF_K ? src != 0 : in->imm != 0)
				return fail(err, i, "reserved fields in jump not zero");
			if (!target_ok(insns, len, (int64_t)i + in->off + 1))
				return fail(err, i, "jump target out of range");
			break;
		}
		case BPF_LD:
			if (code == (BPF_LD | BPF_IMM | BPF_DW)) {
				if (dst == 10)
					return fail(err, i, "R10 is read-only");
				if (in->off)
					return fail(err, i, "reserved offset field not zero");
				if (i + 1 >= len)
					return fail(err, i, "LD_IMM64 missing its second half");
				const struct bpf_insn *n = &insns[i + 1];
				if (n->code || n->regs || n->off)
					return fail(err, i + 1,
					            "malformed second half of LD_IMM64");
				switch (src) {
				case BPF_PSEUDO_IMM64:
					break;
				case BPF_PSEUDO_MAP_FD:
				case BPF_PSEUDO_MAP_IDX:
					if ((uint32_t)in->imm >= nmaps)
						return fail(err, i, "map index out of range");
					if (n->imm)
						return fail(err, i + 1,
						            "map reference with non-zero next_imm");
					break;
				case BPF_PSEUDO_MAP_VALUE:
				case BPF_PSEUDO_MAP_IDX_VALUE: {
					if ((uint32_t)in->imm >= nmaps)
						return fail(err, i, "map index out of range");
					const struct bpf_map *m = maps[in->imm];
					if (m->def.type != BPF_MAP_TYPE_ARRAY)
						return fail(err, i,
						            "map value address needs an array map");
					if ((uint64_t)(uint32_t)n->imm >= m->data_len)
						return fail(err, i + 1,
						            "map value offset out of range");
					break;
				}
				case BPF_PSEUDO_VAR_ADDR:
					if (!bpf_env_var(env, (uint32_t)in->imm))
						return fail(err, i,
						            "variable_addr of an unknown platform "
						            "variable");
					if (n->imm)
						return fail(err, i + 1,
						            "variable_addr with non-zero next_imm");
					break;
				case BPF_PSEUDO_CODE_ADDR:
					return fail(err, i,
					            "code_addr is not supported (no callx)");
				default:
					return fail(err, i, "bad LD_IMM64 src_reg");
				}
				i++; /* skip the second half */
				break;
			}
			/* §5.5 legacy packet access: result in R0. */
			if (dst != 0 || in->off != 0)
				return fail(err, i, "reserved fields in packet load not zero");
			if (BPF_MODE(code) == BPF_ABS && src != 0)
				return fail(err, i, "reserved src_reg in LD_ABS not zero");
			break;
		case BPF_LDX:
			if (dst == 10)
				return fail(err, i, "R10 is read-only");
			if (in->imm)
				return fail(err, i, "reserved imm field not zero");
			break;
		case BPF_ST:
			if (src)
				return fail(err, i, "reserved src_reg field not zero");
			break;
		case BPF_STX:
			if (BPF_MODE(code) == BPF_ATOMIC) {
				switch (in->imm) {
				case BPF_ADD:
				case BPF_OR:
				case BPF_AND:
				case BPF_XOR:
					break;
				case BPF_ADD | BPF_FETCH:
				case BPF_OR | BPF_FETCH:
				case BPF_AND | BPF_FETCH:
				case BPF_XOR | BPF_FETCH:
				case BPF_XCHG:
					if (src == 10)
						return fail(err, i, "R10 is read-only");
					break;
				case BPF_CMPXCHG:
					break;
				default:
					return fail(err, i, "unknown atomic operation");
				}
			} else if (in->imm) {
				return fail(err, i, "reserved imm field not zero");
			}
			break;
		}
	}
	uint8_t last = insns[len - 1].code;
	if (last != (BPF_JMP | BPF_EXIT) && last != (BPF_JMP | BPF_JA) &&
	    last != (BPF_JMP32 | BPF_JA))
		return fail(err, len - 1, "control falls off the end of the program");
	/* The last instruction may itself be a second half (code 0): caught
	 * above since code 0 is not an accepted last opcode. */
	return 0;
}

int bpf_prog_init(struct bpf_prog *prog, const struct bpf_insn *insns, uint32_t len,
                  struct bpf_map *const *maps, uint32_t nmaps, const struct bpf_env *env,
                  struct bpf_prog_error *err)
{
	if (!prog)
		return -BPF_EINVAL;
	if (nmaps && !maps)
		return fail(err, 0, "maps missing");
	for (uint32_t i = 0; i < nmaps; i++)
		if (!maps[i])
			return fail(err, 0, "null map in map table");
	int rc = bpf__validate(insns, len, maps, nmaps, env, err);
	if (rc)
		return rc;
	bpf__memset(prog, 0, sizeof(*prog));
	prog->insns = insns;
	prog->len = len;
	prog->maps = maps;
	prog->nmaps = nmaps;
	prog->name = "";
	prog->section = "";
	return 0;
}
