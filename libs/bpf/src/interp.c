/*
 * The eBPF interpreter (RFC 9669).  The instruction semantics live in
 * interp_body.inc, which is compiled twice: once for verified mode (no
 * per-access checks) and once for checked mode (every memory access,
 * helper argument and instruction counted and checked).
 *
 * Dispatch is through a table of label addresses (GCC/Clang "labels as
 * values") unless BPF_NO_COMPUTED_GOTO is defined or the compiler lacks
 * the extension, in which case a switch is used.  Both are tested.
 */
#include "internal.h"

#if !defined(BPF_NO_COMPUTED_GOTO) && (defined(__GNUC__) || defined(__clang__))
#define BPF_USE_COMPUTED_GOTO 1
#else
#define BPF_USE_COMPUTED_GOTO 0
#endif

/* Byte-aligned access types: RFC 9669 does not require natural alignment
 * for regular loads and stores, and the compiler must not assume it. */
typedef uint16_t __attribute__((aligned(1), may_alias)) u16_u;
typedef uint32_t __attribute__((aligned(1), may_alias)) u32_u;
typedef uint64_t __attribute__((aligned(1), may_alias)) u64_u;

/* CMPXCHG (RFC 9669 §5.3): compare with the expected value, store the new
 * one if equal, return the old one. */
static inline uint64_t bpf_cmpxchg_8(uint64_t *p, uint64_t expected, uint64_t desired)
{
	__atomic_compare_exchange_n(p, &expected, desired, false, __ATOMIC_SEQ_CST,
	                            __ATOMIC_SEQ_CST);
	return expected;
}

static inline uint32_t bpf_cmpxchg_4(uint32_t *p, uint32_t expected, uint32_t desired)
{
#if defined(__riscv) && __riscv_xlen == 64
	/* RV64's lr.w sign-extends the word it loads. GCC 12 compares that
	 * with the expected value as it finds it in a register, which may be
	 * zero-extended: a word with bit 31 set then never compares equal.
	 * Hand it a register that is sign-extended for certain. */
	long wide = (int32_t)expected;
	__asm__("sext.w %0, %0" : "+r"(wide));
	int32_t e = (int32_t)wide;
	__atomic_compare_exchange_n((int32_t *)p, &e, (int32_t)desired, false, __ATOMIC_SEQ_CST,
	                            __ATOMIC_SEQ_CST);
	return (uint32_t)e;
#else
	__atomic_compare_exchange_n(p, &expected, desired, false, __ATOMIC_SEQ_CST,
	                            __ATOMIC_SEQ_CST);
	return expected;
#endif
}

static inline bool in_region(uint64_t a, uint64_t size, uint64_t base, uint64_t len)
{
	/* [a, a+size) within [base, base+len) without overflow. */
	return a >= base && size <= len && a - base <= len - size;
}

/* The checked-mode memory policy: the whole stack, the context, and the
 * memory each of the running program's maps hands out. */
bool bpf_vm_access_ok(const struct bpf_vm *vm, uint64_t a, uint64_t size, bool write)
{
	if (vm->mode != BPF_MODE_CHECKED)
		return true;
	if (in_region(a, size, (uintptr_t)vm->stack, vm->stack_size))
		return true;
	if (vm->ctx && in_region(a, size, (uintptr_t)vm->ctx, vm->ctx_len))
		return !(write && vm->ctx_readonly);
	const struct bpf_prog *p = vm->prog;
	if (!p)
		return false;
	for (uint32_t i = 0; i < p->nmaps; i++) {
		const struct bpf_map *m = p->maps[i];
		if (m->data_len && in_region(a, size, (uintptr_t)m->data, m->data_len))
			return !(write && m->prog_readonly);
	}
	for (uint32_t i = 0; i < vm->env->nvars; i++) {
		const struct bpf_var *v = &vm->env->vars[i];
		if (in_region(a, size, (uintptr_t)v->addr, v->size))
			return !(write && (v->flags & BPF_VAR_READONLY));
	}
	return false;
}

