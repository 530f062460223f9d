/* x87, MMX and SSE state of user threads, switched lazily with CR0.TS.
 *
 * With CR0.TS set, the first x87, MMX or SSE instruction (FXSAVE and
 * FXRSTOR included) raises #NM, device not available (Intel SDM Vol. 3A
 * §2.5 "CR0.TS", §6.15 "Interrupt 7"); with it clear they run. The
 * registers hold the state of at most one thread, the holder. The rules:
 *
 * - CR0.TS is clear exactly while the holder runs with its FPU enabled.
 *   Every other thread runs with CR0.TS set, so it cannot see or change
 *   the holder's registers.
 * - A thread that has never executed an FP instruction is not an FPU user.
 *   Its first one raises #NM once: the thread becomes an FPU user with the
 *   initial state (FNINIT's control word, MXCSR 0x1f80, every register
 *   zero) and the instruction is restarted.
 * - Switching to an FPU user that is not the holder saves the holder's
 *   registers (FXSAVE64) and loads the new thread's (FXRSTOR64; SDM Vol. 1
 *   §10.5). Switching to the holder loads nothing.
 * - A thread with seL4_TCBFlag_fpuDisabled runs with CR0.TS set; its FP
 *   instructions are user exceptions 7 (#NM) to its fault handler.
 *
 * The fastpath pays nothing for this while neither thread is the holder:
 * bit 63 of vspace_gen is set while CR0.TS is clear, and bit 63 of a
 * thread's cr3_gen while it is the holder with its FPU enabled, so the
 * compare of cr3_gen with vspace_gen that the fastpath makes anyway fails
 * exactly when the FPU needs attention. */
#pragma once
#include <types.h>
#include <object/structures.h>
#include <arch/vspace.h>

#ifdef HYPOS_DEBUG
/* register file loads and saves since boot (seL4_HypDebugFpuSwitches) */
extern word_t fpu_loads, fpu_saves;
#define FPU_COUNT(c) ((c)++)
#else
#define FPU_COUNT(c) ((void)0)
#endif

/* The thread whose state is in the registers, or NULL. */
extern tcb_t *fpu_holder;

#define CR0_TS (1ull << 3)

static ALWAYS_INLINE void fpu_regs_save(fpu_state_t *s) { asm volatile("fxsave64 %0" : "=m"(*s)); }
static ALWAYS_INLINE void fpu_regs_load(const fpu_state_t *s) { asm volatile("fxrstor64 %0" ::"m"(*s)); }

/* CR0.TS, with vspace_gen's bit 63 following it. */
static ALWAYS_INLINE void fpu_ts_clear(void)
{
    asm volatile("clts" ::: "memory");
    vspace_gen |= VSPACE_GEN_FPU_ON;
}
static ALWAYS_INLINE void fpu_ts_set(void)
{
    word_t cr0;
    asm volatile("mov %%cr0, %0" : "=r"(cr0));
    asm volatile("mov %0, %%cr0" ::"r"(cr0 | CR0_TS) : "memory");
    vspace_gen &= ~VSPACE_GEN_FPU_ON;
}

/* Make t (an FPU user with the FPU enabled) the holder and let it run with
 * CR0.TS clear. */
static ALWAYS_INLINE void fpu_run_as_holder(tcb_t *t)
{
    if (!(vspace_gen & VSPACE_GEN_FPU_ON))
        fpu_ts_clear();
    tcb_t *h = fpu_holder;
    if (h != t) {
        if (h) {
            fpu_regs_save(&h->arch.fpu_state);
            FPU_COUNT(fpu_saves);
            h->arch.cr3_gen &= ~VSPACE_GEN_FPU_ON;
        }
        fpu_regs_load(&t->arch.fpu_state);
        FPU_COUNT(fpu_loads);
        fpu_holder = t;
    }
    t->arch.cr3_gen |= VSPACE_GEN_FPU_ON;
}

/* For the fastpath: t's CR3 is cached, and CR0.TS is right for t. The
 * common case, neither the running thread nor t being the holder, is the
 * one compare the fastpath always made; the rest is inline so that the
 * fastpath makes no calls. */
static ALWAYS_INLINE bool arch_fastpath_switch_ready(tcb_t *t)
{
    word_t g = t->arch.cr3_gen;
    if (likely(g == vspace_gen))
        return true;
    if ((g ^ vspace_gen) & ~VSPACE_GEN_FPU_ON)
        return false; /* stale CR3: the slow path refreshes it */
    if (g & VSPACE_GEN_FPU_ON)
        fpu_ts_clear(); /* t is the holder: its registers are live */
    else if (t->arch.fpu & TCB_FPU_LIVE)
        fpu_run_as_holder(t); /* from the holder to another FPU user */
    else
        fpu_ts_set(); /* from the holder to a thread without FP state */
    return true;
}

/* The slow path's switch to t, after arch_switch_vspace. */
void fpu_activate(tcb_t *t);
/* #NM from t: true if t may now use the FPU (the instruction restarts),
 * false if its FPU is disabled (the exception is its fault). */
bool fpu_device_not_available(tcb_t *t);
/* Boot: CR0 and CR4 for FXSAVE/FXRSTOR and SSE, CR0.TS set. */
void fpu_init(void);

/* seL4_TCB_SetFlags: the flags in effect afterwards. */
word_t arch_tcb_set_flags(tcb_t *t, word_t clear, word_t set);
/* The TCB is being destroyed: its registers are nobody's any more. */
void arch_tcb_finalise(tcb_t *t);
