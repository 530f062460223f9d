/*
 * The verifier's errors and its rejection log: rule names, register and
 * instruction printing, and the replay of the failing path.
 */
#include "verifier_internal.h"

int bpfv_err(struct verifier *v, uint32_t pc, int rule, const char *msg)
{
	if (v->rule == BPF_VR_OK) {
		v->rule = rule;
		v->err_pc = pc;
		v->err_msg = msg;
	}
	return -1;
}

static void lprintf(struct verifier *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void lputs(struct verifier *v, const char *s)
{
	if (!v->log || v->log_size == 0)
		return;
	while (*s && v->log_pos + 1 < v->log_size)
		v->log[v->log_pos++] = *s++;
	v->log[v->log_pos] = 0;
}

static void lprintf(struct verifier *v, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	bpf__vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	lputs(v, buf);
}

/* The first error wins; the replay for the log repeats it. */
int bpfv_errf(struct verifier *v, uint32_t pc, int rule, const char *msg, const char *fmt, ...)
{
	if (v->rule == BPF_VR_OK) {
		va_list ap;
		va_start(ap, fmt);
		bpf__vsnprintf(v->detail, sizeof(v->detail), fmt, ap);
		va_end(ap);
	}
	return bpfv_err(v, pc, rule, msg);
}

static const char *const rule_names[BPF_VR_MAX] = {
        [BPF_VR_OK] = "OK",
        [BPF_VR_ARGS] = "ARGS",
        [BPF_VR_STRUCT] = "STRUCT",
        [BPF_VR_UNREACHABLE] = "UNREACHABLE",
        [BPF_VR_SUBPROG_JUMP] = "SUBPROG_JUMP",
        [BPF_VR_FALLTHROUGH] = "FALLTHROUGH",
        [BPF_VR_CALL_DEPTH] = "CALL_DEPTH",
        [BPF_VR_STACK_SIZE] = "STACK_SIZE",
        [BPF_VR_REG_UNINIT] = "REG_UNINIT",
        [BPF_VR_STACK_UNINIT] = "STACK_UNINIT",
        [BPF_VR_PTR_ARITH] = "PTR_ARITH",
        [BPF_VR_PTR_LEAK] = "PTR_LEAK",
        [BPF_VR_MEM_TYPE] = "MEM_TYPE",
        [BPF_VR_MEM_NULL] = "MEM_NULL",
        [BPF_VR_MEM_BOUNDS] = "MEM_BOUNDS",
        [BPF_VR_MEM_RDONLY] = "MEM_RDONLY",
        [BPF_VR_CTX_ACCESS] = "CTX_ACCESS",
        [BPF_VR_ALIGN] = "ALIGN",
        [BPF_VR_SPILL] = "SPILL",
        [BPF_VR_HELPER_DENIED] = "HELPER_DENIED",
        [BPF_VR_HELPER_ARG] = "HELPER_ARG",
        [BPF_VR_TAIL_CALL] = "TAIL_CALL",
        [BPF_VR_REF_LEAK] = "REF_LEAK",
        [BPF_VR_REF_RELEASE] = "REF_RELEASE",
        [BPF_VR_RET] = "RET",
        [BPF_VR_PACKET] = "PACKET",
        [BPF_VR_LOOP] = "LOOP",
        [BPF_VR_COMPLEXITY] = "COMPLEXITY",
        [BPF_VR_NOMEM] = "NOMEM",
        [BPF_VR_CALLX] = "CALLX",
};

const char *bpf_vrule_name(int rule)
{
	if (rule < 0 || rule >= BPF_VR_MAX)
		return "?";
	return rule_names[rule];
}

const char *const bpfv_type_names[V_NTYPES] = {
        [V_NOT_INIT] = "?",
        [V_SCALAR] = "scalar",
        [V_PTR_CTX] = "ctx",
        [V_PTR_STACK] = "fp",
        [V_CONST_MAP] = "map_ptr",
        [V_PTR_MAP_VALUE] = "map_value",
        [V_PTR_MAP_VALUE_OR_NULL] = "map_value_or_null",
        [V_PTR_ALLOC] = "ringbuf_mem",
        [V_PTR_ALLOC_OR_NULL] = "ringbuf_mem_or_null",
        [V_PTR_MEM] = "var_mem",
};

static int fmt_scalar(char *b, size_t n, const struct vreg *r)
{
	if (v_is_const(r))
		return bpf__csnprintf(b, n, "%lld", (long long)r->var.v);
	return bpf__csnprintf(
	        b, n,
	        "smin=%lld,smax=%lld,umin=%llu,umax=%llu,s32=[%d,%d],u32=[%u,%u],var=(%#llx;%#llx)",
	        (long long)r->smin, (long long)r->smax, (unsigned long long)r->umin,
	        (unsigned long long)r->umax, r->s32min, r->s32max, r->u32min, r->u32max,
	        (unsigned long long)r->var.v, (unsigned long long)r->var.m);
}

static void fmt_reg(char *b, size_t n, const struct vreg *r)
{
	char s[200];
	if (r->type == V_SCALAR) {
		fmt_scalar(s, sizeof(s), r);
		if (v_is_const(r))
			bpf__csnprintf(b, n, "%s", s);
		else if (r->id)
			bpf__csnprintf(b, n, "scalar(%s,id=%u)", s, r->id);
		else
			bpf__csnprintf(b, n, "scalar(%s)", s);
		return;
	}
	if (r->type == V_NOT_INIT) {
		bpf__csnprintf(b, n, "?");
		return;
	}
	s[0] = 0;
	if (!v_is_const(r) || r->var.v)
		fmt_scalar(s, sizeof(s), r);
	switch (r->type) {
	case V_PTR_STACK:
		bpf__csnprintf(b, n, "fp%d(frame=%u%s%s)", r->off, r->frameno, s[0] ? ",var:" : "",
		               s);
		break;
	case V_CONST_MAP:
		bpf__csnprintf(b, n, "map_ptr(map=%u)", r->aux);
		break;
	default:
		bpf__csnprintf(b, n, "%s(off=%d,size=%u,id=%u%s%s%s)", bpfv_type_names[r->type],
		               r->off, r->size, r->id, r->rdonly ? ",rdonly" : "",
		               s[0] ? ",var:" : "", s);
	}
}

const char *const bpfv_alu_op_names[16] = {"+=",  "-=", "*=", "/=", "|=",   "&=",     "<<=", ">>=",
                                           "neg", "%=", "^=", "=",  "s>>=", "endian", "?",   "?"};
static const char *const jmp_ops[16] = {"goto", "==",   ">", ">=", "&",  "!=",  "s>", "s>=",
                                        "call", "exit", "<", "<=", "s<", "s<=", "?",  "?"};
static const char *const sz_names[4] = {"u32", "u16", "u8", "u64"};

static void disasm(struct verifier *v, uint32_t pc, char *b, size_t n)
{
	const struct bpf_insn *in = &v->insns[pc];
	uint8_t c = in->code, cls = BPF_CLASS(c), d = BPF_INSN_DST(in), s = BPF_INSN_SRC(in);
	const char *sz = sz_names[BPF_SIZE(c) >> 3];
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64: {
		char rc = cls == BPF_ALU64 ? 'r' : 'w';
		uint8_t op = BPF_OP(c);
		if (op == BPF_NEG)
			bpf__csnprintf(b, n, "%c%u = -%c%u", rc, d, rc, d);
		else if (op == BPF_END)
			bpf__csnprintf(b, n, "r%u = %s%d r%u", d,
			               cls == BPF_ALU64 ? "bswap" : (BPF_SRC_BIT(c) ? "be" : "le"),
			               in->imm, d);
		else if (BPF_SRC_BIT(c) == BPF_X)
			bpf__csnprintf(b, n, "%c%u %s%s %c%u", rc, d,
			               (op == BPF_DIV || op == BPF_MOD) && in->off ? "s" : "",
			               bpfv_alu_op_names[op >> 4], rc, s);
		else
			bpf__csnprintf(b, n, "%c%u %s%s %d", rc, d,
			               (op == BPF_DIV || op == BPF_MOD) && in->off ? "s" : "",
			               bpfv_alu_op_names[op >> 4], in->imm);
		if (op == BPF_MOV && in->off && BPF_SRC_BIT(c) == BPF_X)
			bpf__csnprintf(b, n, "%c%u = (s%d)%c%u", rc, d, in->off, rc, s);
		break;
	}
	case BPF_JMP:
	case BPF_JMP32: {
		uint8_t op = BPF_OP(c);
		if (op == BPF_EXIT)
			bpf__csnprintf(b, n, "exit");
		else if (op == BPF_CALL) {
			if (BPF_SRC_BIT(c) == BPF_X)
				bpf__csnprintf(b, n, "callx %sr%u",
				               s == BPF_PSEUDO_CALL_LOCAL ? "pc+" : "", d);
			else if (s == BPF_PSEUDO_CALL_LOCAL)
				bpf__csnprintf(b, n, "call pc%+d", in->imm);
			else {
				const struct bpf_helper *h =
				        bpf_env_helper(v->env, (uint32_t)in->imm);
				bpf__csnprintf(b, n, "call %d (%s)", in->imm,
				               h && h->name ? h->name : "?");
			}
		} else if (op == BPF_JA)
			bpf__csnprintf(b, n, "goto pc%+d", cls == BPF_JMP ? in->off : in->imm);
		else if (BPF_SRC_BIT(c) == BPF_X)
			bpf__csnprintf(b, n, "if %c%u %s %c%u goto pc%+d",
			               cls == BPF_JMP ? 'r' : 'w', d, jmp_ops[op >> 4],
			               cls == BPF_JMP ? 'r' : 'w', s, in->off);
		else
			bpf__csnprintf(b, n, "if %c%u %s %d goto pc%+d", cls == BPF_JMP ? 'r' : 'w',
			               d, jmp_ops[op >> 4], in->imm, in->off);
		break;
	}
	case BPF_LD:
		if (c == (BPF_LD | BPF_IMM | BPF_DW)) {
			if (s == 0)
				bpf__csnprintf(b, n, "r%u = %#llx ll", d,
				               (unsigned long long)((uint32_t)in->imm |
				                                    ((uint64_t)(uint32_t)in[1].imm
				                                     << 32)));
			else if (s == BPF_PSEUDO_MAP_FD || s == BPF_PSEUDO_MAP_IDX)
				bpf__csnprintf(b, n, "r%u = map[%d]", d, in->imm);
			else if (s == BPF_PSEUDO_VAR_ADDR)
				bpf__csnprintf(b, n, "r%u = var[%d]", d, in->imm);
			else
				bpf__csnprintf(b, n, "r%u = map_value[%d]+%d", d, in->imm,
				               in[1].imm);
		} else if (BPF_MODE(c) == BPF_ABS) {
			bpf__csnprintf(b, n, "r0 = *(%s *)pkt[%d]", sz, in->imm);
		} else {
			bpf__csnprintf(b, n, "r0 = *(%s *)pkt[r%u + %d]", sz, s, in->imm);
		}
		break;
	case BPF_LDX:
		bpf__csnprintf(b, n, "r%u = *(%s%s *)(r%u %+d)", d,
		               BPF_MODE(c) == BPF_MEMSX ? "s" : "",
		               BPF_MODE(c) == BPF_MEMSX ? sz + 1 : sz, s, in->off);
		break;
	case BPF_ST:
		bpf__csnprintf(b, n, "*(%s *)(r%u %+d) = %d", sz, d, in->off, in->imm);
		break;
	case BPF_STX:
		if (BPF_MODE(c) == BPF_ATOMIC)
			bpf__csnprintf(b, n, "lock *(%s *)(r%u %+d) op%#x r%u", sz, d, in->off,
			               in->imm, s);
		else
			bpf__csnprintf(b, n, "*(%s *)(r%u %+d) = r%u", sz, d, in->off, s);
		break;
	}
}

