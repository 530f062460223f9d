/* SCHED: priorities, round robin, yield, preemption on wake-up, MCP. */
#include "framework.h"

static volatile int order[64];
static volatile int n_order;
static void note(int id) { order[n_order++] = id; }

static seL4_Word log_id(seL4_Word id, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    note((int)id);
    return 0;
}

TEST(SCHED0001, "the highest priority ready thread runs first")
{
    helper_t h[4];
    n_order = 0;
    seL4_Word prio[4] = {10, 40, 20, 30};
    for (int i = 0; i < 4; i++) {
        create_helper(env, &h[i], prio[i]);
        start_helper(env, &h[i], log_id, prio[i], 0, 0, 0);
    }
    CHECK_EQ(n_order, 0); /* the root task (255) keeps running */
    for (int i = 0; i < 4; i++)
        wait_for_helper(env, &h[i]);
    CHECK_EQ(n_order, 4);
    CHECK_EQ(order[0], 40);
    CHECK_EQ(order[1], 30);
    CHECK_EQ(order[2], 20);
    CHECK_EQ(order[3], 10);
}

/* seL4 puts a thread made ready by a higher priority thread at the head of
 * its priority's queue (tcbSchedEnqueue), so the last one resumed runs first. */
TEST(SCHED0002, "threads resumed by a higher priority thread run last-resumed first")
{
    helper_t h[5];
    n_order = 0;
    for (int i = 0; i < 5; i++) {
        create_helper(env, &h[i], 50);
        start_helper(env, &h[i], log_id, i, 0, 0, 0);
    }
    for (int i = 0; i < 5; i++)
        wait_for_helper(env, &h[i]);
    for (int i = 0; i < 5; i++)
        CHECK_EQ(order[i], 4 - i);
}

static seL4_Word yield_loop(seL4_Word id, seL4_Word rounds, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    for (seL4_Word i = 0; i < rounds; i++) {
        note((int)id);
        seL4_Yield();
    }
    return 0;
}

TEST(SCHED0003, "yield hands the processor round robin to threads of the same priority")
{
    helper_t h[3];
    n_order = 0;
    for (int i = 0; i < 3; i++) {
        create_helper(env, &h[i], 60);
        start_helper(env, &h[i], yield_loop, i, 4, 0, 0);
    }
    for (int i = 0; i < 3; i++)
        wait_for_helper(env, &h[i]);
    CHECK_EQ(n_order, 12);
    /* first run: last resumed first (2, 1, 0); yield then appends: 2, 1, 0, ... */
    for (int i = 0; i < 12; i++)
        CHECK_EQ(order[i], 2 - i % 3);
}

TEST(SCHED0004, "yield with no other thread at that priority returns at once")
{
    (void)env;
    for (int i = 0; i < 100; i++)
        seL4_Yield();
    CHECK(1);
}

static seL4_Word wait_then_log(seL4_Word ntfn, seL4_Word id, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    seL4_Wait(ntfn, NULL);
    note((int)id);
    return 0;
}

static seL4_Word signal_then_log(seL4_Word ntfn, seL4_Word id, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    note((int)id);
    seL4_Signal(ntfn);
    note((int)id + 1);
    return 0;
}

TEST(SCHED0005, "waking a higher priority thread preempts the waker at once")
{
    helper_t hi, lo;
    seL4_CPtr n = make_object(env, seL4_NotificationObject, 0);
    n_order = 0;
    create_helper(env, &hi, 200);
    create_helper(env, &lo, 100);
    start_helper(env, &hi, wait_then_log, n, 9, 0, 0);
    start_helper(env, &lo, signal_then_log, n, 1, 0, 0);
    wait_for_helper(env, &lo);
    wait_for_helper(env, &hi);
    CHECK_EQ(n_order, 3);
    CHECK_EQ(order[0], 1);
    CHECK_EQ(order[1], 9); /* before the signaller's next step */
    CHECK_EQ(order[2], 2);
}

TEST(SCHED0006, "waking a lower priority thread does not preempt the waker")
{
    helper_t hi, lo;
    seL4_CPtr n = make_object(env, seL4_NotificationObject, 0);
    n_order = 0;
    create_helper(env, &lo, 100);
    create_helper(env, &hi, 200);
    start_helper(env, &lo, wait_then_log, n, 9, 0, 0);
    set_own_priority(150); /* let the low thread block first */
    set_own_priority(99);
    set_own_priority(seL4_MaxPrio);
    start_helper(env, &hi, signal_then_log, n, 1, 0, 0);
    wait_for_helper(env, &hi);
    wait_for_helper(env, &lo);
    CHECK_EQ(order[0], 1);
    CHECK_EQ(order[1], 2);
    CHECK_EQ(order[2], 9);
}

TEST(SCHED0007, "lowering the current thread's priority lets a higher ready thread run")
{
    helper_t h;
    n_order = 0;
    create_helper(env, &h, 100);
    start_helper(env, &h, log_id, 5, 0, 0, 0);
    CHECK_EQ(n_order, 0);
    set_own_priority(50);
    CHECK_EQ(n_order, 1); /* it ran as soon as we dropped below it */
    set_own_priority(seL4_MaxPrio);
    wait_for_helper(env, &h);
}

