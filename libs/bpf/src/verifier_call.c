/*
 * The verifier's calls: helpers checked against their prototypes
 * (RFC 9669 §4.3.1), acquired and released references, BPF-to-BPF calls
 * with their own frames and returns (§4.3.2), and the program's exit.
 */
#include "verifier_internal.h"

static bool helper_allowed(const struct verifier *v, uint32_t id)
{
	const struct bpf_hook *h = v->hook;
	if (!h->helpers)
		return true;
	for (uint32_t i = 0; i < h->nhelpers; i++)
		if (h->helpers[i] == id)
			return true;
	return false;
}

int bpfv_check_helper(struct verifier *v, uint32_t pc, const struct bpf_insn *in)
{
	uint32_t id = (uint32_t)in->imm;
	const struct bpf_helper *h = bpf_env_helper(v->env, id);
	struct vstate *st = v->cur;
	struct vreg *R = regs(v);
	if (!h)
		return VERR(v, pc, BPF_VR_HELPER_DENIED, "unknown helper", "helper %u", id);
	if (!helper_allowed(v, id))
		return VERR(v, pc, BPF_VR_HELPER_DENIED, "helper not allowed by the hook",
		            "helper %u (%s) is not in hook %s's list", id, h->name ? h->name : "?",
		            v->hook->name ? v->hook->name : "");
	const struct bpf_func_proto *p = &h->proto;
	if (p->flags & BPF_PROTO_TAIL_CALL) {
		if (!(v->hook->flags & BPF_HOOK_TAIL_CALLS))
			return VERR(v, pc, BPF_VR_TAIL_CALL, "tail calls not allowed by the hook",
			            "%s", v->hook->name ? v->hook->name : "");
		if (st->nrefs)
			return VERR(v, pc, BPF_VR_TAIL_CALL, "tail call while holding a reference",
			            "%u ring-buffer record(s) not released", st->nrefs);
	}
	const struct bpf_map *map = NULL;
	uint32_t map_idx = 0;
	uint64_t alloc_size = 0;
	uint32_t release = 0;
	for (int i = 0; i < BPF_HELPER_MAX_ARGS; i++) {
		uint8_t t = p->args[i];
		int rn = i + 1;
		R = regs(v); /* the frame may have moved (stack growth) */
		struct vreg *r = &R[rn];
		if (t == BPF_ARG_NONE)
			continue;
		if (r->type == V_NOT_INIT)
			return VERR(v, pc, BPF_VR_REG_UNINIT, "helper argument not initialised",
			            "R%d (argument %d of %s)", rn, rn, h->name ? h->name : "?");
		switch (t) {
		case BPF_ARG_ANYTHING:
			if (is_ptr(r) && !leak_ok(v))
				return VERR(v, pc, BPF_VR_PTR_LEAK,
				            "pointer passed as a scalar argument", "R%d is %s", rn,
				            bpfv_type_names[r->type]);
			break;
		case BPF_ARG_CONST_MAP_PTR:
			if (r->type != V_CONST_MAP)
				return VERR(v, pc, BPF_VR_HELPER_ARG, "expected a map pointer",
				            "R%d is %s", rn, bpfv_type_names[r->type]);
			map_idx = r->aux;
			map = v->prog->maps[map_idx];
			if (p->map_types && (map->def.type >= 32 ||
			                     !(p->map_types & BPF_MAP_TYPE_BIT(map->def.type))))
				return VERR(v, pc, BPF_VR_HELPER_ARG,
				            "map type not accepted by the helper",
				            "map %u has type %u", map_idx, map->def.type);
			break;
		case BPF_ARG_PTR_TO_MAP_KEY:
		case BPF_ARG_PTR_TO_MAP_VALUE:
			if (!map)
				return VERR(v, pc, BPF_VR_HELPER_ARG, "key/value without a map",
				            "R%d", rn);
			if (bpfv_check_helper_mem(v, pc, rn,
			                          t == BPF_ARG_PTR_TO_MAP_KEY ? map->def.key_size
			                                                      : map->def.value_size,
			                          false, false))
				return -1;
			break;
		case BPF_ARG_PTR_TO_MEM:
		case BPF_ARG_PTR_TO_UNINIT_MEM: {
			struct vreg *sz = &R[rn + 1];
			bool zero_ok = p->args[i + 1] == BPF_ARG_CONST_SIZE_OR_ZERO;
			if (sz->type == V_NOT_INIT)
				return VERR(v, pc, BPF_VR_REG_UNINIT,
				            "helper argument not initialised",
				            "R%d (size of argument %d)", rn + 1, rn);
			if (sz->type != V_SCALAR)
				return VERR(v, pc, BPF_VR_HELPER_ARG,
				            "size argument must be a scalar", "R%d is %s", rn + 1,
				            bpfv_type_names[sz->type]);
			if (!zero_ok && sz->umin == 0)
				return VERR(v, pc, BPF_VR_HELPER_ARG, "size argument may be zero",
				            "R%d umin=0", rn + 1);
			if (sz->umax > (1ULL << 30))
				return VERR(v, pc, BPF_VR_HELPER_ARG, "size argument unbounded",
				            "R%d umax=%llu", rn + 1, (unsigned long long)sz->umax);
			if (r->type == V_SCALAR && sz->umax == 0)
				break; /* (NULL, 0) is allowed */
			if (bpfv_check_helper_mem(v, pc, rn, sz->umax,
			                          t == BPF_ARG_PTR_TO_UNINIT_MEM, true))
				return -1;
			R = regs(v);
			r = &R[rn];
			sz = &R[rn + 1];
			if (t == BPF_ARG_PTR_TO_UNINIT_MEM && r->type == V_PTR_STACK &&
			    !v_is_const(r))
				; /* only a fixed-offset write initialises bytes */
			else if (t == BPF_ARG_PTR_TO_UNINIT_MEM && r->type == V_PTR_STACK &&
			         sz->umin) {
				int64_t lo = (int64_t)r->off + r->smin;
				struct vframe *f = st->fr[r->frameno];
				int j;
				for (int64_t b = lo; b < lo + (int64_t)sz->umin; b++)
					slot_at(f, b, &j)->st[j] = SB_MISC;
			}
			break;
		}
		case BPF_ARG_CONST_SIZE:
		case BPF_ARG_CONST_SIZE_OR_ZERO:
			break; /* checked with the pointer */
		case BPF_ARG_PTR_TO_CTX:
			if (r->type != V_PTR_CTX || r->off != 0 || !v_is_const(r) || r->var.v != 0)
				return VERR(v, pc, BPF_VR_HELPER_ARG,
				            "expected the context pointer", "R%d is %s", rn,
				            bpfv_type_names[r->type]);
			break;
		case BPF_ARG_PTR_TO_ALLOC_MEM:
			if (r->type != V_PTR_ALLOC || r->off != 0 || !v_is_const(r) ||
			    r->var.v != 0)
				return VERR(v, pc, BPF_VR_HELPER_ARG,
				            "expected an unmodified ring-buffer record pointer",
				            "R%d is %s%+d", rn, bpfv_type_names[r->type], r->off);
			if (p->flags & BPF_PROTO_RELEASES_ALLOC)
				release = r->id;
			break;
		case BPF_ARG_CONST_ALLOC_SIZE:
			if (r->type != V_SCALAR || !v_is_const(r))
				return VERR(v, pc, BPF_VR_HELPER_ARG,
				            "allocation size must be a constant", "R%d", rn);
			if (r->var.v == 0 || r->var.v > (1U << 28))
				return VERR(v, pc, BPF_VR_HELPER_ARG,
				            "allocation size out of range", "R%d = %llu", rn,
				            (unsigned long long)r->var.v);
			alloc_size = r->var.v;
			break;
		case BPF_ARG_PTR_TO_STR: {
			/* Only a read-only map value with a fixed offset: its bytes
			 * cannot change, so the NUL can be found now. */
			if (r->type != V_PTR_MAP_VALUE || !r->rdonly || !v_is_const(r))
				return VERR(v, pc, BPF_VR_HELPER_ARG,
				            "string argument must point into read-only map data",
				            "R%d", rn);
			const struct bpf_map *m = v->prog->maps[r->aux];
			int64_t o = (int64_t)r->off + (int64_t)r->var.v;
			bool nul = false;
			for (int64_t k = o;
			     k >= 0 && k < (int64_t)r->size && k < (int64_t)m->data_len; k++)
				if (m->data[k] == 0) {
					nul = true;
					break;
				}
			if (!nul)
				return VERR(v, pc, BPF_VR_HELPER_ARG, "string not NUL-terminated",
				            "R%d", rn);
			break;
		}
		default:
			return VERR(v, pc, BPF_VR_HELPER_ARG, "unknown argument type", "%u", t);
		}
	}
	if (p->flags & BPF_PROTO_RELEASES_ALLOC) {
		if (!release || !bpfv_ref_remove(st, release))
			return VERR(v, pc, BPF_VR_REF_RELEASE, "release of a record not held",
			            "record id %u", release);
		bpfv_release_id(st, release);
	}
	/* Caller-saved registers are clobbered (§4.3.1 calling convention). */
	R = regs(v);
	for (int i = 1; i <= 5; i++)
		v_mark_not_init(&R[i]);
	struct vreg *r0 = &R[0];
	switch (p->ret) {
	case BPF_RET_VOID:
		v_mark_not_init(r0);
		break;
	case BPF_RET_PTR_TO_MAP_VALUE_OR_NULL:
		v_ptr_init(r0, V_PTR_MAP_VALUE_OR_NULL);
		r0->aux = map_idx;
		r0->size = map ? map->def.value_size : 0;
		r0->rdonly = map ? map->prog_readonly : 0;
		r0->id = ++v->next_id;
		break;
	case BPF_RET_PTR_TO_ALLOC_MEM_OR_NULL:
		if (st->nrefs >= MAX_REFS)
			return VERR(v, pc, BPF_VR_REF_LEAK, "too many records held", "limit %d",
			            MAX_REFS);
		v_ptr_init(r0, V_PTR_ALLOC_OR_NULL);
		r0->size = (uint32_t)alloc_size;
		r0->id = ++v->next_id;
		st->refs[st->nrefs++] = r0->id;
		break;
	default:
		v_mark_unknown(r0);
		break;
	}
	v->written_reg = 0;
	return 0;
}

