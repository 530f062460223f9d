/* riscv64's interrupt source for the IRQ and PREEMPT tests: QEMU virt's
 * goldfish RTC (0x101000, PLIC source 11), whose alarm raises its line on
 * demand; time from the rdtime counter. */
#include "../../irq_helpers.h"

/* goldfish RTC registers */
#define RTC_TIME_LOW 0x00
#define RTC_TIME_HIGH 0x04
#define RTC_ALARM_LOW 0x08
#define RTC_ALARM_HIGH 0x0c
#define RTC_IRQ_ENABLED 0x10
#define RTC_CLEAR_ALARM 0x14
#define RTC_ALARM_STATUS 0x18
#define RTC_CLEAR_INTERRUPT 0x1c

uint64_t now_ticks(void)
{
    uint64_t t;
    asm volatile("rdtime %0" : "=r"(t));
    return t;
}

void rtc_device_init(env_t *env, volatile uint32_t *rtc)
{
    (void)env;
    rtc[RTC_CLEAR_ALARM / 4] = 1;
    rtc[RTC_CLEAR_INTERRUPT / 4] = 1;
    rtc[RTC_IRQ_ENABLED / 4] = 1;
}

uint64_t rtc_now(volatile uint32_t *rtc)
{
    uint64_t lo = rtc[RTC_TIME_LOW / 4];
    uint64_t hi = rtc[RTC_TIME_HIGH / 4];
    return hi << 32 | lo;
}

void rtc_alarm_in(volatile uint32_t *rtc, uint64_t ns)
{
    uint64_t t = rtc_now(rtc) + ns;
    rtc[RTC_ALARM_HIGH / 4] = (uint32_t)(t >> 32);
    rtc[RTC_ALARM_LOW / 4] = (uint32_t)t;
}

/* An alarm in the past raises the interrupt during the store. */
void rtc_fire_now(volatile uint32_t *rtc)
{
    rtc[RTC_ALARM_HIGH / 4] = 0;
    rtc[RTC_ALARM_LOW / 4] = 1;
}

void rtc_clear(volatile uint32_t *rtc) { rtc[RTC_CLEAR_INTERRUPT / 4] = 1; }

bool rtc_alarm_armed(volatile uint32_t *rtc) { return rtc[RTC_ALARM_STATUS / 4] != 0; }

/* The PLIC's gateway takes the RTC's level line as it is. */
int rtc_irq_get(seL4_CPtr slot) { return seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, ROOT, slot, WB); }

/* Nothing to set up before the tests. */
void test_arch_init(env_t *env) { (void)env; }
