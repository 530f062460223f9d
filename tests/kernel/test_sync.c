/* SYNC: synchronisation built from notifications, used by many threads. */
#include "framework.h"

/* A mutex: a notification holding one token (the lock is free when signalled). */
typedef struct mutex {
    seL4_CPtr ntfn;
} mutex_t;
static void mutex_init(mutex_t *m, seL4_CPtr n)
{
    m->ntfn = n;
    seL4_Signal(n);
}
static void mutex_lock(mutex_t *m) { seL4_Wait(m->ntfn, NULL); }
static void mutex_unlock(mutex_t *m) { seL4_Signal(m->ntfn); }

/* A counting semaphore: an atomic count plus a notification to sleep on. */
typedef struct sem {
    volatile long value;
    seL4_CPtr ntfn;
} sem_t;
static void sem_wait(sem_t *s)
{
    if (__atomic_sub_fetch(&s->value, 1, __ATOMIC_SEQ_CST) < 0)
        seL4_Wait(s->ntfn, NULL);
}
static void sem_post(sem_t *s)
{
    if (__atomic_add_fetch(&s->value, 1, __ATOMIC_SEQ_CST) <= 0)
        seL4_Signal(s->ntfn);
}

static mutex_t mtx;
static volatile long shared_count;

static seL4_Word locked_increments(seL4_Word n, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    for (seL4_Word i = 0; i < n; i++) {
        mutex_lock(&mtx);
        long v = shared_count;
        seL4_Yield(); /* let others try to get in while we hold the lock */
        shared_count = v + 1;
        mutex_unlock(&mtx);
    }
    return 0;
}

TEST(SYNC0001, "a notification mutex keeps 8 threads' read-yield-write updates exact")
{
    static helper_t h[8];
    shared_count = 0;
    mutex_init(&mtx, make_object(env, seL4_NotificationObject, 0));
    for (int i = 0; i < 8; i++) {
        create_helper(env, &h[i], 80);
        start_helper(env, &h[i], locked_increments, 50, 0, 0, 0);
    }
    for (int i = 0; i < 8; i++)
        wait_for_helper(env, &h[i]);
    CHECK_EQ(shared_count, 400);
}

#define RING 4
static sem_t slots_free, items;
static volatile seL4_Word ring[RING];
static volatile int head, tail;

static seL4_Word producer(seL4_Word from, seL4_Word n, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    for (seL4_Word i = 0; i < n; i++) {
        sem_wait(&slots_free);
        mutex_lock(&mtx);
        ring[head] = from + i;
        head = (head + 1) % RING;
        mutex_unlock(&mtx);
        sem_post(&items);
        if (i % 3 == 0)
            seL4_Yield();
    }
    return 0;
}

static seL4_Word consumer(seL4_Word n, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    seL4_Word sum = 0;
    for (seL4_Word i = 0; i < n; i++) {
        sem_wait(&items);
        mutex_lock(&mtx);
        sum += ring[tail];
        tail = (tail + 1) % RING;
        mutex_unlock(&mtx);
        sem_post(&slots_free);
    }
    return sum;
}

TEST(SYNC0002, "semaphores: 3 producers and 2 consumers pass 300 items through a 4-slot ring")
{
    static helper_t p[3], c[2];
    head = tail = 0;
    mutex_init(&mtx, make_object(env, seL4_NotificationObject, 0));
    slots_free = (sem_t){RING, make_object(env, seL4_NotificationObject, 0)};
    items = (sem_t){0, make_object(env, seL4_NotificationObject, 0)};
    for (int i = 0; i < 2; i++) {
        create_helper(env, &c[i], 70 + i);
        start_helper(env, &c[i], consumer, 150, 0, 0, 0);
    }
    for (int i = 0; i < 3; i++) {
        create_helper(env, &p[i], 70);
        start_helper(env, &p[i], producer, 1000 * (i + 1), 100, 0, 0);
    }
    seL4_Word total = wait_for_helper(env, &c[0]) + wait_for_helper(env, &c[1]);
    for (int i = 0; i < 3; i++)
        wait_for_helper(env, &p[i]);
    /* sum of 1000k + i for k = 1..3, i = 0..99 */
    CHECK_EQ(total, 100 * (1000 + 2000 + 3000) + 3 * 4950);
}

static seL4_Word ping(seL4_Word mine, seL4_Word other, seL4_Word rounds, seL4_Word d)
{
    (void)d;
    for (seL4_Word i = 0; i < rounds; i++) {
        seL4_Wait(mine, NULL);
        shared_count++;
        seL4_Signal(other);
    }
    return 0;
}

TEST(SYNC0003, "binary semaphores hand a token back and forth between priorities")
{
    helper_t a, b;
    seL4_CPtr na = make_object(env, seL4_NotificationObject, 0), nb = make_object(env, seL4_NotificationObject, 0);
    shared_count = 0;
    create_helper(env, &a, 90);
    create_helper(env, &b, 120);
    start_helper(env, &a, ping, na, nb, 100, 0);
    start_helper(env, &b, ping, nb, na, 100, 0);
    seL4_Signal(na);
    wait_for_helper(env, &a);
    wait_for_helper(env, &b);
    CHECK_EQ(shared_count, 200);
}

static sem_t arrived;
static seL4_CPtr release_ntfn;
static volatile int passed_barrier;

static seL4_Word barrier_worker(seL4_Word b, seL4_Word c, seL4_Word d, seL4_Word e)
{
    (void)b, (void)c, (void)d, (void)e;
    sem_post(&arrived);
    seL4_Wait(release_ntfn, NULL);
    __atomic_add_fetch(&passed_barrier, 1, __ATOMIC_SEQ_CST);
    return 0;
}

TEST(SYNC0004, "a barrier: 16 threads wait until all have arrived, then all pass")
{
    static helper_t h[16];
    passed_barrier = 0;
    arrived = (sem_t){0, make_object(env, seL4_NotificationObject, 0)};
    release_ntfn = make_object(env, seL4_NotificationObject, 0);
    for (int i = 0; i < 16; i++) {
        create_helper(env, &h[i], 60 + (i % 4));
        start_helper(env, &h[i], barrier_worker, 0, 0, 0, 0);
    }
    for (int i = 0; i < 16; i++)
        sem_wait(&arrived);
    CHECK_EQ(passed_barrier, 0);
    for (int i = 0; i < 16; i++)
        seL4_Signal(release_ntfn);
    for (int i = 0; i < 16; i++)
        wait_for_helper(env, &h[i]);
    CHECK_EQ(passed_barrier, 16);
}
