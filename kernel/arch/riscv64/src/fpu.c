/* Switching the F/D register file between user threads (arch/fpu.h has
 * the rules). Nothing here runs for a thread that has never executed a
 * floating-point instruction or has its FPU disabled. */
#include <arch/fpu.h>
#include <arch/vspace.h>
#include <sel4/types.h>

tcb_t *fpu_holder;
word_t fpu_holder_dirty;
#ifdef HYPOS_DEBUG
word_t fpu_loads, fpu_saves;
#endif

word_t fpu_activate(tcb_t *t)
{
    /* arch_switch_vspace has just rewritten satp_gen */
    t->arch.satp_gen |= SATP_GEN_FPU;
    return fpu_run_as_holder(t);
}

/* Whether the hart has F and D, asked once, at the first FP instruction
 * of any thread: with the F extension absent, sstatus.FS does not keep a
 * written value (QEMU and hardware without an FPU hold it at Off; the
 * privileged spec 1.12 §3.1.6.6 lets FS read as zero there). Without an
 * FPU every FP instruction stays the thread's illegal-instruction fault
 * and the kernel never executes one. */
static bool fpu_present(void)
{
    static int8_t present = -1;
    if (present < 0) {
        csr_set(sstatus, SSTATUS_FS);
        present = (csr_read(sstatus) & SSTATUS_FS) == SSTATUS_FS;
        csr_clear(sstatus, SSTATUS_FS);
    }
    return present;
}

bool fpu_first_use(tcb_t *t)
{
    /* an FPU user with the FPU enabled ran as the holder with FS on, so
     * its illegal instruction was not an FP one; a disabled thread's FP
     * instruction is its fault */
    if (t->arch.fpu & (TCB_FPU_USED | TCB_FPU_DISABLED) || !fpu_present())
        return false;
    t->arch.fpu |= TCB_FPU_USED | TCB_FPU_LIVE;
    t->arch.satp_gen |= SATP_GEN_FPU;
    return true;
}

word_t arch_tcb_set_flags(tcb_t *t, word_t clear, word_t set)
{
    word_t flags = ((t->arch.fpu & ~clear) | set) & seL4_TCBFlag_MASK;
    word_t fpu = (t->arch.fpu & TCB_FPU_USED) | flags;
    if (fpu == TCB_FPU_USED)
        fpu |= TCB_FPU_LIVE;
    t->arch.fpu = fpu;
    /* Disabling keeps the thread's state: if it is the holder, the
     * registers are saved when another thread needs them. The new
     * setting takes effect when the thread next enters user mode. */
    if (fpu_wanted(t))
        t->arch.satp_gen |= SATP_GEN_FPU;
    else
        t->arch.satp_gen &= ~SATP_GEN_FPU;
    return flags;
}

void arch_tcb_finalise(tcb_t *t)
{
    /* its registers are dropped unsaved; the next thread switched in
     * loads its own state over them */
    if (fpu_holder == t) {
        fpu_holder = NULL;
        fpu_holder_dirty = 0;
    }
}
