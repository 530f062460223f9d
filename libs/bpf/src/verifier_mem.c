/*
 * The verifier's memory-access rules: stack bytes and spilled registers,
 * context fields, map values, ring-buffer records and platform
 * variables, for loads, stores, atomics and helper memory arguments.
 */
#include "verifier_internal.h"

static bool ctx_fields_ok(const struct verifier *v, int64_t lo, int64_t hi, uint32_t want)
{
	const struct bpf_hook *h = v->hook;
	if (lo < 0 || hi > (int64_t)h->ctx_size)
		return false;
	if (!h->fields || h->nfields == 0) {
		if (want & BPF_FIELD_WRITE)
			return (h->flags & BPF_HOOK_CTX_WRITABLE) != 0;
		return true;
	}
	/* [lo, hi) must be covered by fields granting the access. */
	int64_t pos = lo;
	while (pos < hi) {
		bool found = false;
		for (uint32_t i = 0; i < h->nfields; i++) {
			const struct bpf_ctx_field *f = &h->fields[i];
			if ((f->access & want) == want && pos >= f->off &&
			    pos < (int64_t)f->off + f->size) {
				pos = (int64_t)f->off + f->size;
				found = true;
				break;
			}
		}
		if (!found)
			return false;
	}
	return true;
}

void bpfv_set_sized_unknown(struct vreg *r, uint32_t size, bool sx)
{
	v_mark_unknown(r);
	if (size == 8)
		return;
	if (sx) {
		int64_t lim = 1LL << (size * 8 - 1);
		r->smin = -lim;
		r->smax = lim - 1;
	} else {
		r->umax = (1ULL << (size * 8)) - 1;
	}
	v_sync(r);
}

/* Bytes [lo, hi) of frame f: read them.  out receives the loaded value
 * (8-byte spill fill keeps the register). */
static int stack_read(struct verifier *v, uint32_t pc, struct vframe *f, int64_t lo, int64_t hi,
                      bool fixed, uint32_t size, bool sx, struct vreg *out)
{
	int j;
	if (fixed && size == 8 && ((-lo) % 8) == 0) {
		struct vslot *sl = slot_at(f, lo, &j);
		if (sl->st[0] == SB_SPILL) {
			if (out)
				*out = sl->spill;
			return 0;
		}
	}
	bool all_zero = true;
	for (int64_t b = lo; b < hi; b++) {
		struct vslot *sl = slot_at(f, b, &j);
		uint8_t t = sl->st[j];
		if (t == SB_INVALID)
			return VERR(v, pc, BPF_VR_STACK_UNINIT, "read of uninitialised stack",
			            "fp%lld is not initialised (read of [%lld,%lld))", (long long)b,
			            (long long)lo, (long long)hi);
		if (t == SB_PTR_LEFT)
			return VERR(v, pc, BPF_VR_PTR_LEAK,
			            "read of what is left of an overwritten pointer spill",
			            "fp%lld still holds bits of a pointer whose slot was partly "
			            "overwritten",
			            (long long)b);
		if (t == SB_SPILL) {
			if (is_ptr(&sl->spill) && !leak_ok(v))
				return VERR(v, pc, BPF_VR_PTR_LEAK,
				            "partial read of a spilled pointer",
				            "fp%lld holds part of a spilled %s", (long long)b,
				            bpfv_type_names[sl->spill.type]);
			if (!(sl->spill.type == V_SCALAR && v_is_const(&sl->spill) &&
			      ((sl->spill.var.v >> (8 * j)) & 0xff) == 0))
				all_zero = false;
		} else if (t != SB_ZERO) {
			all_zero = false;
		}
	}
	if (!out)
		return 0;
	if (all_zero) {
		v_mark_const(out, 0);
		return 0;
	}
	/* A narrower fixed read from one spilled constant: compute it. */
	if (fixed) {
		struct vslot *sl = slot_at(f, lo, &j);
		struct vslot *sl2 = slot_at(f, hi - 1, &j);
		slot_at(f, lo, &j);
		if (sl == sl2 && sl->st[0] == SB_SPILL && sl->spill.type == V_SCALAR &&
		    v_is_const(&sl->spill)) {
			uint64_t x = sl->spill.var.v >> (8 * j);
			if (size < 8)
				x &= (1ULL << (8 * size)) - 1;
			if (sx)
				x = size == 4   ? (uint64_t)(int64_t)(int32_t)x
				    : size == 2 ? (uint64_t)(int64_t)(int16_t)x
				                : (uint64_t)(int64_t)(int8_t)x;
			v_mark_const(out, x);
			return 0;
		}
	}
	bpfv_set_sized_unknown(out, size, sx);
	return 0;
}