TEST(SCHED0008, "raising a ready thread above the current one runs it at once")
{
    helper_t h;
    n_order = 0;
    set_own_priority(100);
    create_helper(env, &h, 50);
    start_helper(env, &h, log_id, 6, 0, 0, 0);
    CHECK_EQ(n_order, 0);
    CHECK_EQ(seL4_TCB_SetPriority(h.tcb, seL4_CapInitThreadTCB, 150), 0);
    CHECK_EQ(n_order, 1);
}

TEST(SCHED0009, "priorities 0 and 255 are both schedulable")
{
    helper_t lo, hi;
    n_order = 0;
    create_helper(env, &lo, 0);
    start_helper(env, &lo, log_id, 0, 0, 0, 0);
    set_own_priority(254);
    create_helper(env, &hi, 255);
    start_helper(env, &hi, log_id, 255, 0, 0, 0);
    CHECK_EQ(n_order, 1);
    CHECK_EQ(order[0], 255);
    wait_for_helper(env, &lo);
    CHECK_EQ(order[1], 0);
}

static seL4_Word raise_self(seL4_Word tcb, seL4_Word prio, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    return seL4_TCB_SetPriority(tcb, tcb, prio);
}

TEST(SCHED0010, "a thread cannot raise itself above its MCP")
{
    helper_t h;
    create_helper(env, &h, 30);
    CHECK_EQ(seL4_TCB_SetMCPriority(h.tcb, seL4_CapInitThreadTCB, 40), 0);
    start_helper(env, &h, raise_self, h.tcb, 41, 0, 0);
    CHECK_EQ(wait_for_helper(env, &h), seL4_RangeError);
    create_helper(env, &h, 30);
    CHECK_EQ(seL4_TCB_SetMCPriority(h.tcb, seL4_CapInitThreadTCB, 40), 0);
    start_helper(env, &h, raise_self, h.tcb, 40, 0, 0);
    CHECK_EQ(wait_for_helper(env, &h), 0);
}

TEST(SCHED0011, "a suspended thread is never scheduled until resumed")
{
    helper_t h;
    n_order = 0;
    create_helper(env, &h, 100);
    start_helper(env, &h, log_id, 7, 0, 0, 0);
    CHECK_EQ(seL4_TCB_Suspend(h.tcb), 0);
    set_own_priority(10);
    CHECK_EQ(n_order, 0);
    CHECK_EQ(seL4_TCB_Resume(h.tcb), 0);
    CHECK_EQ(n_order, 1);
}

TEST(SCHED0012, "changing the priority of a queued thread moves it to the new queue")
{
    helper_t a, b;
    n_order = 0;
    create_helper(env, &a, 20);
    create_helper(env, &b, 30);
    start_helper(env, &a, log_id, 1, 0, 0, 0);
    start_helper(env, &b, log_id, 2, 0, 0, 0);
    CHECK_EQ(seL4_TCB_SetPriority(a.tcb, seL4_CapInitThreadTCB, 40), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    wait_for_helper(env, &a);
    wait_for_helper(env, &b);
    CHECK_EQ(order[0], 1);
    CHECK_EQ(order[1], 2);
}

/* seL4's schedule() appends a woken thread of the running thread's own
 * priority to the tail of its queue and keeps the running thread: two
 * producers woken in turn run in the order they were woken. Returns how
 * many had run right after the two signals (0 unless the timer ended the
 * waker's timeslice in that window). */
static int wake_two_at_own_priority(env_t *env)
{
    helper_t a, b;
    seL4_CPtr na = make_object(env, seL4_NotificationObject, 0), nb = make_object(env, seL4_NotificationObject, 0);
    n_order = 0;
    create_helper(env, &a, 100);
    create_helper(env, &b, 100);
    start_helper(env, &a, wait_then_log, na, 1, 0, 0);
    start_helper(env, &b, wait_then_log, nb, 2, 0, 0);
    set_own_priority(100);
    seL4_Yield(); /* both run and block on their notifications */
    seL4_Signal(na);
    seL4_Signal(nb);
    int ran = n_order;
    wait_for_helper(env, &a);
    wait_for_helper(env, &b);
    set_own_priority(seL4_MaxPrio);
    destroy_helper(env, &a);
    destroy_helper(env, &b);
    return ran;
}

TEST(SCHED0013, "threads woken at the waker's own priority queue behind it in wake-up order")
{
    /* a timer tick between the two signals is a legitimate round-robin
     * switch; three in a row are not a coincidence */
    int ran = 1;
    for (int attempt = 0; attempt < 3 && ran != 0; attempt++)
        ran = wake_two_at_own_priority(env);
    CHECK_EQ(ran, 0); /* the waker kept running */
    CHECK_EQ(n_order, 2);
    CHECK_EQ(order[0], 1);
    CHECK_EQ(order[1], 2);
}
