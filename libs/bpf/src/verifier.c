/*
 * The eBPF verifier.  Section numbers refer to RFC 9669; the
 * rules and the reasoning behind each are in docs/bpf-verifier.md.
 *
 * Outline:
 *   1. structure: bpf__validate (opcodes, fields, registers, jump targets
 *      never inside an LD_IMM64), then functions (BPF-to-BPF call
 *      targets), jumps stay inside their function, no function falls
 *      into the next, every instruction reachable;
 *   2. abstract interpretation, depth first over all paths, of the
 *      state (registers, stack bytes of every frame, held references),
 *      with branch refinement and state pruning at jump targets;
 *   3. on rejection the failing path is replayed to write a log with
 *      the instructions and register states that lead there.
 *
 * This file holds the abstract step and the driver; the other parts are
 * listed in verifier_internal.h.
 *
 * Everything is allocated through the caller's allocator, accounted
 * against opts->mem_limit, and freed before bpf_verify returns.
 */
#include "verifier_internal.h"

/* ------------------------------------------------------------------ */
/* the abstract step */

static int check_read(struct verifier *v, uint32_t pc, int regno)
{
	if (regs(v)[regno].type == V_NOT_INIT)
		return VERR(v, pc, BPF_VR_REG_UNINIT, "read of an uninitialised register",
		            "R%d !read_ok", regno);
	return 0;
}

static int ptr_arith(struct verifier *v, uint32_t pc, struct vreg *d, const struct vreg *ptr,
                     const struct vreg *sc, uint8_t op)
{
	/* ptr +/- scalar (§4.1 ADD/SUB on a pointer): the fixed part moves
	 * with constants, the variable part is a scalar sum; both stay
	 * within ±2^29 so every later bound computation fits in 64 bits. */
	uint8_t t = ptr->type;
	if (t == V_PTR_MAP_VALUE_OR_NULL || t == V_PTR_ALLOC_OR_NULL || t == V_CONST_MAP)
		return VERR(v, pc, BPF_VR_PTR_ARITH,
		            "arithmetic on a pointer that may be NULL or a map", "%s",
		            bpfv_type_names[t]);
	struct vreg res = *ptr;
	if (v_is_const(sc)) {
		int64_t c = (int64_t)sc->var.v;
		int64_t no = op == BPF_ADD ? (int64_t)ptr->off + c : (int64_t)ptr->off - c;
		if (no < -MAX_VAR_OFF || no > MAX_VAR_OFF)
			return VERR(v, pc, BPF_VR_PTR_ARITH, "pointer offset out of range",
			            "off %lld", (long long)no);
		res.off = (int32_t)no;
	} else {
		struct vreg var = *ptr;
		var.type = V_SCALAR;
		var.id = 0;
		v_alu(&var, sc, BPF_ALU64, op, 0, 0);
		if (var.smin < -MAX_VAR_OFF || var.smax > MAX_VAR_OFF)
			return VERR(v, pc, BPF_VR_PTR_ARITH, "unbounded variable pointer offset",
			            "offset range [%lld,%lld]", (long long)var.smin,
			            (long long)var.smax);
		res.var = var.var;
		res.smin = var.smin;
		res.smax = var.smax;
		res.umin = var.umin;
		res.umax = var.umax;
		res.s32min = var.s32min;
		res.s32max = var.s32max;
		res.u32min = var.u32min;
		res.u32max = var.u32max;
	}
	*d = res;
	return 0;
}