static void log_state(struct verifier *v, const struct vstate *st)
{
	char b[320];
	for (uint32_t f = 0; f <= st->curframe; f++) {
		const struct vframe *fr = st->fr[f];
		lprintf(v, "  frame %u (function at insn %u):", f, v->starts[fr->subprog]);
		for (int r = 0; r < BPF_NREGS; r++) {
			if (fr->regs[r].type == V_NOT_INIT)
				continue;
			fmt_reg(b, sizeof(b), &fr->regs[r]);
			lprintf(v, " R%d=%s", r, b);
		}
		lputs(v, "\n");
		for (uint32_t i = 0; i < fr->nslots; i++) {
			const struct vslot *sl = &fr->slots[i];
			bool any = false;
			for (int j = 0; j < 8; j++)
				any |= sl->st[j] != SB_INVALID;
			if (!any)
				continue;
			if (sl->st[0] == SB_SPILL) {
				fmt_reg(b, sizeof(b), &sl->spill);
				lprintf(v, "    fp-%u=%s\n", 8 * (i + 1), b);
			} else {
				char m[9];
				for (int j = 0; j < 8; j++)
					m[j] = "?mzsp"[sl->st[j] <= SB_PTR_LEFT ? sl->st[j] : 0];
				m[8] = 0;
				lprintf(v, "    fp-%u=%s\n", 8 * (i + 1), m);
			}
		}
	}
	if (st->nrefs) {
		lputs(v, "  held references:");
		for (uint32_t i = 0; i < st->nrefs; i++)
			lprintf(v, " id=%u", st->refs[i]);
		lputs(v, "\n");
	}
}