static int call_local_at(struct verifier *v, uint32_t pc, uint32_t target, uint32_t *next)
{
	struct vstate *st = v->cur;
	uint32_t callee = bpfv_sp_of(v, target);
	if (st->curframe + 1 >= MAX_FRAMES)
		return VERR(v, pc, BPF_VR_CALL_DEPTH, "call depth over 8 frames", "frames %u",
		            st->curframe + 2);
	/* Recursion is allowed: every frame is analysed, so a recursion the
	 * analysis cannot bound runs into the 8-frame limit above. */
	v->flags[pc] |= F_EDGE;
	struct vframe *nf = bpfv_alloc(v, frame_bytes(0));
	if (!nf)
		return bpfv_err(v, pc, BPF_VR_NOMEM, "verifier memory limit reached");
	bpf__memset(nf, 0, frame_bytes(0));
	struct vframe *cf = st->fr[st->curframe];
	/* §4.3.2: arguments in R1-R5; the callee gets its own frame. */
	for (int i = 1; i <= 5; i++)
		nf->regs[i] = cf->regs[i];
	v_ptr_init(&nf->regs[10], V_PTR_STACK);
	nf->regs[10].frameno = (uint8_t)(st->curframe + 1);
	nf->callsite = pc;
	nf->subprog = callee;
	st->fr[++st->curframe] = nf;
	/* combined stack of this chain so far */
	uint32_t sum = 0;
	for (uint32_t f = 0; f <= st->curframe; f++)
		sum += v->sp_stack[st->fr[f]->subprog];
	if (sum > STACK_MAX)
		return VERR(v, pc, BPF_VR_STACK_SIZE, "combined stack over 512 bytes",
		            "%u bytes in the call chain", sum);
	*next = target;
	return 0;
}

