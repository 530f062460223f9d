/*
 * hypOS eBPF runtime: interpreter, maps, helpers and ELF loader.
 *
 * Portable, freestanding C11: no libc, no allocation while a program runs.
 * Every byte of memory comes from the embedder: map storage is passed to
 * bpf_map_init(), the stack to bpf_vm_init(), and the loader allocates
 * through a callback the embedder supplies.
 *
 * Not thread-safe: one VM runs at a time against a given set of maps (the
 * hypOS bpf PD is single-threaded).  See docs/bpf.md.
 */
#ifndef BPF_BPF_H
#define BPF_BPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "insn.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bpf_vm;
struct bpf_prog;
struct bpf_map;
struct bpf_jit_code;

/* ---------------------------------------------------------------------- */
/* Errors.  Map and helper operations return negative Linux errno values so
 * that clang-built programs see the numbers they expect. */
#define BPF_ENOENT 2
#define BPF_E2BIG 7
#define BPF_EAGAIN 11
#define BPF_ENOMEM 12
#define BPF_EFAULT 14
#define BPF_EBUSY 16
#define BPF_EEXIST 17
#define BPF_EINVAL 22
#define BPF_ENOSPC 28
#define BPF_EOPNOTSUPP 95

/* Why a run stopped (bpf_vm_run's return value). */
enum bpf_status {
	BPF_OK = 0,
	BPF_ERR_LOAD_FAULT,  /* checked mode: load outside ctx/stack/map memory */
	BPF_ERR_STORE_FAULT, /* checked mode: store outside writable memory */
	BPF_ERR_BUDGET,      /* checked mode: instruction budget exhausted */
	BPF_ERR_CALL_DEPTH,  /* more than BPF_MAX_CALL_DEPTH nested local calls */
	BPF_ERR_HELPER_ARG,  /* checked mode: helper argument violates prototype */
	BPF_ERR_NO_HELPER,   /* helper id not registered at run time */
	BPF_ERR_BAD_INSN,    /* instruction not accepted (unvalidated program) */
	BPF_ERR_INVALID,     /* bad arguments to bpf_vm_run */
	BPF_ERR_ABORT,       /* a helper asked to stop the program */
};
const char *bpf_status_str(int status);

/* ---------------------------------------------------------------------- */
/* Helper prototypes.  The checked interpreter validates arguments against
 * them before every call; the verifier uses the same description
 * to type-check call sites.  Numbering is our own. */
enum bpf_arg_type {
	BPF_ARG_NONE = 0,           /* unused argument slot */
	BPF_ARG_ANYTHING,           /* any scalar or pointer, not dereferenced */
	BPF_ARG_CONST_MAP_PTR,      /* one of the program's maps */
	BPF_ARG_PTR_TO_MAP_KEY,     /* readable, key_size of the preceding map arg */
	BPF_ARG_PTR_TO_MAP_VALUE,   /* readable, value_size of the preceding map arg */
	BPF_ARG_PTR_TO_MEM,         /* readable, size given by the next argument */
	BPF_ARG_PTR_TO_UNINIT_MEM,  /* writable, size given by the next argument */
	BPF_ARG_CONST_SIZE,         /* size for the previous pointer, > 0 */
	BPF_ARG_CONST_SIZE_OR_ZERO, /* size for the previous pointer, may be 0 */
	BPF_ARG_PTR_TO_CTX,         /* the context pointer the program got in R1 */
	BPF_ARG_PTR_TO_ALLOC_MEM,   /* a record returned by ringbuf_reserve */
	BPF_ARG_CONST_ALLOC_SIZE,   /* size of memory a helper will allocate */
	BPF_ARG_PTR_TO_STR,         /* NUL-terminated string in readable memory */
	BPF_ARG_TYPE_MAX
};

enum bpf_ret_type {
	BPF_RET_INTEGER = 0,              /* scalar in R0 */
	BPF_RET_VOID,                     /* R0 undefined */
	BPF_RET_PTR_TO_MAP_VALUE_OR_NULL, /* value of the map argument, or NULL */
	BPF_RET_PTR_TO_ALLOC_MEM_OR_NULL, /* size given by BPF_ARG_CONST_ALLOC_SIZE */
};