/* Re-run the failing path from the entry, logging each step. */
static void replay_log(struct verifier *v)
{
	char d[128], r[320];
	uint32_t show = v->opts->log_path_max ? v->opts->log_path_max : 64;
	uint32_t n = v->path_len;
	int saved_rule = v->rule;
	uint32_t saved_pc = v->err_pc;
	const char *saved_msg = v->err_msg;
	lprintf(v, "rejected: insn %u: %s [rule %s]\n  %s\n", v->err_pc, v->err_msg,
	        bpf_vrule_name(v->rule), v->detail);
	if (v->cur)
		bpfv_state_free(v, v->cur);
	v->cur = bpfv_initial_state(v);
	if (!v->cur || n == 0)
		goto end;
	lprintf(v, "path from the entry (%u instructions%s):\n", n,
	        n > show ? ", earlier ones elided" : "");
	v->replay = true;
	v->rule = BPF_VR_OK;
	for (uint32_t k = 0; k < n; k++) {
		uint32_t pc = v->path[k];
		v->replay_next = k + 1 < n ? v->path[k + 1] : 0xffffffffU;
		bool print = k + show >= n;
		if (print) {
			disasm(v, pc, d, sizeof(d));
			lprintf(v, "%6u: %-36s", pc, d);
		}
		uint32_t next;
		int rc = bpfv_do_insn(v, pc, &next);
		if (print) {
			if (rc < 0) {
				lputs(v, " ; <-- rejected here\n");
			} else if (v->written_reg >= 0 && v->cur) {
				fmt_reg(r, sizeof(r), &regs(v)[v->written_reg]);
				lprintf(v, " ; R%d=%s\n", v->written_reg, r);
			} else {
				lputs(v, "\n");
			}
		}
		if (rc != 0)
			break;
	}
	if (v->cur) {
		lprintf(v, "state at insn %u:\n", saved_pc);
		log_state(v, v->cur);
	}
end:
	v->rule = saved_rule;
	v->err_pc = saved_pc;
	v->err_msg = saved_msg;
}

void bpfv_log_rejection(struct verifier *v)
{
	if (!v->log)
		return;
	if (v->rule != BPF_VR_OK && v->rule != BPF_VR_STRUCT && v->rule != BPF_VR_NOMEM &&
	    v->explored_n)
		replay_log(v);
	else
		lprintf(v, "rejected: insn %u: %s [rule %s]\n  %s\n", v->err_pc,
		        v->err_msg ? v->err_msg : "", bpf_vrule_name(v->rule), v->detail);
}
