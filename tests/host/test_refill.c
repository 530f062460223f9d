/* Host tests of the MCS refill arithmetic (kernel/src/mcs/refill.c), built
 * with HYPOS_MCS as their own program. The property that matters is the
 * sporadic server's: however a thread is preempted, blocked and woken, in
 * any window of one period its SC provides at most its budget. A model
 * scheduler drives one SC with random run lengths and gaps, as the kernel
 * does (an SC switched in starts its refill now; usage is charged when it
 * stops), records every stretch it ran, and checks every window. */
#include "host.h"
#include <stdlib.h>
#include <string.h>
#include <object/sched_context.h>

int host_failures;
static int n_tests, n_failed;

void host_test(const char *name, const char *desc, void (*fn)(void))
{
    int before = host_failures;
    fn();
    n_tests++;
    bool ok = host_failures == before;
    if (!ok)
        n_failed++;
    printf("%s %d %s %s\n", ok ? "ok" : "not ok", n_tests, name, desc);
}

#define MIN_BUDGET 200
#define MAX_RUNS 20000

static union {
    sched_context_t sc;
    unsigned char bytes[1 << 10];
} obj;

typedef struct {
    ticks_t start, end;
} run_t;
static run_t runs[MAX_RUNS];

static unsigned long long rng = 88172645463325252ull;
static ticks_t rnd(ticks_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return n ? rng % n : 0;
}

static sched_context_t *fresh_sc(word_t size_bits, word_t refills, ticks_t budget, ticks_t period)
{
    memset(&obj, 0, sizeof obj);
    sched_context_t *sc = &obj.sc;
    HCHECK(refills <= refill_capacity(size_bits));
    refill_new(sc, refills, budget, period, 0);
    return sc;
}

/* The most any window [s, s + period) starting at a run's start holds. */
static ticks_t worst_window(int n, ticks_t period)
{
    ticks_t worst = 0;
    for (int i = 0; i < n; i++) {
        ticks_t w0 = runs[i].start, w1 = w0 + period, in = 0;
        for (int j = i; j < n && runs[j].start < w1; j++)
            in += (runs[j].end < w1 ? runs[j].end : w1) - runs[j].start;
        if (in > worst)
            worst = in;
    }
    return worst;
}

/* Drive the SC: wait for a release, start (unblock check), run a random
 * part of what the first refill offers (or all of it, or an overrun),
 * charge, then a random gap (preempted or blocked). Returns the runs. */
static int drive(sched_context_t *sc, int steps, ticks_t max_gap, ticks_t max_overrun, ticks_t *total)
{
    ticks_t now = 0;
    int n = 0;
    *total = 0;
    for (int i = 0; i < steps && n < MAX_RUNS; i++) {
        if (!refill_ready(sc, now))
            now = refill_head(sc)->time;
        refill_unblock_check(sc, now);
        ticks_t avail = refill_head(sc)->amount;
        ticks_t use;
        switch (rnd(4)) {
        case 0:
            use = avail; /* to the end of the budget */
            break;
        case 1:
            use = avail + rnd(max_overrun + 1); /* the kernel noticed late */
            break;
        default:
            use = 1 + rnd(avail); /* preempted or blocked before */
            break;
        }
        runs[n++] = (run_t){now, now + use};
        *total += use;
        now += use;
        refill_charge(sc, use, MIN_BUDGET);
        if (!refill_list_valid(sc)) {
            printf("#   refills invalid after step %d\n", i);
            HCHECK(refill_list_valid(sc));
            break;
        }
        now += rnd(max_gap + 1);
    }
    return n;
}

static void window_rule_minimum_refills(void)
{
    for (int round = 0; round < 50; round++) {
        ticks_t period = 1000 + rnd(100000), budget = MIN_BUDGET + rnd(period - MIN_BUDGET);
        if (budget == period)
            budget--;
        sched_context_t *sc = fresh_sc(seL4_MinSchedContextBits, seL4_MinRefills, budget, period);
        ticks_t total;
        int n = drive(sc, 2000, period, 0, &total);
        ticks_t worst = worst_window(n, period);
        if (worst > budget)
            printf("#   budget %lu period %lu: %lu in one window\n", (unsigned long)budget, (unsigned long)period,
                   (unsigned long)worst);
        HCHECK(worst <= budget);
    }
}

