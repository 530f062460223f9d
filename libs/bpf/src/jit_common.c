/*
 * JIT front end: verification gate, pass driver, attachment, and the
 * runner that enters generated code (also for tail calls).  Freestanding;
 * the POSIX mapping code is in jit_host.c.
 */
#include "jit_internal.h"

enum bpf_jit_arch bpf_jit_native_arch(void)
{
#if defined(__x86_64__)
	return BPF_JIT_ARCH_X86_64;
#elif defined(__riscv) && __riscv_xlen == 64
	return BPF_JIT_ARCH_RISCV64;
#else
	return BPF_JIT_ARCH_NONE;
#endif
}

void bpf_jit_sync_icache(const void *addr, size_t len)
{
	(void)addr;
	(void)len;
#if defined(__riscv)
	/* RISC-V unprivileged spec, Zifencei: stores become visible to this
	 * hart's instruction fetches after fence.i.  Other harts need their
	 * own fence.i (the hypOS bpf PD runs on one hart).  Encoded by
	 * hand so the library's -march need not name Zifencei. */
	__asm__ volatile(".4byte 0x0000100f" ::: "memory");
#else
	/* x86 keeps instruction fetch coherent with stores (SDM vol. 3
	 * §8.1.3); the mapping change itself serialises. */
	__asm__ volatile("" ::: "memory");
#endif
}

bool bpf__jit_needs_target_table(const struct bpf_prog *prog)
{
	for (uint32_t i = 0; i < prog->len; i++)
		if (prog->insns[i].code == BPF_CALLX &&
		    BPF_INSN_SRC(&prog->insns[i]) == BPF_PSEUDO_CALL_LOCAL)
			return true;
	return false;
}

uint32_t bpf__jit_emit_target_table(struct jit *c, uint8_t pad)
{
	const struct bpf_insn *in = c->prog->insns;
	while (c->pos & 3)
		jit_emit8(c, pad);
	uint32_t at = (uint32_t)c->pos;
	for (uint32_t t = 0; t < c->prog->len; t++) {
		bool valid = !(t > 0 && in[t - 1].code == (BPF_LD | BPF_IMM | BPF_DW));
		/* c->off holds the final offsets in the writing pass */
		jit_emit32(c, valid ? c->off[t] : JIT_NO_TARGET);
	}
	return at;
}

static char lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

int32_t bpf_jit_riscv_isa_flags(const char *isa)
{
	if (!isa)
		return -1;
	static const char prefix[] = "rv64";
	for (int i = 0; i < 4; i++)
		if (lower(isa[i]) != prefix[i])
			return -1;
	/* single-letter extensions up to the first '_'; 'g' means imafd */
	bool m = false, a = false;
	const char *p = isa + 4;
	for (; *p && *p != '_'; p++) {
		char ch = lower(*p);
		m |= ch == 'm' || ch == 'g';
		a |= ch == 'a' || ch == 'g';
	}
	if (!m || !a)
		return -1;
	int32_t flags = 0;
	while (*p == '_') {
		const char *name = ++p;
		while (*p && *p != '_')
			p++;
		size_t n = (size_t)(p - name);
		if (n == 3 && lower(name[0]) == 'z' && lower(name[1]) == 'b') {
			if (lower(name[2]) == 'a')
				flags |= BPF_JIT_F_RV_ZBA;
			else if (lower(name[2]) == 'b')
				flags |= BPF_JIT_F_RV_ZBB;
		}
	}
	return flags;
}

static int run_passes(enum bpf_jit_arch arch, struct jit *c)
{
	int (*backend)(struct jit *) =
	        arch == BPF_JIT_ARCH_X86_64 ? bpf__jit_x86_64 : bpf__jit_riscv64;
	uint32_t n = c->prog->len;
	uint8_t *final_buf = c->buf;
	for (uint32_t i = 0; i < n; i++)
		c->form[i] = JIT_FORM_LONG;
	for (c->pass = 0; c->pass < 3; c->pass++) {
		c->buf = c->pass == 2 ? final_buf : NULL;
		c->pos = 0;
		c->rng = c->seed;
		int rc = backend(c);
		if (rc)
			return rc;
		c->cur[n] = (uint32_t)c->pos;
		if (c->pass == 2) {
			/* The final pass must land every instruction where pass 1
			 * said it would, or branches would be wrong. */
			for (uint32_t i = 0; i <= n; i++)
				if (c->cur[i] != c->off[i])
					return -BPF_EINVAL;
			for (uint32_t i = 0; i < BPF_ARRAY_SIZE(c->stub); i++)
				if (c->stub_cur[i] != c->stub[i])
					return -BPF_EINVAL;
		}
		uint32_t *t = c->off;
		c->off = c->cur;
		c->cur = t;
		bpf__memcpy(c->stub, c->stub_cur, sizeof(c->stub));
		if (c->pass == 1 && final_buf && c->pos > c->cap)
			return -BPF_ENOSPC;
	}
	return 0;
}

