/* The supervisor timer: a periodic kernel tick, never visible to user
 * space except through scheduling. */
#pragma once
#include <types.h>

#define TIMER_TICK_US 2000

/* Program the first tick; uses Sstc's stimecmp when the hart has it,
 * otherwise the SBI TIME extension. */
void timer_init(word_t timebase_hz);
/* The tick fired: program the next one. */
void timer_reset(void);
bool timer_uses_sstc(void);
/* Ticks since boot. */
extern word_t timer_ticks;
/* One-shot use (MCS): the time counter, its frequency in Hz, and an
 * absolute deadline in counter ticks (~0: none). */
word_t timer_hz(void);
word_t timer_now(void);
void timer_set_deadline(word_t when);
