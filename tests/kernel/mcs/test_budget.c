/* BUDGET: budgets are enforced, measured from the outside: a spinning
 * thread reads the time counter and adds up the stretches it ran (two
 * reads further apart than RUN_GAP_US mean it did not have the
 * processor). The sporadic-server rule (seL4 manual, "Scheduling
 * contexts"): an SC provides at most its budget in any window of one
 * period; budget == period is round robin. The suite runs under -icount
 * (make test's KERNEL_MCS stage), so these figures do not depend on the
 * host. Tolerances: BUDGET_TOLERANCE_US over a whole measurement (one tick
 * of the non-MCS timer, 2 ms) unless a test states another. */
#include "mcs_helpers.h"

#define BUDGET_TOLERANCE_US 2000
#define MAX_SEGMENTS 512

static seL4_Word measure(seL4_Word wall_us, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    return spin_measure(wall_us, NULL, 0, NULL);
}

static bool near(env_t *env, uint64_t got, uint64_t want, uint64_t tolerance)
{
    bool ok = got + tolerance >= want && got <= want + tolerance;
    if (!ok)
        printf("#   measured %llu us, expected %llu +- %llu us\n", (unsigned long long)got, (unsigned long long)want,
               (unsigned long long)tolerance);
    (void)env;
    return ok;
}

static void spinner(env_t *env, helper_t *h, seL4_Word prio, seL4_Word budget, seL4_Word period, seL4_Word extra)
{
    create_helper(env, h, prio);
    helper_set_sc(env, h, budget, period, extra, 0);
}

TEST(BUDGET0001, "a 1 ms budget in a 10 ms period gets 10 % of the processor over 100 periods")
{
    helper_t h;
    spinner(env, &h, 100, 1000, 10000, 0);
    start_helper(env, &h, measure, 100 * 10000, 0, 0, 0);
    CHECK(near(env, wait_for_helper(env, &h), 100 * 1000, BUDGET_TOLERANCE_US));
}

TEST(BUDGET0002, "a 3 ms budget in a 10 ms period gets 30 % over 50 periods")
{
    helper_t h;
    spinner(env, &h, 100, 3000, 10000, 0);
    start_helper(env, &h, measure, 50 * 10000, 0, 0, 0);
    CHECK(near(env, wait_for_helper(env, &h), 50 * 3000, BUDGET_TOLERANCE_US));
}

TEST(BUDGET0003, "two threads of one priority with 2 ms in 10 ms each get 20 % each")
{
    helper_t a, b;
    spinner(env, &a, 100, 2000, 10000, 0);
    spinner(env, &b, 100, 2000, 10000, 0);
    start_helper(env, &a, measure, 50 * 10000, 0, 0, 0);
    start_helper(env, &b, measure, 50 * 10000, 0, 0, 0);
    CHECK(near(env, wait_for_helper(env, &a), 50 * 2000, BUDGET_TOLERANCE_US));
    CHECK(near(env, wait_for_helper(env, &b), 50 * 2000, BUDGET_TOLERANCE_US));
}

static seL4_Word spin_forever(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)a, (void)b, (void)c, (void)d;
    for (;;)
        ;
    return 0;
}

TEST(BUDGET0004, "a busy higher-priority thread with a budget leaves the rest to a lower one")
{
    helper_t high, low;
    spinner(env, &high, 200, 5000, 10000, 0);
    create_helper(env, &low, 100); /* round robin: budget == period */
    start_helper(env, &low, measure, 50 * 10000, 0, 0, 0);
    start_helper(env, &high, spin_forever, 0, 0, 0, 0);
    /* 1 % of the time measured: the high thread's budget is charged for
     * its kernel entries too */
    CHECK(near(env, wait_for_helper(env, &low), 50 * 5000, 5000));
    CHECK_EQ(seL4_TCB_Suspend(high.tcb), 0);
}

static run_segment_t seg_a[MAX_SEGMENTS], seg_b[MAX_SEGMENTS];
static int n_seg_a, n_seg_b;

static seL4_Word measure_log(seL4_Word wall_us, seL4_Word log, seL4_Word n, seL4_Word d)
{
    (void)d;
    return spin_measure(wall_us, (run_segment_t *)log, MAX_SEGMENTS, (int *)n);
}