/* Write bytes [lo, hi).  val: the stored register (NULL for a store of
 * unknown bytes); fixed: offset known. */
static int stack_write(struct verifier *v, uint32_t pc, struct vframe *f, int64_t lo, int64_t hi,
                       bool fixed, uint32_t size, const struct vreg *val)
{
	int j;
	if (val && is_ptr(val) && !(fixed && size == 8 && (-lo) % 8 == 0))
		return VERR(v, pc, BPF_VR_SPILL, "pointer spill must be 8 bytes at an 8-byte slot",
		            "store of %s to fp%lld size %u", bpfv_type_names[val->type],
		            (long long)lo, size);
	if (fixed && size == 8 && (-lo) % 8 == 0 && val) {
		struct vslot *sl = slot_at(f, lo, &j);
		bpf__memset(sl->st, SB_SPILL, 8);
		sl->spill = *val;
		return 0;
	}
	/* Any slot touched loses its spilled register.  The bytes not
	 * overwritten keep their old contents: an unknown scalar, or, for a
	 * pointer in a hook that forbids leaks, address bits no one may
	 * read (reading them back as a number would reveal 32 to 56 bits of
	 * the address). */
	for (int64_t b = lo; b < hi; b += 1) {
		struct vslot *sl = slot_at(f, b, &j);
		if (sl->st[0] == SB_SPILL) {
			bool hide = is_ptr(&sl->spill) && !leak_ok(v);
			bpf__memset(sl->st, hide ? SB_PTR_LEFT : SB_MISC, 8);
			v_mark_not_init(&sl->spill);
		}
	}
	bool zero = fixed && val && val->type == V_SCALAR && v_is_const(val) &&
	            (size == 8 ? val->var.v == 0 : (val->var.v & ((1ULL << (8 * size)) - 1)) == 0);
	for (int64_t b = lo; b < hi; b++) {
		struct vslot *sl = slot_at(f, b, &j);
		if (fixed)
			sl->st[j] = zero ? SB_ZERO : SB_MISC;
		else if (sl->st[j] == SB_ZERO)
			sl->st[j] = SB_MISC; /* may have been overwritten */
		/* (a variable-offset write leaves SB_PTR_LEFT bytes as they
		 * are: any of them may not have been written) */
	}
	return 0;
}

/* Check a load/store/atomic of size bytes at ptr + off.  For reads, out
 * gets the loaded value; for writes val is the stored value (NULL:
 * unknown scalar). */
