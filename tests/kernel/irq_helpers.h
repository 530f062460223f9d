/* Shared by the IRQ and PREEMPT tests: a timer device as an interrupt
 * source on demand ("the RTC": QEMU virt's goldfish RTC on riscv64, the
 * HPET of QEMU's PC on x86_64), time, and bounded waits. The device part
 * is arch/<arch>/irq_device.c, the rest irq_helpers.c. test_arch.h gives
 * RTC_PADDR (the device's page), RTC_IRQ (its IRQ number) and TICKS_PER_MS
 * (of now_ticks). */
#pragma once
#include "framework.h"
#include <stdint.h>

#define RTC_VA 0x30000000ul
#define WATCHDOG_BADGE (1ul << 40)

/* A free-running counter user code can read, TICKS_PER_MS per ms. */
uint64_t now_ticks(void);
volatile uint32_t *rtc_map(env_t *env);
/* The device's own clock, in ns. */
uint64_t rtc_now(volatile uint32_t *rtc);
void rtc_alarm_in(volatile uint32_t *rtc, uint64_t ns);
void rtc_fire_now(volatile uint32_t *rtc);
/* Lower the device's interrupt line. */
void rtc_clear(volatile uint32_t *rtc);
/* An alarm is set that has not fired yet. */
bool rtc_alarm_armed(volatile uint32_t *rtc);
/* An IRQ handler for the device's line, RTC_IRQ, into root slot `slot`,
 * with the trigger its line needs. */
int rtc_irq_get(seL4_CPtr slot);
/* Put the mapped device in a known state: no alarm, line low, interrupt
 * enabled towards RTC_IRQ (the arch part of rtc_map). */
void rtc_device_init(env_t *env, volatile uint32_t *rtc);
seL4_CPtr rtc_handler(env_t *env, seL4_CPtr *ntfn, seL4_Word badge);

typedef struct watchdog {
    helper_t h;
    seL4_CPtr cap;
} watchdog_t;
/* A thread at prio that signals ntfn with WATCHDOG_BADGE after ms. */
void watchdog_start(env_t *env, watchdog_t *w, seL4_CPtr ntfn, seL4_Word ms, seL4_Word prio);
void watchdog_stop(env_t *env, watchdog_t *w);
seL4_Word bounded_wait(env_t *env, seL4_CPtr ntfn, seL4_Word ms);
/* Drop anything pending on ntfn, fire the RTC and check that its interrupt
 * arrives on ntfn with badge; then clear the device and Ack the handler. */
void fire_and_expect(env_t *env, volatile uint32_t *rtc, seL4_CPtr irq, seL4_CPtr ntfn, seL4_Word badge);
