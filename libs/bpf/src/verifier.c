/*
 * The eBPF verifier (issue 6).  Section numbers refer to RFC 9669; the
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
 * Everything is allocated through the caller's allocator, accounted
 * against opts->mem_limit, and freed before bpf_verify returns.
 */
#include "bpf/verifier.h"
#include "vdomain.h"

#include <stdarg.h>

#define MAX_FRAMES BPF_MAX_CALL_DEPTH
#define MAX_REFS 16
#define MAX_PENDING 65536 /* also bounded by mem_limit */
#define MAX_LIST 24          /* stored states per instruction */
#define STACK_MAX BPF_STACK_FRAME_SIZE
#define MAX_VAR_OFF (1 << 29) /* bound on pointer offsets, keeps sums in range */

enum { SB_INVALID = 0, SB_MISC, SB_ZERO, SB_SPILL };

struct vslot {
	uint8_t st[8]; /* per byte; byte j is at fp - 8*(i+1) + j */
	struct vreg spill;
};

struct vframe {
	struct vreg regs[BPF_NREGS];
	uint32_t callsite; /* call instruction in the caller */
	uint32_t subprog;
	uint32_t nslots;   /* slots allocated (8 bytes each, from fp down) */
	uint32_t pad;
	struct vslot slots[];
};

struct pstate;

/* The state being explored (v->cur): fixed-size frames, mutable. */
struct vstate {
	struct pstate *parent; /* nearest stored ancestor */
	uint32_t insn;         /* pending: where to resume */
	uint32_t path_len;
	uint32_t since_insns, since_jmps;
	uint32_t curframe, nrefs;
	uint32_t refs[MAX_REFS];
	struct vframe *fr[MAX_FRAMES];
};

/* Stored (pruning) and pending states are kept packed, in one allocation:
 * only the registers that are initialised (dead ones were forgotten at
 * the pruning point, see forget_dead), the stack bytes' descriptions,
 * and the spilled registers of the slots that hold one.  A full vstate
 * with 8 frame pointers, 16 reference slots and 11 registers of 88 bytes
 * per frame is about 1.5 KiB; measured on the generated 100,000-insn
 * program, its packed states average 568 bytes (3 or 4 live registers,
 * 3 stack slots of which 2 hold spilled constants) against 1,447 bytes
 * unpacked.  That program keeps ~18,000 branches pending (one per
 * diamond, depth first) while ~37,000 states are stored for pruning;
 * unpacked those exceeded the memory share for pruning states, storing
 * stopped and exploration blew up.
 *
 * Layout of data[]: refs (nrefs u32, padded to 8 bytes), then for each
 * frame 0..curframe: struct pframe, one vreg per bit of regmask (in
 * register order), nslots*8 stack-byte descriptions, then one vreg per
 * slot whose bytes are SB_SPILL (in slot order). */
struct pframe {
	uint32_t callsite, subprog, nslots;
	uint16_t regmask, pad;
};

struct pstate {
	struct pstate *parent; /* nearest stored ancestor */
	struct pstate *next;   /* list of stored states at one instruction */
	uint32_t branches;     /* stored: live paths below; 0 = complete */
	uint32_t insn;         /* stored: where; pending: where to resume */
	uint32_t hits, path_len;
	uint32_t since_insns, since_jmps;
	uint32_t curframe, nrefs;
	uint64_t data[];
};

#define F_START 0x01  /* first instruction of a function */
#define F_PRUNE 0x02  /* pruning point */
#define F_REACH 0x04
#define F_HALF 0x08   /* second half of LD_IMM64 */
#define F_EDGE 0x10   /* local call explored */

struct verifier {
	const struct bpf_prog *prog;
	const struct bpf_env *env;
	const struct bpf_hook *hook;
	const struct bpf_verifier_opts *opts;
	const struct bpf_allocator *a;
	const struct bpf_insn *insns;
	uint32_t len;
	uint8_t *flags;
	uint16_t *live;      /* registers live before each instruction */
	struct pstate **explored;
	uint8_t *nexplored;
	uint32_t *starts, nstarts;
	uint32_t *sp_stack;
	struct vstate *cur;
	struct pstate **pending;
	uint32_t npending, pending_cap;
	uint32_t *path;
	uint32_t path_len, path_cap;
	uint64_t mem, peak, limit;
	uint32_t next_id;
	uint64_t explored_n, stored, pruned, max_pending;
	/* error */
	int rule;
	uint32_t err_pc;
	const char *err_msg;
	char detail[192];
	/* replay (log) mode */
	bool replay;
	uint32_t replay_next;
	char *log;
	size_t log_size, log_pos;
	int written_reg; /* register the last instruction wrote, for the log */
};

/* ------------------------------------------------------------------ */
/* memory */

struct ahdr {
	uint64_t size;
};

static void *valloc(struct verifier *v, size_t size)
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

static void *vzalloc(struct verifier *v, size_t size)
{
	void *p = valloc(v, size);
	if (p)
		bpf__memset(p, 0, size);
	return p;
}

static void vfree(struct verifier *v, void *p)
{
	if (!p)
		return;
	struct ahdr *h = (struct ahdr *)p - 1;
	v->mem -= h->size;
	if (v->a->free)
		v->a->free(v->a->actx, h, h->size);
}

/* Word copy: state structures are multiples of 8 bytes. */
static void wcopy(void *dst, const void *src, size_t n)
{
	uint64_t *d = dst;
	const uint64_t *s = src;
	for (size_t i = 0; i < n / 8; i++)
		d[i] = s[i];
}

static size_t frame_bytes(uint32_t nslots)
{
	return sizeof(struct vframe) + nslots * sizeof(struct vslot);
}

static struct vframe *frame_dup(struct verifier *v, const struct vframe *f, uint32_t nslots)
{
	struct vframe *n = valloc(v, frame_bytes(nslots));
	if (!n)
		return NULL;
	uint32_t keep = f->nslots < nslots ? f->nslots : nslots;
	wcopy(n, f, frame_bytes(keep));
	for (uint32_t i = keep; i < nslots; i++)
		bpf__memset(&n->slots[i], 0, sizeof(struct vslot));
	n->nslots = nslots;
	return n;
}

static void state_free(struct verifier *v, struct vstate *s)
{
	if (!s)
		return;
	for (uint32_t i = 0; i < MAX_FRAMES; i++)
		vfree(v, s->fr[i]);
	vfree(v, s);
}