static void window_rule_many_refills(void)
{
    for (int round = 0; round < 50; round++) {
        ticks_t period = 1000 + rnd(100000), budget = MIN_BUDGET + rnd(period - MIN_BUDGET);
        if (budget == period)
            budget--;
        word_t refills = seL4_MinRefills + rnd(refill_capacity(10) - seL4_MinRefills + 1);
        sched_context_t *sc = fresh_sc(10, refills, budget, period);
        ticks_t total;
        int n = drive(sc, 2000, period / 4, 0, &total);
        ticks_t worst = worst_window(n, period);
        if (worst > budget)
            printf("#   budget %lu period %lu refills %lu: %lu in one window\n", (unsigned long)budget,
                   (unsigned long)period, (unsigned long)refills, (unsigned long)worst);
        HCHECK(worst <= budget);
    }
}

/* An overrun (the kernel stopping a thread late; the kernel sets its timer
 * early by its own worst-case time so that this is rare) is never given
 * back: the next release moves later by as much. A window then holds at
 * most the budget plus one overrun per refill in it. */
static void overruns_are_paid_back(void)
{
    for (int round = 0; round < 50; round++) {
        ticks_t period = 10000 + rnd(100000), budget = 1000 + rnd(period / 2), overrun = 50;
        word_t refills = seL4_MinRefills + rnd(8);
        sched_context_t *sc = fresh_sc(10, refills, budget, period);
        ticks_t total;
        int n = drive(sc, 2000, period, overrun, &total);
        ticks_t worst = worst_window(n, period);
        if (worst > budget + refills * overrun)
            printf("#   budget %lu period %lu refills %lu: %lu in one window\n", (unsigned long)budget,
                   (unsigned long)period, (unsigned long)refills, (unsigned long)worst);
        HCHECK(worst <= budget + refills * overrun);
    }
}

/* A thread that always wants to run gets its whole budget every period:
 * the bookkeeping loses nothing (refills merge, never vanish). */
static void a_busy_thread_gets_its_share(void)
{
    ticks_t period = 100000, budget = 10000, now = 0, ran = 0;
    sched_context_t *sc = fresh_sc(seL4_MinSchedContextBits, seL4_MinRefills, budget, period);
    while (now < 100 * period) {
        if (!refill_ready(sc, now))
            now = refill_head(sc)->time;
        refill_unblock_check(sc, now);
        ticks_t use = refill_head(sc)->amount;
        ran += use;
        now += use;
        refill_charge(sc, use, MIN_BUDGET);
    }
    HCHECK(ran >= 99 * budget && ran <= 101 * budget);
}

static void round_robin_is_one_refill(void)
{
    sched_context_t *sc = fresh_sc(seL4_MinSchedContextBits, seL4_MinRefills, 5000, 5000);
    for (int i = 0; i < 1000; i++) {
        refill_charge(sc, 1 + rnd(7000), MIN_BUDGET);
        HCHECK(sc->refill_count == 1 && refill_head(sc)->amount <= 5000 && refill_head(sc)->amount > 0);
        HCHECK(refill_list_valid(sc));
    }
}

static void capacity_follows_object_size(void)
{
    HCHECK(refill_capacity(seL4_MinSchedContextBits) == seL4_MinRefills);
    for (word_t bits = seL4_MinSchedContextBits; bits < 16; bits++)
        HCHECK(refill_capacity(bits) - seL4_MinRefills == seL4_MaxExtraRefills(bits));
}

int main(void)
{
    printf("TAP version 13\n");
    host_test("HOST_REFILL_001", "minimum refills: at most the budget in any window of one period",
              window_rule_minimum_refills);
    host_test("HOST_REFILL_002", "many refills, short gaps: at most the budget in any window",
              window_rule_many_refills);
    host_test("HOST_REFILL_003", "overruns delay the next release: a window holds at most one overrun per refill more",
              overruns_are_paid_back);
    host_test("HOST_REFILL_004", "a thread that always runs gets its whole budget every period",
              a_busy_thread_gets_its_share);
    host_test("HOST_REFILL_005", "round robin keeps one refill no larger than the budget", round_robin_is_one_refill);
    host_test("HOST_REFILL_006", "refill capacity follows the object size (seL4_MaxExtraRefills)",
              capacity_follows_object_size);
    printf("%d passed, %d failed\n", n_tests - n_failed, n_failed);
    return n_failed != 0;
}
