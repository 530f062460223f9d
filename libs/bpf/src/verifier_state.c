/*
 * The verifier's states: memory accounted against the limit, full states
 * and their copies, packed states (stored for pruning, pending branches),
 * updates every copy of a register follows (NULL checks, releases, linked
 * scalars), and pruning (does a stored state cover the current one?).
 */
#include "verifier_internal.h"

/* ------------------------------------------------------------------ */
/* memory */

struct ahdr {
	uint64_t size;
};

void *bpfv_alloc(struct verifier *v, size_t size)
{
	size_t total = (size + sizeof(struct ahdr) + 7) & ~(size_t)7;
	if (v->mem + total > v->limit)
		return NULL;
	struct ahdr *h = v->a->alloc(v->a->actx, total);
	if (!h)
		return NULL;
	h->size = total;
	v->mem += total;
	if (v->mem > v->peak)
		v->peak = v->mem;
	return h + 1;
}

void *bpfv_zalloc(struct verifier *v, size_t size)
{
	void *p = bpfv_alloc(v, size);
	if (p)
		bpf__memset(p, 0, size);
	return p;
}

void bpfv_free(struct verifier *v, void *p)
{
	if (!p)
		return;
	struct ahdr *h = (struct ahdr *)p - 1;
	v->mem -= h->size;
	if (v->a->free)
		v->a->free(v->a->actx, h, h->size);
}

static struct vframe *frame_dup(struct verifier *v, const struct vframe *f, uint32_t nslots)
{
	struct vframe *n = bpfv_alloc(v, frame_bytes(nslots));
	if (!n)
		return NULL;
	uint32_t keep = f->nslots < nslots ? f->nslots : nslots;
	wcopy(n, f, frame_bytes(keep));
	for (uint32_t i = keep; i < nslots; i++)
		bpf__memset(&n->slots[i], 0, sizeof(struct vslot));
	n->nslots = nslots;
	return n;
}

void bpfv_state_free(struct verifier *v, struct vstate *s)
{
	if (!s)
		return;
	for (uint32_t i = 0; i < MAX_FRAMES; i++)
		bpfv_free(v, s->fr[i]);
	bpfv_free(v, s);
}

struct vstate *bpfv_state_dup(struct verifier *v, const struct vstate *s)
{
	struct vstate *n = bpfv_alloc(v, sizeof(*n));
	if (!n)
		return NULL;
	wcopy(n, s, sizeof(*n));
	for (uint32_t i = 0; i < MAX_FRAMES; i++)
		n->fr[i] = NULL;
	for (uint32_t i = 0; i <= s->curframe; i++) {
		n->fr[i] = frame_dup(v, s->fr[i], s->fr[i]->nslots);
		if (!n->fr[i]) {
			bpfv_state_free(v, n);
			return NULL;
		}
	}
	return n;
}

static size_t refs_bytes(uint32_t nrefs)
{
	return ((size_t)nrefs * sizeof(uint32_t) + 7) & ~(size_t)7;
}

static size_t pack_size(const struct vstate *s)
{
	size_t n = sizeof(struct pstate) + refs_bytes(s->nrefs);
	for (uint32_t f = 0; f <= s->curframe; f++) {
		const struct vframe *fr = s->fr[f];
		n += sizeof(struct pframe) + (size_t)fr->nslots * 8;
		for (int r = 0; r < BPF_NREGS; r++)
			n += fr->regs[r].type != V_NOT_INIT ? sizeof(struct vreg) : 0;
		for (uint32_t k = 0; k < fr->nslots; k++)
			n += fr->slots[k].st[0] == SB_SPILL ? sizeof(struct vreg) : 0;
	}
	return n;
}

/* A packed copy of s (NULL when out of memory).  Registers that are
 * NOT_INIT are left out: unpacking gives them back as all-zero, which is
 * what v_mark_not_init writes.  A slot's spill is meaningful only while
 * its bytes are SB_SPILL (stack_write sets and clears all 8 at once);
 * other slots unpack with a zero spill, as frame_dup creates them. */
