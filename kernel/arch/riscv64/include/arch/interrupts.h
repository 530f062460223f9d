/* Interrupt setup for boot: the PLIC, the timer tick, and the sie bits
 * that let both reach the hart. */
#pragma once
#include <types.h>

void arch_init_interrupts(paddr_t plic_base, word_t plic_size, word_t timebase_hz);
