/* PREEMPT: the kernel's timer tick preempts busy threads (round robin in
 * a priority, 5 ticks of 2 ms each), and an interrupt that wakes a
 * higher-priority thread switches to it at once. Busy threads here never
 * yield; every loop ends by a time limit read from the time CSR, so a
 * kernel that does not preempt fails these tests instead of hanging. */
#include "framework.h"
#include "irq_helpers.h"

#define PRIO 100

static volatile seL4_Word counter[4];
static volatile int stop;

static seL4_Word spin_count(seL4_Word i, seL4_Word ms, seL4_Word a2, seL4_Word a3)
{
    (void)a2;
    (void)a3;
    uint64_t end = now_ticks() + ms * TICKS_PER_MS;
    while (!stop && now_ticks() < end)
        counter[i]++;
    return counter[i];
}

TEST(PREEMPT0001, "two busy threads at one priority both make progress without yielding")
{
    helper_t a, b;
    stop = 0;
    counter[0] = counter[1] = 0;
    create_helper(env, &a, PRIO);
    create_helper(env, &b, PRIO);
    start_helper(env, &a, spin_count, 0, 3000, 0, 0);
    start_helper(env, &b, spin_count, 1, 3000, 0, 0);
    /* join them at their priority: the root task spins too */
    set_own_priority(PRIO);
    uint64_t end = now_ticks() + 3000 * TICKS_PER_MS;
    while (now_ticks() < end && (counter[0] < 1000 || counter[1] < 1000))
        ;
    stop = 1;
    set_own_priority(seL4_MaxPrio);
    CHECK(counter[0] >= 1000);
    CHECK(counter[1] >= 1000);
    wait_for_helper(env, &a);
    wait_for_helper(env, &b);
    destroy_helper(env, &a);
    destroy_helper(env, &b);
}

/* Two busy threads at one priority count their own iterations and watch
 * the other's count: when it has moved, the other thread ran in between,
 * so a turn ended (a gap in time alone could be the host descheduling
 * QEMU). Each records its complete turns (not the first, which may start
 * mid-slice) until it has seen `want` of them or the other has finished;
 * a 3 s deadline bounds it if the kernel never switches. */
static volatile seL4_Word turns[2], min_turn[2], max_turn[2];
static volatile int finished[2];
static seL4_Word take_turns(seL4_Word i, seL4_Word want, seL4_Word a2, seL4_Word a3)
{
    (void)a2;
    (void)a3;
    seL4_Word other = 1 - i, seen = counter[other], n = 0;
    uint64_t start = now_ticks(), last = start, deadline = start + 3000 * TICKS_PER_MS;
    min_turn[i] = ~0ul;
    max_turn[i] = 0;
    while (!finished[other] && n <= want && last < deadline) {
        uint64_t t = now_ticks();
        counter[i]++;
        if (counter[other] != seen) {
            seen = counter[other];
            if (n >= 1) {
                seL4_Word len = last - start;
                if (len < min_turn[i])
                    min_turn[i] = len;
                if (len > max_turn[i])
                    max_turn[i] = len;
            }
            n++;
            start = t;
        }
        last = t;
    }
    turns[i] = n ? n - 1 : 0;
    finished[i] = 1;
    return turns[i];
}

static void run_turns(env_t *env, seL4_Word want)
{
    helper_t a, b;
    for (int i = 0; i < 2; i++)
        turns[i] = counter[i] = finished[i] = 0;
    create_helper(env, &a, PRIO);
    create_helper(env, &b, PRIO);
    start_helper(env, &a, take_turns, 0, want, 0, 0);
    start_helper(env, &b, take_turns, 1, want, 0, 0);
    wait_for_helper(env, &a);
    wait_for_helper(env, &b);
    destroy_helper(env, &a);
    destroy_helper(env, &b);
}

TEST(PREEMPT0002, "busy threads at one priority take turns: each is preempted repeatedly")
{
    run_turns(env, 8);
    /* one of them stops first, after 8 complete turns; the other has
     * had at least 7 by then */
    CHECK(turns[0] >= 7);
    CHECK(turns[1] >= 7);
}

TEST(PREEMPT0003, "a timeslice lasts five 2 ms ticks: no complete turn is shorter than three")
{
    run_turns(env, 6);
    CHECK(turns[0] >= 3 && turns[1] >= 3);
    /* five ticks from the start of a turn are at least four periods (8 ms);
     * a slower host only makes turns longer */
    CHECK(min_turn[0] >= 6 * TICKS_PER_MS);
    CHECK(min_turn[1] >= 6 * TICKS_PER_MS);
    /* and the kernel does switch: no turn takes a second */
    CHECK(max_turn[0] < 1000 * TICKS_PER_MS);
    CHECK(max_turn[1] < 1000 * TICKS_PER_MS);
}

