/*
 * hypOS eBPF JIT compilers: x86_64 and riscv64 (RV64IMAC, optionally
 * Zba/Zbb).  See docs/bpf-jit.md.
 *
 * Only programs the verifier accepts are compiled: every entry point that
 * produces code runs bpf_verify first with the caller's hook, and refuses
 * anything it rejects.  Generated code performs no memory check the
 * verifier proved unnecessary and adds no memory access of its own beyond
 * the program's stack, maps and context, the VM and the helper table.
 *
 * Code is produced into memory the caller owns and then executed from a
 * mapping that is no longer writable (W^X):
 *   - freestanding (the hypOS bpf PD): bpf_jit_emit() writes into a
 *     caller buffer mapped writable, the caller remaps it executable and
 *     not writable (possibly at another address: the code is
 *     position-independent), calls bpf_jit_sync_icache() on the
 *     executable address and bpf_jit_attach();
 *   - POSIX hosts: bpf_jit_compile() does all of that with mmap/mprotect.
 * A program runs its native code when the VM is in BPF_MODE_JIT and
 * prog->jit is set for the machine's architecture; otherwise the
 * interpreter runs it (verified mode).
 */
#ifndef BPF_JIT_H
#define BPF_JIT_H

#include "bpf.h"
#include "verifier.h"

