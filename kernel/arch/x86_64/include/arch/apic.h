/* Local APIC, I/O APIC and the kernel tick. */
#pragma once
#include <types.h>

/* The I/O APIC's registers (the PC machine's usual address; the kernel
 * keeps them out of the device untyped). */
#define IOAPIC_PADDR 0xfec00000ull
#define TIMER_TICK_US 2000u

paddr_t lapic_paddr(void);
void lapic_eoi(void);
word_t x86_irq_claim(word_t vector);
extern word_t timer_ticks;