/* Registers survive preemption: each thread computes a long sum in
 * registers while the other runs in between. */
static seL4_Word checksum(seL4_Word seed, seL4_Word n, seL4_Word a2, seL4_Word a3)
{
    (void)a2;
    (void)a3;
    seL4_Word x = seed, y = seed * 3 + 1, z = 7;
    for (seL4_Word i = 0; i < n; i++) {
        x = x * 6364136223846793005ul + 1442695040888963407ul;
        y ^= x >> 17;
        z += y * 31 + i;
    }
    return x ^ y ^ z;
}

TEST(PREEMPT0004, "a preempted thread resumes with its registers intact")
{
    seL4_Word n = 10000000;
    seL4_Word want0 = checksum(1, n, 0, 0), want1 = checksum(2, n, 0, 0);
    helper_t a, b;
    create_helper(env, &a, PRIO);
    create_helper(env, &b, PRIO);
    uint64_t t0 = now_ticks();
    start_helper(env, &a, checksum, 1, n, 0, 0);
    start_helper(env, &b, checksum, 2, n, 0, 0);
    CHECK_EQ(wait_for_helper(env, &a), want0);
    CHECK_EQ(wait_for_helper(env, &b), want1);
    /* long enough to have been preempted several times */
    printf("#   two checksums took %lu ms\n", (unsigned long)((now_ticks() - t0) / TICKS_PER_MS));
    destroy_helper(env, &a);
    destroy_helper(env, &b);
}

TEST(PREEMPT0005, "a lower-priority thread does not run while a higher one is busy")
{
    helper_t hi, lo;
    stop = 0;
    counter[0] = counter[1] = 0;
    create_helper(env, &hi, PRIO);
    create_helper(env, &lo, PRIO - 50);
    start_helper(env, &lo, spin_count, 1, 2000, 0, 0);
    start_helper(env, &hi, spin_count, 0, 100, 0, 0);
    /* the root task blocks: hi runs for 100 ms of ticks; lo must wait */
    wait_for_helper(env, &hi);
    seL4_Word lo_during = counter[1];
    stop = 1;
    wait_for_helper(env, &lo);
    CHECK_EQ(lo_during, 0);
    CHECK(counter[0] > 0);
    destroy_helper(env, &hi);
    destroy_helper(env, &lo);
}

/* ---------------- interrupts that wake higher priorities ---------------- */

static volatile uint32_t *g_rtc;
static volatile seL4_Word fired_at, seen_count;
static volatile int woke;

/* Low priority: raise the RTC interrupt, then count; the handler thread,
 * woken by the interrupt, records how far the count got. */
static seL4_Word fire_and_count(seL4_Word a0, seL4_Word a1, seL4_Word a2, seL4_Word a3)
{
    (void)a0;
    (void)a1;
    (void)a2;
    (void)a3;
    counter[0] = 0;
    rtc_fire_now(g_rtc);
    uint64_t end = now_ticks() + 500 * TICKS_PER_MS;
    while (!woke && now_ticks() < end)
        counter[0]++;
    return counter[0];
}

static seL4_Word handler_thread(seL4_Word ntfn, seL4_Word a1, seL4_Word a2, seL4_Word a3)
{
    (void)a1;
    (void)a2;
    (void)a3;
    seL4_Word badge = 0;
    seL4_Wait(ntfn, &badge);
    seen_count = counter[0];
    woke = 1;
    return badge;
}

TEST(PREEMPT0006, "a higher-priority thread woken by an interrupt preempts a busy thread at once")
{
    g_rtc = rtc_map(env);
    if (!g_rtc)
        return;
    seL4_CPtr ntfn;
    seL4_CPtr irq = rtc_handler(env, &ntfn, 0x2);
    woke = 0;
    seen_count = ~0ul;
    helper_t h, busy;
    create_helper(env, &h, PRIO + 50);
    create_helper(env, &busy, PRIO);
    start_helper(env, &h, handler_thread, ntfn, 0, 0, 0);
    start_helper(env, &busy, fire_and_count, 0, 0, 0, 0);
    /* the watchdog (below both) ends the handler's wait if no interrupt */
    watchdog_t w;
    watchdog_start(env, &w, ntfn, 1000, PRIO - 10);
    seL4_Word badge = wait_for_helper(env, &h);
    wait_for_helper(env, &busy);
    watchdog_stop(env, &w);
    CHECK_EQ(badge, 0x2);
    /* woken within a handful of the busy thread's loop iterations, not
     * after its timeslice (which is millions of iterations) */
    CHECK(seen_count < 100);
    rtc_clear(g_rtc);
    CHECK_EQ(seL4_IRQHandler_Ack(irq), 0);
    destroy_helper(env, &h);
    destroy_helper(env, &busy);
}

