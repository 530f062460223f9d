/* The platform-level interrupt controller (RISC-V PLIC specification 1.0.0)
 * as the generic kernel's interrupt controller: sources 1..max, claimed
 * by the kernel, completed when user space acknowledges them. */
#pragma once
#include <types.h>
#include <object/irq.h> /* arch_irq_* */

/* Largest source number this kernel supports (the PLIC allows 1023). */
#define PLIC_SOURCES_SUPPORTED IRQ_LIMIT

/* Map nothing, probe the sources behind the register window at base
 * (physical), route them to hart 0's S-mode context, all disabled. */
void plic_init(paddr_t base, word_t size);