int bpfv_call_local(struct verifier *v, uint32_t pc, const struct bpf_insn *in, uint32_t *next)
{
	return call_local_at(v, pc, (uint32_t)(pc + in->imm + 1), next);
}

/* callx (RFC 9669 §4.3, conformance group callx): the target is in dst.
 * It must be a constant: with src 0 the id of a helper, checked like a
 * static call to it; with src 1 the offset of a function (PC += dst),
 * which must be the target the structure pass found (set by the
 * instruction before the call), so the call graph is known. */
int bpfv_callx(struct verifier *v, uint32_t pc, const struct bpf_insn *in, uint32_t *next)
{
	int dn = BPF_INSN_DST(in);
	const struct vreg *d = &regs(v)[dn];
	if (d->type == V_NOT_INIT)
		return VERR(v, pc, BPF_VR_REG_UNINIT, "callx register not initialised", "R%d", dn);
	if (d->type != V_SCALAR || !v_is_const(d))
		return VERR(v, pc, BPF_VR_CALLX, "callx target is not a known constant",
		            "R%d is %s", dn,
		            d->type == V_SCALAR ? "an unknown scalar" : bpfv_type_names[d->type]);
	uint64_t c = d->var.v;
	if (BPF_INSN_SRC(in) == BPF_PSEUDO_CALL_LOCAL) {
		int64_t t = (int64_t)pc + 1 + (int64_t)c;
		uint32_t want = v->callx_to ? v->callx_to[pc] : 0;
		if (!want || t != (int64_t)want - 1)
			return VERR(v, pc, BPF_VR_CALLX, "callx target is not a known function",
			            "R%d = %lld (insn %lld); set the register with a constant "
			            "right before the call",
			            dn, (long long)c, (long long)t);
		return call_local_at(v, pc, (uint32_t)t, next);
	}
	if (c == 0 || c >= BPF_MAX_HELPER_ID || !bpf_env_helper(v->env, (uint32_t)c))
		return VERR(v, pc, BPF_VR_HELPER_DENIED, "unknown helper", "callx R%d = %llu", dn,
		            (unsigned long long)c);
	struct bpf_insn h = *in;
	h.code = BPF_JMP | BPF_CALL;
	h.regs = 0;
	h.imm = (int32_t)c;
	return bpfv_check_helper(v, pc, &h);
}