static seL4_Word spin_until_deadline_then_signal(seL4_Word cap, seL4_Word ms, seL4_Word a2, seL4_Word a3)
{
    (void)a2;
    (void)a3;
    uint64_t end = now_ticks() + ms * TICKS_PER_MS;
    while (!stop && now_ticks() < end)
        counter[2]++;
    if (!stop)
        seL4_Signal(cap);
    return 0;
}

TEST(PREEMPT0007, "a busy low-priority thread cannot starve the root task waiting for an RTC alarm")
{
    volatile uint32_t *rtc = rtc_map(env);
    if (!rtc)
        return;
    seL4_CPtr ntfn;
    seL4_CPtr irq = rtc_handler(env, &ntfn, 0x80);
    seL4_CPtr wd = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, wd, WB, ROOT, ntfn, WB, seL4_AllRights, WATCHDOG_BADGE), 0);
    helper_t busy;
    stop = 0;
    counter[2] = 0;
    create_helper(env, &busy, 1);
    /* the busy thread never blocks; after 2 s it signals, as a bound */
    start_helper(env, &busy, spin_until_deadline_then_signal, wd, 2000, 0, 0);
    for (int i = 0; i < 3; i++) {
        rtc_alarm_in(rtc, 20000000); /* 20 ms */
        seL4_Word badge = 0;
        seL4_Wait(ntfn, &badge);
        CHECK_EQ(badge, 0x80);
        rtc_clear(rtc);
        CHECK_EQ(seL4_IRQHandler_Ack(irq), 0);
    }
    /* the busy thread ran while the root task waited (per round this
     * could fail on a host that stalls QEMU for the whole 20 ms) */
    CHECK(counter[2] > 0);
    stop = 1;
    wait_for_helper(env, &busy);
    destroy_helper(env, &busy);
}

TEST(PREEMPT0008, "an interrupt wakes the system from idle")
{
    volatile uint32_t *rtc = rtc_map(env);
    if (!rtc)
        return;
    seL4_CPtr ntfn;
    seL4_CPtr irq = rtc_handler(env, &ntfn, 0x1);
    /* nothing else is runnable: the kernel idles until the alarm. Time is
     * the device's own clock: under -icount (the MCS stage) the counter
     * does not move while nothing runs and no timer is set. */
    uint64_t t0 = rtc_now(rtc);
    rtc_alarm_in(rtc, 20000000); /* 20 ms */
    seL4_Word badge = 0;
    seL4_Wait(ntfn, &badge);
    CHECK_EQ(badge, 0x1);
    CHECK(rtc_now(rtc) - t0 >= 10000000);
    rtc_clear(rtc);
    CHECK_EQ(seL4_IRQHandler_Ack(irq), 0);
}

static seL4_Word ping(seL4_Word ntfn, seL4_Word n, seL4_Word reply, seL4_Word a3)
{
    (void)a3;
    for (seL4_Word i = 0; i < n; i++) {
        seL4_Word b;
        seL4_Wait(ntfn, &b);
        counter[3]++;
        seL4_Signal(reply);
    }
    return counter[3];
}

TEST(PREEMPT0009, "each interrupt of a series wakes the high-priority handler over a busy thread")
{
    volatile uint32_t *rtc = rtc_map(env);
    if (!rtc)
        return;
    seL4_CPtr ntfn;
    seL4_CPtr irq = rtc_handler(env, &ntfn, 0x4);
    /* the handler reports each wake-up on `done` (badge 1); the busy
     * thread signals `done` with the watchdog badge if it is not stopped
     * within 3 s, which bounds every wait below */
    seL4_CPtr done = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr from_handler = alloc_slot(env), from_busy = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, from_handler, WB, ROOT, done, WB, seL4_AllRights, 1), 0);
    CHECK_EQ(seL4_CNode_Mint(ROOT, from_busy, WB, ROOT, done, WB, seL4_AllRights, WATCHDOG_BADGE), 0);
    helper_t h, busy;
    stop = 0;
    counter[2] = counter[3] = 0;
    create_helper(env, &h, PRIO + 10);
    create_helper(env, &busy, PRIO);
    start_helper(env, &h, ping, ntfn, 5, from_handler, 0);
    start_helper(env, &busy, spin_until_deadline_then_signal, from_busy, 3000, 0, 0);
    for (seL4_Word i = 1; i <= 5; i++) {
        rtc_alarm_in(rtc, 2000000);
        seL4_Word badge = 0;
        seL4_Wait(done, &badge);
        CHECK_EQ(badge, 1);
        CHECK_EQ(counter[3], i);
        rtc_clear(rtc);
        CHECK_EQ(seL4_IRQHandler_Ack(irq), 0);
    }
    /* the busy thread had the processor whenever the others waited */
    CHECK(counter[2] > 0);
    stop = 1;
    wait_for_helper(env, &h);
    wait_for_helper(env, &busy);
    destroy_helper(env, &h);
    destroy_helper(env, &busy);
}