TEST(BUDGET0005, "budget == period is round robin: equal threads alternate in whole budgets")
{
    helper_t a, b;
    spinner(env, &a, 100, 2000, 2000, 0);
    spinner(env, &b, 100, 2000, 2000, 0);
    start_helper(env, &a, measure_log, 100000, (seL4_Word)seg_a, (seL4_Word)&n_seg_a, 0);
    start_helper(env, &b, measure_log, 100000, (seL4_Word)seg_b, (seL4_Word)&n_seg_b, 0);
    CHECK(near(env, wait_for_helper(env, &a), 50000, BUDGET_TOLERANCE_US));
    CHECK(near(env, wait_for_helper(env, &b), 50000, BUDGET_TOLERANCE_US));
    CHECK(n_seg_a >= 20 && n_seg_a <= MAX_SEGMENTS);
    /* every slice but the first and the last is one whole budget */
    for (int i = 1; i + 1 < n_seg_a && i < MAX_SEGMENTS; i++) {
        uint64_t len = seg_a[i].end - seg_a[i].start;
        if (len + 100 < 2000 || len > 2000 + 100) {
            printf("#   slice %d of a: %llu us\n", i, (unsigned long long)len);
            CHECK(!"round-robin slices of one budget");
            break;
        }
    }
    /* and b ran in a's gaps: a's gaps are b's slices */
    for (int i = 1; i + 1 < n_seg_a && i < MAX_SEGMENTS; i++) {
        uint64_t gap = seg_a[i].start - seg_a[i - 1].end;
        if (gap + 100 < 2000 || gap > 2000 + 100) {
            printf("#   gap %d of a: %llu us\n", i, (unsigned long long)gap);
            CHECK(!"gaps of one budget (the other thread's)");
            break;
        }
    }
}

/* A thread at high priority that takes short bursts at its own rhythm. */
TEST(BUDGET0006, "sporadic refills under bursty preemption: never more than the budget in any period")
{
    helper_t m, burst;
    spinner(env, &m, 100, 2000, 10000, 8);
    spinner(env, &burst, 200, 300, 1700, 0);
    start_helper(env, &burst, spin_forever, 0, 0, 0, 0);
    start_helper(env, &m, measure_log, 20 * 10000, (seL4_Word)seg_a, (seL4_Word)&n_seg_a, 0);
    uint64_t ran = wait_for_helper(env, &m);
    CHECK_EQ(seL4_TCB_Suspend(burst.tcb), 0);
    CHECK(near(env, ran, 20 * 2000, BUDGET_TOLERANCE_US));
    int n = n_seg_a < MAX_SEGMENTS ? n_seg_a : MAX_SEGMENTS;
    CHECK(n > 20); /* the bursts really cut it into pieces */
    /* the window of one period from the start of each run */
    uint64_t worst = 0;
    for (int i = 0; i < n; i++) {
        uint64_t w0 = seg_a[i].start, w1 = w0 + 10000, in = 0;
        for (int j = i; j < n && seg_a[j].start < w1; j++)
            in += (seg_a[j].end < w1 ? seg_a[j].end : w1) - seg_a[j].start;
        if (in > worst)
            worst = in;
    }
    if (worst > 2000 + 100)
        printf("#   %llu us in one period\n", (unsigned long long)worst);
    CHECK(worst <= 2000 + 100);
}

static seL4_Word yield_times(seL4_Word log, seL4_Word n, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    volatile uint64_t *t = (volatile uint64_t *)log;
    for (seL4_Word i = 0; i < n; i++) {
        t[i] = now_us();
        spin_us(100);
        seL4_Yield();
    }
    return 0;
}

TEST(BUDGET0007, "Yield gives up the rest of the budget: the thread runs again one period later")
{
    static uint64_t times[10];
    helper_t h;
    spinner(env, &h, 100, 1000, 10000, 0);
    start_helper(env, &h, yield_times, (seL4_Word)times, 10, 0, 0);
    wait_for_helper(env, &h);
    for (int i = 1; i < 10; i++) {
        uint64_t d = times[i] - times[i - 1];
        if (d + 100 < 10000 || d > 10000 + 500)
            printf("#   wake-up %d after %llu us\n", i, (unsigned long long)d);
        CHECK(d + 100 >= 10000 && d <= 10000 + 500);
    }
}

static seL4_Word measure_windows(seL4_Word window_us, seL4_Word n, seL4_Word out, seL4_Word d)
{
    (void)d;
    for (seL4_Word i = 0; i < n; i++)
        ((volatile uint64_t *)out)[i] = spin_measure(window_us, NULL, 0, NULL);
    return 0;
}

TEST(BUDGET0008, "Configure of a running thread's SC changes its share from then on")
{
    static uint64_t share[8];
    helper_t h;
    spinner(env, &h, 100, 1000, 10000, 0);
    start_helper(env, &h, measure_windows, 50000, 8, (seL4_Word)share, 0);
    idle_for_us(200000); /* the driver runs in the spinner's gaps */
    CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, h.sc, 5000, 10000, 0, 0), 0);
    wait_for_helper(env, &h);
    for (int i = 0; i < 3; i++)
        CHECK(near(env, share[i], 5000, 1000));
    for (int i = 5; i < 8; i++)
        CHECK(near(env, share[i], 25000, 1000));
}

TEST(BUDGET0009, "Consumed agrees with the time the thread measured itself")
{
    helper_t h;
    spinner(env, &h, 100, 2000, 10000, 0);
    seL4_SchedContext_Consumed(h.sc);
    start_helper(env, &h, measure, 20 * 10000, 0, 0, 0);
    uint64_t ran = wait_for_helper(env, &h);
    seL4_SchedContext_Consumed_t c = seL4_SchedContext_Consumed(h.sc);
    CHECK_EQ(c.error, 0);
    CHECK(c.consumed >= ran);
    CHECK(near(env, c.consumed, ran, 500));
}