#define BPF_HELPER_MAX_ARGS 5
/* proto.flags */
#define BPF_PROTO_TAIL_CALL 0x01      /* may not return (bpf_tail_call) */
#define BPF_PROTO_RELEASES_ALLOC 0x02 /* consumes its ALLOC_MEM argument */
#define BPF_PROTO_PURE 0x04           /* no side effects on program-visible state */

struct bpf_func_proto {
	uint8_t ret;                       /* enum bpf_ret_type */
	uint8_t args[BPF_HELPER_MAX_ARGS]; /* enum bpf_arg_type */
	uint8_t flags;                     /* BPF_PROTO_* */
	uint8_t reserved;
	/* Map types the CONST_MAP_PTR argument accepts, as a mask of
	 * BPF_MAP_TYPE_BIT(type); 0 accepts any map. */
	uint32_t map_types;
};
#define BPF_MAP_TYPE_BIT(t) (1U << (t))

typedef uint64_t (*bpf_helper_fn)(struct bpf_vm *vm, uint64_t r1, uint64_t r2, uint64_t r3,
                                  uint64_t r4, uint64_t r5);

struct bpf_helper {
	uint32_t id; /* the number in the call instruction's imm */
	const char *name;
	bpf_helper_fn fn;
	struct bpf_func_proto proto;
};

/* Linux helper numbers (include/uapi/linux/bpf.h), so that programs built
 * against Debian's bpf_helper_defs.h run unchanged. */
#define BPF_FUNC_map_lookup_elem 1
#define BPF_FUNC_map_update_elem 2
#define BPF_FUNC_map_delete_elem 3
#define BPF_FUNC_ktime_get_ns 5
#define BPF_FUNC_trace_printk 6
#define BPF_FUNC_get_prandom_u32 7
#define BPF_FUNC_get_smp_processor_id 8
#define BPF_FUNC_tail_call 12
#define BPF_FUNC_ringbuf_output 130
#define BPF_FUNC_ringbuf_reserve 131
#define BPF_FUNC_ringbuf_submit 132
#define BPF_FUNC_ringbuf_discard 133
#define BPF_FUNC_ringbuf_query 134
#define BPF_FUNC_trace_vprintk 177

/* Helper ids accepted: 0 < id < BPF_MAX_HELPER_ID.  Linux uses ids below
 * 256; embedders should pick ids from BPF_FUNC_EMBEDDER_BASE up. */
#define BPF_MAX_HELPER_ID 512
#define BPF_FUNC_EMBEDDER_BASE 256

/* Hooks through which time, printing, randomness and ring-buffer wake-ups
 * reach the embedder.  Any hook may be NULL (a default is used: time 0,
 * output dropped, a fixed xorshift sequence, cpu 0, no notification). */
struct bpf_hooks {
	uint64_t (*ktime_ns)(void *hctx);
	uint32_t (*prandom_u32)(void *hctx);
	void (*print)(void *hctx, const char *buf, size_t len);
	uint32_t (*cpu_id)(void *hctx);
	void (*ringbuf_notify)(void *hctx, struct bpf_map *rb);
};

/* Platform variables: what LD_IMM64 with src_reg = 3 (RFC 9669 §5.4,
 * var_addr(imm)) resolves.  The embedder owns the memory; checked mode
 * lets programs access [addr, addr + size) (read-only if flagged). */
#define BPF_VAR_READONLY 0x1
struct bpf_var {
	uint32_t id;
	uint32_t flags;
	void *addr;
	uint64_t size;
};

/* The helper table and hooks shared by every VM of one embedder. */
struct bpf_env {
	const struct bpf_helper *helpers[BPF_MAX_HELPER_ID];
	struct bpf_hooks hooks;
	void *hook_ctx;
	const struct bpf_var *vars; /* see bpf_env_set_vars */
	uint32_t nvars;
};

/* Initialise an environment with the standard Linux-numbered helpers. */
void bpf_env_init(struct bpf_env *env, const struct bpf_hooks *hooks, void *hook_ctx);
/* Register an embedder helper; fails with -BPF_EEXIST if the id is taken,
 * -BPF_EINVAL if the id is out of range or the prototype is malformed. */
int bpf_env_register_helper(struct bpf_env *env, const struct bpf_helper *h);
int bpf_env_unregister_helper(struct bpf_env *env, uint32_t id);
/* Install the platform variables (array kept by reference; ids unique).
 * Programs validated against the env may then use var_addr(id). */
