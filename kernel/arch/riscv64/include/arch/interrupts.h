/* Interrupt setup for boot: the PLIC, the timer tick, and the sie bits
 * that let both reach the hart. */
#pragma once
#include <types.h>

/* Called by the generic boot once the root task exists. */
void arch_init_interrupts(void);
void arch_init_plic_and_timer(paddr_t plic_base, word_t plic_size, word_t timebase_hz);
