/* Floating-point (F and D extension) state of user threads.
 *
 * The hardware's FP registers hold the state of at most one thread, the
 * holder. A thread runs with sstatus.FS (privileged spec 1.12 §3.1.6.6,
 * "Extension Context Status") Off unless it is the holder and has the FPU
 * enabled; then FS is Clean or Dirty. With FS Off every FP instruction,
 * fcsr access included, is an illegal-instruction exception.
 *
 * - A thread that has never executed an FP instruction runs with FS Off.
 *   Its first FP instruction traps once; the thread is then an FPU user
 *   and the instruction is restarted with its (initial) state loaded.
 * - Switching to an FPU user that is not the holder saves the holder's
 *   registers if they are Dirty and loads the new thread's.
 * - On entry from a thread that ran with FS on, trap_entry_fpu records a
 *   Dirty FS in fpu_holder_dirty and turns FS Off, so the rest of the
 *   kernel, the fastpath included, only ever sees FS Off.
 * - A thread with seL4_TCBFlag_fpuDisabled runs with FS Off; its FP
 *   instructions are user exceptions delivered to its fault handler. */
#pragma once
#include <types.h>
#include <object/structures.h>
#include <arch/machine.h>
#include <arch/vspace.h>

/* The thread whose F/D state is in the registers, or NULL. */
extern tcb_t *fpu_holder;
/* Nonzero when the registers are newer than fpu_holder's saved copy
 * (trap.S sets it, the switch code clears it). */
extern word_t fpu_holder_dirty;

#ifdef HYPOS_DEBUG
/* register file loads and saves since boot (seL4_HypDebugFpuSwitches) */
extern word_t fpu_loads, fpu_saves;
#define FPU_COUNT(c) ((c)++)
#else
#define FPU_COUNT(c) ((void)0)
#endif

/* sstatus.FS encodings (privileged spec 1.12 §3.1.6.6, table 3.3). */
#define FS_OFF 0ull
#define FS_CLEAN (2ull << 13)
#define FS_DIRTY (3ull << 13)

void trap_entry_fpu(void);

/* Copy the registers to or from a TCB's save area. sstatus.FS must not be
 * Off: FP instructions, the kernel's own included, then trap. The kernel
 * is built without F/D, so only these lines enable D for the assembler;
 * they are inline so that the fastpath stays free of calls. */
#define FPU_REGS_0_31 "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31"
static ALWAYS_INLINE void fpu_regs_save(fpu_state_t *s)
{
    word_t fcsr;
    asm volatile(".option push\n.option arch, +d\n"
                 ".irp n, " FPU_REGS_0_31 "\nfsd f\\n, \\n*8(%1)\n.endr\n"
                 "frcsr %0\n.option pop"
                 : "=r"(fcsr)
                 : "r"(s->f)
                 : "memory");
    s->fcsr = fcsr;
}
static ALWAYS_INLINE void fpu_regs_load(const fpu_state_t *s)
{
    asm volatile(".option push\n.option arch, +d\n"
                 ".irp n, " FPU_REGS_0_31 "\nfld f\\n, \\n*8(%0)\n.endr\n"
                 "fscsr %1\n.option pop"
                 :
                 : "r"(s->f), "r"(s->fcsr)
                 : "memory");
}

/* t uses the FPU and has it enabled: it must run as the holder. */
static ALWAYS_INLINE bool fpu_wanted(const tcb_t *t) { return t->arch.fpu & TCB_FPU_LIVE; }

/* Make t (fpu_wanted) the holder, saving the previous holder's registers
 * only if it changed them, and arm trap_entry_fpu. Returns the FS value t
 * must run with: Dirty stays Dirty until the registers are saved, since
 * returning with Clean would forget that the holder has unsaved changes. */
static ALWAYS_INLINE word_t fpu_run_as_holder(tcb_t *t)
{
    if (t != fpu_holder) {
        csr_set(sstatus, SSTATUS_FS);
        tcb_t *h = fpu_holder;
        if (h && fpu_holder_dirty) {
            fpu_regs_save(&h->arch.fpu_state);
            FPU_COUNT(fpu_saves);
        }
        fpu_regs_load(&t->arch.fpu_state);
        FPU_COUNT(fpu_loads);
        fpu_holder = t;
        fpu_holder_dirty = 0;
    }
    /* the next trap from t notes whether it wrote FP state and turns FS
     * Off before anything else runs */
    csr_write(stvec, (word_t)trap_entry_fpu);
    return fpu_holder_dirty ? FS_DIRTY : FS_CLEAN;
}

/* The slow path's switch to t (fpu_wanted), after arch_switch_vspace:
 * fpu_run_as_holder, out of line. */
word_t fpu_activate(tcb_t *t);

/* An illegal-instruction exception from t: true if it was t's first FP
 * instruction (then t is now an FPU user and the instruction restarts). */
bool fpu_first_use(tcb_t *t);

/* For the fastpath (vspace.h has the satp half): t's satp is cached and,
 * if t uses the FPU, its state is live and FS set for it. The common case,
 * a thread without live FPU state, is the one compare the fastpath always
 * made; the rest is inline so that the fastpath makes no calls. */
static ALWAYS_INLINE bool arch_fastpath_switch_ready(tcb_t *t)
{
    if (likely(arch_vspace_cached(t)))
        return true;
    if (t->arch.satp_gen != (vspace_gen | SATP_GEN_FPU))
        return false; /* stale satp: the slow path refreshes it */
    word_t fs = fpu_run_as_holder(t);
    csr_clear(sstatus, SSTATUS_FS);
    csr_set(sstatus, fs);
    return true;
}

/* seL4_TCB_SetFlags: the flags in effect afterwards. */
word_t arch_tcb_set_flags(tcb_t *t, word_t clear, word_t set);
/* The TCB is being destroyed: its registers are nobody's any more. */
void arch_tcb_finalise(tcb_t *t);