static int do_alu(struct verifier *v, uint32_t pc, const struct bpf_insn *in)
{
	uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
	int dn = BPF_INSN_DST(in), sn = BPF_INSN_SRC(in);
	struct vreg *R = regs(v);
	struct vreg *d = &R[dn];
	struct vreg srcv;
	bool x = BPF_SRC_BIT(in->code) == BPF_X && op != BPF_END;
	v->written_reg = dn;
	if (x) {
		if (check_read(v, pc, sn))
			return -1;
		srcv = R[sn];
	} else {
		v_mark_const(&srcv,
		             cls == BPF_ALU64 ? (uint64_t)(int64_t)in->imm : (uint32_t)in->imm);
	}
	if (op != BPF_MOV && check_read(v, pc, dn))
		return -1;
	if (op == BPF_END) {
		if (is_ptr(d)) {
			if (!leak_ok(v))
				return VERR(v, pc, BPF_VR_PTR_LEAK, "byte swap of a pointer", "R%d",
				            dn);
			v_mark_unknown(d);
			return 0;
		}
		bool swap = cls == BPF_ALU64 || BPF_SRC_BIT(in->code) == BPF_TO_BE;
		v_alu(d, &srcv, cls, op, swap ? 1 : 0, in->imm);
		return 0;
	}
	if (op == BPF_MOV) {
		if (cls == BPF_ALU64 && in->off == 0) {
			if (x && srcv.type == V_SCALAR && srcv.id == 0 && !v_is_const(&srcv)) {
				/* Link the copies so a later branch refines both. */
				R[sn].id = ++v->next_id;
				srcv.id = R[sn].id;
			}
			*d = srcv;
			return 0;
		}
		if (is_ptr(&srcv)) {
			if (!leak_ok(v))
				return VERR(v, pc, BPF_VR_PTR_LEAK,
				            "pointer truncated or sign-extended", "R%d is %s", sn,
				            bpfv_type_names[srcv.type]);
			v_mark_unknown(&srcv);
		}
		v_alu(d, &srcv, cls, op, in->off, in->imm);
		return 0;
	}
	bool dp = is_ptr(d), sp = x && is_ptr(&srcv);
	if (dp || sp) {
		if (cls == BPF_ALU64 && op == BPF_ADD && dp != sp)
			return ptr_arith(v, pc, d, dp ? d : &srcv, dp ? &srcv : d, BPF_ADD);
		if (cls == BPF_ALU64 && op == BPF_SUB && dp && !sp)
			return ptr_arith(v, pc, d, d, &srcv, BPF_SUB);
		if (!leak_ok(v)) {
			if (cls == BPF_ALU64 && op == BPF_SUB && dp && sp)
				return VERR(v, pc, BPF_VR_PTR_LEAK, "pointer minus pointer",
				            "R%d - R%d", dn, sn);
			return VERR(v, pc, BPF_VR_PTR_ARITH, "pointer arithmetic not allowed",
			            "%s on R%d (%s)", bpfv_alu_op_names[op >> 4], dp ? dn : sn,
			            bpfv_type_names[dp ? d->type : srcv.type]);
		}
		v_mark_unknown(d); /* the hook allows pointer values as numbers */
		return 0;
	}
	v_alu(d, &srcv, cls, op, in->off, in->imm);
	return 0;
}

/* Do two pointers point into the same region, so that comparing them
 * compares offsets the program knows rather than addresses? */
static bool same_region(const struct vreg *a, const struct vreg *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case V_PTR_CTX:
		return true;
	case V_PTR_STACK:
		return a->frameno == b->frameno;
	case V_CONST_MAP:
	case V_PTR_MEM:
		return a->aux == b->aux;
	case V_PTR_MAP_VALUE:
	case V_PTR_MAP_VALUE_OR_NULL:
		/* one lookup's result (or map_val, id 0), not two elements */
		return a->aux == b->aux && a->id == b->id;
	case V_PTR_ALLOC:
	case V_PTR_ALLOC_OR_NULL:
		return a->id == b->id;
	default:
		return false;
	}
}

/* Without BPF_HOOK_PTR_LEAK a branch may not depend on address bits: a
 * program that compares a pointer with a number it chooses learns one
 * bit of the address per run (64 runs give all of it by binary search).
 * Allowed: JEQ/JNE of a pointer with the constant 0 (the NULL check,
 * 64-bit only: JMP32 would test the low half of the address), and
 * orderings of two pointers into the same region (they compare known
 * offsets); never JSET or JMP32, which look at address bits. */