static struct vstate *state_dup(struct verifier *v, const struct vstate *s)
{
	struct vstate *n = valloc(v, sizeof(*n));
	if (!n)
		return NULL;
	wcopy(n, s, sizeof(*n));
	for (uint32_t i = 0; i < MAX_FRAMES; i++)
		n->fr[i] = NULL;
	for (uint32_t i = 0; i <= s->curframe; i++) {
		n->fr[i] = frame_dup(v, s->fr[i], s->fr[i]->nslots);
		if (!n->fr[i]) {
			state_free(v, n);
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
	struct pstate *p = valloc(v, size);
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
static struct vstate *state_unpack(struct verifier *v, const struct pstate *p)
{
	struct vstate *s = vzalloc(v, sizeof(*s));
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
		struct vframe *fr = vzalloc(v, frame_bytes(pf->nslots));
		if (!fr) {
			state_free(v, s);
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

/* ------------------------------------------------------------------ */
/* errors and log */

static int verr(struct verifier *v, uint32_t pc, int rule, const char *msg)
{
	if (v->rule == BPF_VR_OK) {
		v->rule = rule;
		v->err_pc = pc;
		v->err_msg = msg;
	}
	return -1;
}

#define VERR(v, pc, rl, msg, ...) verrf(v, pc, rl, msg, __VA_ARGS__)
static int verrf(struct verifier *v, uint32_t pc, int rule, const char *msg, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* A small printf for the log: %d %u %x with l/ll, %s %c, flags '-' '+'
 * '#', and a field width.  (The runtime's formatter takes u64 arguments
 * only; this one follows C's argument types.) */
struct fout {
	char *b;
	size_t n, pos;
};

static void fput(struct fout *o, char c)
{
	if (o->pos + 1 < o->n)
		o->b[o->pos] = c;
	o->pos++;
}

static int vfmt(char *b, size_t n, const char *fmt, va_list ap)
{
	struct fout o = { b, n, 0 };
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			fput(&o, *p);
			continue;
		}
		p++;
		bool left = false, plus = false, alt = false;
		for (;; p++) {
			if (*p == '-')
				left = true;
			else if (*p == '+')
				plus = true;
			else if (*p == '#')
				alt = true;
			else
				break;
		}
		int width = 0;
		while (*p >= '0' && *p <= '9')
			width = width * 10 + (*p++ - '0');
		int lng = 0;
		while (*p == 'l') {
			lng++;
			p++;
		}
		char tmp[40];
		int tn = 0;
		const char *str = NULL;
		switch (*p) {
		case 'd': {
			long long x = lng ? va_arg(ap, long long) : va_arg(ap, int);
			unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;
			char dg[24];
			int k = 0;
			do {
				dg[k++] = (char)('0' + u % 10);
				u /= 10;
			} while (u);
			if (x < 0)
				tmp[tn++] = '-';
			else if (plus)
				tmp[tn++] = '+';
			while (k)
				tmp[tn++] = dg[--k];
			break;
		}
		case 'u':
		case 'x': {
			unsigned long long u = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
			unsigned base = *p == 'x' ? 16 : 10;
			char dg[24];
			int k = 0;
			do {
				dg[k++] = "0123456789abcdef"[u % base];
				u /= base;
			} while (u);
			if (alt && base == 16) {
				tmp[tn++] = '0';
				tmp[tn++] = 'x';
			}
			while (k)
				tmp[tn++] = dg[--k];
			break;
		}
		case 'c':
			tmp[tn++] = (char)va_arg(ap, int);
			break;
		case 's':
			str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			break;
		case '%':
			tmp[tn++] = '%';
			break;
		default:
			if (!*p)
				p--;
			continue;
		}
		int len = str ? (int)bpf__strnlen(str, 4096) : tn;
		if (!left)
			for (int k = len; k < width; k++)
				fput(&o, ' ');
		for (int k = 0; k < len; k++)
			fput(&o, str ? str[k] : tmp[k]);
		if (left)
			for (int k = len; k < width; k++)
				fput(&o, ' ');
	}
	if (n)
		b[o.pos < n ? o.pos : n - 1] = 0;
	return (int)o.pos;
}

static int vsn(char *b, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int vsn(char *b, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vfmt(b, n, fmt, ap);
	va_end(ap);
	return r;
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
	vfmt(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	lputs(v, buf);
}

/* The first error wins; the replay for the log repeats it. */
static int verrf(struct verifier *v, uint32_t pc, int rule, const char *msg, const char *fmt, ...)
{
	if (v->rule == BPF_VR_OK) {
		va_list ap;
		va_start(ap, fmt);
		vfmt(v->detail, sizeof(v->detail), fmt, ap);
		va_end(ap);
	}
	return verr(v, pc, rule, msg);
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
};

const char *bpf_vrule_name(int rule)
{
	if (rule < 0 || rule >= BPF_VR_MAX)
		return "?";
	return rule_names[rule];
}

static const char *const type_names[V_NTYPES] = {
	[V_NOT_INIT] = "?", [V_SCALAR] = "scalar", [V_PTR_CTX] = "ctx",
	[V_PTR_STACK] = "fp", [V_CONST_MAP] = "map_ptr",
	[V_PTR_MAP_VALUE] = "map_value", [V_PTR_MAP_VALUE_OR_NULL] = "map_value_or_null",
	[V_PTR_ALLOC] = "ringbuf_mem", [V_PTR_ALLOC_OR_NULL] = "ringbuf_mem_or_null",
	[V_PTR_MEM] = "var_mem",
};

static int fmt_scalar(char *b, size_t n, const struct vreg *r)
{
	if (v_is_const(r))
		return vsn(b, n, "%lld", (long long)r->var.v);
	return vsn(b, n, "smin=%lld,smax=%lld,umin=%llu,umax=%llu,s32=[%d,%d],u32=[%u,%u],var=(%#llx;%#llx)",
	                     (long long)r->smin, (long long)r->smax,
	                     (unsigned long long)r->umin, (unsigned long long)r->umax,
	                     r->s32min, r->s32max, r->u32min, r->u32max,
	                     (unsigned long long)r->var.v, (unsigned long long)r->var.m);
}

static void fmt_reg(char *b, size_t n, const struct vreg *r)
{
	char s[200];
	if (r->type == V_SCALAR) {
		fmt_scalar(s, sizeof(s), r);
		if (v_is_const(r))
			vsn(b, n, "%s", s);
		else if (r->id)
			vsn(b, n, "scalar(%s,id=%u)", s, r->id);
		else
			vsn(b, n, "scalar(%s)", s);
		return;
	}
	if (r->type == V_NOT_INIT) {
		vsn(b, n, "?");
		return;
	}
	s[0] = 0;
	if (!v_is_const(r) || r->var.v)
		fmt_scalar(s, sizeof(s), r);
	switch (r->type) {
	case V_PTR_STACK:
		vsn(b, n, "fp%d(frame=%u%s%s)", r->off, r->frameno, s[0] ? ",var:" : "", s);
		break;
	case V_CONST_MAP:
		vsn(b, n, "map_ptr(map=%u)", r->aux);
		break;
	default:
		vsn(b, n, "%s(off=%d,size=%u,id=%u%s%s%s)", type_names[r->type], r->off,
		              r->size, r->id, r->rdonly ? ",rdonly" : "", s[0] ? ",var:" : "", s);
	}
}

static const char *const alu_ops[16] = { "+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=",
	                                  "neg", "%=", "^=", "=", "s>>=", "endian", "?", "?" };
static const char *const jmp_ops[16] = { "goto", "==", ">", ">=", "&", "!=", "s>", "s>=",
	                                  "call", "exit", "<", "<=", "s<", "s<=", "?", "?" };
static const char *const sz_names[4] = { "u32", "u16", "u8", "u64" };

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
			vsn(b, n, "%c%u = -%c%u", rc, d, rc, d);
		else if (op == BPF_END)
			vsn(b, n, "r%u = %s%d r%u", d,
			              cls == BPF_ALU64 ? "bswap" : (BPF_SRC_BIT(c) ? "be" : "le"), in->imm, d);
		else if (BPF_SRC_BIT(c) == BPF_X)
			vsn(b, n, "%c%u %s%s %c%u", rc, d,
			              (op == BPF_DIV || op == BPF_MOD) && in->off ? "s" : "", alu_ops[op >> 4],
			              rc, s);
		else
			vsn(b, n, "%c%u %s%s %d", rc, d,
			              (op == BPF_DIV || op == BPF_MOD) && in->off ? "s" : "", alu_ops[op >> 4],
			              in->imm);
		if (op == BPF_MOV && in->off && BPF_SRC_BIT(c) == BPF_X)
			vsn(b, n, "%c%u = (s%d)%c%u", rc, d, in->off, rc, s);
		break;
	}
	case BPF_JMP:
	case BPF_JMP32: {
		uint8_t op = BPF_OP(c);
		if (op == BPF_EXIT)
			vsn(b, n, "exit");
		else if (op == BPF_CALL) {
			if (s == BPF_PSEUDO_CALL_LOCAL)
				vsn(b, n, "call pc%+d", in->imm);
			else {
				const struct bpf_helper *h = bpf_env_helper(v->env, (uint32_t)in->imm);
				vsn(b, n, "call %d (%s)", in->imm, h && h->name ? h->name : "?");
			}
		} else if (op == BPF_JA)
			vsn(b, n, "goto pc%+d", cls == BPF_JMP ? in->off : in->imm);
		else if (BPF_SRC_BIT(c) == BPF_X)
			vsn(b, n, "if %c%u %s %c%u goto pc%+d", cls == BPF_JMP ? 'r' : 'w', d,
			              jmp_ops[op >> 4], cls == BPF_JMP ? 'r' : 'w', s, in->off);
		else
			vsn(b, n, "if %c%u %s %d goto pc%+d", cls == BPF_JMP ? 'r' : 'w', d,
			              jmp_ops[op >> 4], in->imm, in->off);
		break;
	}
	case BPF_LD:
		if (c == (BPF_LD | BPF_IMM | BPF_DW)) {
			if (s == 0)
				vsn(b, n, "r%u = %#llx ll", d,
				              (unsigned long long)((uint32_t)in->imm |
				                                   ((uint64_t)(uint32_t)in[1].imm << 32)));
			else if (s == BPF_PSEUDO_MAP_FD || s == BPF_PSEUDO_MAP_IDX)
				vsn(b, n, "r%u = map[%d]", d, in->imm);
			else if (s == BPF_PSEUDO_VAR_ADDR)
				vsn(b, n, "r%u = var[%d]", d, in->imm);
			else
				vsn(b, n, "r%u = map_value[%d]+%d", d, in->imm, in[1].imm);
		} else if (BPF_MODE(c) == BPF_ABS) {
			vsn(b, n, "r0 = *(%s *)pkt[%d]", sz, in->imm);
		} else {
			vsn(b, n, "r0 = *(%s *)pkt[r%u + %d]", sz, s, in->imm);
		}
		break;
	case BPF_LDX:
		vsn(b, n, "r%u = *(%s%s *)(r%u %+d)", d, BPF_MODE(c) == BPF_MEMSX ? "s" : "",
		              BPF_MODE(c) == BPF_MEMSX ? sz + 1 : sz, s, in->off);
		break;
	case BPF_ST:
		vsn(b, n, "*(%s *)(r%u %+d) = %d", sz, d, in->off, in->imm);
		break;
	case BPF_STX:
		if (BPF_MODE(c) == BPF_ATOMIC)
			vsn(b, n, "lock *(%s *)(r%u %+d) op%#x r%u", sz, d, in->off, in->imm, s);
		else
			vsn(b, n, "*(%s *)(r%u %+d) = r%u", sz, d, in->off, s);
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
					m[j] = "?mz"[sl->st[j] < 3 ? sl->st[j] : 0];
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

/* ------------------------------------------------------------------ */
/* state helpers */

static inline struct vframe *curf(struct verifier *v) { return v->cur->fr[v->cur->curframe]; }
static inline struct vreg *regs(struct verifier *v) { return curf(v)->regs; }

static bool is_ptr(const struct vreg *r) { return r->type > V_SCALAR; }
static bool leak_ok(const struct verifier *v) { return (v->hook->flags & BPF_HOOK_PTR_LEAK) != 0; }

/* Apply fn to every register and spilled register of the state. */
#define FOR_EACH_REG(st, r, body)                                                        \
	do {                                                                             \
		for (uint32_t f_ = 0; f_ <= (st)->curframe; f_++) {                     \
			struct vframe *fr_ = (st)->fr[f_];                               \
			for (int i_ = 0; i_ < BPF_NREGS; i_++) {                        \
				struct vreg *r = &fr_->regs[i_];                         \
				body;                                                    \
			}                                                                \
			for (uint32_t s_ = 0; s_ < fr_->nslots; s_++) {                 \
				if (fr_->slots[s_].st[0] != SB_SPILL)                    \
					continue;                                        \
				struct vreg *r = &fr_->slots[s_].spill;                  \
				body;                                                    \
			}                                                                \
		}                                                                        \
	} while (0)

/* A spilled register whose slot is wiped: the bytes become invalid. */
static void wipe_invalid_spills(struct vstate *st)
{
	for (uint32_t f = 0; f <= st->curframe; f++) {
		struct vframe *fr = st->fr[f];
		for (uint32_t s = 0; s < fr->nslots; s++)
			if (fr->slots[s].st[0] == SB_SPILL && fr->slots[s].spill.type == V_NOT_INIT)
				bpf__memset(fr->slots[s].st, SB_INVALID, 8);
	}
}

static void release_id(struct vstate *st, uint32_t id)
{
	/* Every copy of a released record becomes unusable. */
	FOR_EACH_REG(st, r, {
		if (r->id == id && (r->type == V_PTR_ALLOC || r->type == V_PTR_ALLOC_OR_NULL))
			v_mark_not_init(r);
	});
	wipe_invalid_spills(st);
}

static bool ref_remove(struct vstate *st, uint32_t id)
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
static void mark_null_result(struct vstate *st, uint32_t id, bool is_null)
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
		ref_remove(st, id); /* nothing was reserved */
}

/* A scalar refined by a branch: copies made by MOV share its id. */
static void set_linked(struct vstate *st, struct vreg *reg, const struct vreg *val)
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

static int grow_stack(struct verifier *v, struct vstate *st, uint32_t frame, int64_t lo)
{
	struct vframe *f = st->fr[frame];
	uint32_t need = (uint32_t)((-lo + 7) / 8);
	if (need <= f->nslots)
		return 0;
	struct vframe *n = frame_dup(v, f, need);
	if (!n)
		return verr(v, 0, BPF_VR_NOMEM, "out of memory growing a stack frame");
	vfree(v, f);
	st->fr[frame] = n;
	return 0;
}

static struct vslot *slot_at(struct vframe *f, int64_t byteoff, int *j)
{
	/* byteoff in [-512, 0) */
	int64_t k = -byteoff - 1; /* 0 = fp-1 */
	uint32_t idx = (uint32_t)(k / 8);
	*j = 7 - (int)(k % 8);
	return &f->slots[idx];
}

/* ------------------------------------------------------------------ */
/* structure (pass 1) */

static uint32_t sp_of(const struct verifier *v, uint32_t pc)
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

static int64_t jmp_target(const struct bpf_insn *in, uint32_t pc)
{
	if (BPF_CLASS(in->code) == BPF_JMP32 && BPF_OP(in->code) == BPF_JA)
		return (int64_t)pc + in->imm + 1;
	return (int64_t)pc + in->off + 1;
}

static int check_structure(struct verifier *v)
{
	struct bpf_prog_error perr = { 0, NULL };
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
	}
	uint32_t n = 0;
	for (uint32_t i = 0; i < v->len; i++)
		n += (fl[i] & F_START) != 0;
	v->starts = valloc(v, n * sizeof(uint32_t));
	v->sp_stack = vzalloc(v, n * sizeof(uint32_t));
	if (!v->starts || !v->sp_stack)
		return verr(v, 0, BPF_VR_NOMEM, "out of memory");
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
			if (sp_of(v, t) != sp_of(v, i))
				return VERR(v, i, BPF_VR_SUBPROG_JUMP, "jump out of its function",
				            "jump from function at %u to insn %u", v->starts[sp_of(v, i)], t);
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
			return VERR(v, last, BPF_VR_FALLTHROUGH, "function falls through into the next",
			            "last insn %u of function at %u is not exit or goto", last, v->starts[s]);
	}
	/* Reachability: every instruction on some path from the entry. */
	uint32_t *work = valloc(v, v->len * sizeof(uint32_t));
	if (!work)
		return verr(v, 0, BPF_VR_NOMEM, "out of memory");
	uint32_t nw = 0;
	work[nw++] = 0;
	fl[0] |= F_REACH;
#define PUSHW(t)                                                \
	do {                                                    \
		uint32_t t_ = (t);                              \
		if (t_ < v->len && !(fl[t_] & F_REACH)) {       \
			fl[t_] |= F_REACH;                      \
			work[nw++] = t_;                        \
		}                                               \
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
				if (BPF_INSN_SRC(in) == BPF_PSEUDO_CALL_LOCAL)
					PUSHW((uint32_t)(i + in->imm + 1));
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
	vfree(v, work);
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
			if (BPF_INSN_SRC(in) != BPF_PSEUDO_CALL_LOCAL) {
				const struct bpf_helper *h = bpf_env_helper(v->env, (uint32_t)in->imm);
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

static void compute_liveness(struct verifier *v)
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

static void forget_dead(struct verifier *v, struct vstate *st, uint32_t pc)
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

/* ------------------------------------------------------------------ */
/* memory access */

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

static void set_sized_unknown(struct vreg *r, uint32_t size, bool sx)
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
		if (t == SB_SPILL) {
			if (is_ptr(&sl->spill) && !leak_ok(v))
				return VERR(v, pc, BPF_VR_PTR_LEAK, "partial read of a spilled pointer",
				            "fp%lld holds part of a spilled %s", (long long)b,
				            type_names[sl->spill.type]);
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
				x = size == 4 ? (uint64_t)(int64_t)(int32_t)x
				    : size == 2 ? (uint64_t)(int64_t)(int16_t)x
				                : (uint64_t)(int64_t)(int8_t)x;
			v_mark_const(out, x);
			return 0;
		}
	}
	set_sized_unknown(out, size, sx);
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
		            "store of %s to fp%lld size %u", type_names[val->type], (long long)lo, size);
	if (fixed && size == 8 && (-lo) % 8 == 0 && val) {
		struct vslot *sl = slot_at(f, lo, &j);
		bpf__memset(sl->st, SB_SPILL, 8);
		sl->spill = *val;
		return 0;
	}
	/* Any slot touched loses its spilled register (its other bytes
	 * keep an unknown value). */
	for (int64_t b = lo; b < hi; b += 1) {
		struct vslot *sl = slot_at(f, b, &j);
		if (sl->st[0] == SB_SPILL) {
			bpf__memset(sl->st, SB_MISC, 8);
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
	}
	return 0;
}

enum { ACC_READ, ACC_WRITE, ACC_ATOMIC };

/* Check a load/store/atomic of size bytes at ptr + off.  For reads, out
 * gets the loaded value; for writes val is the stored value (NULL:
 * unknown scalar). */
static int check_mem(struct verifier *v, uint32_t pc, int regno, int32_t off, uint32_t size,
                     int acc, bool sx, const struct vreg *val, struct vreg *out)
{
	/* A copy: growing the stack below may move the current frame. */
	struct vreg pcopy = regs(v)[regno], *p = &pcopy;
	if (p->type == V_PTR_MAP_VALUE_OR_NULL || p->type == V_PTR_ALLOC_OR_NULL)
		return VERR(v, pc, BPF_VR_MEM_NULL, "access through a pointer that may be NULL",
		            "R%d is %s: compare it with 0 first", regno, type_names[p->type]);
	if (p->type == V_SCALAR || p->type == V_CONST_MAP)
		return VERR(v, pc, BPF_VR_MEM_TYPE, "access through a non-memory register",
		            "R%d is %s", regno, type_names[p->type]);
	int64_t lo = (int64_t)p->off + off + p->smin;
	int64_t hi = (int64_t)p->off + off + p->smax + size;
	bool fixed = v_is_const(p);
	bool write = acc != ACC_READ;
	if (acc == ACC_ATOMIC) {
		/* §5.3 atomics need natural alignment (the checked interpreter
		 * faults otherwise): base aligned, offset provably aligned. */
		uint64_t am = size - 1;
		bool base_ok = p->type == V_PTR_STACK || p->type == V_PTR_MAP_VALUE || p->type == V_PTR_ALLOC;
		if (p->type == V_PTR_MEM) {
			const struct bpf_var *var = &v->env->vars[p->aux];
			base_ok = ((uintptr_t)var->addr & am) == 0;
		}
		if (!base_ok || (((uint64_t)(int64_t)(p->off + off)) & am) || ((p->var.v | p->var.m) & am))
			return VERR(v, pc, BPF_VR_ALIGN, "atomic access not provably aligned",
			            "R%d %s%+d size %u", regno, type_names[p->type], p->off + off, size);
	}
	if (val && is_ptr(val) && p->type != V_PTR_STACK && !leak_ok(v))
		return VERR(v, pc, BPF_VR_PTR_LEAK, "pointer stored outside the stack",
		            "R%d holds %s; storing it into %s leaks it", 0, type_names[val->type],
		            type_names[p->type]);
	switch (p->type) {
	case V_PTR_STACK: {
		if (lo < -STACK_MAX || hi > 0)
			return VERR(v, pc, BPF_VR_MEM_BOUNDS, "stack access out of bounds",
			            "access [%lld,%lld) outside the frame [-512,0)", (long long)lo, (long long)hi);
		struct vstate *st = v->cur;
		if (grow_stack(v, st, p->frameno, lo))
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
					return VERR(v, pc, BPF_VR_MEM_TYPE, "atomic on a spilled pointer",
					            "fp%lld holds a spilled %s", (long long)b,
					            type_names[sl->spill.type]);
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
			return VERR(v, pc, BPF_VR_CTX_ACCESS, write ? "context field not writable"
			                                             : "context field not readable",
			            "ctx [%lld,%lld) of %u bytes", (long long)lo, (long long)hi,
			            v->hook->ctx_size);
		break;
	case V_PTR_MAP_VALUE:
	case V_PTR_ALLOC:
	case V_PTR_MEM:
		if (lo < 0 || hi > (int64_t)p->size)
			return VERR(v, pc, BPF_VR_MEM_BOUNDS, "access outside the memory region",
			            "%s access [%lld,%lld) of %u bytes", type_names[p->type], (long long)lo,
			            (long long)hi, p->size);
		if (write && p->rdonly)
			return VERR(v, pc, BPF_VR_MEM_RDONLY, "store into read-only memory",
			            "%s is read-only to programs", type_names[p->type]);
		break;
	default:
		return VERR(v, pc, BPF_VR_MEM_TYPE, "access through a non-memory register", "R%d", regno);
	}
	if (out)
		set_sized_unknown(out, size, sx);
	return 0;
}

/* Is [ptr, ptr + [0, size_max]) readable (or writable) memory, as a helper
 * argument?  init: stack bytes must be initialised. */
static int check_helper_mem(struct verifier *v, uint32_t pc, int regno, uint64_t size_max, bool write,
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
			return VERR(v, pc, BPF_VR_HELPER_ARG, "helper memory argument out of bounds",
			            "R%d stack range [%lld,%lld)", regno, (long long)lo, (long long)hi);
		if (grow_stack(v, v->cur, p->frameno, lo))
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
		return VERR(v, pc, BPF_VR_HELPER_ARG, "memory argument may be NULL", "R%d is %s", regno,
		            type_names[p->type]);
	if (p->type == V_PTR_CTX || p->type == V_PTR_MAP_VALUE || p->type == V_PTR_ALLOC ||
	    p->type == V_PTR_MEM) {
		/* Reuse the load/store rules with the widest access. */
		struct vreg save = *p;
		int64_t lo = (int64_t)p->off + p->smin;
		int64_t hi = (int64_t)p->off + p->smax + (int64_t)size_max;
		int64_t limit = p->type == V_PTR_CTX ? v->hook->ctx_size : p->size;
		if (lo < 0 || hi > limit)
			return VERR(v, pc, BPF_VR_HELPER_ARG, "helper memory argument out of bounds",
			            "R%d %s range [%lld,%lld) of %lld bytes", regno, type_names[p->type],
			            (long long)lo, (long long)hi, (long long)limit);
		if (p->type == V_PTR_CTX &&
		    !ctx_fields_ok(v, lo, hi, write ? BPF_FIELD_WRITE : BPF_FIELD_READ))
			return VERR(v, pc, BPF_VR_HELPER_ARG, "helper memory argument: context fields",
			            "ctx [%lld,%lld) not %s", (long long)lo, (long long)hi,
			            write ? "writable" : "readable");
		if (write && p->rdonly)
			return VERR(v, pc, BPF_VR_HELPER_ARG, "helper would write read-only memory", "R%d",
			            regno);
		*p = save;
		return 0;
	}
	return VERR(v, pc, BPF_VR_HELPER_ARG, "helper argument is not a memory pointer", "R%d is %s",
	            regno, type_names[p->type]);
}

/* ------------------------------------------------------------------ */
/* helpers (§4.3.1): prototype checks, references */

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

static int check_helper(struct verifier *v, uint32_t pc, const struct bpf_insn *in)
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
			return VERR(v, pc, BPF_VR_TAIL_CALL, "tail calls not allowed by the hook", "%s",
			            v->hook->name ? v->hook->name : "");
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
				return VERR(v, pc, BPF_VR_PTR_LEAK, "pointer passed as a scalar argument",
				            "R%d is %s", rn, type_names[r->type]);
			break;
		case BPF_ARG_CONST_MAP_PTR:
			if (r->type != V_CONST_MAP)
				return VERR(v, pc, BPF_VR_HELPER_ARG, "expected a map pointer",
				            "R%d is %s", rn, type_names[r->type]);
			map_idx = r->aux;
			map = v->prog->maps[map_idx];
			if (p->map_types && (map->def.type >= 32 ||
			                     !(p->map_types & BPF_MAP_TYPE_BIT(map->def.type))))
				return VERR(v, pc, BPF_VR_HELPER_ARG, "map type not accepted by the helper",
				            "map %u has type %u", map_idx, map->def.type);
			break;
		case BPF_ARG_PTR_TO_MAP_KEY:
		case BPF_ARG_PTR_TO_MAP_VALUE:
			if (!map)
				return VERR(v, pc, BPF_VR_HELPER_ARG, "key/value without a map", "R%d", rn);
			if (check_helper_mem(v, pc, rn,
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
				return VERR(v, pc, BPF_VR_REG_UNINIT, "helper argument not initialised",
				            "R%d (size of argument %d)", rn + 1, rn);
			if (sz->type != V_SCALAR)
				return VERR(v, pc, BPF_VR_HELPER_ARG, "size argument must be a scalar",
				            "R%d is %s", rn + 1, type_names[sz->type]);
			if (!zero_ok && sz->umin == 0)
				return VERR(v, pc, BPF_VR_HELPER_ARG, "size argument may be zero",
				            "R%d umin=0", rn + 1);
			if (sz->umax > (1ULL << 30))
				return VERR(v, pc, BPF_VR_HELPER_ARG, "size argument unbounded",
				            "R%d umax=%llu", rn + 1, (unsigned long long)sz->umax);
			if (r->type == V_SCALAR && sz->umax == 0)
				break; /* (NULL, 0) is allowed */
			if (check_helper_mem(v, pc, rn, sz->umax, t == BPF_ARG_PTR_TO_UNINIT_MEM, true))
				return -1;
			R = regs(v);
			r = &R[rn];
			sz = &R[rn + 1];
			if (t == BPF_ARG_PTR_TO_UNINIT_MEM && r->type == V_PTR_STACK && !v_is_const(r))
				; /* only a fixed-offset write initialises bytes */
			else if (t == BPF_ARG_PTR_TO_UNINIT_MEM && r->type == V_PTR_STACK && sz->umin) {
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
				return VERR(v, pc, BPF_VR_HELPER_ARG, "expected the context pointer",
				            "R%d is %s", rn, type_names[r->type]);
			break;
		case BPF_ARG_PTR_TO_ALLOC_MEM:
			if (r->type != V_PTR_ALLOC || r->off != 0 || !v_is_const(r) || r->var.v != 0)
				return VERR(v, pc, BPF_VR_HELPER_ARG,
				            "expected an unmodified ring-buffer record pointer", "R%d is %s%+d", rn,
				            type_names[r->type], r->off);
			if (p->flags & BPF_PROTO_RELEASES_ALLOC)
				release = r->id;
			break;
		case BPF_ARG_CONST_ALLOC_SIZE:
			if (r->type != V_SCALAR || !v_is_const(r))
				return VERR(v, pc, BPF_VR_HELPER_ARG, "allocation size must be a constant",
				            "R%d", rn);
			if (r->var.v == 0 || r->var.v > (1U << 28))
				return VERR(v, pc, BPF_VR_HELPER_ARG, "allocation size out of range",
				            "R%d = %llu", rn, (unsigned long long)r->var.v);
			alloc_size = r->var.v;
			break;
		case BPF_ARG_PTR_TO_STR: {
			/* Only a read-only map value with a fixed offset: its bytes
			 * cannot change, so the NUL can be found now. */
			if (r->type != V_PTR_MAP_VALUE || !r->rdonly || !v_is_const(r))
				return VERR(v, pc, BPF_VR_HELPER_ARG,
				            "string argument must point into read-only map data", "R%d", rn);
			const struct bpf_map *m = v->prog->maps[r->aux];
			int64_t o = (int64_t)r->off + (int64_t)r->var.v;
			bool nul = false;
			for (int64_t k = o; k >= 0 && k < (int64_t)r->size && k < (int64_t)m->data_len; k++)
				if (m->data[k] == 0) {
					nul = true;
					break;
				}
			if (!nul)
				return VERR(v, pc, BPF_VR_HELPER_ARG, "string not NUL-terminated", "R%d", rn);
			break;
		}
		default:
			return VERR(v, pc, BPF_VR_HELPER_ARG, "unknown argument type", "%u", t);
		}
	}
	if (p->flags & BPF_PROTO_RELEASES_ALLOC) {
		if (!release || !ref_remove(st, release))
			return VERR(v, pc, BPF_VR_REF_RELEASE, "release of a record not held",
			            "record id %u", release);
		release_id(st, release);
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
			return VERR(v, pc, BPF_VR_REF_LEAK, "too many records held", "limit %d", MAX_REFS);
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

/* ------------------------------------------------------------------ */
/* the abstract step */

static int check_read(struct verifier *v, uint32_t pc, int regno)
{
	if (regs(v)[regno].type == V_NOT_INIT)
		return VERR(v, pc, BPF_VR_REG_UNINIT, "read of an uninitialised register", "R%d !read_ok",
		            regno);
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
		return VERR(v, pc, BPF_VR_PTR_ARITH, "arithmetic on a pointer that may be NULL or a map",
		            "%s", type_names[t]);
	struct vreg res = *ptr;
	if (v_is_const(sc)) {
		int64_t c = (int64_t)sc->var.v;
		int64_t no = op == BPF_ADD ? (int64_t)ptr->off + c : (int64_t)ptr->off - c;
		if (no < -MAX_VAR_OFF || no > MAX_VAR_OFF)
			return VERR(v, pc, BPF_VR_PTR_ARITH, "pointer offset out of range", "off %lld",
			            (long long)no);
		res.off = (int32_t)no;
	} else {
		struct vreg var = *ptr;
		var.type = V_SCALAR;
		var.id = 0;
		v_alu(&var, sc, BPF_ALU64, op, 0, 0);
		if (var.smin < -MAX_VAR_OFF || var.smax > MAX_VAR_OFF)
			return VERR(v, pc, BPF_VR_PTR_ARITH, "unbounded variable pointer offset",
			            "offset range [%lld,%lld]", (long long)var.smin, (long long)var.smax);
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
		v_mark_const(&srcv, cls == BPF_ALU64 ? (uint64_t)(int64_t)in->imm : (uint32_t)in->imm);
	}
	if (op != BPF_MOV && check_read(v, pc, dn))
		return -1;
	if (op == BPF_END) {
		if (is_ptr(d)) {
			if (!leak_ok(v))
				return VERR(v, pc, BPF_VR_PTR_LEAK, "byte swap of a pointer", "R%d", dn);
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
				return VERR(v, pc, BPF_VR_PTR_LEAK, "pointer truncated or sign-extended",
				            "R%d is %s", sn, type_names[srcv.type]);
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
			            "%s on R%d (%s)", alu_ops[op >> 4], dp ? dn : sn,
			            type_names[dp ? d->type : srcv.type]);
		}
		v_mark_unknown(d); /* the hook allows pointer values as numbers */
		return 0;
	}
	v_alu(d, &srcv, cls, op, in->off, in->imm);
	return 0;
}

/* Queue st (a full state, consumed) to be explored from resume.  It is
 * kept packed: registers dead at resume are forgotten first, as the
 * pruning point there would do when it is popped (jump targets are
 * pruning points), so the packed state holds only live registers. */
static int push_pending(struct verifier *v, uint32_t resume, struct vstate *st)
{
	if (v->npending >= MAX_PENDING) {
		state_free(v, st);
		return VERR(v, resume, BPF_VR_COMPLEXITY, "too many pending branches", "limit %u",
		            MAX_PENDING);
	}
	if (v->npending == v->pending_cap) {
		uint32_t ncap = v->pending_cap * 2;
		struct pstate **np = valloc(v, (size_t)ncap * sizeof(*np));
		if (!np) {
			state_free(v, st);
			return verr(v, resume, BPF_VR_NOMEM, "verifier memory limit reached");
		}
		for (uint32_t i = 0; i < v->npending; i++)
			np[i] = v->pending[i];
		vfree(v, v->pending);
		v->pending = np;
		v->pending_cap = ncap;
	}
	if (v->flags[resume] & F_PRUNE)
		forget_dead(v, st, resume);
	st->insn = resume;
	st->path_len = v->path_len;
	struct pstate *s = state_pack(v, st);
	state_free(v, st);
	if (!s)
		return verr(v, resume, BPF_VR_NOMEM, "verifier memory limit reached");
	if (s->parent)
		s->parent->branches++;
	v->pending[v->npending++] = s;
	if (v->npending > v->max_pending)
		v->max_pending = v->npending;
	return 0;
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
			other = state_dup(v, v->cur);
			if (!other)
				return verr(v, pc, BPF_VR_NOMEM, "verifier memory limit reached");
		}
	}
	/* Apply the refinements to the states that continue. */
	struct vstate *targets[2] = { NULL, NULL };
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
			mark_null_result(st, a.id, is_null);
		} else if (a.type == V_SCALAR && b.type == V_SCALAR) {
			set_linked(st, &SR[dn], t ? &at : &af);
			if (x)
				set_linked(st, &SR[sn], t ? &bt : &bf);
		}
	}
	if (other && push_pending(v, taken_pc, other))
		return -1;
	*next = follow_taken ? taken_pc : fall_pc;
	return 0;
}

static int do_call_local(struct verifier *v, uint32_t pc, const struct bpf_insn *in, uint32_t *next)
{
	struct vstate *st = v->cur;
	uint32_t target = (uint32_t)(pc + in->imm + 1);
	uint32_t callee = sp_of(v, target);
	if (st->curframe + 1 >= MAX_FRAMES)
		return VERR(v, pc, BPF_VR_CALL_DEPTH, "call depth over 8 frames", "frames %u",
		            st->curframe + 2);
	/* Recursion is allowed: every frame is analysed, so a recursion the
	 * analysis cannot bound runs into the 8-frame limit above. */
	v->flags[pc] |= F_EDGE;
	struct vframe *nf = valloc(v, frame_bytes(0));
	if (!nf)
		return verr(v, pc, BPF_VR_NOMEM, "verifier memory limit reached");
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

/* Returns 1 when the program's exit ends the path. */
static int do_exit(struct verifier *v, uint32_t pc, uint32_t *next)
{
	struct vstate *st = v->cur;
	struct vframe *f = st->fr[st->curframe];
	struct vreg *r0 = &f->regs[0];
	if (r0->type == V_NOT_INIT)
		return VERR(v, pc, BPF_VR_RET, "R0 not initialised at exit", "R0 !read_ok");
	if (st->curframe > 0) {
		if (r0->type == V_PTR_STACK && r0->frameno == st->curframe)
			return VERR(v, pc, BPF_VR_RET, "returning a pointer to the callee's stack", "R0 fp%d",
			            r0->off);
		struct vreg ret = *r0;
		uint32_t callsite = f->callsite;
		uint32_t gone = st->curframe;
		vfree(v, f);
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
		wipe_invalid_spills(st);
		*next = callsite + 1;
		return 0;
	}
	if (is_ptr(r0) && !leak_ok(v))
		return VERR(v, pc, BPF_VR_PTR_LEAK, "program returns a pointer", "R0 is %s",
		            type_names[r0->type]);
	if (v->hook->flags & BPF_HOOK_CHECK_RET) {
		if (r0->type != V_SCALAR || r0->smin < v->hook->ret_min || r0->smax > v->hook->ret_max)
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

static int do_insn(struct verifier *v, uint32_t pc, uint32_t *next)
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
			return do_exit(v, pc, next);
		if (op == BPF_CALL) {
			if (BPF_INSN_SRC(in) == BPF_PSEUDO_CALL_LOCAL)
				return do_call_local(v, pc, in, next);
			return check_helper(v, pc, in);
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
				v_mark_const(d, (uint32_t)in->imm | ((uint64_t)(uint32_t)in[1].imm << 32));
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
				/* map_val (§5.4) addresses the array's storage */
				d->size = m->data_len > (1U << 28) ? (1U << 28) : (uint32_t)m->data_len;
				d->rdonly = m->prog_readonly;
				if ((uint32_t)in[1].imm > (1U << 28))
					return VERR(v, pc, BPF_VR_MEM_BOUNDS, "map value offset too large", "%u",
					            (uint32_t)in[1].imm);
				break;
			}
			case BPF_PSEUDO_VAR_ADDR: {
				const struct bpf_var *var = bpf_env_var(v->env, (uint32_t)in->imm);
				if (!var)
					return VERR(v, pc, BPF_VR_STRUCT, "unknown platform variable", "%d", in->imm);
				v_ptr_init(d, V_PTR_MEM);
				d->aux = (uint32_t)(var - v->env->vars);
				d->size = var->size > (1U << 28) ? (1U << 28) : (uint32_t)var->size;
				d->rdonly = (var->flags & BPF_VAR_READONLY) != 0;
				break;
			}
			default:
				return VERR(v, pc, BPF_VR_STRUCT, "unsupported LD_IMM64 source", "%d", sn);
			}
			return 0;
		}
		/* §5.5 legacy packet loads: they read the context buffer with
		 * their own bounds check and end the program with R0 = 0 when
		 * out of bounds, so no reference may be held. */
		if (!(v->hook->flags & BPF_HOOK_PACKET))
			return VERR(v, pc, BPF_VR_PACKET, "packet loads not allowed by the hook", "%s",
			            v->hook->name ? v->hook->name : "");
		if (v->cur->nrefs)
			return VERR(v, pc, BPF_VR_PACKET, "packet load while holding a reference",
			            "it may end the program");
		if (BPF_MODE(in->code) == BPF_IND) {
			if (check_read(v, pc, sn))
				return -1;
			if (R[sn].type != V_SCALAR && !leak_ok(v))
				return VERR(v, pc, BPF_VR_PTR_LEAK, "pointer as packet offset", "R%d", sn);
		}
		uint32_t size = BPF_SIZE(in->code) == BPF_W ? 4 : BPF_SIZE(in->code) == BPF_H ? 2 : 1;
		set_sized_unknown(&R[0], size, false);
		v->written_reg = 0;
		return 0;
	}
	case BPF_LDX: {
		uint32_t size;
		switch (BPF_SIZE(in->code)) {
		case BPF_B: size = 1; break;
		case BPF_H: size = 2; break;
		case BPF_W: size = 4; break;
		default: size = 8; break;
		}
		if (check_read(v, pc, sn))
			return -1;
		struct vreg out;
		if (check_mem(v, pc, sn, in->off, size, ACC_READ, BPF_MODE(in->code) == BPF_MEMSX, NULL,
		              &out))
			return -1;
		regs(v)[dn] = out;
		v->written_reg = dn;
		return 0;
	}
	case BPF_ST:
	case BPF_STX: {
		uint32_t size;
		switch (BPF_SIZE(in->code)) {
		case BPF_B: size = 1; break;
		case BPF_H: size = 2; break;
		case BPF_W: size = 4; break;
		default: size = 8; break;
		}
		if (check_read(v, pc, dn))
			return -1;
		struct vreg val;
		if (cls == BPF_ST) {
			v_mark_const(&val, (uint64_t)(int64_t)in->imm);
			return check_mem(v, pc, dn, in->off, size, ACC_WRITE, false, &val, NULL);
		}
		if (check_read(v, pc, sn))
			return -1;
		val = regs(v)[sn];
		if (BPF_MODE(in->code) != BPF_ATOMIC)
			return check_mem(v, pc, dn, in->off, size, ACC_WRITE, false, &val, NULL);
		/* §5.3 atomics: read-modify-write of a scalar. */
		if (is_ptr(&val))
			return VERR(v, pc, BPF_VR_PTR_LEAK, "atomic operation with a pointer operand", "R%d",
			            sn);
		if (in->imm == BPF_CMPXCHG) {
			if (check_read(v, pc, 0))
				return -1;
			if (is_ptr(&regs(v)[0]))
				return VERR(v, pc, BPF_VR_PTR_LEAK, "cmpxchg compares a pointer", "R0");
		}
		if (check_mem(v, pc, dn, in->off, size, ACC_ATOMIC, false, NULL, NULL))
			return -1;
		struct vreg *R = regs(v);
		if (in->imm == BPF_CMPXCHG) {
			set_sized_unknown(&R[0], size, false);
			v->written_reg = 0;
		} else if (in->imm & BPF_FETCH) {
			set_sized_unknown(&R[sn], size, false);
			v->written_reg = sn;
		}
		return 0;
	}
	}
	return VERR(v, pc, BPF_VR_STRUCT, "unknown instruction class", "%#x", in->code);
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
		if (ob == SB_INVALID)
			continue;
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
static void path_done(struct verifier *v)
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
	struct vstate *u = state_unpack(v, s);
	if (!u)
		return verr(v, s->insn, BPF_VR_NOMEM, "verifier memory limit reached");
	bool r = covered(v->cur, u);
	state_free(v, u);
	return r;
}