int bpf_env_set_vars(struct bpf_env *env, const struct bpf_var *vars, uint32_t n);
const struct bpf_var *bpf_env_var(const struct bpf_env *env, uint32_t id);
const struct bpf_helper *bpf_env_helper(const struct bpf_env *env, uint32_t id);
/* Is this prototype well formed (sizes follow their pointers, ...)? */
bool bpf_proto_valid(const struct bpf_func_proto *p);

/* ---------------------------------------------------------------------- */
/* Maps.  Linux map-type numbers. */
#define BPF_MAP_TYPE_HASH 1
#define BPF_MAP_TYPE_ARRAY 2
#define BPF_MAP_TYPE_PROG_ARRAY 3
#define BPF_MAP_TYPE_LRU_HASH 9
#define BPF_MAP_TYPE_RINGBUF 27

/* Update flags (Linux values). */
#define BPF_ANY 0
#define BPF_NOEXIST 1
#define BPF_EXIST 2

/* map_flags we accept. */
#define BPF_F_NO_PREALLOC (1U << 0) /* accepted, ignored: we always preallocate */
#define BPF_F_RDONLY_PROG (1U << 7) /* program may read but not write values */
#define BPF_F_MMAPABLE (1U << 10)   /* accepted for array maps */

/* Ring buffer flags. */
#define BPF_RB_NO_WAKEUP (1U << 0)
#define BPF_RB_FORCE_WAKEUP (1U << 1)
#define BPF_RB_AVAIL_DATA 0
#define BPF_RB_RING_SIZE 1
#define BPF_RB_CONS_POS 2
#define BPF_RB_PROD_POS 3

#define BPF_RINGBUF_HDR_SIZE 8
#define BPF_RINGBUF_BUSY_BIT (1U << 31)
#define BPF_RINGBUF_DISCARD_BIT (1U << 30)

/* Limits enforced at map creation. */
#define BPF_MAP_MAX_KEY_SIZE 512
#define BPF_MAP_MAX_VALUE_SIZE (1U << 20)
#define BPF_MAP_MAX_ENTRIES (1U << 24)
#define BPF_MAP_NAME_LEN 32

struct bpf_map_def {
	uint32_t type;
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t flags;
};

struct bpf_map {
	struct bpf_map_def def;
	char name[BPF_MAP_NAME_LEN];
	/* The bytes a program may reach through pointers this map hands out
	 * (values, ring-buffer records).  Checked mode allows access within
	 * [data, data + data_len); writes only if !prog_readonly. */
	uint8_t *data;
	uint64_t data_len;
	bool prog_readonly;
	uint32_t elem_size; /* value stride (array) or node stride (hash) */
	union {
		struct {
			uint32_t *buckets;  /* head node index + 1, 0 = empty */
			uint8_t *keys;      /* key array (8-byte stride), apart from data */
			void *nodes;        /* chain and LRU links, apart from data */
			uint32_t nbuckets;  /* power of two */
			uint32_t free_head; /* free list, node index + 1 */
			uint32_t count;
			uint32_t lru_head, lru_tail; /* index + 1, LRU only */
			uint64_t seed;
		} hash;
		struct {
			const struct bpf_prog **progs;
		} prog_array;
		struct {
			uint64_t *cons_pos; /* kept apart from data: not reachable */
			uint64_t *prod_pos; /*   by programs */
			uint64_t mask;
			uint64_t pending_pos; /* oldest reserved, uncommitted */
		} ringbuf;
	} u;
};

/* Bytes of storage bpf_map_init needs for this definition, or 0 if the
 * definition is not supported (unknown type, bad sizes, absurd size). */
size_t bpf_map_mem_size(const struct bpf_map_def *def);
/* Set up a map in caller memory (mem_len >= bpf_map_mem_size(def), aligned
 * to 8).  The memory is zeroed.  Returns 0 or a negative errno. */
int bpf_map_init(struct bpf_map *map, const struct bpf_map_def *def, void *mem, size_t mem_len,
                 const char *name);

/* The C side of the map API; same semantics as the helpers. */
void *bpf_map_lookup(struct bpf_map *map, const void *key);
int bpf_map_update(struct bpf_map *map, const void *key, const void *value, uint64_t flags);
int bpf_map_delete(struct bpf_map *map, const void *key);
/* Iterate: key NULL gives the first key.  -BPF_ENOENT after the last. */
int bpf_map_get_next_key(struct bpf_map *map, const void *key, void *next_key);
/* Number of elements (hash maps) or max_entries (arrays). */
uint32_t bpf_map_count(const struct bpf_map *map);