static struct pstate *state_pack(struct verifier *v, const struct vstate *s)
{
	size_t size = pack_size(s);
	struct pstate *p = bpfv_alloc(v, size);
	if (!p)
		return NULL;
	p->parent = s->parent;
	p->next = NULL;
	p->branches = 0;
	p->insn = s->insn;
	p->hits = 0;
	p->path_len = s->path_len;
	p->since_insns = s->since_insns;
	p->since_jmps = s->since_jmps;
	p->curframe = s->curframe;
	p->nrefs = s->nrefs;
	uint8_t *d = (uint8_t *)p->data;
	uint32_t *refs = (uint32_t *)d;
	for (uint32_t i = 0; i < s->nrefs; i++)
		refs[i] = s->refs[i];
	if (s->nrefs & 1)
		refs[s->nrefs] = 0;
	d += refs_bytes(s->nrefs);
	for (uint32_t f = 0; f <= s->curframe; f++) {
		const struct vframe *fr = s->fr[f];
		struct pframe *pf = (struct pframe *)d;
		pf->callsite = fr->callsite;
		pf->subprog = fr->subprog;
		pf->nslots = fr->nslots;
		pf->regmask = 0;
		pf->pad = 0;
		struct vreg *pr = (struct vreg *)(pf + 1);
		for (int r = 0; r < BPF_NREGS; r++) {
			if (fr->regs[r].type == V_NOT_INIT)
				continue;
			pf->regmask |= (uint16_t)(1U << r);
			*pr++ = fr->regs[r];
		}
		uint8_t *st = (uint8_t *)pr;
		for (uint32_t k = 0; k < fr->nslots; k++)
			wcopy(st + 8 * k, fr->slots[k].st, 8);
		pr = (struct vreg *)(st + 8 * (size_t)fr->nslots);
		for (uint32_t k = 0; k < fr->nslots; k++)
			if (fr->slots[k].st[0] == SB_SPILL)
				*pr++ = fr->slots[k].spill;
		d = (uint8_t *)pr;
	}
	return p;
}

/* The full state a packed one describes (NULL when out of memory). */
struct vstate *bpfv_state_unpack(struct verifier *v, const struct pstate *p)
{
	struct vstate *s = bpfv_zalloc(v, sizeof(*s));
	if (!s)
		return NULL;
	s->parent = p->parent;
	s->insn = p->insn;
	s->path_len = p->path_len;
	s->since_insns = p->since_insns;
	s->since_jmps = p->since_jmps;
	s->curframe = p->curframe;
	s->nrefs = p->nrefs;
	const uint8_t *d = (const uint8_t *)p->data;
	const uint32_t *refs = (const uint32_t *)d;
	for (uint32_t i = 0; i < p->nrefs; i++)
		s->refs[i] = refs[i];
	d += refs_bytes(p->nrefs);
	for (uint32_t f = 0; f <= p->curframe; f++) {
		const struct pframe *pf = (const struct pframe *)d;
		struct vframe *fr = bpfv_zalloc(v, frame_bytes(pf->nslots));
		if (!fr) {
			bpfv_state_free(v, s);
			return NULL;
		}
		s->fr[f] = fr;
		fr->callsite = pf->callsite;
		fr->subprog = pf->subprog;
		fr->nslots = pf->nslots;
		const struct vreg *pr = (const struct vreg *)(pf + 1);
		for (int r = 0; r < BPF_NREGS; r++)
			if (pf->regmask & (1U << r))
				fr->regs[r] = *pr++;
		const uint8_t *st = (const uint8_t *)pr;
		for (uint32_t k = 0; k < pf->nslots; k++)
			wcopy(fr->slots[k].st, st + 8 * k, 8);
		pr = (const struct vreg *)(st + 8 * (size_t)pf->nslots);
		for (uint32_t k = 0; k < pf->nslots; k++)
			if (fr->slots[k].st[0] == SB_SPILL)
				fr->slots[k].spill = *pr++;
		d = (const uint8_t *)pr;
	}
	return s;
}

/* A spilled register whose slot is wiped: the bytes become invalid. */
void bpfv_wipe_invalid_spills(struct vstate *st)
{
	for (uint32_t f = 0; f <= st->curframe; f++) {
		struct vframe *fr = st->fr[f];
		for (uint32_t s = 0; s < fr->nslots; s++)
			if (fr->slots[s].st[0] == SB_SPILL && fr->slots[s].spill.type == V_NOT_INIT)
				bpf__memset(fr->slots[s].st, SB_INVALID, 8);
	}
}