struct bpf_map *bpf_vm_map_from_ptr(const struct bpf_vm *vm, uint64_t ptr)
{
	const struct bpf_prog *p = vm->prog;
	if (!p || !ptr)
		return NULL;
	for (uint32_t i = 0; i < p->nmaps; i++)
		if ((uintptr_t)p->maps[i] == ptr)
			return p->maps[i];
	return NULL;
}

static bool str_ok(const struct bpf_vm *vm, uint64_t a)
{
	/* A string must be NUL-terminated within accessible memory. */
	for (uint64_t k = 0; k < 4096; k++) {
		if (!bpf_vm_access_ok(vm, a + k, 1, false))
			return false;
		if (!*(const char *)(uintptr_t)(a + k))
			return true;
	}
	return false;
}

/* Check a helper call's arguments against its prototype (checked mode).
 * The rules mirror what the verifier proves statically. */
static bool helper_args_ok(const struct bpf_vm *vm, const struct bpf_helper *h, const uint64_t *r)
{
	const struct bpf_map *map = NULL;
	for (int i = 0; i < BPF_HELPER_MAX_ARGS; i++) {
		uint64_t v = r[1 + i];
		uint64_t next = i + 1 < BPF_HELPER_MAX_ARGS ? r[2 + i] : 0;
		switch (h->proto.args[i]) {
		case BPF_ARG_NONE:
		case BPF_ARG_ANYTHING:
		case BPF_ARG_CONST_SIZE_OR_ZERO:
		case BPF_ARG_CONST_ALLOC_SIZE:
			break;
		case BPF_ARG_CONST_SIZE:
			if (v == 0)
				return false;
			break;
		case BPF_ARG_CONST_MAP_PTR:
			map = bpf_vm_map_from_ptr(vm, v);
			if (!map || map->def.type >= 32 ||
			    (h->proto.map_types &&
			     !(h->proto.map_types & BPF_MAP_TYPE_BIT(map->def.type))))
				return false;
			break;
		case BPF_ARG_PTR_TO_MAP_KEY:
			if (!map || !bpf_vm_access_ok(vm, v, map->def.key_size, false))
				return false;
			break;
		case BPF_ARG_PTR_TO_MAP_VALUE:
			if (!map || !bpf_vm_access_ok(vm, v, map->def.value_size, false))
				return false;
			break;
		case BPF_ARG_PTR_TO_MEM:
			if (next > (1U << 30) || (next && !bpf_vm_access_ok(vm, v, next, false)))
				return false;
			break;
		case BPF_ARG_PTR_TO_UNINIT_MEM:
			if (next > (1U << 30) || (next && !bpf_vm_access_ok(vm, v, next, true)))
				return false;
			break;
		case BPF_ARG_PTR_TO_CTX:
			if (v != (uintptr_t)vm->ctx)
				return false;
			break;
		case BPF_ARG_PTR_TO_ALLOC_MEM: {
			bool found = false;
			const struct bpf_prog *p = vm->prog;
			for (uint32_t k = 0; k < p->nmaps && !found; k++)
				if (p->maps[k]->def.type == BPF_MAP_TYPE_RINGBUF &&
				    bpf__map_is_ringbuf_record(p->maps[k], v))
					found = true;
			if (!found)
				return false;
			break;
		}
		case BPF_ARG_PTR_TO_STR:
			if (!str_ok(vm, v))
				return false;
			break;
		default:
			return false;
		}
	}
	return true;
}

/* Written out rather than __builtin_bswap*: without Zbb those become
 * libgcc calls on riscv64, and the library must link stand-alone.
 * Compilers recognise the pattern on targets that have the instruction. */
static inline uint16_t bswap16(uint16_t x)
{
	return (uint16_t)((x >> 8) | (x << 8));
}
static inline uint32_t bswap32(uint32_t x)
{
	return (x >> 24) | ((x >> 8) & 0xff00) | ((x << 8) & 0xff0000) | (x << 24);
}
static inline uint64_t bswap64(uint64_t x)
{
	return ((uint64_t)bswap32((uint32_t)x) << 32) | bswap32((uint32_t)(x >> 32));
}

