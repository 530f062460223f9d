/*
 * hypOS eBPF verifier: prove a program safe before it runs in verified
 * mode.  See docs/bpf-verifier.md for the rules and their
 * sources.
 *
 * The verifier checks a program's structure, then runs an abstract
 * interpretation over every path: register types (scalars with signed and
 * unsigned 64- and 32-bit ranges plus known bits, pointers to the
 * context, stack, maps, map values, ring-buffer records and platform
 * variables, with offset ranges), stack contents per byte, branch
 * refinement, helper prototypes and acquired references.  A program the
 * verifier accepts may run in BPF_MODE_VERIFIED against any context of
 * the hook's size.
 *
 * Memory: everything comes from the caller's bpf_allocator; nothing else
 * is allocated, and all of it is freed before bpf_verify returns.  Peak
 * use is bounded by opts->mem_limit.  Freestanding C11.
 */
#ifndef BPF_VERIFIER_H
#define BPF_VERIFIER_H

#include "bpf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Access rights of a context field. */
#define BPF_FIELD_READ 0x1
#define BPF_FIELD_WRITE 0x2

struct bpf_ctx_field {
	uint32_t off, size;
	uint32_t access; /* BPF_FIELD_* */
};

/* hook.flags */
#define BPF_HOOK_TAIL_CALLS 0x01 /* bpf_tail_call (PROTO_TAIL_CALL helpers) allowed */
#define BPF_HOOK_PTR_LEAK \
	0x02                 /* pointers may be stored in maps/ctx, returned, turned into scalars */
#define BPF_HOOK_PACKET 0x04 /* legacy LD_ABS/LD_IND (RFC 9669 §5.5) on the context allowed */
#define BPF_HOOK_CTX_WRITABLE 0x08 /* with nfields == 0: the whole context is writable */
#define BPF_HOOK_CHECK_RET 0x10    /* R0 at exit must be a scalar in [ret_min, ret_max] */
#define BPF_HOOK_CTX_LEN \
	0x20 /* R2 holds ctx_size at entry (bpf_vm_exec's exec(mem, len) form);
                                      ignored with BPF_HOOK_TAIL_CALLS: a tail-call target's R2 is not the length */

/* Where a program is attached: what it is given and what it may call. */
struct bpf_hook {
	const char *name;
	uint32_t ctx_size;                  /* bytes at R1 */
	const struct bpf_ctx_field *fields; /* NULL: the whole context is readable */
	uint32_t nfields;
	const uint32_t *helpers; /* allowed helper ids; NULL: every helper in env */
	uint32_t nhelpers;
	uint32_t flags;           /* BPF_HOOK_* */
	int64_t ret_min, ret_max; /* with BPF_HOOK_CHECK_RET */
};

/* The rule a rejected program broke.  Names (bpf_vrule_name) appear in the
 * log and in the tests. */
enum bpf_vrule {
	BPF_VR_OK = 0,
	BPF_VR_ARGS,          /* bad arguments to bpf_verify */
	BPF_VR_STRUCT,        /* opcode/field/register/jump-target rules (bpf_prog_init) */
	BPF_VR_UNREACHABLE,   /* instruction not reachable from the entry */
	BPF_VR_SUBPROG_JUMP,  /* jump leaves its BPF-to-BPF function */
	BPF_VR_FALLTHROUGH,   /* a function falls through into the next */
	BPF_VR_CALL_DEPTH,    /* more than 8 nested frames (also unbounded recursion) */
	BPF_VR_STACK_SIZE,    /* combined stack of a call chain over 512 bytes */
	BPF_VR_REG_UNINIT,    /* read of an uninitialised register */
	BPF_VR_STACK_UNINIT,  /* read of uninitialised stack bytes */
	BPF_VR_PTR_ARITH,     /* pointer arithmetic that cannot be proved safe */
	BPF_VR_PTR_LEAK,      /* a pointer escapes where the hook forbids it */
	BPF_VR_MEM_TYPE,      /* load/store through something that is not memory */
	BPF_VR_MEM_NULL,      /* load/store through a possibly-NULL pointer */
	BPF_VR_MEM_BOUNDS,    /* access not provably inside its region */
	BPF_VR_MEM_RDONLY,    /* store into read-only memory */
	BPF_VR_CTX_ACCESS,    /* context field not readable/writable */
	BPF_VR_ALIGN,         /* atomic operation not provably aligned */
	BPF_VR_SPILL,         /* pointer spilled misaligned or partially overwritten */
	BPF_VR_HELPER_DENIED, /* helper not allowed by the hook */
	BPF_VR_HELPER_ARG,    /* argument does not match the helper prototype */
	BPF_VR_TAIL_CALL,     /* tail call not allowed here */
	BPF_VR_REF_LEAK,      /* acquired reference not released on some path */
	BPF_VR_REF_RELEASE,   /* release of something not held */
	BPF_VR_RET,           /* R0 at exit uninitialised or out of the hook's range */
	BPF_VR_PACKET,        /* LD_ABS/LD_IND not allowed here */
	BPF_VR_LOOP,          /* loop the analysis cannot prove bounded */
	BPF_VR_COMPLEXITY,    /* explored-instruction or pending-branch limit */
	BPF_VR_NOMEM,         /* the allocator or mem_limit ran out */
	BPF_VR_CALLX,         /* callx target not a known helper or function */
	BPF_VR_MAX
};
const char *bpf_vrule_name(int rule);

struct bpf_verifier_opts {
	const struct bpf_allocator *alloc; /* required */
	uint64_t insn_limit;               /* explored instructions; 0: 1,000,000 */
	uint64_t mem_limit;                /* bytes the verifier may hold; 0: 64 MiB */
	char *log;                         /* rejection log (NUL-terminated), may be NULL */
	size_t log_size;
	uint32_t log_path_max; /* path steps printed in full; 0: 64 */
};

struct bpf_verifier_result {
	int rule;          /* enum bpf_vrule; BPF_VR_OK when accepted */
	uint32_t insn;     /* where the rule was broken */
	const char *msg;   /* static description */
	uint64_t explored; /* instructions explored */
	uint64_t states_stored, states_pruned, max_pending;
	uint64_t peak_mem;    /* bytes, allocator headers included */
	uint32_t stack_depth; /* deepest combined stack of a call chain */
	uint32_t path_len;    /* length of the rejected path */
};

/* Verify prog (already through bpf_prog_init) for hook.  Returns 0 when
 * the program is safe, -BPF_EACCES style negative values otherwise:
 * -BPF_EINVAL for a rule violation (res->rule says which), -BPF_E2BIG for
 * the complexity limits, -BPF_ENOMEM for memory.  res and opts->log are
 * filled either way. */
int bpf_verify(const struct bpf_prog *prog, const struct bpf_env *env, const struct bpf_hook *hook,
               const struct bpf_verifier_opts *opts, struct bpf_verifier_result *res);

/* A bump-with-free-lists allocator over a caller buffer, for embedders
 * with no heap (the hypOS bpf PD).  Size classes are powers of two. */
struct bpf_arena {
	uint8_t *base;
	size_t size, used;
	void *free_lists[40];
};
void bpf_arena_init(struct bpf_arena *a, void *buf, size_t size);
void bpf_arena_allocator(struct bpf_arena *a, struct bpf_allocator *out);

#ifdef __cplusplus
}
#endif
#endif