/* Walk a hash or LRU hash map's elements from its storage block alone
 * (mem, mem_len: the block bpf_map_init laid out for def), for a reader
 * that has no struct bpf_map: another address space mapping the block,
 * possibly read-only, while the owner updates it.  *cursor starts at 0;
 * each call gives one element (key and value point into mem) and returns
 * 0, or -BPF_ENOENT after the last, -BPF_EINVAL if def is no hash map or
 * mem_len is smaller than its block.  Every link is bounds-checked and
 * every chain walk bounded, so a block changed (or damaged) meanwhile may
 * yield an element twice or miss one, but is never read outside mem and
 * the walk always ends. */
int bpf_map_storage_next(const struct bpf_map_def *def, const void *mem, size_t mem_len,
                         uint64_t *cursor, const void **key, const void **value);

/* Program arrays: the embedder installs programs (programs cannot). */
int bpf_prog_array_set(struct bpf_map *map, uint32_t index, const struct bpf_prog *prog);

/* Ring buffer: producer (also used by the helpers) and consumer. */
void *bpf_ringbuf_reserve(struct bpf_map *rb, uint64_t size);
void bpf_ringbuf_submit(struct bpf_map *rb, void *rec, bool discard);
/* Called for each committed record in order; return non-zero to stop
 * (that record is consumed).  Returns the number of records delivered. */
typedef int (*bpf_ringbuf_cb)(void *cbctx, const void *data, uint32_t len);
long bpf_ringbuf_consume(struct bpf_map *rb, bpf_ringbuf_cb cb, void *cbctx);
uint64_t bpf_ringbuf_query(const struct bpf_map *rb, uint64_t what);

/* ---------------------------------------------------------------------- */
/* Programs. */
#define BPF_MAX_INSNS (1U << 20)
#define BPF_STACK_FRAME_SIZE 512 /* per call frame, §2.3 R10 */
#define BPF_MAX_CALL_DEPTH 8     /* frames, including the entry frame */
#define BPF_STACK_SIZE (BPF_STACK_FRAME_SIZE * BPF_MAX_CALL_DEPTH)
#define BPF_MAX_TAIL_CALLS 33 /* Linux MAX_TAIL_CALL_CNT */

struct bpf_prog {
	const struct bpf_insn *insns;
	uint32_t len;
	uint32_t nmaps;
	struct bpf_map *const *maps; /* by index: LD_IMM64 map_by_fd/map_by_idx */
	const char *name;
	const char *section;
	/* Native code from the JIT (bpf/jit.h), used by BPF_MODE_JIT runs;
	 * NULL (bpf_prog_init clears it): always interpreted. */
	const struct bpf_jit_code *jit;
};

/* Where and why bpf_prog_init refused a program. */
struct bpf_prog_error {
	uint32_t insn; /* instruction index */
	const char *reason;
};

/* Check a program's structure (RFC 9669 opcodes and fields, register
 * numbers, jump and call targets, wide-instruction pairs, map indices,
 * helper ids known to env) and fill in prog.  This is not the verifier: it
 * does not prove memory safety or termination, so unverified programs
 * must run in checked mode.  Returns 0 or -BPF_EINVAL with err filled. */
int bpf_prog_init(struct bpf_prog *prog, const struct bpf_insn *insns, uint32_t len,
                  struct bpf_map *const *maps, uint32_t nmaps, const struct bpf_env *env,
                  struct bpf_prog_error *err);

/* ---------------------------------------------------------------------- */
/* The virtual machine. */
enum bpf_exec_mode {
	BPF_MODE_VERIFIED = 0, /* passed the verifier: no per-access checks */
	BPF_MODE_CHECKED = 1,  /* every access and helper argument checked */
	BPF_MODE_JIT = 2,      /* verified, running the program's native code
	                        * (prog->jit) when it has some, else interpreted */
};

struct bpf_frame {
	uint64_t saved[4]; /* R6..R9 */
	uint64_t fp;       /* caller's R10 */
	const struct bpf_insn *ret;
	const struct bpf_prog *prog; /* caller (differs after a tail call) */
};

struct bpf_fault {
	uint32_t pc;   /* instruction index in fault_prog */
	uint32_t size; /* access size */
	uint64_t addr; /* faulting address */
	const struct bpf_prog *prog;
};

