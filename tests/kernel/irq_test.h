/* Shared by the IRQ and PREEMPT tests: QEMU virt's goldfish RTC as an
 * interrupt source on demand, time, and bounded waits. */
#pragma once
#include "framework.h"
#include <stdint.h>

#define RTC_PADDR 0x101000ul
#define RTC_IRQ 11
#define RTC_VA 0x30000000ul
/* goldfish RTC registers */
#define RTC_TIME_LOW 0x00
#define RTC_TIME_HIGH 0x04
#define RTC_ALARM_LOW 0x08
#define RTC_ALARM_HIGH 0x0c
#define RTC_IRQ_ENABLED 0x10
#define RTC_CLEAR_ALARM 0x14
#define RTC_ALARM_STATUS 0x18
#define RTC_CLEAR_INTERRUPT 0x1c

#define TICKS_PER_MS 10000ul /* QEMU virt's timebase is 10 MHz */
#define WATCHDOG_BADGE (1ul << 40)

uint64_t now_ticks(void);
volatile uint32_t *rtc_map(env_t *env);
uint64_t rtc_now(volatile uint32_t *rtc);
void rtc_alarm_in(volatile uint32_t *rtc, uint64_t ns);
void rtc_fire_now(volatile uint32_t *rtc);
void rtc_clear(volatile uint32_t *rtc);
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