static int check_ptr_cmp(struct verifier *v, uint32_t pc, const struct vreg *a, int an,
                         const struct vreg *b, int bn, bool x, uint8_t op, bool is32)
{
	bool ap = is_ptr(a), bp = is_ptr(b);
	if ((!ap && !bp) || leak_ok(v))
		return 0;
	const struct vreg *p = ap ? a : b, *o = ap ? b : a;
	int pn = ap ? an : bn;
	const char *kind = bpfv_type_names[p->type];
	if (is32)
		return VERR(v, pc, BPF_VR_PTR_LEAK, "JMP32 comparison of a pointer",
		            "R%d is %s: a 32-bit comparison tests address bits", pn, kind);
	if (ap && bp) {
		if (op == BPF_JSET || !same_region(a, b))
			return VERR(v, pc, BPF_VR_PTR_LEAK,
			            op == BPF_JSET
			                    ? "JSET on pointers"
			                    : "comparison of pointers into different regions",
			            "R%d is %s, R%d is %s", an, bpfv_type_names[a->type], bn,
			            bpfv_type_names[b->type]);
		return 0;
	}
	if ((op == BPF_JEQ || op == BPF_JNE) && v_is_const(o) && o->var.v == 0)
		return 0;
	if (x || !ap)
		return VERR(v, pc, BPF_VR_PTR_LEAK, "comparison of a pointer with a number",
		            "R%d is %s, R%d is a scalar: only ==/!= 0 may test a pointer", pn, kind,
		            ap ? bn : an);
	return VERR(v, pc, BPF_VR_PTR_LEAK, "comparison of a pointer with a number",
	            "R%d is %s compared with %lld: only ==/!= 0 may test a pointer", pn, kind,
	            (long long)(int64_t)o->var.v);
}

/* Conditional jump: refine both outcomes; explore the fall-through now
 * and the taken side later (or, replaying, the side the path took). */
static int do_cond_jmp(struct verifier *v, uint32_t pc, const struct bpf_insn *in, uint32_t *next)
{
	uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
	int dn = BPF_INSN_DST(in), sn = BPF_INSN_SRC(in);
	bool x = BPF_SRC_BIT(in->code) == BPF_X, is32 = cls == BPF_JMP32;
	uint32_t taken_pc = (uint32_t)jmp_target(in, pc), fall_pc = pc + 1;
	struct vreg *R = regs(v);
	if (check_read(v, pc, dn) || (x && check_read(v, pc, sn)))
		return -1;
	struct vreg a = R[dn], b;
	if (x)
		b = R[sn];
	else
		v_mark_const(&b, (uint64_t)(int64_t)in->imm);
	if (check_ptr_cmp(v, pc, &a, dn, &b, sn, x, op, is32))
		return -1;
	bool can_t = true, can_f = true;
	struct vreg at = a, bt = b, af = a, bf = b;
	int nullmode = 0; /* 1: a OR_NULL compared with 0 */
	if (a.type == V_SCALAR && b.type == V_SCALAR) {
		can_t = v_refine(&at, &bt, op, is32, true);
		can_f = v_refine(&af, &bf, op, is32, false);
		if (x && a.id && a.id == b.id) {
			at = a, bt = b, af = a, bf = b; /* same value: keep as is */
			can_t = can_f = true;
		}
	} else if (!is32 && (op == BPF_JEQ || op == BPF_JNE) && b.type == V_SCALAR &&
	           v_is_const(&b) && b.var.v == 0 && is_ptr(&a)) {
		if (a.type == V_PTR_MAP_VALUE_OR_NULL || a.type == V_PTR_ALLOC_OR_NULL) {
			nullmode = 1;
		} else {
			/* A valid pointer is never NULL. */
			if (op == BPF_JEQ)
				can_t = false;
			else
				can_f = false;
		}
	}
	if (!can_t && !can_f)
		return 1; /* both impossible: this path cannot happen */
	struct vstate *other = NULL;
	bool follow_taken;
	if (v->replay) {
		follow_taken = v->replay_next == taken_pc && (v->replay_next != fall_pc || !can_f);
		if (follow_taken && !can_t)
			follow_taken = false;
	} else {
		follow_taken = !can_f;
		if (can_t && can_f) {
			other = bpfv_state_dup(v, v->cur);
			if (!other)
				return bpfv_err(v, pc, BPF_VR_NOMEM,
				                "verifier memory limit reached");
		}
	}
	/* Apply the refinements to the states that continue. */
	struct vstate *targets[2] = {NULL, NULL};
	bool outcome[2];
	int nt = 0;
	if (other) {
		targets[nt] = other;
		outcome[nt++] = true;
		targets[nt] = v->cur;
		outcome[nt++] = false;
	} else {
		targets[nt] = v->cur;
		outcome[nt++] = follow_taken;
	}
	for (int k = 0; k < nt; k++) {
		struct vstate *st = targets[k];
		struct vreg *SR = st->fr[st->curframe]->regs;
		bool t = outcome[k];
		if (nullmode) {
			bool is_null = (op == BPF_JEQ) == t;
			bpfv_mark_null_result(st, a.id, is_null);
		} else if (a.type == V_SCALAR && b.type == V_SCALAR) {
			bpfv_set_linked(st, &SR[dn], t ? &at : &af);
			if (x)
				bpfv_set_linked(st, &SR[sn], t ? &bt : &bf);
		}
	}
	if (other && bpfv_push_pending(v, taken_pc, other))
		return -1;
	*next = follow_taken ? taken_pc : fall_pc;
	return 0;
}

