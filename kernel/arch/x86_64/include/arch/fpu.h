/* Floating-point and SSE state of user threads: not kept on x86_64 yet.
 * CR4.OSFXSR stays clear, so every SSE instruction is an invalid-opcode
 * exception (a user exception to the thread's fault handler), and user
 * programs are built without SSE registers. x87 instructions run on the
 * one shared register file (CR0.EM clear), unsaved across switches. */
#pragma once
#include <types.h>
#include <object/structures.h>
#include <arch/vspace.h>

#ifdef HYPOS_DEBUG
/* register file loads and saves since boot (seL4_HypDebugFpuSwitches):
 * none without per-thread state */
extern word_t fpu_loads, fpu_saves;
#endif

/* For the fastpath: t's CR3 is cached (there is no FPU state to switch). */
static ALWAYS_INLINE bool arch_fastpath_switch_ready(tcb_t *t) { return arch_vspace_cached(t); }

/* seL4_TCB_SetFlags: the flags in effect afterwards (seL4_TCBFlag_fpuDisabled
 * is recorded; with no FPU state offered it changes nothing). */
word_t arch_tcb_set_flags(tcb_t *t, word_t clear, word_t set);
/* The TCB is being destroyed. */
void arch_tcb_finalise(tcb_t *t);
