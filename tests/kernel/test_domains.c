/* DOMAINS: the domain scheduler (seL4 manual, "Domains"; seL4 15's
 * DomainSet methods). The suite's image is built with a schedule of several
 * domains (scripts/run-tests.sh: DOMAIN_SCHEDULE=0:6,1:3,2:3 and
 * NUM_DOMAINS=4, so domain 3 has no slot). test_domains_init measures that
 * boot schedule before the first test and then gives domain 0, where the
 * suite runs, all the time; the tests here install the schedules they need
 * with ScheduleConfigure/ScheduleSetStart and put domain 0 back alone.
 *
 * Time is measured with the user-readable clock (now_ticks): spinning
 * threads log the stretches of time they ran; a stretch ends when another
 * of them ran in between, or, for a thread alone, when the clock jumped by
 * more than a tick and a half. A thread's share is the time it saw the
 * clock move in small steps. Tolerances: a domain's share of
 * the measured time within 5 percentage points of the schedule's, and the
 * median stretch within one timer tick of the slot length (on x86_64 plus
 * 25 %, see CLOCK_SLACK_PCT). The suite runs under -icount, where QEMU's
 * clock follows the guest: on riscv64 the figures are then exact to a few
 * microseconds. */
#include "framework.h"
#include "irq_helpers.h"
#include "api.h"
#include <sel4/sel4.h>
#include <stdlib.h>
#if defined(__has_include)
#if __has_include(<hypos/domain_config.h>)
#include <hypos/domain_config.h>
#endif
#endif

static seL4_Word emr(int i) { return seL4_GetMR(i); }

/* The unit of schedule lengths: the non-MCS timer tick, 2 ms, in both
 * configurations (docs/domains.md). */
#define DOMAIN_UNIT_MS 2
#define TICK_TIME ((uint64_t)DOMAIN_UNIT_MS * TICKS_PER_MS)
static inline uint64_t distance(uint64_t a, uint64_t b) { return a > b ? a - b : b - a; }
/* How far the suite's clock and the kernel's timer may disagree, in
 * percent. On riscv64 both count the same 10 MHz timebase; on x86_64 the
 * suite calibrates the TSC and the kernel its local APIC timer, each
 * against another QEMU device, and under -icount the two have been seen
 * up to 20 % apart. */
#ifdef __x86_64__
#define CLOCK_SLACK_PCT 25
#else
#define CLOCK_SLACK_PCT 0
#endif
/* A median stretch is a slot of `ticks` ticks: within one tick, plus the
 * clocks' disagreement. */
static inline bool slot_is(uint64_t measured, uint64_t ticks)
{
    uint64_t want = ticks * TICK_TIME;
    return distance(measured, want) <= TICK_TIME + want * CLOCK_SLACK_PCT / 100;
}

/* ---------------- measuring who runs when ---------------- */

/* Several domains are needed for everything that measures time. */
#if CONFIG_NUM_DOMAINS >= 4

#define MAX_STRETCHES 128
typedef struct stretch_log {
    volatile uint64_t total; /* clock time seen while running */
    volatile seL4_Word n;    /* complete stretches logged */
    volatile seL4_Word ran;  /* the thread has run at all */
    uint64_t len[MAX_STRETCHES];
} stretch_log_t;

static volatile int stop_all;
static volatile seL4_Word spins;

/* The logging thread that ran last. */
static volatile seL4_Word last_runner;

/* Spin until the clock passes `end` (or stop_all), logging each complete
 * stretch on the CPU; the first and the last are partial and not logged.
 * Small clock steps count as running time; a step larger than a quarter
 * millisecond (far above a tick's kernel work) was time off the CPU or
 * the host holding QEMU back. */
static void log_stretches(stretch_log_t *l, seL4_Word me, uint64_t end)
{
    uint64_t small = TICKS_PER_MS / 4, alone_gap = TICK_TIME * 3 / 2;
    uint64_t last = now_ticks(), start = last;
    bool first = true;
    l->ran = 1;
    last_runner = me;
    while (last < end && !stop_all) {
        uint64_t t = now_ticks();
        if (last_runner != me || t - last > alone_gap) {
            if (!first && l->n < MAX_STRETCHES)
                l->len[l->n++] = last - start;
            first = false;
            start = t;
            last_runner = me;
        } else if (t - last <= small) {
            l->total += t - last;
        }
        last = t;
    }
}