int bpfv_do_insn(struct verifier *v, uint32_t pc, uint32_t *next)
{
	const struct bpf_insn *in = &v->insns[pc];
	uint8_t cls = BPF_CLASS(in->code);
	int dn = BPF_INSN_DST(in), sn = BPF_INSN_SRC(in);
	*next = pc + 1;
	v->written_reg = -1;
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		return do_alu(v, pc, in);
	case BPF_JMP:
	case BPF_JMP32: {
		uint8_t op = BPF_OP(in->code);
		if (op == BPF_JA) {
			*next = (uint32_t)jmp_target(in, pc);
			v->cur->since_jmps++;
			return 0;
		}
		if (op == BPF_EXIT)
			return bpfv_exit(v, pc, next);
		if (op == BPF_CALL) {
			if (is_callx(in))
				return bpfv_callx(v, pc, in, next);
			if (BPF_INSN_SRC(in) == BPF_PSEUDO_CALL_LOCAL)
				return bpfv_call_local(v, pc, in, next);
			return bpfv_check_helper(v, pc, in);
		}
		v->cur->since_jmps++;
		return do_cond_jmp(v, pc, in, next);
	}
	case BPF_LD: {
		struct vreg *R = regs(v);
		if (in->code == (BPF_LD | BPF_IMM | BPF_DW)) {
			struct vreg *d = &R[dn];
			v->written_reg = dn;
			*next = pc + 2;
			switch (sn) {
			case BPF_PSEUDO_IMM64:
				v_mark_const(d, (uint32_t)in->imm |
				                        ((uint64_t)(uint32_t)in[1].imm << 32));
				break;
			case BPF_PSEUDO_MAP_FD:
			case BPF_PSEUDO_MAP_IDX:
				v_ptr_init(d, V_CONST_MAP);
				d->aux = (uint32_t)in->imm;
				break;
			case BPF_PSEUDO_MAP_VALUE:
			case BPF_PSEUDO_MAP_IDX_VALUE: {
				const struct bpf_map *m = v->prog->maps[(uint32_t)in->imm];
				v_ptr_init(d, V_PTR_MAP_VALUE);
				d->aux = (uint32_t)in->imm;
				d->off = (int32_t)(uint32_t)in[1].imm;
				/* map_val (§5.4) is the address of the first value: one
				 * value's bytes, not the padding after it (values are
				 * stored 8-byte aligned) nor the elements after it. */
				d->size = m->def.value_size;
				d->rdonly = m->prog_readonly;
				if ((uint32_t)in[1].imm > (1U << 28))
					return VERR(v, pc, BPF_VR_MEM_BOUNDS,
					            "map value offset too large", "%u",
					            (uint32_t)in[1].imm);
				break;
			}
			case BPF_PSEUDO_VAR_ADDR: {
				const struct bpf_var *var = bpf_env_var(v->env, (uint32_t)in->imm);
				if (!var)
					return VERR(v, pc, BPF_VR_STRUCT,
					            "unknown platform variable", "%d", in->imm);
				v_ptr_init(d, V_PTR_MEM);
				d->aux = (uint32_t)(var - v->env->vars);
				d->size = var->size > (1U << 28) ? (1U << 28) : (uint32_t)var->size;
				d->rdonly = (var->flags & BPF_VAR_READONLY) != 0;
				break;
			}
			default:
				return VERR(v, pc, BPF_VR_STRUCT, "unsupported LD_IMM64 source",
				            "%d", sn);
			}
			return 0;
		}
		/* §5.5 legacy packet loads: they read the context buffer with
		 * their own bounds check and end the program with R0 = 0 when
		 * out of bounds, so no reference may be held. */
		if (!(v->hook->flags & BPF_HOOK_PACKET))
			return VERR(v, pc, BPF_VR_PACKET, "packet loads not allowed by the hook",
			            "%s", v->hook->name ? v->hook->name : "");
		if (v->cur->nrefs)
			return VERR(v, pc, BPF_VR_PACKET, "packet load while holding a reference",
			            "it may end the program");
		if (BPF_MODE(in->code) == BPF_IND) {
			if (check_read(v, pc, sn))
				return -1;
			if (R[sn].type != V_SCALAR && !leak_ok(v))
				return VERR(v, pc, BPF_VR_PTR_LEAK, "pointer as packet offset",
				            "R%d", sn);
		}
		uint32_t size = BPF_SIZE(in->code) == BPF_W   ? 4
		                : BPF_SIZE(in->code) == BPF_H ? 2
		                                              : 1;
		bpfv_set_sized_unknown(&R[0], size, false);
		v->written_reg = 0;
		return 0;
	}
	case BPF_LDX: {
		uint32_t size;
		switch (BPF_SIZE(in->code)) {
		case BPF_B:
			size = 1;
			break;
		case BPF_H:
			size = 2;
			break;
		case BPF_W:
			size = 4;
			break;
		default:
			size = 8;
			break;
		}
		if (check_read(v, pc, sn))
			return -1;
		struct vreg out;
		if (bpfv_check_mem(v, pc, sn, in->off, size, ACC_READ,
		                   BPF_MODE(in->code) == BPF_MEMSX, NULL, &out))
			return -1;
		regs(v)[dn] = out;
		v->written_reg = dn;
		return 0;
	}
	case BPF_ST:
	case BPF_STX: {
		uint32_t size;
		switch (BPF_SIZE(in->code)) {
		case BPF_B:
			size = 1;
			break;
		case BPF_H:
			size = 2;
			break;
		case BPF_W:
			size = 4;
			break;
		default:
			size = 8;
			break;
		}
		if (check_read(v, pc, dn))
			return -1;
		struct vreg val;
		if (cls == BPF_ST) {
			v_mark_const(&val, (uint64_t)(int64_t)in->imm);
			return bpfv_check_mem(v, pc, dn, in->off, size, ACC_WRITE, false, &val,
			                      NULL);
		}
		if (check_read(v, pc, sn))
			return -1;
		val = regs(v)[sn];
		if (BPF_MODE(in->code) != BPF_ATOMIC)
			return bpfv_check_mem(v, pc, dn, in->off, size, ACC_WRITE, false, &val,
			                      NULL);
		/* §5.3 atomics: read-modify-write of a scalar. */
		if (is_ptr(&val))
			return VERR(v, pc, BPF_VR_PTR_LEAK,
			            "atomic operation with a pointer operand", "R%d", sn);
		if (in->imm == BPF_CMPXCHG) {
			if (check_read(v, pc, 0))
				return -1;
			if (is_ptr(&regs(v)[0]))
				return VERR(v, pc, BPF_VR_PTR_LEAK, "cmpxchg compares a pointer",
				            "R0");
		}
		if (bpfv_check_mem(v, pc, dn, in->off, size, ACC_ATOMIC, false, NULL, NULL))
			return -1;
		struct vreg *R = regs(v);
		if (in->imm == BPF_CMPXCHG) {
			bpfv_set_sized_unknown(&R[0], size, false);
			v->written_reg = 0;
		} else if (in->imm & BPF_FETCH) {
			bpfv_set_sized_unknown(&R[sn], size, false);
			v->written_reg = sn;
		}
		return 0;
	}
	}
	return VERR(v, pc, BPF_VR_STRUCT, "unknown instruction class", "%#x", in->code);
}