void bpfv_release_id(struct vstate *st, uint32_t id)
{
	/* Every copy of a released record becomes unusable. */
	FOR_EACH_REG(st, r, {
		if (r->id == id && (r->type == V_PTR_ALLOC || r->type == V_PTR_ALLOC_OR_NULL))
			v_mark_not_init(r);
	});
	bpfv_wipe_invalid_spills(st);
}

bool bpfv_ref_remove(struct vstate *st, uint32_t id)
{
	for (uint32_t i = 0; i < st->nrefs; i++) {
		if (st->refs[i] == id) {
			st->refs[i] = st->refs[--st->nrefs];
			return true;
		}
	}
	return false;
}

/* A NULL check on a pointer with this id decided: every copy follows. */
void bpfv_mark_null_result(struct vstate *st, uint32_t id, bool is_null)
{
	bool was_ref = false;
	FOR_EACH_REG(st, r, {
		if (r->id != id)
			continue;
		if (r->type == V_PTR_MAP_VALUE_OR_NULL) {
			if (is_null)
				v_mark_const(r, 0);
			else
				r->type = V_PTR_MAP_VALUE;
		} else if (r->type == V_PTR_ALLOC_OR_NULL) {
			was_ref = true;
			if (is_null)
				v_mark_const(r, 0);
			else
				r->type = V_PTR_ALLOC;
		}
	});
	if (is_null && was_ref)
		bpfv_ref_remove(st, id); /* nothing was reserved */
}

/* A scalar refined by a branch: copies made by MOV share its id. */
void bpfv_set_linked(struct vstate *st, struct vreg *reg, const struct vreg *val)
{
	uint32_t id = reg->id;
	if (id == 0 || reg->type != V_SCALAR) {
		*reg = *val;
		return;
	}
	FOR_EACH_REG(st, r, {
		if (r->type == V_SCALAR && r->id == id) {
			*r = *val;
			r->id = id;
		}
	});
}

int bpfv_grow_stack(struct verifier *v, struct vstate *st, uint32_t frame, int64_t lo)
{
	struct vframe *f = st->fr[frame];
	uint32_t need = (uint32_t)((-lo + 7) / 8);
	if (need <= f->nslots)
		return 0;
	struct vframe *n = frame_dup(v, f, need);
	if (!n)
		return bpfv_err(v, 0, BPF_VR_NOMEM, "out of memory growing a stack frame");
	bpfv_free(v, f);
	st->fr[frame] = n;
	return 0;
}

/* Queue st (a full state, consumed) to be explored from resume.  It is
 * kept packed: registers dead at resume are forgotten first, as the
 * pruning point there would do when it is popped (jump targets are
 * pruning points), so the packed state holds only live registers. */
int bpfv_push_pending(struct verifier *v, uint32_t resume, struct vstate *st)
{
	if (v->npending >= MAX_PENDING) {
		bpfv_state_free(v, st);
		return VERR(v, resume, BPF_VR_COMPLEXITY, "too many pending branches", "limit %u",
		            MAX_PENDING);
	}
	if (v->npending == v->pending_cap) {
		uint32_t ncap = v->pending_cap * 2;
		struct pstate **np = bpfv_alloc(v, (size_t)ncap * sizeof(*np));
		if (!np) {
			bpfv_state_free(v, st);
			return bpfv_err(v, resume, BPF_VR_NOMEM, "verifier memory limit reached");
		}
		for (uint32_t i = 0; i < v->npending; i++)
			np[i] = v->pending[i];
		bpfv_free(v, v->pending);
		v->pending = np;
		v->pending_cap = ncap;
	}
	if (v->flags[resume] & F_PRUNE)
		bpfv_forget_dead(v, st, resume);
	st->insn = resume;
	st->path_len = v->path_len;
	struct pstate *s = state_pack(v, st);
	bpfv_state_free(v, st);
	if (!s)
		return bpfv_err(v, resume, BPF_VR_NOMEM, "verifier memory limit reached");
	if (s->parent)
		s->parent->branches++;
	v->pending[v->npending++] = s;
	if (v->npending > v->max_pending)
		v->max_pending = v->npending;
	return 0;
}