static seL4_Word stretch_thread(seL4_Word log, seL4_Word end, seL4_Word me, seL4_Word a3)
{
    (void)a3;
    log_stretches((stretch_log_t *)log, me, end);
    return 0;
}

/* A thread that only counts until told to stop (or a deadline). */
static seL4_Word count_thread(seL4_Word counter, seL4_Word end, seL4_Word a2, seL4_Word a3)
{
    (void)a2;
    (void)a3;
    volatile seL4_Word *c = (volatile seL4_Word *)counter;
    while (!stop_all && now_ticks() < end)
        (*c)++;
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t median_stretch(stretch_log_t *l)
{
    if (l->n == 0)
        return 0;
    qsort(l->len, l->n, sizeof l->len[0], cmp_u64);
    return l->len[l->n / 2];
}


/* Spin on the CPU until the clock passes `ms` from now or *until becomes
 * non-zero. */
static void spin_ms(seL4_Word ms, volatile seL4_Word *until)
{
    uint64_t end = now_ticks() + ms * TICKS_PER_MS;
    while (now_ticks() < end && !(until && *until))
        spins++;
}

#endif

/* ---------------- schedules ---------------- */

typedef struct slot {
    seL4_Word domain, ticks;
} slot_t;

/* Entries 0..n-1 become `slots`, entry n the end marker, and a new round
 * starts at entry 0 now. */
static void install_schedule(env_t *env, const slot_t *slots, int n)
{
    CHECK_EQ(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, (seL4_Word)n, 0, 0), seL4_NoError);
    for (int i = 0; i < n; i++)
        CHECK_EQ(
            seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, (seL4_Word)i, (seL4_Uint8)slots[i].domain, slots[i].ticks),
            seL4_NoError);
    CHECK_EQ(seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, 0), seL4_NoError);
}

/* Domain 0 alone, in long slots: every other test runs as with one domain. */
#define DOMAIN0_ALONE_TICKS 1000
static void domain0_alone(env_t *env)
{
    static const slot_t alone[] = {{0, DOMAIN0_ALONE_TICKS}};
    install_schedule(env, alone, 1);
}

#if CONFIG_NUM_DOMAINS >= 4
/* Run one stretch-logging thread per domain 0..3 for `ms` while the caller
 * (domain 0, higher priority) waits for those of the domains in `runs`
 * (a bit mask) to finish; logs[d] is domain d's. */
static void measure_domains(env_t *env, stretch_log_t logs[4], seL4_Word ms, unsigned runs)
{
    helper_t h[4];
    stop_all = 0;
    for (int d = 0; d < 4; d++) {
        logs[d] = (stretch_log_t){0};
        create_helper(env, &h[d], 100);
        CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, (seL4_Uint8)d, h[d].tcb), seL4_NoError);
    }
    uint64_t end = now_ticks() + ms * TICKS_PER_MS;
    for (int d = 0; d < 4; d++)
        start_helper(env, &h[d], stretch_thread, (seL4_Word)&logs[d], end, (seL4_Word)d + 1, 0);
    for (int d = 0; d < 4; d++)
        if (runs & (1u << d))
            wait_for_helper(env, &h[d]);
    /* the others have no slot: their threads are still ready, never ran */
    for (int d = 0; d < 4; d++)
        destroy_helper(env, &h[d]);
}

/* Each domain's share of the measured time matches the schedule's within
 * 5 percentage points, each domain's median stretch is its slot within a
 * tick, and domain 3 (no slot) never ran. */
static void check_split(env_t *env, stretch_log_t logs[4], const slot_t *slots, int n)
{
    uint64_t sched_total = 0, measured = 0;
    for (int i = 0; i < n; i++)
        sched_total += slots[i].ticks;
    for (int d = 0; d < 3; d++)
        measured += logs[d].total;
    CHECK(measured > 0);
    for (int d = 0; d < 3; d++) {
        uint64_t want_ticks = 0;
        int entries = 0;
        for (int i = 0; i < n; i++)
            if (slots[i].domain == (seL4_Word)d) {
                want_ticks += slots[i].ticks;
                entries++;
            }
        long want_pct = (long)(100 * want_ticks / sched_total);
        long got_pct = measured ? (long)(100 * logs[d].total / measured) : 0;
        printf("#   domain %d: %ld%% of the time (schedule: %ld%%), median slot %lu us over %lu slots\n", d, got_pct,
               want_pct, (unsigned long)(median_stretch(&logs[d]) * 1000 / TICKS_PER_MS), (unsigned long)logs[d].n);
        CHECK(labs(got_pct - want_pct) <= 5);
        if (entries == 1) {
            CHECK(logs[d].n >= 3);
            CHECK(slot_is(median_stretch(&logs[d]), want_ticks));
        }
    }
    CHECK_EQ(logs[3].ran, 0);
    CHECK_EQ(logs[3].total, 0);
}