/* ------------------------------------------------------------------ */
/* driver */

struct vstate *bpfv_initial_state(struct verifier *v)
{
	struct vstate *s = bpfv_zalloc(v, sizeof(*s));
	if (!s)
		return NULL;
	s->fr[0] = bpfv_zalloc(v, frame_bytes(0));
	if (!s->fr[0]) {
		bpfv_free(v, s);
		return NULL;
	}
	/* R1 = context, R10 = frame pointer (RFC 9669 §2.3 calling convention). */
	v_ptr_init(&s->fr[0]->regs[1], V_PTR_CTX);
	v_ptr_init(&s->fr[0]->regs[10], V_PTR_STACK);
	/* bpf_vm_exec's form: R2 = the memory's length, which verified
	 * runs must make exactly the hook's ctx_size. Not where tail calls
	 * are allowed: a program may then start as a tail-call target, whose
	 * R2 is whatever its caller passed to bpf_tail_call, and the verifier
	 * cannot tell the two apart. */
	if ((v->hook->flags & BPF_HOOK_CTX_LEN) && !(v->hook->flags & BPF_HOOK_TAIL_CALLS))
		v_mark_const(&s->fr[0]->regs[2], v->hook->ctx_size);
	s->since_insns = 8;
	return s;
}

static int path_push(struct verifier *v, uint32_t pc)
{
	if (v->path_len == v->path_cap) {
		uint32_t ncap = v->path_cap ? v->path_cap * 2 : 1024;
		uint32_t *np = bpfv_alloc(v, (size_t)ncap * sizeof(uint32_t));
		if (!np)
			return bpfv_err(v, pc, BPF_VR_NOMEM,
			                "verifier memory limit reached (path)");
		for (uint32_t i = 0; i < v->path_len; i++)
			np[i] = v->path[i];
		bpfv_free(v, v->path);
		v->path = np;
		v->path_cap = ncap;
	}
	v->path[v->path_len++] = pc;
	return 0;
}

