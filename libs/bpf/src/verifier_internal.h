/*
 * The verifier's private interface: the state it explores, the per-run
 * context, and what its parts give each other.  The parts (one file each):
 *
 *   verifier.c        the abstract step (ALU, branches, loads/stores,
 *                     LD_IMM64) and the driver (depth-first exploration,
 *                     bpf_verify);
 *   verifier_cfg.c    structure: functions, jumps, reachability, register
 *                     liveness, the call graph's stack depth;
 *   verifier_mem.c    memory access: stack bytes and spills, context
 *                     fields, map values, records, variables;
 *   verifier_call.c   calls: helper prototypes and references, BPF-to-BPF
 *                     calls and returns;
 *   verifier_state.c  state memory, copies, packing, and pruning;
 *   verifier_log.c    rule names, errors, the rejection log.
 *
 * Rules and their sources: docs/bpf-verifier.md.
 */
#ifndef BPF_VERIFIER_INTERNAL_H
#define BPF_VERIFIER_INTERNAL_H

#include "bpf/verifier.h"
#include "vdomain.h"

#define MAX_FRAMES BPF_MAX_CALL_DEPTH
#define MAX_REFS 16
#define MAX_PENDING 65536 /* also bounded by mem_limit */
#define MAX_LIST 24       /* stored states per instruction */
#define STACK_MAX BPF_STACK_FRAME_SIZE
#define MAX_VAR_OFF (1 << 29) /* bound on pointer offsets, keeps sums in range */

/* What a stack byte holds.  SB_PTR_LEFT: what is left of a spilled
 * pointer after part of its slot was overwritten (hooks without
 * BPF_HOOK_PTR_LEAK); those bytes are address bits, never readable. */
enum { SB_INVALID = 0, SB_MISC, SB_ZERO, SB_SPILL, SB_PTR_LEFT };

struct vslot {
	uint8_t st[8]; /* per byte; byte j is at fp - 8*(i+1) + j */
	struct vreg spill;
};

struct vframe {
	struct vreg regs[BPF_NREGS];
	uint32_t callsite; /* call instruction in the caller */
	uint32_t subprog;
	uint32_t nslots; /* slots allocated (8 bytes each, from fp down) */
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
 * the pruning point, see bpfv_forget_dead), the stack bytes' descriptions,
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

#define F_START 0x01 /* first instruction of a function */
#define F_PRUNE 0x02 /* pruning point */
#define F_REACH 0x04
#define F_HALF 0x08 /* second half of LD_IMM64 */
#define F_EDGE 0x10 /* local call explored */