int bpf__jit_emit_verified(enum bpf_jit_arch arch, const struct bpf_prog *prog,
                           const struct bpf_env *env, const struct bpf_jit_opts *opts, void *buf,
                           size_t cap, size_t *len, struct bpf_verifier_result *res)
{
	const struct bpf_allocator *a = opts->alloc;
	uint32_t n = prog->len;
	size_t offs = sizeof(uint32_t) * ((size_t)n + 1);
	struct jit c;
	bpf__memset(&c, 0, sizeof(c));
	c.prog = prog;
	c.env = env;
	c.buf = buf;
	c.cap = buf ? cap : 0;
	c.flags = opts->flags;
	c.seed = opts->blind_seed ? opts->blind_seed : 0x9e3779b97f4a7c15ULL;
	c.off = a->alloc(a->actx, offs);
	c.cur = a->alloc(a->actx, offs);
	c.form = a->alloc(a->actx, n);
	int rc = -BPF_ENOMEM;
	if (c.off && c.cur && c.form) {
		bpf__memset(c.off, 0, offs);
		bpf__memset(c.cur, 0, offs);
		rc = run_passes(arch, &c);
		if (!rc || rc == -BPF_ENOSPC)
			*len = c.pos;
		if (rc == -BPF_EOPNOTSUPP && res) {
			res->insn = c.err_insn;
			res->msg = "instruction the JIT cannot compile";
		}
	}
	if (c.off)
		a->free(a->actx, c.off, offs);
	if (c.cur)
		a->free(a->actx, c.cur, offs);
	if (c.form)
		a->free(a->actx, c.form, n);
	return rc;
}

int bpf_jit_emit(enum bpf_jit_arch arch, const struct bpf_prog *prog, const struct bpf_env *env,
                 const struct bpf_jit_opts *opts, void *buf, size_t cap, size_t *len,
                 struct bpf_verifier_result *res)
{
	struct bpf_verifier_result local;
	if (!res)
		res = &local;
	bpf__memset(res, 0, sizeof(*res));
	if (!prog || !env || !opts || !opts->hook || !opts->alloc || !len ||
	    (arch != BPF_JIT_ARCH_X86_64 && arch != BPF_JIT_ARCH_RISCV64)) {
		res->rule = BPF_VR_ARGS;
		return -BPF_EINVAL;
	}
	/* Only verified programs are compiled: the generated code relies on
	 * everything the verifier proved (bounds, types, initialisation). */
	struct bpf_verifier_opts vo;
	bpf__memset(&vo, 0, sizeof(vo));
	vo.alloc = opts->alloc;
	int rc = bpf_verify(prog, env, opts->hook, &vo, res);
	if (rc)
		return rc;
	return bpf__jit_emit_verified(arch, prog, env, opts, buf, cap, len, res);
}

int bpf_jit_attach(struct bpf_prog *prog, struct bpf_jit_code *code, enum bpf_jit_arch arch,
                   const void *exec_addr, size_t len, uint32_t flags)
{
	if (!prog || !code || !exec_addr || !len ||
	    (arch != BPF_JIT_ARCH_X86_64 && arch != BPF_JIT_ARCH_RISCV64))
		return -BPF_EINVAL;
	bpf__memset(code, 0, sizeof(*code));
	code->arch = (uint32_t)arch;
	code->flags = flags;
	code->entry = exec_addr;
	code->size = len;
	prog->jit = code;
	return 0;
}

void bpf_jit_detach(struct bpf_prog *prog)
{
	if (prog)
		prog->jit = NULL;
}

bool bpf__jit_runnable(const struct bpf_prog *prog)
{
	return prog && prog->jit && prog->jit->entry &&
	       prog->jit->arch == (uint32_t)bpf_jit_native_arch();
}

static void enter(const struct bpf_prog *prog, struct bpf__jit_run *run, uint64_t r1, uint64_t fp,
                  uint64_t r2)
{
	/* Object to function pointer: defined by the platforms we run on
	 * (through a union: GNU C defines reading the other member). */
	union {
		const void *entry;
		bpf__jit_entry_fn fn;
	} u = {.entry = prog->jit->entry};
	u.fn(run, r1, fp, r2);
}

uint64_t bpf__jit_tail_call(struct bpf__jit_run *run, uint64_t r1, uint64_t fp, uint64_t r2)
{
	struct bpf_vm *vm = run->vm;
	const struct bpf_prog *caller = vm->prog, *target = vm->tail_target;
	uintptr_t top = (uintptr_t)vm->stack + vm->stack_size;
	uint64_t r0 = 0;
	int st;
	vm->tail_target = NULL;
	vm->prog = target;
	if (bpf__jit_runnable(target)) {
		struct bpf__jit_run inner;
		bpf__memset(&inner, 0, sizeof(inner));
		inner.vm = vm;
		inner.stack_base = run->stack_base;
		enter(target, &inner, r1, fp, r2);
		st = inner.status;
		r0 = inner.r0;
		run->pc = inner.pc;
		run->fault_set = inner.fault_set;
	} else {
		/* The interpreter runs the target with R10 = fp: it sees the
		 * stack above fp as its whole stack, so its frame limit is the
		 * one left at this depth. */
		uint32_t saved = vm->stack_size;
		vm->stack_size = (uint32_t)(fp - (uintptr_t)vm->stack);
		st = bpf__interp_run_verified(vm, target, r2, &r0);
		vm->stack_size = saved;
		run->fault_set = st != BPF_OK;
	}
	if (st != BPF_OK) {
		run->status = st;
		return 0;
	}
	/* Returning into a BPF-to-BPF caller: that frame's program runs on
	 * (what the interpreter records in its call frame). */
	if (fp != top)
		vm->prog = caller;
	return r0;
}

int bpf__jit_run(struct bpf_vm *vm, const struct bpf_prog *prog, uint64_t r2, uint64_t *ret)
{
	struct bpf__jit_run run;
	bpf__memset(&run, 0, sizeof(run));
	run.vm = vm;
	run.stack_base = (uintptr_t)vm->stack;
	enter(prog, &run, (uintptr_t)vm->ctx, (uintptr_t)vm->stack + vm->stack_size, r2);
	if (run.status == JIT_ST_PKT_END) {
		*ret = 0;
		return BPF_OK;
	}
	if (run.status != BPF_OK) {
		if (!run.fault_set) {
			vm->fault.pc = run.pc;
			vm->fault.prog = vm->prog;
		}
		*ret = 0;
		return run.status;
	}
	*ret = run.r0;
	return BPF_OK;
}
