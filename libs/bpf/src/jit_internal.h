/* Shared between the JIT back ends (jit_x86_64.c, jit_riscv64.c), the
 * pass driver and the native-code runner (jit_common.c). */
#ifndef BPF_JIT_INTERNAL_H
#define BPF_JIT_INTERNAL_H

#include <stddef.h>

#include "bpf/jit.h"
#include "internal.h"

/*
 * One native run.  The code gets a pointer to it in its first argument
 * register and keeps it in a callee-saved register for the whole run;
 * the offsets below are part of the generated code's ABI.
 */
struct bpf__jit_run {
	struct bpf_vm *vm; /* helpers' first argument */
	uint64_t
	        stack_base; /* vm->stack: a call whose frame would start below it exceeds the depth */
	uint64_t saved_sp;  /* native sp after the prologue, to leave from any depth */
	uint64_t r0;        /* R0 at the end of the run */
	uint64_t r1;        /* R1 at the last helper call: a tail call keeps it */
	int32_t status;     /* BPF_OK, a bpf_status, or JIT_ST_PKT_END */
	uint32_t pc;        /* instruction that stopped the run */
	uint32_t fault_set; /* vm->fault already filled by a nested interpreter */
	uint32_t pad;
	uint64_t r2; /* R2 at the last helper call: a tail call keeps it */
};
#define JRUN_VM 0
#define JRUN_STACK_BASE 8
#define JRUN_SAVED_SP 16
#define JRUN_R0 24
#define JRUN_R1 32
#define JRUN_STATUS 40
#define JRUN_PC 44
#define JRUN_R2 56
_Static_assert(offsetof(struct bpf__jit_run, vm) == JRUN_VM, "run layout");
_Static_assert(offsetof(struct bpf__jit_run, stack_base) == JRUN_STACK_BASE, "run layout");
_Static_assert(offsetof(struct bpf__jit_run, saved_sp) == JRUN_SAVED_SP, "run layout");
_Static_assert(offsetof(struct bpf__jit_run, r0) == JRUN_R0, "run layout");
_Static_assert(offsetof(struct bpf__jit_run, r1) == JRUN_R1, "run layout");
_Static_assert(offsetof(struct bpf__jit_run, status) == JRUN_STATUS, "run layout");
_Static_assert(offsetof(struct bpf__jit_run, pc) == JRUN_PC, "run layout");
_Static_assert(offsetof(struct bpf__jit_run, r2) == JRUN_R2, "run layout");

/* RFC 9669 §5.5: a legacy packet load out of bounds ends the whole run
 * with R0 = 0 and status BPF_OK; inside the code it travels as this
 * status so that nested (tail-called) runs stop their callers too. */
#define JIT_ST_PKT_END (-1)

/* Entry point of generated code: R1 = r1, R2 = r2, R10 = fp; the other
 * registers start at 0. */
typedef void (*bpf__jit_entry_fn)(struct bpf__jit_run *run, uint64_t r1, uint64_t fp, uint64_t r2);

/* Called by generated code after a helper set vm->tail_target: runs the
 * target in the current frame (fp) with the R1 and R2 the helper call
 * had (the interpreter keeps registers across a tail call) and returns
 * its R0; on failure sets run->status (the code then leaves the run). */
uint64_t bpf__jit_tail_call(struct bpf__jit_run *run, uint64_t r1, uint64_t fp, uint64_t r2);

/* callx (0x8d) with src 1 jumps to PC + 1 + dst at run time.  Programs
 * using it get a table after their code: the native offset of every
 * instruction a call may target, JIT_NO_TARGET for the rest (outside
 * the program, the second half of LD_IMM64), as the interpreter checks. */
#define BPF_CALLX (BPF_JMP | BPF_CALL | BPF_X)
struct jit;
#define JIT_NO_TARGET 0xffffffffu
bool bpf__jit_needs_target_table(const struct bpf_prog *prog);
/* Emit the table (4-byte aligned, padding byte pad); returns its offset. */
uint32_t bpf__jit_emit_target_table(struct jit *c, uint8_t pad);

/* Branch forms a back end may choose per instruction, smallest first. */
#define JIT_FORM_SHORT 0
#define JIT_FORM_MID 1
#define JIT_FORM_LONG 2

/* The compiler's state for one program.  A back end emits the whole
 * program once per pass:
 *   pass 0: every branch in its longest form; records offsets;
 *   pass 1: picks each branch's form from pass 0's offsets (distances
 *           only shrink afterwards, so a form that fits keeps fitting);
 *   pass 2: emits with pass 1's offsets and forms; must reproduce them.
 * Blinding keys restart from the seed every pass, so sizes repeat. */
