/* Interrupt setup for boot: the local APIC and its timer, the I/O APIC. */
#pragma once
#include <types.h>

/* Called by the generic boot once the root task exists. */
void arch_init_interrupts(void);
