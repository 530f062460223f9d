/* Switching the x87/SSE register file between user threads (arch/fpu.h
 * has the rules). Nothing here runs for a thread that has never executed
 * a floating-point instruction or has its FPU disabled, unless it follows
 * the holder. */
#include <arch/fpu.h>
#include <arch/vspace.h>
#include <sel4/types.h>

tcb_t *fpu_holder;
#ifdef HYPOS_DEBUG
word_t fpu_loads, fpu_saves;
#endif

#define CR0_MP (1ull << 1)
#define CR0_EM (1ull << 2)
#define CR0_NE (1ull << 5)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
/* The state after FNINIT (SDM Vol. 1 §8.1.5, table 8-4: control word
 * 0x037f, all exceptions masked, 64-bit precision, round to nearest) and
 * MXCSR's reset value 0x1f80 (Vol. 1 §10.2.3: all SIMD exceptions masked,
 * round to nearest); every data register zero. */
#define FCW_INITIAL 0x037f
#define MXCSR_INITIAL 0x1f80

void fpu_init(void)
{
    /* CR0: MP and NE for the native x87 error reporting (#MF, Vol. 3A
     * §2.5), EM clear so that the FPU is used, TS set: no thread holds
     * the registers yet. CR4: OSFXSR lets SSE instructions and
     * FXSAVE/FXRSTOR run, OSXMMEXCPT makes unmasked SIMD exceptions #XM
     * (Vol. 3A §2.5, §13.1.3). */
    word_t cr0, cr4;
    asm volatile("mov %%cr0, %0" : "=r"(cr0));
    asm volatile("mov %0, %%cr0" ::"r"((cr0 & ~CR0_EM) | CR0_MP | CR0_NE | CR0_TS));
    asm volatile("mov %%cr4, %0" : "=r"(cr4));
    asm volatile("mov %0, %%cr4" ::"r"(cr4 | CR4_OSFXSR | CR4_OSXMMEXCPT));
    vspace_gen &= ~VSPACE_GEN_FPU_ON;
}

void fpu_activate(tcb_t *t)
{
    if (t->arch.fpu & TCB_FPU_LIVE)
        fpu_run_as_holder(t);
    else if (vspace_gen & VSPACE_GEN_FPU_ON)
        fpu_ts_set();
}

bool fpu_device_not_available(tcb_t *t)
{
    if (t->arch.fpu & TCB_FPU_DISABLED)
        return false;
    if (!(t->arch.fpu & TCB_FPU_USED)) {
        /* a retyped TCB is zeroed: the initial state needs only the two
         * control words */
        t->arch.fpu_state.fcw = FCW_INITIAL;
        t->arch.fpu_state.mxcsr = MXCSR_INITIAL;
        t->arch.fpu |= TCB_FPU_USED | TCB_FPU_LIVE;
    }
    /* an FPU user that was switched to with CR0.TS set (another thread
     * holds the registers) loads its state now */
    fpu_run_as_holder(t);
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
     * registers are saved when another thread needs them. The new setting
     * takes effect when the thread next enters user mode: a disabled
     * holder loses its bit, so the next switch to it sets CR0.TS. */
    if (!(fpu & TCB_FPU_LIVE))
        t->arch.cr3_gen &= ~VSPACE_GEN_FPU_ON;
    else if (t == fpu_holder)
        t->arch.cr3_gen |= VSPACE_GEN_FPU_ON;
    return flags;
}

void arch_tcb_finalise(tcb_t *t)
{
    /* its registers are dropped unsaved; the next FPU user switched in
     * loads its own state over them, everyone else runs with CR0.TS set */
    if (fpu_holder == t)
        fpu_holder = NULL;
}