/* 0: continue, 1: pruned, -1: error */
static int visit_prune_point(struct verifier *v, uint32_t pc)
{
	struct vstate *cur = v->cur;
	struct pstate **pp = &v->explored[pc];
	forget_dead(v, cur, pc);
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
		vfree(v, dead);
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

/* ------------------------------------------------------------------ */
/* driver */

static struct vstate *initial_state(struct verifier *v)
{
	struct vstate *s = vzalloc(v, sizeof(*s));
	if (!s)
		return NULL;
	s->fr[0] = vzalloc(v, frame_bytes(0));
	if (!s->fr[0]) {
		vfree(v, s);
		return NULL;
	}
	/* R1 = context, R10 = frame pointer (RFC 9669 §2.3 calling convention). */
	v_ptr_init(&s->fr[0]->regs[1], V_PTR_CTX);
	v_ptr_init(&s->fr[0]->regs[10], V_PTR_STACK);
	s->since_insns = 8;
	return s;
}

static int path_push(struct verifier *v, uint32_t pc)
{
	if (v->path_len == v->path_cap) {
		uint32_t ncap = v->path_cap ? v->path_cap * 2 : 1024;
		uint32_t *np = valloc(v, (size_t)ncap * sizeof(uint32_t));
		if (!np)
			return verr(v, pc, BPF_VR_NOMEM, "verifier memory limit reached (path)");
		for (uint32_t i = 0; i < v->path_len; i++)
			np[i] = v->path[i];
		vfree(v, v->path);
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
			int r = visit_prune_point(v, pc);
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
			int r = do_insn(v, pc, &next);
			if (r < 0)
				return -1;
			if (r == 0) {
				pc = next;
				continue;
			}
		}
		/* path finished */
		path_done(v);
		state_free(v, v->cur);
		v->cur = NULL;
		if (!v->npending)
			return 0;
		struct pstate *p = v->pending[--v->npending];
		v->cur = state_unpack(v, p);
		vfree(v, p);
		if (!v->cur)
			return verr(v, pc, BPF_VR_NOMEM, "verifier memory limit reached");
		pc = v->cur->insn;
		v->path_len = v->cur->path_len;
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
		state_free(v, v->cur);
	v->cur = initial_state(v);
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
		int rc = do_insn(v, pc, &next);
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

/* Deepest combined stack over call chains seen (functions' own maxima). */
static uint32_t chain_depth(struct verifier *v, uint32_t sp, uint32_t depth)
{
	uint32_t best = 0;
	if (depth >= MAX_FRAMES)
		return 0;
	uint32_t end = sp + 1 < v->nstarts ? v->starts[sp + 1] : v->len;
	for (uint32_t i = v->starts[sp]; i < end; i++) {
		if (!(v->flags[i] & F_EDGE))
			continue;
		uint32_t c = chain_depth(v, sp_of(v, (uint32_t)(i + v->insns[i].imm + 1)), depth + 1);
		if (c > best)
			best = c;
	}
	return v->sp_stack[sp] + best;
}

int bpf_verify(const struct bpf_prog *prog, const struct bpf_env *env,
               const struct bpf_hook *hook, const struct bpf_verifier_opts *opts,
               struct bpf_verifier_result *res)
{
	struct verifier vv, *v = &vv;
	bpf__memset(v, 0, sizeof(*v));
	if (res)
		bpf__memset(res, 0, sizeof(*res));
	if (opts && opts->log && opts->log_size)
		opts->log[0] = 0;
	if (!prog || !env || !hook || !opts || !opts->alloc || !opts->alloc->alloc || !prog->insns ||
	    !prog->len) {
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
	v->flags = vzalloc(v, v->len + 1);
	v->live = vzalloc(v, (size_t)(v->len + 1) * sizeof(uint16_t));
	v->explored = vzalloc(v, (size_t)v->len * sizeof(struct pstate *));
	v->pending_cap = 64;
	v->pending = valloc(v, v->pending_cap * sizeof(struct pstate *));
	if (!v->flags || !v->live || !v->explored || !v->pending) {
		verr(v, 0, BPF_VR_NOMEM, "out of memory");
		rc = -1;
	}
	if (!rc)
		rc = check_structure(v);
	if (!rc) {
		compute_liveness(v);
		v->cur = initial_state(v);
		if (!v->cur)
			rc = verr(v, 0, BPF_VR_NOMEM, "out of memory");
	}
	if (!rc)
		rc = explore(v);
	uint32_t depth = 0;
	if (!rc && v->nstarts) {
		depth = chain_depth(v, 0, 0);
		if (depth > STACK_MAX)
			rc = VERR(v, 0, BPF_VR_STACK_SIZE, "combined stack over 512 bytes",
			          "a call chain uses %u bytes", depth);
	}
	if (rc && v->rule != BPF_VR_OK && v->log && v->rule != BPF_VR_STRUCT &&
	    v->rule != BPF_VR_NOMEM && v->explored_n)
		replay_log(v);
	else if (rc && v->log)
		lprintf(v, "rejected: insn %u: %s [rule %s]\n  %s\n", v->err_pc,
		        v->err_msg ? v->err_msg : "", bpf_vrule_name(v->rule), v->detail);
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
	state_free(v, v->cur);
	while (v->pending && v->npending)
		vfree(v, v->pending[--v->npending]);
	if (v->explored) {
		for (uint32_t i = 0; i < v->len; i++) {
			struct pstate *s = v->explored[i];
			while (s) {
				struct pstate *nx = s->next;
				vfree(v, s);
				s = nx;
			}
		}
	}
	vfree(v, v->explored);
	vfree(v, v->pending);
	vfree(v, v->flags);
	vfree(v, v->live);
	vfree(v, v->starts);
	vfree(v, v->sp_stack);
	vfree(v, v->path);
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

/* ------------------------------------------------------------------ */
/* arena allocator */

static unsigned size_class(size_t n)
{
	unsigned c = 4; /* 16 bytes */
	while (((size_t)1 << c) < n)
		c++;
	return c;
}

static void *arena_alloc(void *ctx, size_t size)
{
	struct bpf_arena *a = ctx;
	unsigned c = size_class(size);
	if (c >= 40)
		return NULL;
	if (a->free_lists[c]) {
		void *p = a->free_lists[c];
		a->free_lists[c] = *(void **)p;
		return p;
	}
	size_t sz = (size_t)1 << c;
	if (a->size - a->used < sz)
		return NULL;
	void *p = a->base + a->used;
	a->used += sz;
	return p;
}

static void arena_free(void *ctx, void *p, size_t size)
{
	struct bpf_arena *a = ctx;
	unsigned c = size_class(size);
	*(void **)p = a->free_lists[c];
	a->free_lists[c] = p;
}

void bpf_arena_init(struct bpf_arena *a, void *buf, size_t size)
{
	bpf__memset(a, 0, sizeof(*a));
	uintptr_t b = ((uintptr_t)buf + 15) & ~(uintptr_t)15;
	size_t lost = (size_t)(b - (uintptr_t)buf);
	a->base = (uint8_t *)b;
	a->size = size > lost ? size - lost : 0;
}

void bpf_arena_allocator(struct bpf_arena *a, struct bpf_allocator *out)
{
	out->alloc = arena_alloc;
	out->free = arena_free;
	out->actx = a;
}