/* ------------------------------------------------------------------ */
/* pruning */

struct idmap {
	uint32_t n;
	uint32_t o[64], c[64];
};

static bool id_ok(struct idmap *m, uint32_t o, uint32_t c)
{
	if (o == 0)
		return true;
	if (c == 0)
		return false;
	for (uint32_t i = 0; i < m->n; i++)
		if (m->o[i] == o)
			return m->c[i] == c;
	if (m->n >= 64)
		return false;
	m->o[m->n] = o;
	m->c[m->n++] = c;
	return true;
}

static bool reg_covered(const struct vreg *o, const struct vreg *c, struct idmap *m)
{
	if (o->type == V_NOT_INIT)
		return true; /* the old path never read it before writing it */
	if (o->type != c->type)
		return false;
	if (o->type == V_SCALAR)
		return v_scalar_subset(o, c) && id_ok(m, o->id, c->id);
	if (o->off != c->off || o->aux != c->aux || o->size != c->size || o->rdonly != c->rdonly ||
	    o->frameno != c->frameno)
		return false;
	if (!v_scalar_subset(o, c))
		return false;
	if (o->type == V_PTR_MAP_VALUE_OR_NULL || o->type == V_PTR_ALLOC_OR_NULL ||
	    o->type == V_PTR_ALLOC)
		return id_ok(m, o->id, c->id);
	return true;
}

/* Stack slot s of old (its 8 byte descriptions os, spill ospill when
 * os[0] is SB_SPILL) against slot s of cur. */
static bool slot_covered(const uint8_t *os, const struct vreg *ospill, const struct vframe *cf,
                         uint32_t s, struct idmap *m)
{
	const struct vslot *cs = s < cf->nslots ? &cf->slots[s] : NULL;
	if (os[0] == SB_SPILL)
		return cs && cs->st[0] == SB_SPILL && reg_covered(ospill, &cs->spill, m);
	for (int j = 0; j < 8; j++) {
		uint8_t ob = os[j], cb = cs ? cs->st[j] : SB_INVALID;
		if (ob == SB_INVALID || ob == SB_PTR_LEFT)
			continue; /* never read from there on the old path */
		if (ob == SB_MISC) {
			if (cb == SB_MISC || cb == SB_ZERO)
				continue;
			if (cb == SB_SPILL && cs->spill.type == V_SCALAR)
				continue;
			return false;
		}
		if (ob == SB_ZERO && cb != SB_ZERO)
			return false;
	}
	return true;
}

static bool refs_covered(const uint32_t *orefs, uint32_t n, const struct vstate *cur,
                         const struct idmap *m)
{
	for (uint32_t i = 0; i < n; i++) {
		bool found = false;
		for (uint32_t k = 0; k < m->n; k++)
			if (m->o[k] == orefs[i]) {
				for (uint32_t j = 0; j < cur->nrefs; j++)
					found |= cur->refs[j] == m->c[k];
			}
		if (!found)
			return false;
	}
	return true;
}

/* Does old (a verified state) cover cur: every concrete state cur
 * describes is described by old? */
static bool covered(const struct vstate *old, const struct vstate *cur)
{
	struct idmap m;
	m.n = 0;
	if (old->curframe != cur->curframe || old->nrefs != cur->nrefs)
		return false;
	for (uint32_t f = 0; f <= old->curframe; f++) {
		const struct vframe *of = old->fr[f], *cf = cur->fr[f];
		if (of->callsite != cf->callsite || of->subprog != cf->subprog)
			return false;
		for (int r = 0; r < BPF_NREGS; r++)
			if (!reg_covered(&of->regs[r], &cf->regs[r], &m))
				return false;
		for (uint32_t s = 0; s < of->nslots; s++)
			if (!slot_covered(of->slots[s].st, &of->slots[s].spill, cf, s, &m))
				return false;
	}
	return refs_covered(old->refs, old->nrefs, cur, &m);
}

