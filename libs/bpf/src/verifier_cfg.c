/*
 * The verifier's first pass over a program's control flow: functions
 * (BPF-to-BPF call targets), jumps that stay inside them, no function
 * falling into the next, every instruction reachable; then register
 * liveness, and the stack depth of the explored call graph.
 */
#include "verifier_internal.h"

uint32_t bpfv_sp_of(const struct verifier *v, uint32_t pc)
{
	uint32_t lo = 0, hi = v->nstarts;
	while (hi - lo > 1) {
		uint32_t mid = (lo + hi) / 2;
		if (v->starts[mid] <= pc)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* A local callx (PC += dst) whose register the instruction before it
 * sets to a constant (MOV64 K, or LD_IMM64 of a number) has that target;
 * it becomes a function start.  The abstract interpretation checks that
 * the register holds exactly this value whenever the call runs.  -1: no
 * such target. */
static int64_t callx_static_target(const struct verifier *v, uint32_t i)
{
	const struct bpf_insn *in = &v->insns[i];
	int64_t c;
	if (i >= 1 && v->insns[i - 1].code == (BPF_ALU64 | BPF_MOV | BPF_K) &&
	    BPF_INSN_DST(&v->insns[i - 1]) == BPF_INSN_DST(in) && !(v->flags[i - 1] & F_HALF))
		c = v->insns[i - 1].imm;
	else if (i >= 2 && v->insns[i - 2].code == (BPF_LD | BPF_IMM | BPF_DW) &&
	         BPF_INSN_SRC(&v->insns[i - 2]) == BPF_PSEUDO_IMM64 &&
	         BPF_INSN_DST(&v->insns[i - 2]) == BPF_INSN_DST(in))
		c = (int64_t)((uint32_t)v->insns[i - 2].imm |
		              ((uint64_t)(uint32_t)v->insns[i - 1].imm << 32));
	else
		return -1;
	if (c < -(int64_t)v->len || c > (int64_t)v->len)
		return -1;
	int64_t t = (int64_t)i + 1 + c;
	if (t < 0 || t >= (int64_t)v->len ||
	    (t > 0 && v->insns[t - 1].code == (BPF_LD | BPF_IMM | BPF_DW) &&
	     !(v->flags[t - 1] & F_HALF)))
		return -1;
	return t;
}

int bpfv_check_structure(struct verifier *v)
{
	struct bpf_prog_error perr = {0, NULL};
	if (bpf__validate(v->insns, v->len, v->prog->maps, v->prog->nmaps, v->env, &perr)) {
		VERR(v, perr.insn, BPF_VR_STRUCT, "malformed instruction", "%s",
		     perr.reason ? perr.reason : "invalid");
		return -1;
	}
	uint8_t *fl = v->flags;
	fl[0] |= F_START;
	for (uint32_t i = 0; i < v->len; i++) {
		const struct bpf_insn *in = &v->insns[i];
		if (in->code == (BPF_LD | BPF_IMM | BPF_DW)) {
			fl[i + 1] |= F_HALF;
			i++;
			continue;
		}
		if (in->code == (BPF_JMP | BPF_CALL) && BPF_INSN_SRC(in) == BPF_PSEUDO_CALL_LOCAL)
			fl[i + in->imm + 1] |= F_START;
		if (is_callx(in) && BPF_INSN_SRC(in) == BPF_PSEUDO_CALL_LOCAL) {
			if (!v->callx_to) {
				v->callx_to = bpfv_zalloc(v, (size_t)v->len * sizeof(uint32_t));
				if (!v->callx_to)
					return bpfv_err(v, 0, BPF_VR_NOMEM, "out of memory");
			}
			int64_t t = callx_static_target(v, i);
			if (t >= 0) {
				fl[t] |= F_START;
				v->callx_to[i] = (uint32_t)t + 1;
			}
		}
	}
	uint32_t n = 0;
	for (uint32_t i = 0; i < v->len; i++)
		n += (fl[i] & F_START) != 0;
	v->starts = bpfv_alloc(v, n * sizeof(uint32_t));
	v->sp_stack = bpfv_zalloc(v, n * sizeof(uint32_t));
	if (!v->starts || !v->sp_stack)
		return bpfv_err(v, 0, BPF_VR_NOMEM, "out of memory");
	v->nstarts = 0;
	for (uint32_t i = 0; i < v->len; i++)
		if (fl[i] & F_START)
			v->starts[v->nstarts++] = i;
	/* Jumps stay inside their function; pruning points at targets and
	 * after conditional jumps and calls. */
	for (uint32_t i = 0; i < v->len; i++) {
		const struct bpf_insn *in = &v->insns[i];
		if (fl[i] & F_HALF)
			continue;
		uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
		if ((cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_CALL && op != BPF_EXIT) {
			uint32_t t = (uint32_t)jmp_target(in, i);
			if (bpfv_sp_of(v, t) != bpfv_sp_of(v, i))
				return VERR(v, i, BPF_VR_SUBPROG_JUMP, "jump out of its function",
				            "jump from function at %u to insn %u",
				            v->starts[bpfv_sp_of(v, i)], t);
			/* Paths meet at jump targets: that is where pruning
			 * pays.  (Fall-through points rarely join, and storing
			 * states there costs memory for little.) */
			fl[t] |= F_PRUNE;
		}
	}
	/* No function may run off its end into the next one. */
	for (uint32_t s = 0; s < v->nstarts; s++) {
		uint32_t end = s + 1 < v->nstarts ? v->starts[s + 1] : v->len;
		uint32_t last = end - 1;
		const struct bpf_insn *in = &v->insns[last];
		bool ok = !(fl[last] & F_HALF) &&
		          (in->code == (BPF_JMP | BPF_EXIT) || in->code == (BPF_JMP | BPF_JA) ||
		           in->code == (BPF_JMP32 | BPF_JA));
		if (!ok)
			return VERR(v, last, BPF_VR_FALLTHROUGH,
			            "function falls through into the next",
			            "last insn %u of function at %u is not exit or goto", last,
			            v->starts[s]);
	}
	/* Reachability: every instruction on some path from the entry. */
	uint32_t *work = bpfv_alloc(v, v->len * sizeof(uint32_t));
	if (!work)
		return bpfv_err(v, 0, BPF_VR_NOMEM, "out of memory");
	uint32_t nw = 0;
	work[nw++] = 0;
	fl[0] |= F_REACH;
#define PUSHW(t)                                          \
	do {                                              \
		uint32_t t_ = (t);                        \
		if (t_ < v->len && !(fl[t_] & F_REACH)) { \
			fl[t_] |= F_REACH;                \
			work[nw++] = t_;                  \
		}                                         \
	} while (0)
	while (nw) {
		uint32_t i = work[--nw];
		const struct bpf_insn *in = &v->insns[i];
		uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
		if (in->code == (BPF_LD | BPF_IMM | BPF_DW)) {
			fl[i + 1] |= F_REACH;
			PUSHW(i + 2);
		} else if (cls == BPF_JMP || cls == BPF_JMP32) {
			if (op == BPF_EXIT)
				continue;
			if (op == BPF_CALL) {
				if (is_callx(in)) {
					if (v->callx_to && v->callx_to[i])
						PUSHW(v->callx_to[i] - 1);
				} else if (BPF_INSN_SRC(in) == BPF_PSEUDO_CALL_LOCAL) {
					PUSHW((uint32_t)(i + in->imm + 1));
				}
				PUSHW(i + 1);
				continue;
			}
			PUSHW((uint32_t)jmp_target(in, i));
			if (op != BPF_JA)
				PUSHW(i + 1);
		} else {
			PUSHW(i + 1);
		}
	}
#undef PUSHW
	bpfv_free(v, work);
	for (uint32_t i = 0; i < v->len; i++)
		if (!(fl[i] & F_REACH))
			return VERR(v, i, BPF_VR_UNREACHABLE, "unreachable instruction",
			            "insn %u cannot be reached from the entry", i);
	return 0;
}

/* Register liveness, a backward dataflow over each function's control
 * flow: live_in(i) = use(i) | (live_out(i) & ~def(i)).  A register that is
 * dead at a pruning point can never be read before it is written, so
 * states may differ there freely; forgetting it (NOT_INIT) lets paths
 * that differ only in dead values (loop counters after the loop, say)
 * prune against each other. */
static void insn_use_def(const struct verifier *v, uint32_t i, uint16_t *use, uint16_t *def)
{
	const struct bpf_insn *in = &v->insns[i];
	uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
	uint16_t d = (uint16_t)(1U << BPF_INSN_DST(in)), sr = (uint16_t)(1U << BPF_INSN_SRC(in));
	*use = 0;
	*def = 0;
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		*def = d;
		if (op == BPF_MOV)
			*use = BPF_SRC_BIT(in->code) == BPF_X ? sr : 0;
		else
			*use = d | (BPF_SRC_BIT(in->code) == BPF_X && op != BPF_END ? sr : 0);
		break;
	case BPF_LDX:
		*use = sr;
		*def = d;
		break;
	case BPF_ST:
		*use = d;
		break;
	case BPF_STX:
		*use = d | sr;
		if (BPF_MODE(in->code) == BPF_ATOMIC) {
			if (in->imm == BPF_CMPXCHG) {
				*use |= 1;
				*def = 1;
			} else if (in->imm & BPF_FETCH) {
				*def = sr;
			}
		}
		break;
	case BPF_LD:
		if (in->code == (BPF_LD | BPF_IMM | BPF_DW)) {
			*def = d;
		} else {
			*use = BPF_MODE(in->code) == BPF_IND ? sr : 0;
			*def = 1;
		}
		break;
	case BPF_JMP:
	case BPF_JMP32:
		if (op == BPF_EXIT) {
			*use = 1;
		} else if (op == BPF_CALL) {
			*use = 0x3e; /* R1-R5 */
			if (is_callx(in)) {
				*use |= d; /* the target; a helper's arguments unknown */
			} else if (BPF_INSN_SRC(in) != BPF_PSEUDO_CALL_LOCAL) {
				const struct bpf_helper *h =
				        bpf_env_helper(v->env, (uint32_t)in->imm);
				*use = 0;
				for (int k = 0; h && k < BPF_HELPER_MAX_ARGS; k++)
					if (h->proto.args[k] != BPF_ARG_NONE)
						*use |= (uint16_t)(1U << (k + 1));
			}
			*def = 0x3f; /* R0-R5 */
		} else if (op != BPF_JA) {
			*use = d | (BPF_SRC_BIT(in->code) == BPF_X ? sr : 0);
		}
		break;
	}
}

void bpfv_compute_liveness(struct verifier *v)
{
	bool changed = true;
	while (changed) {
		changed = false;
		for (uint32_t i = v->len; i-- > 0;) {
			if (v->flags[i] & F_HALF)
				continue;
			const struct bpf_insn *in = &v->insns[i];
			uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
			uint16_t out = 0, use, def;
			if (in->code == (BPF_LD | BPF_IMM | BPF_DW)) {
				out = i + 2 < v->len ? v->live[i + 2] : 0;
			} else if (cls == BPF_JMP || cls == BPF_JMP32) {
				if (op == BPF_EXIT) {
					out = 0;
				} else if (op == BPF_CALL) {
					out = i + 1 < v->len ? v->live[i + 1] : 0;
				} else {
					out = v->live[jmp_target(in, i)];
					if (op != BPF_JA && i + 1 < v->len)
						out |= v->live[i + 1];
				}
			} else {
				out = i + 1 < v->len ? v->live[i + 1] : 0;
			}
			insn_use_def(v, i, &use, &def);
			uint16_t in_ = (uint16_t)(use | (out & ~def));
			if (in_ != v->live[i]) {
				v->live[i] = in_;
				changed = true;
			}
		}
	}
}

void bpfv_forget_dead(struct verifier *v, struct vstate *st, uint32_t pc)
{
	for (uint32_t f = 0; f <= st->curframe; f++) {
		uint16_t live;
		if (f == st->curframe)
			live = v->live[pc];
		else /* caller frames: only R6-R9 survive the call */
			live = v->live[st->fr[f + 1]->callsite + 1] & 0x3c0;
		for (int r = 0; r < 10; r++)
			if (!(live & (1U << r)))
				v_mark_not_init(&st->fr[f]->regs[r]);
	}
}

/* Deepest combined stack over call chains seen (functions' own maxima). */
uint32_t bpfv_chain_depth(struct verifier *v, uint32_t sp, uint32_t depth)
{
	uint32_t best = 0;
	if (depth >= MAX_FRAMES)
		return 0;
	uint32_t end = sp + 1 < v->nstarts ? v->starts[sp + 1] : v->len;
	for (uint32_t i = v->starts[sp]; i < end; i++) {
		if (!(v->flags[i] & F_EDGE))
			continue;
		uint32_t t = is_callx(&v->insns[i]) ? v->callx_to[i] - 1
		                                    : (uint32_t)(i + v->insns[i].imm + 1);
		uint32_t c = bpfv_chain_depth(v, bpfv_sp_of(v, t), depth + 1);
		if (c > best)
			best = c;
	}
	return v->sp_stack[sp] + best;
}