/* The boot schedule, measured before the first test. */
static const slot_t boot_slots[] = {
#ifdef HYPOS_DOMAIN_SCHEDULE
    HYPOS_DOMAIN_SCHEDULE
#else
    {0, 1}
#endif
};
static stretch_log_t boot_logs[4];
static bool boot_measured;
#endif

void test_domains_init(env_t *env)
{
#if CONFIG_NUM_DOMAINS >= 4
    measure_domains(env, boot_logs, 500, 7);
    boot_measured = true;
#endif
    domain0_alone(env);
}

/* ---------------- the tests ---------------- */

#if CONFIG_NUM_DOMAINS >= 4
TEST(DOMAINS0001, "the schedule built into the kernel splits the time as it says; a domain without a slot never runs")
{
    CHECK(boot_measured);
    int n = (int)(sizeof boot_slots / sizeof boot_slots[0]);
    CHECK(n >= 2);
    check_split(env, boot_logs, boot_slots, n);
}

TEST(DOMAINS0002, "a thread of another domain never runs in this domain's slot, even at a higher priority")
{
    static const slot_t sched[] = {{0, 4}, {1, 4}};
    static stretch_log_t high, low;
    high = low = (stretch_log_t){0};
    stop_all = 0;
    helper_t h;
    create_helper(env, &h, 200);
    CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, 1, h.tcb), seL4_NoError);
    set_own_priority(50);
    install_schedule(env, sched, 2);
    uint64_t end = now_ticks() + 200 * TICKS_PER_MS;
    start_helper(env, &h, stretch_thread, (seL4_Word)&high, end, 1, 0);
    /* with one domain the busy thread at 200 would starve this one */
    log_stretches(&low, 2, end);
    stop_all = 1;
    CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, 0, h.tcb), seL4_NoError);
    domain0_alone(env);
    set_own_priority(seL4_MaxPrio);
    wait_for_helper(env, &h);
    destroy_helper(env, &h);
    CHECK(low.n >= 3 && high.n >= 3);
    CHECK(slot_is(median_stretch(&low), 4));
    CHECK(slot_is(median_stretch(&high), 4));
    /* the two shared the CPU half and half */
    CHECK(distance(low.total, high.total) <= (low.total + high.total) / 10);
}

TEST(DOMAINS0003, "ScheduleConfigure and ScheduleSetStart install a new schedule that takes over at once")
{
    static const slot_t sched[] = {{2, 2}, {0, 4}, {1, 2}};
    static stretch_log_t logs[4];
    install_schedule(env, sched, 3);
    measure_domains(env, logs, 300, 7);
    domain0_alone(env);
    check_split(env, logs, sched, 3);
}

TEST(DOMAINS0004, "a domain whose slot it is but that has nothing ready leaves the CPU idle")
{
    /* domain 3's slot: nobody runs, domain 0's thread waits it out */
    static const slot_t sched[] = {{0, 2}, {3, 5}};
    static stretch_log_t mine;
    mine = (stretch_log_t){0};
    stop_all = 0;
    install_schedule(env, sched, 2);
    uint64_t start = now_ticks();
    log_stretches(&mine, 1, start + 150 * TICKS_PER_MS);
    uint64_t elapsed = now_ticks() - start;
    domain0_alone(env);
    CHECK(mine.n >= 3);
    CHECK(slot_is(median_stretch(&mine), 2));
    /* about 2 of every 7 ticks were ours */
    long pct = (long)(100 * mine.total / elapsed);
    printf("#   ran %ld%% of the time (schedule: 28%%)\n", pct);
    CHECK(labs(pct - 28) <= 5);
}

