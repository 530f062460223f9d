/*
 * Code areas: native code for several programs in memory that a
 * protection domain sees twice, once writable (not executable) for the
 * compiler and once executable (not writable) for the runner.  No libc,
 * no system calls: the mappings are the system's (a Microkit PD gets them
 * from its .system file), this file only places code in them.  Where the
 * writable view exists only while code is written, the caller's writer
 * maps and unmaps it around every write (struct bpf_jit_writer).
 */
#include "jit_internal.h"

/* Every program starts on a 64-byte boundary: a whole number of
 * instructions on both machines and a fresh cache line. */
#define AREA_ALIGN 64u

/* Open the writable view over [off, off + len) when it comes and goes. */
static int view_open(struct bpf_jit_area *a, size_t off, size_t len)
{
	if (!a->writer.open)
		return 0;
	int rc = a->writer.open(a->writer.ctx, off, len);
	if (rc)
		return rc < 0 ? rc : -BPF_EFAULT;
	a->opens++;
	return 0;
}

static int view_close(struct bpf_jit_area *a, size_t off, size_t len)
{
	if (!a->writer.close)
		return 0;
	if (a->writer.close(a->writer.ctx, off, len))
		return -BPF_EFAULT;
	a->closes++;
	return 0;
}

int bpf_jit_area_init_writer(struct bpf_jit_area *a, void *rw, const void *rx, size_t size,
                             uint32_t flags, const struct bpf_jit_writer *writer)
{
	if (!a)
		return -BPF_EINVAL;
	bpf__memset(a, 0, sizeof(*a));
	if (!rw || !rx || size < AREA_ALIGN || ((uintptr_t)rw % AREA_ALIGN) ||
	    ((uintptr_t)rx % AREA_ALIGN) || rw == (void *)rx ||
	    (flags & ~(uint32_t)(BPF_JIT_F_BLIND | BPF_JIT_F_RV_ZBA | BPF_JIT_F_RV_ZBB)) ||
	    (writer && (!writer->open || !writer->close)))
		return -BPF_EINVAL;
	if (writer)
		a->writer = *writer;
	/* The two views must be the same memory, or code written at rw
	 * would never be the code run at rx.  A word stored through the
	 * writable view has to be read back through the executable one,
	 * which is readable too (a Microkit "rx" mapping, a POSIX
	 * PROT_READ|PROT_EXEC one). */
	int rc = view_open(a, 0, AREA_ALIGN);
	if (rc) {
		bpf__memset(a, 0, sizeof(*a));
		return rc;
	}
	volatile uint64_t *w = (volatile uint64_t *)rw;
	const volatile uint64_t *x = (const volatile uint64_t *)rx;
	int alias = 1;
	for (int k = 0; k < 2 && alias; k++) {
		uint64_t probe = k ? 0x5a5aa5a5c3c33c3cULL : ~0x5a5aa5a5c3c33c3cULL;
		*w = probe;
		alias = *x == probe;
	}
	*w = 0;
	rc = view_close(a, 0, AREA_ALIGN);
	if (!alias || rc) {
		bpf__memset(a, 0, sizeof(*a));
		return alias ? rc : -BPF_EINVAL;
	}
	a->rw = rw;
	a->rx = rx;
	a->size = size;
	a->flags = flags;
	return 0;
}

int bpf_jit_area_init(struct bpf_jit_area *a, void *rw, const void *rx, size_t size, uint32_t flags)
{
	return bpf_jit_area_init_writer(a, rw, rx, size, flags, NULL);
}

int bpf_jit_area_compile(struct bpf_jit_area *a, struct bpf_prog *prog, const struct bpf_env *env,
                         const struct bpf_jit_opts *opts, struct bpf_jit_code *code,
                         struct bpf_verifier_result *res)
{
	if (!a || !a->rw || !prog || !env || !opts || !code)
		return -BPF_EINVAL;
	enum bpf_jit_arch arch = bpf_jit_native_arch();
	if (arch == BPF_JIT_ARCH_NONE)
		return -BPF_EOPNOTSUPP;
	struct bpf_jit_opts o = *opts;
	o.flags |= a->flags;
	size_t start = (a->used + AREA_ALIGN - 1) & ~(size_t)(AREA_ALIGN - 1);
	size_t cap = start < a->size ? a->size - start : 0;
	size_t len = 0;
	/* The writable view exists from here to view_close: the free part
	 * of the area only (the code already there is never writable). */
	int rc = cap ? view_open(a, start, cap) : 0;
	if (rc)
		return rc;
	/* One call: the verifier gate, then the emission straight into the
	 * writable view.  The back ends check the room after measuring
	 * (-BPF_ENOSPC) before they write a byte. */
	rc = bpf_jit_emit(arch, prog, env, &o, a->rw + start, cap, &len, res);
	int closed = cap ? view_close(a, start, cap) : 0;
	if (rc)
		return rc;
	if (closed)
		return closed; /* written but still writable: never attached */
	bpf_jit_sync_icache(a->rx + start, len);
	rc = bpf_jit_attach(prog, code, arch, a->rx + start, len, o.flags);
	if (rc)
		return rc;
	a->used = start + len;
	a->nprogs++;
	return 0;
}

void bpf_jit_area_reset(struct bpf_jit_area *a)
{
	if (!a)
		return;
	a->used = 0;
	a->nprogs = 0;
}
