/* The scheduler's ready queues and priority bitmap (kernel/src/kernel/thread.c):
 * queue order, bitmap bits at word boundaries, the choice of the next thread
 * and seL4's wake-up order, checked against the scheduler's own invariant
 * check. */
#include "host.h"
#include <kernel/thread.h>

#define N_THREADS 16
static tcb_t threads[N_THREADS];

static void reset(void)
{
    /* empty every queue through the public interface, then start afresh */
    for (unsigned i = 0; i < N_THREADS; i++)
        sched_dequeue(&threads[i]);
    ks_cur_thread = NULL;
    reschedule_required();
    for (unsigned i = 0; i < N_THREADS; i++) {
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

/* Random enqueues, appends, dequeues and priority changes, compared after
 * every step with a plain model (one ordered list per priority): the
 * bitmap has exactly the non-empty priorities, and draining the queues
 * runs the threads in the model's order. Priorities are drawn from all
 * 256 and often from the edges of the bitmap's words. */
static struct {
    int order[N_THREADS]; /* thread indices, head first */
    int n;
} model[seL4_MaxPrio + 1];
static int model_prio[N_THREADS]; /* -1: not queued */

static void model_remove(int i)
{
    int p = model_prio[i];
    int k = 0;
    while (model[p].order[k] != i)
        k++;
    for (; k + 1 < model[p].n; k++)
        model[p].order[k] = model[p].order[k + 1];
    model[p].n--;
    model_prio[i] = -1;
}

static void model_insert(int i, int p, bool at_head)
{
    if (at_head) {
        for (int k = model[p].n; k > 0; k--)
            model[p].order[k] = model[p].order[k - 1];
        model[p].order[0] = i;
    } else {
        model[p].order[model[p].n] = i;
    }
    model[p].n++;
    model_prio[i] = p;
}

static bool bitmap_matches_model(void)
{
    for (int p = 0; p <= seL4_MaxPrio; p++)
        if (!(ready_bitmap[0][p / WORD_BITS] & BIT(p % WORD_BITS)) != !model[p].n)
            return false;
    return true;
}

static void random_operations_match_a_model(void)
{
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int round = 0; round < 200; round++) {
        reset();
        for (int p = 0; p <= seL4_MaxPrio; p++)
            model[p].n = 0;
        for (int i = 0; i < N_THREADS; i++) {
            model_prio[i] = -1;
            ready(i, 0);
        }
        for (int step = 0; step < 64; step++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            int i = (int)(x % N_THREADS), op = (int)((x >> 8) % 4);
            /* half the time a priority at a bitmap word's edge, so queues
             * there hold several threads */
            static const word_t edges[] = {0, 1, 63, 64, 127, 128, 254, 255};
            word_t p = (x >> 16) % 2 ? edges[(x >> 20) % 8] : (x >> 24) % (seL4_MaxPrio + 1);
            tcb_t *t = &threads[i];
            if (op == 0 || op == 1) { /* enqueue / append at the thread's own priority */
                if (model_prio[i] < 0)
                    model_insert(i, (int)t->priority, op == 0);
                op == 0 ? sched_enqueue(t) : sched_append(t);
            } else if (op == 2) {
                if (model_prio[i] >= 0)
                    model_remove(i);
                sched_dequeue(t);
            } else { /* a queued thread moves to the head of its new queue */
                bool queued = model_prio[i] >= 0;
                if (queued)
                    model_remove(i);
                thread_set_priority(t, p);
                if (queued)
                    model_insert(i, (int)p, true);
            }
            HCHECK(check_scheduler_invariants() == 0);
            HCHECK(bitmap_matches_model());
        }
        for (int p = seL4_MaxPrio; p >= 0; p--)
            for (int k = 0; k < model[p].n; k++)
                HCHECK(next_to_run() == &threads[model[p].order[k]]);
        HCHECK(next_to_run() == NULL);
    }
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
    host_test("HOST_SCHED_007", "random queue operations at all 256 priorities match a model, bitmap included",
              random_operations_match_a_model);
}