#ifdef __cplusplus
extern "C" {
#endif

enum bpf_jit_arch {
	BPF_JIT_ARCH_NONE = 0,
	BPF_JIT_ARCH_X86_64 = 1,
	BPF_JIT_ARCH_RISCV64 = 2,
};

/* The architecture this library was built for (NONE if neither). */
enum bpf_jit_arch bpf_jit_native_arch(void);

/* bpf_jit_opts.flags */
#define BPF_JIT_F_BLIND 0x01  /* constant blinding: no program immediate appears in the code */
#define BPF_JIT_F_RV_ZBA 0x10 /* riscv64: the hart implements Zba (sh1add/sh2add/sh3add, add.uw) */
#define BPF_JIT_F_RV_ZBB 0x20 /* riscv64: the hart implements Zbb (rev8, sext.b/h, zext.h) */

/* BPF_JIT_F_RV_* for a hart described by a device-tree "riscv,isa"
 * string such as "rv64imafdc_zicsr_zifencei_zba_zbb" (case-insensitive).
 * Returns -1 if the hart lacks what the riscv64 JIT always needs (RV64
 * with M and A). */
int32_t bpf_jit_riscv_isa_flags(const char *isa);

struct bpf_jit_opts {
	const struct bpf_hook *hook;       /* required: the program is verified against it */
	const struct bpf_allocator *alloc; /* required: verifier and compiler scratch memory */
	uint32_t flags;                    /* BPF_JIT_F_* */
	uint64_t blind_seed;               /* BPF_JIT_F_BLIND: seeds the per-instruction keys */
};

/* Native code attached to a program (prog->jit points here). */
struct bpf_jit_code {
	uint32_t arch;     /* enum bpf_jit_arch */
	uint32_t flags;    /* BPF_JIT_F_* it was compiled with */
	const void *entry; /* executable address of the code */
	size_t size;       /* bytes of code */
	void *mapping;     /* bpf_jit_compile only: the mapping to release */
	size_t mapping_size;
};

/* Verify prog against opts->hook, then emit code for arch into buf (cap
 * bytes; buf may be NULL with cap 0 to ask for the size).  *len receives
 * the code size in every case where the program was accepted.
 * Returns 0; -BPF_ENOSPC if cap is too small; -BPF_EINVAL (verifier
 * rejection, res filled, or bad arguments); -BPF_E2BIG / -BPF_ENOMEM from
 * the verifier or the compiler's scratch allocations; -BPF_EOPNOTSUPP for
 * an instruction the JIT cannot compile (res->insn says which). */
int bpf_jit_emit(enum bpf_jit_arch arch, const struct bpf_prog *prog, const struct bpf_env *env,
                 const struct bpf_jit_opts *opts, void *buf, size_t cap, size_t *len,
                 struct bpf_verifier_result *res);

/* Make freshly written code at addr visible to instruction fetch on this
 * hart (riscv64: fence.i; x86_64: nothing).  Call it on the executable
 * mapping after the writes and before the first run. */
void bpf_jit_sync_icache(const void *addr, size_t len);

/* Attach code emitted for prog (already executable at exec_addr) so that
 * BPF_MODE_JIT runs use it.  code is the caller's and must outlive the
 * attachment.  Returns -BPF_EINVAL for a NULL argument or unknown arch. */
int bpf_jit_attach(struct bpf_prog *prog, struct bpf_jit_code *code, enum bpf_jit_arch arch,
                   const void *exec_addr, size_t len, uint32_t flags);
void bpf_jit_detach(struct bpf_prog *prog);

/*
 * Code areas (freestanding; what a hypOS protection domain uses): the
 * caller owns memory it sees twice, writable and not executable at rw,
 * executable and not writable at rx (a Microkit PD maps one memory
 * region with perms="rw" and again with perms="rx").  Programs are
 * verified and compiled one after another into the area, each written
 * through rw, made visible to this hart's instruction fetch (fence.i on
 * riscv64) and attached at its rx address; BPF_MODE_JIT runs then use it.
 */
/* Strict W^X for a writable view that is mapped only while code is
 * written (a hypOS PD with hypos:jit_write, docs/bpf-jit.md "W^X"): open
 * makes [rw + off, rw + off + len) writable, close removes that mapping
 * again; both return 0 or a negative errno.  The area calls open before
 * it stores a byte and close right after, before it attaches anything. */
struct bpf_jit_writer {
	int (*open)(void *ctx, size_t off, size_t len);
	int (*close)(void *ctx, size_t off, size_t len);
	void *ctx;
};

struct bpf_jit_area {
	uint8_t *rw;                  /* writable view */
	const uint8_t *rx;            /* executable view of the same memory */
	size_t size;                  /* bytes in each view */
	size_t used;                  /* bytes taken by compiled programs */
	uint32_t flags;               /* BPF_JIT_F_* added to every compilation */
	uint32_t nprogs;              /* programs compiled since init or reset */
	struct bpf_jit_writer writer; /* open == NULL: the writable view stays mapped */
	uint32_t opens, closes;       /* writer calls that succeeded */
};

/* Take rw/rx (both 64-byte aligned, size bytes, distinct addresses) as an
 * empty area.  flags: BPF_JIT_F_BLIND and the hart's BPF_JIT_F_RV_*
 * (bpf_jit_riscv_isa_flags), applied to every program.  Checks that a
 * word stored through rw reads back through rx (the views alias), which
 * overwrites the area's first word: detach every program compiled into
 * the area before calling it again.  -BPF_EINVAL if any of this fails. */
int bpf_jit_area_init(struct bpf_jit_area *a, void *rw, const void *rx, size_t size,
                      uint32_t flags);

/* The same for a writable view that exists only between the writer's
 * open and close (writer NULL: as bpf_jit_area_init).  The alias check
 * and every compilation then open the view, write, close it, and only
 * then make the code visible to instruction fetch and attach it; a
 * failing open or close fails the call (-BPF_EFAULT when close fails: the
 * code is written but not attached, and the area stays as it was). */
int bpf_jit_area_init_writer(struct bpf_jit_area *a, void *rw, const void *rx, size_t size,
                             uint32_t flags, const struct bpf_jit_writer *writer);

/* Verify prog against opts->hook and compile it into the free part of
 * the area; on success prog->jit = code (the caller's, it must live as
 * long as the attachment).  Returns what bpf_jit_emit returns, notably
 * -BPF_EINVAL for a program the verifier rejects (res says why) and
 * -BPF_ENOSPC when the rest of the area is too small; on any failure the
 * area and prog are unchanged and prog keeps running interpreted. */
int bpf_jit_area_compile(struct bpf_jit_area *a, struct bpf_prog *prog, const struct bpf_env *env,
                         const struct bpf_jit_opts *opts, struct bpf_jit_code *code,
                         struct bpf_verifier_result *res);

/* Make the whole area free again.  The caller detaches (bpf_jit_detach)
 * every program compiled into it first: their code gets overwritten. */
void bpf_jit_area_reset(struct bpf_jit_area *a);

/* POSIX hosts only (src/jit_host.c, not part of the freestanding
 * library): verify, emit into an anonymous read-write mapping, turn it
 * read+execute with mprotect, attach.  Same return values as
 * bpf_jit_emit, plus -BPF_ENOMEM when mapping fails. */
int bpf_jit_compile(struct bpf_prog *prog, const struct bpf_env *env,
                    const struct bpf_jit_opts *opts, struct bpf_verifier_result *res);
/* Detach prog's code; release it if bpf_jit_compile made it (code
 * attached by the caller with bpf_jit_attach stays the caller's).  A
 * successful bpf_jit_compile also releases the code it replaces. */
void bpf_jit_free(struct bpf_prog *prog);

#ifdef __cplusplus
}
#endif
#endif