TEST(DOMAINS0005, "DomainSet_Set on the running thread: it continues only in its new domain's slots")
{
    static const slot_t sched[] = {{0, 3}, {1, 3}};
    static volatile seL4_Word count;
    static stretch_log_t mine;
    mine = (stretch_log_t){0};
    count = 0;
    stop_all = 0;
    helper_t h;
    create_helper(env, &h, 50); /* domain 0, far below this thread */
    start_helper(env, &h, count_thread, (seL4_Word)&count, now_ticks() + 1000 * TICKS_PER_MS, 0, 0);
    install_schedule(env, sched, 2);
    spin_ms(20, NULL);
    CHECK_EQ(count, 0); /* outranked in its own domain */
    CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, 1, seL4_CapInitThreadTCB), seL4_NoError);
    log_stretches(&mine, 1, now_ticks() + 100 * TICKS_PER_MS);
    seL4_Word ran_meanwhile = count;
    CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, 0, seL4_CapInitThreadTCB), seL4_NoError);
    domain0_alone(env);
    stop_all = 1;
    wait_for_helper(env, &h);
    destroy_helper(env, &h);
    /* the lower thread of domain 0 ran while this one was ready */
    CHECK(ran_meanwhile > 0);
    CHECK(mine.n >= 3);
    CHECK(slot_is(median_stretch(&mine), 3));
}

TEST(DOMAINS0006, "DomainSet_Set on a ready, queued thread moves it to the new domain's queue")
{
    static const slot_t sched[] = {{0, 2}, {1, 2}};
    static volatile seL4_Word count;
    count = 0;
    stop_all = 0;
    helper_t h;
    create_helper(env, &h, 100);
    start_helper(env, &h, count_thread, (seL4_Word)&count, now_ticks() + 2000 * TICKS_PER_MS, 0, 0);
    /* ready behind this thread (255) in domain 0's queue, then moved */
    CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, 1, h.tcb), seL4_NoError);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    set_own_priority(10);
    spin_ms(30, NULL); /* domain 1 has no slot yet */
    seL4_Word before = count;
    install_schedule(env, sched, 2);
    spin_ms(200, &count);
    seL4_Word after = count;
    stop_all = 1;
    CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, 0, h.tcb), seL4_NoError);
    domain0_alone(env);
    set_own_priority(seL4_MaxPrio);
    stop_all = 1;
    wait_for_helper(env, &h);
    destroy_helper(env, &h);
    CHECK_EQ(before, 0);
    CHECK(after > 0);
}

static volatile seL4_Word woke;
static seL4_Word receive_once(seL4_Word ep, seL4_Word a1, seL4_Word a2, seL4_Word a3)
{
    (void)a1;
    (void)a2;
    (void)a3;
    api_recv(ep, NULL, test_reply);
    woke = 1;
    return 0;
}

TEST(DOMAINS0007, "DomainSet_Set on a blocked thread: woken by IPC, it waits for its new domain's slot")
{
    static const slot_t sched[] = {{0, 2}, {1, 2}};
    woke = 0;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    helper_t h;
    create_helper(env, &h, 200);
    start_helper(env, &h, receive_once, ep, 0, 0, 0);
    set_own_priority(100); /* the receiver (200) runs and blocks */
    CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, 1, h.tcb), seL4_NoError);
    seL4_Send(ep, seL4_MessageInfo_new(0, 0, 0, 0));
    /* with one domain the receiver (200) would have run before Send returned */
    CHECK_EQ(woke, 0);
    spin_ms(30, NULL);
    CHECK_EQ(woke, 0);
    install_schedule(env, sched, 2);
    spin_ms(200, &woke);
    CHECK_EQ(woke, 1);
    CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, 0, h.tcb), seL4_NoError);
    domain0_alone(env);
    set_own_priority(seL4_MaxPrio);
    wait_for_helper(env, &h);
    destroy_helper(env, &h);
}

TEST(DOMAINS0008, "ScheduleSetStart: rounds begin at the start entry; entries after an end marker never run")
{
    /* entry 0 (domain 1) is skipped: rounds start at 1 and end at the
     * marker at 3, so entry 4 (domain 2) never runs either */
    static stretch_log_t logs[4];
    CHECK_EQ(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 4, 2, 3), seL4_NoError);
    CHECK_EQ(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 3, 0, 0), seL4_NoError);
    CHECK_EQ(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 2, 0, 2), seL4_NoError);
    CHECK_EQ(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 1, 3, 2), seL4_NoError);
    CHECK_EQ(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 0, 1, 2), seL4_NoError);
    CHECK_EQ(seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, 1), seL4_NoError);
    /* the start entry cannot become an end marker now; entry 0 can */
    CHECK_EQ(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 1, 0, 0), seL4_InvalidArgument);
    CHECK_EQ(emr(0), 2);
    measure_domains(env, logs, 150, 9);
    CHECK_EQ(seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, 0), seL4_NoError);
    domain0_alone(env);
    CHECK(logs[0].total > 0);
    CHECK_EQ(logs[1].ran, 0);
    CHECK_EQ(logs[2].ran, 0);
    /* domain 3 had a slot this time: its thread ran */
    CHECK(logs[3].ran);
}
#endif