int bpfv_check_mem(struct verifier *v, uint32_t pc, int regno, int32_t off, uint32_t size, int acc,
                   bool sx, const struct vreg *val, struct vreg *out)
{
	/* A copy: growing the stack below may move the current frame. */
	struct vreg pcopy = regs(v)[regno], *p = &pcopy;
	if (p->type == V_PTR_MAP_VALUE_OR_NULL || p->type == V_PTR_ALLOC_OR_NULL)
		return VERR(v, pc, BPF_VR_MEM_NULL, "access through a pointer that may be NULL",
		            "R%d is %s: compare it with 0 first", regno, bpfv_type_names[p->type]);
	if (p->type == V_SCALAR || p->type == V_CONST_MAP)
		return VERR(v, pc, BPF_VR_MEM_TYPE, "access through a non-memory register",
		            "R%d is %s", regno, bpfv_type_names[p->type]);
	int64_t lo = (int64_t)p->off + off + p->smin;
	int64_t hi = (int64_t)p->off + off + p->smax + size;
	bool fixed = v_is_const(p);
	bool write = acc != ACC_READ;
	if (acc == ACC_ATOMIC) {
		/* §5.3 atomics need natural alignment (the checked interpreter
		 * faults otherwise): base aligned, offset provably aligned. */
		uint64_t am = size - 1;
		bool base_ok = p->type == V_PTR_STACK || p->type == V_PTR_MAP_VALUE ||
		               p->type == V_PTR_ALLOC;
		if (p->type == V_PTR_MEM) {
			const struct bpf_var *var = &v->env->vars[p->aux];
			base_ok = ((uintptr_t)var->addr & am) == 0;
		}
		if (!base_ok || (((uint64_t)(int64_t)(p->off + off)) & am) ||
		    ((p->var.v | p->var.m) & am))
			return VERR(v, pc, BPF_VR_ALIGN, "atomic access not provably aligned",
			            "R%d %s%+d size %u", regno, bpfv_type_names[p->type],
			            p->off + off, size);
	}
	if (val && is_ptr(val) && p->type != V_PTR_STACK && !leak_ok(v))
		return VERR(v, pc, BPF_VR_PTR_LEAK, "pointer stored outside the stack",
		            "R%d holds %s; storing it into %s leaks it", 0,
		            bpfv_type_names[val->type], bpfv_type_names[p->type]);
	switch (p->type) {
	case V_PTR_STACK: {
		if (lo < -STACK_MAX || hi > 0)
			return VERR(v, pc, BPF_VR_MEM_BOUNDS, "stack access out of bounds",
			            "access [%lld,%lld) outside the frame [-512,0)", (long long)lo,
			            (long long)hi);
		struct vstate *st = v->cur;
		if (bpfv_grow_stack(v, st, p->frameno, lo))
			return -1;
		struct vframe *f = st->fr[p->frameno];
		uint32_t sp = f->subprog;
		uint32_t depth = (uint32_t)((-lo + 7) & ~7);
		if (depth > v->sp_stack[sp])
			v->sp_stack[sp] = depth;
		if (acc == ACC_ATOMIC) {
			for (int64_t b = lo; b < hi; b++) {
				int j;
				struct vslot *sl = slot_at(f, b, &j);
				if (sl->st[j] == SB_SPILL && is_ptr(&sl->spill))
					return VERR(v, pc, BPF_VR_MEM_TYPE,
					            "atomic on a spilled pointer",
					            "fp%lld holds a spilled %s", (long long)b,
					            bpfv_type_names[sl->spill.type]);
			}
			if (stack_read(v, pc, f, lo, hi, fixed, size, false, NULL))
				return -1;
			return stack_write(v, pc, f, lo, hi, false, size, NULL);
		}
		if (write)
			return stack_write(v, pc, f, lo, hi, fixed, size, val);
		return stack_read(v, pc, f, lo, hi, fixed, size, sx, out);
	}
	case V_PTR_CTX:
		if (acc == ACC_ATOMIC)
			return VERR(v, pc, BPF_VR_ALIGN, "atomic access to the context",
			            "the context's alignment is not known");
		if (!ctx_fields_ok(v, lo, hi, write ? BPF_FIELD_WRITE : BPF_FIELD_READ))
			return VERR(v, pc, BPF_VR_CTX_ACCESS,
			            write ? "context field not writable"
			                  : "context field not readable",
			            "ctx [%lld,%lld) of %u bytes", (long long)lo, (long long)hi,
			            v->hook->ctx_size);
		break;
	case V_PTR_MAP_VALUE:
	case V_PTR_ALLOC:
	case V_PTR_MEM:
		if (lo < 0 || hi > (int64_t)p->size)
			return VERR(v, pc, BPF_VR_MEM_BOUNDS, "access outside the memory region",
			            "%s access [%lld,%lld) of %u bytes", bpfv_type_names[p->type],
			            (long long)lo, (long long)hi, p->size);
		if (write && p->rdonly)
			return VERR(v, pc, BPF_VR_MEM_RDONLY, "store into read-only memory",
			            "%s is read-only to programs", bpfv_type_names[p->type]);
		break;
	default:
		return VERR(v, pc, BPF_VR_MEM_TYPE, "access through a non-memory register", "R%d",
		            regno);
	}
	if (out)
		bpfv_set_sized_unknown(out, size, sx);
	return 0;
}