/* Returns 1 when the program's exit ends the path. */
int bpfv_exit(struct verifier *v, uint32_t pc, uint32_t *next)
{
	struct vstate *st = v->cur;
	struct vframe *f = st->fr[st->curframe];
	struct vreg *r0 = &f->regs[0];
	if (r0->type == V_NOT_INIT)
		return VERR(v, pc, BPF_VR_RET, "R0 not initialised at exit", "R0 !read_ok");
	if (st->curframe > 0) {
		if (r0->type == V_PTR_STACK && r0->frameno == st->curframe)
			return VERR(v, pc, BPF_VR_RET, "returning a pointer to the callee's stack",
			            "R0 fp%d", r0->off);
		struct vreg ret = *r0;
		uint32_t callsite = f->callsite;
		uint32_t gone = st->curframe;
		bpfv_free(v, f);
		st->fr[st->curframe--] = NULL;
		struct vframe *cf = st->fr[st->curframe];
		cf->regs[0] = ret;
		for (int i = 1; i <= 5; i++)
			v_mark_not_init(&cf->regs[i]);
		/* Pointers into the popped frame are dangling now. */
		FOR_EACH_REG(st, r, {
			if (r->type == V_PTR_STACK && r->frameno >= gone)
				v_mark_not_init(r);
		});
		bpfv_wipe_invalid_spills(st);
		*next = callsite + 1;
		return 0;
	}
	if (is_ptr(r0) && !leak_ok(v))
		return VERR(v, pc, BPF_VR_PTR_LEAK, "program returns a pointer", "R0 is %s",
		            bpfv_type_names[r0->type]);
	if (v->hook->flags & BPF_HOOK_CHECK_RET) {
		if (r0->type != V_SCALAR || r0->smin < v->hook->ret_min ||
		    r0->smax > v->hook->ret_max)
			return VERR(v, pc, BPF_VR_RET, "return value outside the hook's range",
			            "R0 in [%lld,%lld], allowed [%lld,%lld]", (long long)r0->smin,
			            (long long)r0->smax, (long long)v->hook->ret_min,
			            (long long)v->hook->ret_max);
	}
	if (st->nrefs)
		return VERR(v, pc, BPF_VR_REF_LEAK, "unreleased reference at exit",
		            "ring-buffer record id=%u reserved but neither submitted nor discarded",
		            st->refs[0]);
	return 1;
}