struct verifier {
	const struct bpf_prog *prog;
	const struct bpf_env *env;
	const struct bpf_hook *hook;
	const struct bpf_verifier_opts *opts;
	const struct bpf_allocator *a;
	const struct bpf_insn *insns;
	uint32_t len;
	uint8_t *flags;
	uint16_t *live; /* registers live before each instruction */
	struct pstate **explored;
	uint8_t *nexplored;
	uint32_t *starts, nstarts;
	uint32_t *sp_stack;
	uint32_t *callx_to; /* local callx at i: its target + 1 (0: unknown); NULL: none */
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

static inline struct vframe *curf(struct verifier *v)
{
	return v->cur->fr[v->cur->curframe];
}
static inline struct vreg *regs(struct verifier *v)
{
	return curf(v)->regs;
}

static inline bool is_ptr(const struct vreg *r)
{
	return r->type > V_SCALAR;
}
static inline bool leak_ok(const struct verifier *v)
{
	return (v->hook->flags & BPF_HOOK_PTR_LEAK) != 0;
}

/* Apply fn to every register and spilled register of the state. */
#define FOR_EACH_REG(st, r, body)                                       \
	do {                                                            \
		for (uint32_t f_ = 0; f_ <= (st)->curframe; f_++) {     \
			struct vframe *fr_ = (st)->fr[f_];              \
			for (int i_ = 0; i_ < BPF_NREGS; i_++) {        \
				struct vreg *r = &fr_->regs[i_];        \
				body;                                   \
			}                                               \
			for (uint32_t s_ = 0; s_ < fr_->nslots; s_++) { \
				if (fr_->slots[s_].st[0] != SB_SPILL)   \
					continue;                       \
				struct vreg *r = &fr_->slots[s_].spill; \
				body;                                   \
			}                                               \
		}                                                       \
	} while (0)

static inline struct vslot *slot_at(struct vframe *f, int64_t byteoff, int *j)
{
	/* byteoff in [-512, 0) */
	int64_t k = -byteoff - 1; /* 0 = fp-1 */
	uint32_t idx = (uint32_t)(k / 8);
	*j = 7 - (int)(k % 8);
	return &f->slots[idx];
}

static inline bool is_callx(const struct bpf_insn *in)
{
	return in->code == (BPF_JMP | BPF_CALL | BPF_X);
}

/* Target of a jump (JMP32 JA takes its offset from imm, RFC 9669 §4.3). */
static inline int64_t jmp_target(const struct bpf_insn *in, uint32_t pc)
{
	if (BPF_CLASS(in->code) == BPF_JMP32 && BPF_OP(in->code) == BPF_JA)
		return (int64_t)pc + in->imm + 1;
	return (int64_t)pc + in->off + 1;
}

/* Word copy: state structures are multiples of 8 bytes. */
static inline void wcopy(void *dst, const void *src, size_t n)
{
	uint64_t *d = dst;
	const uint64_t *s = src;
	for (size_t i = 0; i < n / 8; i++)
		d[i] = s[i];
}

static inline size_t frame_bytes(uint32_t nslots)
{
	return sizeof(struct vframe) + nslots * sizeof(struct vslot);
}

/* ---- verifier_state.c: memory, states, pruning ---- */
/* Allocations are accounted against the memory limit (NULL beyond it). */
void *bpfv_alloc(struct verifier *v, size_t size);
void *bpfv_zalloc(struct verifier *v, size_t size);
void bpfv_free(struct verifier *v, void *p);
void bpfv_state_free(struct verifier *v, struct vstate *s);
struct vstate *bpfv_state_dup(struct verifier *v, const struct vstate *s);
struct vstate *bpfv_state_unpack(struct verifier *v, const struct pstate *p);
void bpfv_wipe_invalid_spills(struct vstate *st);
void bpfv_release_id(struct vstate *st, uint32_t id);
bool bpfv_ref_remove(struct vstate *st, uint32_t id);
void bpfv_mark_null_result(struct vstate *st, uint32_t id, bool is_null);
void bpfv_set_linked(struct vstate *st, struct vreg *reg, const struct vreg *val);
int bpfv_grow_stack(struct verifier *v, struct vstate *st, uint32_t frame, int64_t lo);
int bpfv_push_pending(struct verifier *v, uint32_t resume, struct vstate *st);
void bpfv_path_done(struct verifier *v);
/* 0: continue, 1: pruned, -1: error */
int bpfv_visit_prune_point(struct verifier *v, uint32_t pc);

/* ---- verifier_cfg.c: structure and liveness ---- */
uint32_t bpfv_sp_of(const struct verifier *v, uint32_t pc);
int bpfv_check_structure(struct verifier *v);
void bpfv_compute_liveness(struct verifier *v);
void bpfv_forget_dead(struct verifier *v, struct vstate *st, uint32_t pc);
uint32_t bpfv_chain_depth(struct verifier *v, uint32_t sp, uint32_t depth);

/* ---- verifier_mem.c: memory access ---- */
enum { ACC_READ, ACC_WRITE, ACC_ATOMIC };
void bpfv_set_sized_unknown(struct vreg *r, uint32_t size, bool sx);
int bpfv_check_mem(struct verifier *v, uint32_t pc, int regno, int32_t off, uint32_t size, int acc,
                   bool sx, const struct vreg *val, struct vreg *out);
int bpfv_check_helper_mem(struct verifier *v, uint32_t pc, int regno, uint64_t size_max, bool write,
                          bool mark_init);

/* ---- verifier_call.c: helpers, local calls, exits ---- */
int bpfv_check_helper(struct verifier *v, uint32_t pc, const struct bpf_insn *in);
int bpfv_call_local(struct verifier *v, uint32_t pc, const struct bpf_insn *in, uint32_t *next);
int bpfv_callx(struct verifier *v, uint32_t pc, const struct bpf_insn *in, uint32_t *next);
/* Returns 1 when the program's exit ends the path. */
int bpfv_exit(struct verifier *v, uint32_t pc, uint32_t *next);

/* ---- verifier.c: the step ---- */
struct vstate *bpfv_initial_state(struct verifier *v);
/* 0: go on at *next, 1: the path ends, -1: rejected */
int bpfv_do_insn(struct verifier *v, uint32_t pc, uint32_t *next);

/* ---- verifier_log.c: errors and the log ---- */
extern const char *const bpfv_type_names[V_NTYPES];
extern const char *const bpfv_alu_op_names[16];
/* Record the first error (rule, instruction, message); returns -1. */
int bpfv_err(struct verifier *v, uint32_t pc, int rule, const char *msg);
int bpfv_errf(struct verifier *v, uint32_t pc, int rule, const char *msg, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));
#define VERR(v, pc, rl, msg, ...) bpfv_errf(v, pc, rl, msg, __VA_ARGS__)
/* After a rejection: write opts->log (the failing path replayed). */
void bpfv_log_rejection(struct verifier *v);

#endif