static int explore(struct verifier *v)
{
	uint64_t limit = v->opts->insn_limit ? v->opts->insn_limit : 1000000;
	uint32_t pc = 0;
	for (;;) {
		if (++v->explored_n > limit)
			return VERR(v, pc, BPF_VR_COMPLEXITY, "explored-instruction limit reached",
			            "%llu instructions explored", (unsigned long long)limit);
		int done = 0;
		if (v->flags[pc] & F_PRUNE) {
			int r = bpfv_visit_prune_point(v, pc);
			if (r < 0) {
				path_push(v, pc);
				return -1;
			}
			done = r;
		}
		if (!done) {
			if (path_push(v, pc))
				return -1;
			uint32_t next;
			v->cur->since_insns++;
			int r = bpfv_do_insn(v, pc, &next);
			if (r < 0)
				return -1;
			if (r == 0) {
				pc = next;
				continue;
			}
		}
		/* path finished */
		bpfv_path_done(v);
		bpfv_state_free(v, v->cur);
		v->cur = NULL;
		if (!v->npending)
			return 0;
		struct pstate *p = v->pending[--v->npending];
		v->cur = bpfv_state_unpack(v, p);
		bpfv_free(v, p);
		if (!v->cur)
			return bpfv_err(v, pc, BPF_VR_NOMEM, "verifier memory limit reached");
		pc = v->cur->insn;
		v->path_len = v->cur->path_len;
	}
}

