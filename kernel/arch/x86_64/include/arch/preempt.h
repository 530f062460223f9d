/* The architecture's half of the kernel's preemption points: is an
 * interrupt waiting that the kernel would take if it enabled interrupts,
 * and handling it without leaving the kernel. */
#pragma once
#include <types.h>

/* The local APIC's IRR holds every vector accepted but not yet delivered
 * (Intel SDM Vol. 3A §10.8.4); the kernel runs with IF clear, so vectors
 * 0x20 and up wait there. */
bool arch_interrupt_pending(void);

/* Handle one pending interrupt as if it had been taken at this point: a
 * preempted system call calls this before the scheduler picks what runs
 * next. */
void arch_handle_pending_interrupt(void);