/* Is [ptr, ptr + [0, size_max]) readable (or writable) memory, as a helper
 * argument?  init: stack bytes must be initialised. */
int bpfv_check_helper_mem(struct verifier *v, uint32_t pc, int regno, uint64_t size_max, bool write,
                          bool mark_init)
{
	struct vreg pcopy = regs(v)[regno], *p = &pcopy;
	if (size_max == 0)
		return 0;
	if (size_max > STACK_MAX * 2048ULL)
		return VERR(v, pc, BPF_VR_HELPER_ARG, "memory argument too large", "R%d size %llu",
		            regno, (unsigned long long)size_max);
	if (p->type == V_PTR_STACK) {
		int64_t lo = (int64_t)p->off + p->smin;
		int64_t hi = (int64_t)p->off + p->smax + (int64_t)size_max;
		if (lo < -STACK_MAX || hi > 0)
			return VERR(
			        v, pc, BPF_VR_HELPER_ARG, "helper memory argument out of bounds",
			        "R%d stack range [%lld,%lld)", regno, (long long)lo, (long long)hi);
		if (bpfv_grow_stack(v, v->cur, p->frameno, lo))
			return -1;
		struct vframe *f = v->cur->fr[p->frameno];
		uint32_t depth = (uint32_t)((-lo + 7) & ~7);
		if (depth > v->sp_stack[f->subprog])
			v->sp_stack[f->subprog] = depth;
		if (write) {
			/* The helper writes these bytes: spills there are gone. */
			if (stack_write(v, pc, f, lo, hi, false, 1, NULL))
				return -1;
			if (mark_init && v_is_const(p)) {
				int j;
				for (int64_t b = lo; b < hi; b++)
					slot_at(f, b, &j)->st[j] = SB_MISC;
			}
			return 0;
		}
		return stack_read(v, pc, f, lo, hi, false, 1, false, NULL);
	}
	if (p->type == V_PTR_MAP_VALUE_OR_NULL || p->type == V_PTR_ALLOC_OR_NULL)
		return VERR(v, pc, BPF_VR_HELPER_ARG, "memory argument may be NULL", "R%d is %s",
		            regno, bpfv_type_names[p->type]);
	if (p->type == V_PTR_CTX || p->type == V_PTR_MAP_VALUE || p->type == V_PTR_ALLOC ||
	    p->type == V_PTR_MEM) {
		/* Reuse the load/store rules with the widest access. */
		struct vreg save = *p;
		int64_t lo = (int64_t)p->off + p->smin;
		int64_t hi = (int64_t)p->off + p->smax + (int64_t)size_max;
		int64_t limit = p->type == V_PTR_CTX ? v->hook->ctx_size : p->size;
		if (lo < 0 || hi > limit)
			return VERR(v, pc, BPF_VR_HELPER_ARG,
			            "helper memory argument out of bounds",
			            "R%d %s range [%lld,%lld) of %lld bytes", regno,
			            bpfv_type_names[p->type], (long long)lo, (long long)hi,
			            (long long)limit);
		if (p->type == V_PTR_CTX &&
		    !ctx_fields_ok(v, lo, hi, write ? BPF_FIELD_WRITE : BPF_FIELD_READ))
			return VERR(v, pc, BPF_VR_HELPER_ARG,
			            "helper memory argument: context fields",
			            "ctx [%lld,%lld) not %s", (long long)lo, (long long)hi,
			            write ? "writable" : "readable");
		if (write && p->rdonly)
			return VERR(v, pc, BPF_VR_HELPER_ARG, "helper would write read-only memory",
			            "R%d", regno);
		*p = save;
		return 0;
	}
	return VERR(v, pc, BPF_VR_HELPER_ARG, "helper argument is not a memory pointer",
	            "R%d is %s", regno, bpfv_type_names[p->type]);
}