#define CHECKED 0
#define RUN_FN run_verified
#include "interp_body.inc"
#undef CHECKED
#undef RUN_FN

#define CHECKED 1
#define RUN_FN run_checked
#include "interp_body.inc"
#undef CHECKED
#undef RUN_FN

/* The JIT runs tail-call targets that have no native code here. */
int bpf__interp_run_verified(struct bpf_vm *vm, const struct bpf_prog *prog, uint64_t r2,
                             uint64_t *ret)
{
	return run_verified(vm, prog, r2, ret);
}

void bpf_vm_init(struct bpf_vm *vm, const struct bpf_env *env, void *stack, size_t stack_size)
{
	bpf__memset(vm, 0, sizeof(*vm));
	vm->env = env;
	vm->stack = stack;
	vm->stack_size = (uint32_t)(stack_size > BPF_STACK_SIZE ? BPF_STACK_SIZE : stack_size);
	vm->stack_size -= vm->stack_size % BPF_STACK_FRAME_SIZE;
	vm->mode = BPF_MODE_CHECKED;
	vm->budget = 1ULL << 32;
}

void bpf_vm_set_mode(struct bpf_vm *vm, enum bpf_exec_mode mode, uint64_t budget)
{
	vm->mode = (uint8_t)mode;
	vm->budget = budget ? budget : (1ULL << 32);
}

static int vm_start(struct bpf_vm *vm, const struct bpf_prog *prog, void *ctx, size_t ctx_len,
                    uint64_t r2, uint64_t *ret)
{
	uint64_t r0 = 0;
	if (!vm || !prog || !prog->insns || !prog->len || !vm->env ||
	    vm->stack_size < BPF_STACK_FRAME_SIZE)
		return BPF_ERR_INVALID;
	vm->ctx = ctx;
	vm->ctx_len = ctx ? ctx_len : 0;
	vm->prog = prog;
	vm->tail_target = NULL;
	vm->tail_calls = 0;
	vm->abort = 0;
	vm->depth = 0;
	vm->insn_count = 0;
	/* Field by field: the freestanding bpf__memset is a byte loop, about
	 * a hundred instructions on riscv64 for every run. */
	vm->fault.pc = 0;
	vm->fault.size = 0;
	vm->fault.addr = 0;
	vm->fault.prog = NULL;
	int st;
	if (vm->mode == BPF_MODE_CHECKED)
		st = run_checked(vm, prog, r2, &r0);
	else if (vm->mode == BPF_MODE_JIT && bpf__jit_runnable(prog))
		st = bpf__jit_run(vm, prog, r2, &r0);
	else
		st = run_verified(vm, prog, r2, &r0);
	if (ret)
		*ret = r0;
	return st;
}

int bpf_vm_run(struct bpf_vm *vm, const struct bpf_prog *prog, void *ctx, size_t ctx_len,
               uint64_t *ret)
{
	return vm_start(vm, prog, ctx, ctx_len, 0, ret);
}

int bpf_vm_exec(struct bpf_vm *vm, const struct bpf_prog *prog, void *mem, size_t mem_len,
                uint64_t *ret)
{
	return vm_start(vm, prog, mem, mem_len, mem ? mem_len : 0, ret);
}

const char *bpf_status_str(int status)
{
	switch (status) {
	case BPF_OK:
		return "ok";
	case BPF_ERR_LOAD_FAULT:
		return "load outside accessible memory";
	case BPF_ERR_STORE_FAULT:
		return "store outside writable memory";
	case BPF_ERR_BUDGET:
		return "instruction budget exhausted";
	case BPF_ERR_CALL_DEPTH:
		return "call depth exceeded";
	case BPF_ERR_HELPER_ARG:
		return "helper argument rejected";
	case BPF_ERR_NO_HELPER:
		return "helper not registered";
	case BPF_ERR_BAD_INSN:
		return "invalid instruction";
	case BPF_ERR_INVALID:
		return "invalid run arguments";
	case BPF_ERR_ABORT:
		return "aborted by helper";
	default:
		return "unknown status";
	}
}
