/* The scheduler's ready queues and priority bitmap (kernel/src/kernel/thread.c):
 * queue order, bitmap bits at word boundaries, the choice of the next thread
 * and seL4's wake-up order, checked against the scheduler's own invariant
 * check. */
#include "host.h"
#include <kernel/thread.h>

static tcb_t threads[8];

static void reset(void)
{
    /* empty every queue through the public interface, then start afresh */
    for (unsigned i = 0; i < 8; i++)
        sched_dequeue(&threads[i]);
    ks_cur_thread = NULL;
    reschedule_required();
    for (unsigned i = 0; i < 8; i++) {
        threads[i] = (tcb_t){0};
        tcb_init(&threads[i]);
    }
    schedule(); /* nothing to run: no decision pending afterwards */
}

static tcb_t *ready(unsigned i, word_t prio)
{
    tcb_t *t = &threads[i];
    t->priority = prio;
    t->state = ThreadState_Running;
    return t;
}

/* Take threads off the queues in the order the scheduler would run them. */
static tcb_t *next_to_run(void)
{
    ks_cur_thread = NULL;
    reschedule_required();
    tcb_t *t = schedule();
    if (t)
        t->state = ThreadState_Inactive; /* it ran and blocked */
    return t;
}

static void queue_order(void)
{
    reset();
    sched_append(ready(0, 10));
    sched_append(ready(1, 10));
    sched_enqueue(ready(2, 10)); /* head */
    HCHECK(check_scheduler_invariants() == 0);
    HCHECK(next_to_run() == &threads[2]);
    HCHECK(next_to_run() == &threads[0]);
    HCHECK(next_to_run() == &threads[1]);
    HCHECK(next_to_run() == NULL);
    HCHECK(check_scheduler_invariants() == 0);
}

static void highest_first_across_words(void)
{
    reset();
    const word_t prios[] = {0, 63, 64, 127, 128, 255};
    for (unsigned i = 0; i < 6; i++)
        sched_append(ready(i, prios[i]));
    HCHECK(check_scheduler_invariants() == 0);
    for (int i = 5; i >= 0; i--)
        HCHECK(next_to_run() == &threads[i]);
    for (unsigned w = 0; w < READY_BITMAP_WORDS; w++)
        HCHECK(ready_bitmap[0][w] == 0);
}

static void highest_check_at_boundaries(void)
{
    reset();
    sched_append(ready(0, 64));
    HCHECK(sched_is_highest(64));
    HCHECK(sched_is_highest(65));
    HCHECK(!sched_is_highest(63));
    HCHECK(!sched_is_highest(0));
    sched_append(ready(1, 255));
    HCHECK(!sched_is_highest(254));
    HCHECK(sched_is_highest(255));
    sched_dequeue(&threads[1]);
    sched_dequeue(&threads[1]); /* twice is harmless */
    HCHECK(sched_is_highest(64));
    HCHECK(check_scheduler_invariants() == 0);
}

static void dequeue_middle_and_priority_change(void)
{
    reset();
    sched_append(ready(0, 20));
    sched_append(ready(1, 20));
    sched_append(ready(2, 20));
    sched_dequeue(&threads[1]);
    HCHECK(check_scheduler_invariants() == 0);
    thread_set_priority(&threads[2], 30); /* a queued thread moves queues */
    HCHECK(check_scheduler_invariants() == 0);
    HCHECK(next_to_run() == &threads[2]);
    HCHECK(next_to_run() == &threads[0]);
    HCHECK(next_to_run() == NULL);
}

/* seL4's possibleSwitchTo and schedule(): a woken thread of higher priority
 * runs at once; one of lower priority queues at the head; one of the same
 * priority queues at the tail and the current thread keeps running. */
static void wake_up_order(void)
{
    reset();
    tcb_t *cur = ready(0, 100);
    ks_cur_thread = cur;
    possible_switch_to(ready(1, 100));
    possible_switch_to(ready(2, 100));
    possible_switch_to(ready(3, 50));
    possible_switch_to(ready(4, 50));
    HCHECK(schedule() == cur);
    HCHECK(check_scheduler_invariants() == 0);
    cur->state = ThreadState_Inactive;
    HCHECK(next_to_run() == &threads[1]);
    HCHECK(next_to_run() == &threads[2]);
    HCHECK(next_to_run() == &threads[4]);
    HCHECK(next_to_run() == &threads[3]);

    reset();
    ks_cur_thread = ready(0, 100);
    possible_switch_to(ready(1, 200));
    HCHECK(schedule() == &threads[1]);
    HCHECK(check_scheduler_invariants() == 0); /* the preempted thread is queued */
}

static void invariant_check_sees_corruption(void)
{
    reset();
    sched_append(ready(0, 7));
    ready_bitmap[0][0] &= ~BIT(7);
    HCHECK(check_scheduler_invariants() != 0);
    ready_bitmap[0][0] |= BIT(7);
    threads[0].priority = 8; /* queued in the wrong queue */
    HCHECK(check_scheduler_invariants() != 0);
    threads[0].priority = 7;
    HCHECK(check_scheduler_invariants() == 0);
}

void run_sched_tests(void)
{
    host_test("HOST_SCHED_001", "enqueue puts a thread at the head, append at the tail", queue_order);
    host_test("HOST_SCHED_002", "the highest priority runs first, across bitmap words", highest_first_across_words);
    host_test("HOST_SCHED_003", "sched_is_highest at priority and word boundaries", highest_check_at_boundaries);
    host_test("HOST_SCHED_004", "dequeue from the middle; a queued thread changes priority",
              dequeue_middle_and_priority_change);
    host_test("HOST_SCHED_005", "wake-ups: equal priority to the tail, lower to the head, higher runs", wake_up_order);
    host_test("HOST_SCHED_006", "the invariant check sees a wrong bitmap bit and a wrong queue",
              invariant_check_sees_corruption);
}
