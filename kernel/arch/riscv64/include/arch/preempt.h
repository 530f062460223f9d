/* The architecture's half of the kernel's preemption points: is an
 * interrupt waiting that the kernel would take if it enabled interrupts,
 * and handling it without leaving the kernel. */
#pragma once
#include <types.h>
#include <arch/machine.h>

#define SIP_STIP (1ull << 5) /* supervisor timer interrupt pending */
#define SIP_SEIP (1ull << 9) /* supervisor external interrupt pending */

/* sip shows what is pending and sie what the kernel enabled (privileged
 * spec 1.12 §4.1.3): an interrupt counts only when both bits are set. The
 * kernel runs with sstatus.SIE clear, so the bits are polled here. */
static inline bool arch_interrupt_pending(void) { return csr_read(sip) & csr_read(sie) & (SIP_STIP | SIP_SEIP); }

/* Handle one pending interrupt (external before timer) as if it had been
 * taken at this point: a preempted system call calls this before the
 * scheduler picks what runs next. */
void arch_handle_pending_interrupt(void);
