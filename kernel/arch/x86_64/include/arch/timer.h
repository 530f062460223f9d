/* The kernel tick on x86_64: the local APIC timer in periodic mode
 * (apic.c), which needs no reprogramming per tick. */
#pragma once
#include <arch/apic.h>

/* A tick arrived: count it (the hardware re-arms itself). */
static inline void timer_reset(void) { timer_ticks++; }

/* One-shot use (MCS): the TSC, its frequency in Hz, and an absolute
 * deadline in TSC ticks (~0: none). */
word_t timer_hz(void);
word_t timer_now(void);
void timer_set_deadline(word_t when);
