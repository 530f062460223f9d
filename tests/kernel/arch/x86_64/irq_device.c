/* x86_64's interrupt source for the IRQ and PREEMPT tests: the HPET of
 * QEMU's PC (IA-PC HPET specification 1.0a), its timer 0 as a one-shot
 * alarm routed to I/O APIC input RTC_IRQ, level-triggered so that its
 * line stays up until the test clears it (as the goldfish RTC's does).
 * Time for busy loops comes from the TSC, whose rate is measured against
 * the HPET's counter once before the tests. */
#include "../../irq_helpers.h"

#define HPET_CAP 0x000    /* [63:32] counter period in fs */
#define HPET_CONFIG 0x010 /* bit 0: counter runs; bit 1: legacy routing */
#define HPET_STATUS 0x020 /* a level interrupt's status; write 1 to clear */
#define HPET_COUNTER 0x0f0
#define HPET_T0_CONFIG 0x100 /* [63:32] the I/O APIC inputs it can use */
#define HPET_T0_COMPARE 0x108
#define T_LEVEL (1ul << 1)
#define T_ENABLE (1ul << 2)
#define T_ROUTE_SHIFT 9

uint64_t test_ticks_per_ms;

static volatile uint64_t *reg(volatile uint32_t *hpet, seL4_Word off)
{
    return (volatile uint64_t *)((volatile char *)hpet + off);
}
static uint64_t period_fs(volatile uint32_t *hpet) { return *reg(hpet, HPET_CAP) >> 32; }

uint64_t now_ticks(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

void rtc_device_init(env_t *env, volatile uint32_t *hpet)
{
    uint64_t route_cap = *reg(hpet, HPET_T0_CONFIG) >> 32;
    if (!(route_cap & (1ul << RTC_IRQ)))
        printf("#   HPET timer 0 routes to %lx only\n", (unsigned long)route_cap);
    CHECK(route_cap & (1ul << RTC_IRQ));
    /* timer off (its line drops), no alarm, status clear, and only then
     * enabled: an old comparator in the past would fire at once */
    *reg(hpet, HPET_T0_CONFIG) = 0;
    *reg(hpet, HPET_T0_COMPARE) = ~0ul;
    *reg(hpet, HPET_STATUS) = 1;
    *reg(hpet, HPET_CONFIG) = 1; /* counter on, no legacy routing */
    *reg(hpet, HPET_T0_CONFIG) = T_LEVEL | T_ENABLE | ((uint64_t)RTC_IRQ << T_ROUTE_SHIFT);
}

uint64_t rtc_now(volatile uint32_t *hpet) { return *reg(hpet, HPET_COUNTER) * period_fs(hpet) / 1000000; }

void rtc_alarm_in(volatile uint32_t *hpet, uint64_t ns)
{
    *reg(hpet, HPET_T0_COMPARE) = *reg(hpet, HPET_COUNTER) + ns * 1000000 / period_fs(hpet);
}

/* The comparator a few counter ticks ahead, then wait until timer 0's
 * status shows its line raised: as with the goldfish RTC, whose past alarm
 * raises the line during the store, the interrupt is pending when this
 * returns. A second waits at most. */
void rtc_fire_now(volatile uint32_t *hpet)
{
    *reg(hpet, HPET_T0_COMPARE) = *reg(hpet, HPET_COUNTER) + 2;
    uint64_t end = now_ticks() + 1000 * test_ticks_per_ms;
    uint64_t start = now_ticks();
    while (!(*reg(hpet, HPET_STATUS) & 1) && now_ticks() < end)
        ;
    /* QEMU raises the line from its own timer thread, which a busy host
     * can hold up; the tests' time bounds then say so, not the kernel */
    uint64_t late_us = (now_ticks() - start) * 1000 / test_ticks_per_ms;
    if (late_us > 20000)
        printf("#   (the HPET raised its line %lu us after the alarm: QEMU's timer thread was slow)\n",
               (unsigned long)late_us);
}

void rtc_clear(volatile uint32_t *hpet) { *reg(hpet, HPET_STATUS) = 1; }

bool rtc_alarm_armed(volatile uint32_t *hpet)
{
    uint64_t cmp = *reg(hpet, HPET_T0_COMPARE);
    return cmp != ~0ul && cmp > *reg(hpet, HPET_COUNTER);
}

/* The HPET's input is an ISA line: IRQControl_Get gives it its default
 * trigger (edge), and the kernel holds an edge that comes before Ack. */
int rtc_irq_get(seL4_CPtr slot) { return seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, ROOT, slot, WB); }

/* One reading of the HPET counter and the TSC at the same moment: the
 * counter read bracketed by two TSC reads, retried while the bracket is
 * wide. A thread can lose the processor between any two reads (the timer
 * tick, a domain switch), and a reading taken across such a gap would put
 * the whole gap into the calibration. */
static void hpet_tsc_pair(volatile uint32_t *hpet, uint64_t *counter, uint64_t *tsc)
{
    uint64_t best = ~0ul;
    for (int i = 0; i < 64 && best > 2000; i++) {
        uint64_t before = now_ticks(), c = *reg(hpet, HPET_COUNTER), after = now_ticks();
        if (after - before < best) {
            best = after - before;
            *counter = c;
            *tsc = before + (after - before) / 2;
        }
    }
}

/* The TSC's rate: 20 ms of HPET counter against the TSC. */
void test_arch_init(env_t *env)
{
    volatile uint32_t *hpet = rtc_map(env);
    if (!hpet)
        return;
    uint64_t period = period_fs(hpet), span = 20000000000000ul / period; /* 20 ms in counter ticks */
    uint64_t c0, t0, c1, t1;
    hpet_tsc_pair(hpet, &c0, &t0);
    while (*reg(hpet, HPET_COUNTER) - c0 < span)
        ;
    hpet_tsc_pair(hpet, &c1, &t1);
    uint64_t ns = (c1 - c0) * period / 1000000;
    test_ticks_per_ms = (t1 - t0) * 1000000 / ns;
    *reg(hpet, HPET_T0_CONFIG) = 0;
    printf("# TSC: %lu ticks per ms (HPET period %lu fs)\n", (unsigned long)test_ticks_per_ms, (unsigned long)period);
}