struct jit {
	const struct bpf_prog *prog;
	const struct bpf_env *env; /* the one the program was verified with */
	uint8_t *buf;              /* NULL: measure only */
	size_t cap, pos;
	uint32_t *off; /* previous pass: native offset of insn i (len + 1 entries) */
	uint32_t *cur; /* this pass */
	uint8_t *form; /* per insn: JIT_FORM_* of its branch */
	uint32_t pass;
	uint32_t flags; /* BPF_JIT_F_* */
	uint64_t seed, rng;
	uint32_t stub[8]; /* back-end stubs: offsets from the previous pass */
	uint32_t stub_cur[8];
	int err;
	uint32_t err_insn;
};

static inline void jit_emit_bytes(struct jit *c, const void *p, size_t n)
{
	if (c->buf && c->pos + n <= c->cap)
		bpf__memcpy(c->buf + c->pos, p, n);
	c->pos += n;
}
/* Fixed-size stores without a byte-copy call: the freestanding library
 * is built -fno-builtin, where bpf__memcpy is a loop, and the back ends
 * emit every instruction through these. */
typedef uint32_t __attribute__((may_alias, aligned(1))) jit_u32_una;
typedef uint64_t __attribute__((may_alias, aligned(1))) jit_u64_una;
static inline void jit_emit8(struct jit *c, uint8_t v)
{
	if (c->buf && c->pos + 1 <= c->cap)
		c->buf[c->pos] = v;
	c->pos += 1;
}
static inline void jit_emit32(struct jit *c, uint32_t v)
{
	if (c->buf && c->pos + 4 <= c->cap)
		*(jit_u32_una *)(c->buf + c->pos) = v;
	c->pos += 4;
}
static inline void jit_emit64(struct jit *c, uint64_t v)
{
	if (c->buf && c->pos + 8 <= c->cap)
		*(jit_u64_una *)(c->buf + c->pos) = v;
	c->pos += 8;
}
/* Overwrite already emitted bytes (forward branches inside one insn). */
static inline void jit_patch(struct jit *c, size_t at, const void *p, size_t n)
{
	if (c->buf && at + n <= c->cap)
		bpf__memcpy(c->buf + at, p, n);
}

/* Next blinding key (xorshift64*, restarted from the seed each pass). */
static inline uint32_t jit_blind_key(struct jit *c)
{
	c->rng ^= c->rng >> 12;
	c->rng ^= c->rng << 25;
	c->rng ^= c->rng >> 27;
	return (uint32_t)((c->rng * 0x2545f4914f6cdd1dULL) >> 32);
}

/* Target instruction of a jump at i (offset in off or, for JMP32 JA,
 * imm), RFC 9669 §4.3: relative to the next instruction. */
static inline uint32_t jit_jump_target(const struct bpf_insn *in, uint32_t i)
{
	if (in->code == (BPF_JMP32 | BPF_JA))
		return (uint32_t)((int64_t)i + 1 + in->imm);
	return (uint32_t)((int64_t)i + 1 + in->off);
}

/* Native offset of jump target t seen from instruction i during a pass:
 * pass 1 knows this pass's offsets of earlier instructions exactly and
 * uses pass 0's (never smaller) distances for later ones. */
static inline int64_t jit_target_off(const struct jit *c, uint32_t i, uint32_t t)
{
	return c->pass == 1 && t <= i ? c->cur[t] : c->off[t];
}

/* The helper table entry of vm->env for id, as generated code finds it. */
#define JIT_ENV_HELPER_OFF(id) (offsetof(struct bpf_env, helpers) + 8u * (id))

/* bpf_jit_emit without the verifier run, for callers that just ran it
 * on the same program (bpf_jit_compile's second, writing pass). */
int bpf__jit_emit_verified(enum bpf_jit_arch arch, const struct bpf_prog *prog,
                           const struct bpf_env *env, const struct bpf_jit_opts *opts, void *buf,
                           size_t cap, size_t *len, struct bpf_verifier_result *res);

/* jit_host.c, for the benchmarks only: their hand-written programs run
 * loops of millions of iterations the verifier cannot prove, and are
 * measured the way the interpreter benchmark measures verified mode. */
int bpf__jit_compile_unverified(struct bpf_prog *prog, const struct bpf_env *env,
                                const struct bpf_jit_opts *opts);

int bpf__jit_x86_64(struct jit *c);
int bpf__jit_riscv64(struct jit *c);

#endif