TEST(DOMAINS0010, "DomainSet_Set: a domain beyond seL4_NumDomains, a missing or wrong cap, a wrong service")
{
    helper_t h;
    create_helper(env, &h, 100);
    CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, seL4_NumDomains, h.tcb), seL4_InvalidArgument);
    CHECK_EQ(emr(0), 0);
    CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, 255, h.tcb), seL4_InvalidArgument);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, 0, ep), seL4_InvalidArgument);
    CHECK_EQ(emr(0), 1);
    CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, 0, seL4_CapNull), seL4_InvalidArgument);
    /* no extra cap at all, or no domain: a truncated message */
    seL4_Word a[1] = {0};
    CHECK_EQ(seL4_hyp_invoke(seL4_CapDomain, DomainSetSet, 0, 1, a, NULL), seL4_TruncatedMessage);
    seL4_SetCap(0, h.tcb);
    CHECK_EQ(seL4_hyp_invoke(seL4_CapDomain, DomainSetSet, 1, 0, a, NULL), seL4_TruncatedMessage);
    /* the service must be the domain cap */
    CHECK_EQ(seL4_DomainSet_Set(h.tcb, 0, h.tcb), seL4_IllegalOperation);
    CHECK_EQ(seL4_DomainSet_Set(alloc_slot(env), 0, h.tcb), seL4_InvalidCapability);
    /* an unknown method of the domain cap */
    CHECK_EQ(seL4_hyp_invoke(seL4_CapDomain, CNodeCopy, 0, 1, a, NULL), seL4_IllegalOperation);
    /* the valid move still works, to the last domain and back */
    CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, seL4_NumDomains - 1, h.tcb), seL4_NoError);
    CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, 0, h.tcb), seL4_NoError);
    destroy_helper(env, &h);
}

TEST(DOMAINS0011, "ScheduleConfigure and ScheduleSetStart refuse bad indices, domains and lengths with seL4's errors")
{
    seL4_Word n = CONFIG_NUM_DOMAIN_SCHEDULES;
    /* the last entry stays an end marker: indices 0..n-2 */
    CHECK_EQ(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, n - 1, 0, 5), seL4_RangeError);
    CHECK_EQ(emr(0), 0);
    CHECK_EQ(emr(1), n - 2);
    CHECK_EQ(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, ~0ul, 0, 5), seL4_RangeError);
    CHECK_EQ(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 1, seL4_NumDomains, 5), seL4_RangeError);
    CHECK_EQ(emr(0), 0);
    CHECK_EQ(emr(1), seL4_NumDomains - 1);
    /* a length must fit in 56 bits */
    CHECK_EQ(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 1, 0, 1ul << 56), seL4_InvalidArgument);
    CHECK_EQ(emr(0), 2);
    /* an end marker has domain 0 */
    if (seL4_NumDomains > 1) {
        CHECK_EQ(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 1, 1, 0), seL4_InvalidArgument);
        CHECK_EQ(emr(0), 1);
    }
    /* the entry rounds start at (0 here) cannot become an end marker */
    CHECK_EQ(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 0, 0, 0), seL4_InvalidArgument);
    CHECK_EQ(emr(0), 2);
    seL4_Word a[3] = {1, 0, 5};
    CHECK_EQ(seL4_hyp_invoke(seL4_CapDomain, DomainScheduleConfigure, 0, 2, a, NULL), seL4_TruncatedMessage);
    /* SetStart: indices 0..n-1, never an end marker */
    CHECK_EQ(seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, n), seL4_RangeError);
    CHECK_EQ(emr(0), 0);
    CHECK_EQ(emr(1), n - 1);
    CHECK_EQ(seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, n - 1), seL4_InvalidArgument);
    CHECK_EQ(emr(0), 0);
    CHECK_EQ(seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, 1), seL4_InvalidArgument); /* entry 1: the end */
    CHECK_EQ(seL4_hyp_invoke(seL4_CapDomain, DomainScheduleSetStart, 0, 0, a, NULL), seL4_TruncatedMessage);
    /* a TCB cap is not a DomainSet */
    CHECK_EQ(seL4_DomainSet_ScheduleSetStart(seL4_CapInitThreadTCB, 0), seL4_IllegalOperation);
    /* nothing changed: domain 0 still runs alone, and the kernel agrees */
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    domain0_alone(env);
}