struct bpf_vm {
	const struct bpf_env *env;
	uint8_t *stack;
	uint32_t stack_size;
	uint8_t mode;         /* enum bpf_exec_mode */
	uint8_t ctx_readonly; /* checked mode: ctx may not be written */
	uint8_t abort;        /* set by a helper to stop the run */
	uint8_t reserved;
	const struct bpf_prog *prog; /* running program (changes on tail call) */
	void *ctx;
	uint64_t ctx_len;
	uint64_t budget;                    /* checked mode: max instructions per run */
	uint64_t insn_count;                /* checked mode: executed in the last run */
	const struct bpf_prog *tail_target; /* set by bpf_tail_call */
	uint32_t tail_calls;
	uint32_t depth;
	struct bpf_frame frames[BPF_MAX_CALL_DEPTH];
	struct bpf_fault fault;
	uint64_t prandom_state; /* default generator when no hook is set */
	void *user;             /* for embedder helpers */
};

/* stack must be BPF_STACK_SIZE bytes (8-aligned) unless the embedder
 * knows its programs use fewer frames (stack_size multiple of 512). */
void bpf_vm_init(struct bpf_vm *vm, const struct bpf_env *env, void *stack, size_t stack_size);
void bpf_vm_set_mode(struct bpf_vm *vm, enum bpf_exec_mode mode, uint64_t budget);
/* Run prog with R1 = ctx.  In checked mode the program may access
 * [ctx, ctx+ctx_len).  The legacy packet loads (RFC 9669 §5.5) read from
 * the same buffer.  On BPF_OK *ret holds R0. */
int bpf_vm_run(struct bpf_vm *vm, const struct bpf_prog *prog, void *ctx, size_t ctx_len,
               uint64_t *ret);

/* The conventional exec(mem, len) form: R1 = mem and R2 = mem_len (both
 * 0 without memory); otherwise as bpf_vm_run, with mem as the context.
 * A verified program must have been verified for a hook with
 * BPF_HOOK_CTX_LEN, and in verified mode mem_len must be that hook's
 * ctx_size (the verifier takes R2 to be exactly ctx_size). */
int bpf_vm_exec(struct bpf_vm *vm, const struct bpf_prog *prog, void *mem, size_t mem_len,
                uint64_t *ret);

/* For helpers: may the program access [addr, addr+size)?  In verified
 * mode always true.  write selects writable memory. */
bool bpf_vm_access_ok(const struct bpf_vm *vm, uint64_t addr, uint64_t size, bool write);
/* For helpers: is p one of the running program's maps? */
struct bpf_map *bpf_vm_map_from_ptr(const struct bpf_vm *vm, uint64_t p);

/* ---------------------------------------------------------------------- */
/* ELF loader for clang -target bpf objects. */
struct bpf_allocator {
	void *(*alloc)(void *actx, size_t size); /* 8-aligned, NULL on failure */
	void (*free)(void *actx, void *p, size_t size);
	void *actx;
};

struct bpf_load_error {
	int code;         /* negative errno */
	uint64_t offset;  /* byte offset within section (or file) */
	char section[64]; /* section name, or "" for the ELF header */
	char reason[160];
};

struct bpf_object;

/* Parse and load an object: programs by section, BTF-defined maps from
 * .maps, global data (.data*, .rodata*, .bss*) as one-entry array maps,
 * map and BPF-to-BPF call relocations.  The object does not keep a
 * reference to data.  Returns 0, or a negative errno with err filled. */
int bpf_object_load(struct bpf_object **out, const void *data, size_t size,
                    const struct bpf_env *env, const struct bpf_allocator *a,
                    struct bpf_load_error *err);
void bpf_object_free(struct bpf_object *obj);

uint32_t bpf_object_prog_count(const struct bpf_object *obj);
struct bpf_prog *bpf_object_prog_at(struct bpf_object *obj, uint32_t i);
/* By SEC() name (e.g. "xdp", "tracepoint/ipc") or by function name. */
struct bpf_prog *bpf_object_prog(struct bpf_object *obj, const char *name);
uint32_t bpf_object_map_count(const struct bpf_object *obj);
struct bpf_map *bpf_object_map_at(struct bpf_object *obj, uint32_t i);
struct bpf_map *bpf_object_map(struct bpf_object *obj, const char *name);
const char *bpf_object_license(const struct bpf_object *obj);

#ifdef __cplusplus
}
#endif
#endif