/* covered() with old packed: the same comparisons in the same order (a
 * register missing from the packed frame is NOT_INIT, which covers
 * anything and maps no id). */
static bool covered_p(const struct pstate *old, const struct vstate *cur)
{
	struct idmap m;
	m.n = 0;
	if (old->curframe != cur->curframe || old->nrefs != cur->nrefs)
		return false;
	const uint8_t *d = (const uint8_t *)old->data;
	const uint32_t *orefs = (const uint32_t *)d;
	d += refs_bytes(old->nrefs);
	for (uint32_t f = 0; f <= old->curframe; f++) {
		const struct pframe *pf = (const struct pframe *)d;
		const struct vframe *cf = cur->fr[f];
		if (pf->callsite != cf->callsite || pf->subprog != cf->subprog)
			return false;
		const struct vreg *pr = (const struct vreg *)(pf + 1);
		for (int r = 0; r < BPF_NREGS; r++)
			if ((pf->regmask & (1U << r)) && !reg_covered(pr++, &cf->regs[r], &m))
				return false;
		const uint8_t *st = (const uint8_t *)pr;
		pr = (const struct vreg *)(st + 8 * (size_t)pf->nslots);
		for (uint32_t s = 0; s < pf->nslots; s++) {
			const uint8_t *os = st + 8 * s;
			const struct vreg *sp = os[0] == SB_SPILL ? pr++ : NULL;
			if (!slot_covered(os, sp, cf, s, &m))
				return false;
		}
		d = (const uint8_t *)pr;
	}
	return refs_covered(orefs, old->nrefs, cur, &m);
}

/* Path ended (exit, pruned or impossible): completed stored states become
 * usable for pruning. */
void bpfv_path_done(struct verifier *v)
{
	struct pstate *s = v->cur->parent;
	while (s) {
		if (--s->branches > 0)
			break;
		s = s->parent;
	}
}

/* Does cur cover the stored state s as well (the same state again)? */
static int covers_back(struct verifier *v, const struct pstate *s)
{
	struct vstate *u = bpfv_state_unpack(v, s);
	if (!u)
		return bpfv_err(v, s->insn, BPF_VR_NOMEM, "verifier memory limit reached");
	bool r = covered(v->cur, u);
	bpfv_state_free(v, u);
	return r;
}

/* 0: continue, 1: pruned, -1: error */
int bpfv_visit_prune_point(struct verifier *v, uint32_t pc)
{
	struct vstate *cur = v->cur;
	struct pstate **pp = &v->explored[pc];
	bpfv_forget_dead(v, cur, pc);
	uint32_t n = 0;
	for (struct pstate *s = *pp; s; s = s->next, n++) {
		if (s->branches == 0) {
			if (covered_p(s, cur)) {
				s->hits++;
				v->pruned++;
				return 1;
			}
		} else if (covered_p(s, cur)) {
			int back = covers_back(v, s);
			if (back < 0)
				return -1;
			if (back)
				return VERR(v, pc, BPF_VR_LOOP, "infinite loop",
				            "the state at insn %u repeats without progress", pc);
		}
	}
	bool want = n == 0 || cur->since_insns >= 8 || cur->since_jmps >= 2;
	if (!want)
		return 0;
	if (n >= MAX_LIST) {
		/* Make room: drop a complete state that never pruned anything. */
		struct pstate **victim = NULL;
		for (struct pstate **q = pp; *q; q = &(*q)->next)
			if ((*q)->branches == 0 && (*q)->hits == 0)
				victim = q;
		if (!victim)
			return 0;
		struct pstate *dead = *victim;
		*victim = dead->next;
		bpfv_free(v, dead);
		n--;
	}
	/* Stored states are an optimisation: skip them near the limit. */
	if (v->mem + 16384 > v->limit - v->limit / 4)
		return 0;
	cur->insn = pc;
	struct pstate *s = state_pack(v, cur);
	if (!s)
		return 0;
	s->branches = 1;
	s->hits = 0;
	s->parent = cur->parent;
	s->next = *pp;
	*pp = s;
	cur->parent = s;
	cur->since_insns = 0;
	cur->since_jmps = 0;
	v->stored++;
	(void)n;
	return 0;
}