int bpf_verify(const struct bpf_prog *prog, const struct bpf_env *env, const struct bpf_hook *hook,
               const struct bpf_verifier_opts *opts, struct bpf_verifier_result *res)
{
	struct verifier vv, *v = &vv;
	bpf__memset(v, 0, sizeof(*v));
	if (res)
		bpf__memset(res, 0, sizeof(*res));
	if (opts && opts->log && opts->log_size)
		opts->log[0] = 0;
	if (!prog || !env || !hook || !opts || !opts->alloc || !opts->alloc->alloc ||
	    !prog->insns || !prog->len) {
		if (res) {
			res->rule = BPF_VR_ARGS;
			res->msg = "bad arguments";
		}
		return -BPF_EINVAL;
	}
	v->prog = prog;
	v->env = env;
	v->hook = hook;
	v->opts = opts;
	v->a = opts->alloc;
	v->insns = prog->insns;
	v->len = prog->len;
	v->limit = opts->mem_limit ? opts->mem_limit : 64ULL << 20;
	v->log = opts->log;
	v->log_size = opts->log_size;
	int rc = 0;
	v->flags = bpfv_zalloc(v, v->len + 1);
	v->live = bpfv_zalloc(v, (size_t)(v->len + 1) * sizeof(uint16_t));
	v->explored = bpfv_zalloc(v, (size_t)v->len * sizeof(struct pstate *));
	v->pending_cap = 64;
	v->pending = bpfv_alloc(v, v->pending_cap * sizeof(struct pstate *));
	if (!v->flags || !v->live || !v->explored || !v->pending) {
		bpfv_err(v, 0, BPF_VR_NOMEM, "out of memory");
		rc = -1;
	}
	if (!rc)
		rc = bpfv_check_structure(v);
	if (!rc) {
		bpfv_compute_liveness(v);
		v->cur = bpfv_initial_state(v);
		if (!v->cur)
			rc = bpfv_err(v, 0, BPF_VR_NOMEM, "out of memory");
	}
	if (!rc)
		rc = explore(v);
	uint32_t depth = 0;
	if (!rc && v->nstarts) {
		depth = bpfv_chain_depth(v, 0, 0);
		if (depth > STACK_MAX)
			rc = VERR(v, 0, BPF_VR_STACK_SIZE, "combined stack over 512 bytes",
			          "a call chain uses %u bytes", depth);
	}
	if (rc)
		bpfv_log_rejection(v);
	if (res) {
		res->rule = v->rule;
		res->insn = v->err_pc;
		res->msg = v->rule ? v->err_msg : "safe";
		res->explored = v->explored_n;
		res->states_stored = v->stored;
		res->states_pruned = v->pruned;
		res->max_pending = v->max_pending;
		res->stack_depth = depth;
		res->path_len = v->path_len;
	}
	/* free everything */
	bpfv_state_free(v, v->cur);
	while (v->pending && v->npending)
		bpfv_free(v, v->pending[--v->npending]);
	if (v->explored) {
		for (uint32_t i = 0; i < v->len; i++) {
			struct pstate *s = v->explored[i];
			while (s) {
				struct pstate *nx = s->next;
				bpfv_free(v, s);
				s = nx;
			}
		}
	}
	bpfv_free(v, v->explored);
	bpfv_free(v, v->pending);
	bpfv_free(v, v->flags);
	bpfv_free(v, v->live);
	bpfv_free(v, v->starts);
	bpfv_free(v, v->sp_stack);
	bpfv_free(v, v->callx_to);
	bpfv_free(v, v->path);
	if (res)
		res->peak_mem = v->peak;
	if (v->rule == BPF_VR_OK)
		return 0;
	if (v->rule == BPF_VR_COMPLEXITY || v->rule == BPF_VR_LOOP)
		return -BPF_E2BIG;
	if (v->rule == BPF_VR_NOMEM)
		return -BPF_ENOMEM;
	return -BPF_EINVAL;
}
