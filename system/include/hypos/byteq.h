/* A byte queue in shared memory between two PDs, in the style of sDDF's
 * serial queues: one producer, one consumer, free-running 32-bit indices
 * (tail written by the producer only, head by the consumer only), the
 * bytes in a power-of-two ring after a 64-byte header, and notifications
 * on a channel to say "there is more" or "there is room". Both sides work
 * out the ring's size from the region's size (byteq_capacity), so nothing
 * the other side writes can send an index outside the ring.
 *
 * A side that finds the queue empty (consumer) or full (producer) sets its
 * *_waiting flag; the other side signals only when the flag is set, and
 * clears it. Setting the flag and checking the queue again closes the race
 * with the other side's last update. */
#ifndef HYPOS_BYTEQ_H
#define HYPOS_BYTEQ_H
#include <stdint.h>

#define BYTEQ_HEADER 64

struct byteq {
    uint32_t tail;             /* producer: bytes written so far */
    uint32_t head;             /* consumer: bytes read so far */
    uint32_t consumer_waiting; /* consumer wants a signal when bytes arrive */
    uint32_t producer_waiting; /* producer wants a signal when room appears */
    /* Connection events of a device stream (see "Connections" below). In
     * the queue from the device the driver writes event_seq, event_mark
     * and event_state; in the queue to the device the client writes
     * event_ack and event_ack_mark. Zero where nobody uses them. */
    uint32_t event_seq;
    uint32_t event_mark;
    uint32_t event_state;
    uint32_t event_ack;
    uint32_t event_ack_mark;
    uint32_t reserved;
    uint64_t driver_insns; /* statistics: the driver's instructions so far (queue from the device) */
    uint8_t pad[BYTEQ_HEADER - 48];
    uint8_t ring[];
};

/* The largest power of two that fits the region after the header, or 0. */
static inline uint32_t byteq_capacity(uint64_t region_size)
{
    if (region_size <= BYTEQ_HEADER)
        return 0;
    uint64_t room = region_size - BYTEQ_HEADER, cap = 1;
    while (cap * 2 <= room && cap < (1u << 30))
        cap *= 2;
    return (uint32_t)cap;
}

static inline uint32_t byteq_used(const struct byteq *q)
{
    return __atomic_load_n(&q->tail, __ATOMIC_ACQUIRE) - __atomic_load_n(&q->head, __ATOMIC_ACQUIRE);
}

/* Producer: append up to len bytes; returns how many went in. */
static inline uint32_t byteq_put(struct byteq *q, uint32_t cap, const void *src, uint32_t len)
{
    uint32_t tail = q->tail, head = __atomic_load_n(&q->head, __ATOMIC_ACQUIRE);
    uint32_t used = tail - head;
    if (used > cap) /* the consumer wrote nonsense: treat the queue as full */
        return 0;
    uint32_t n = cap - used < len ? cap - used : len;
    const uint8_t *s = src;
    for (uint32_t i = 0; i < n; i++)
        q->ring[(tail + i) & (cap - 1)] = s[i];
    __atomic_store_n(&q->tail, tail + n, __ATOMIC_RELEASE);
    return n;
}

/* Consumer: take up to len bytes; returns how many. */
static inline uint32_t byteq_get(struct byteq *q, uint32_t cap, void *dst, uint32_t len)
{
    uint32_t head = q->head, tail = __atomic_load_n(&q->tail, __ATOMIC_ACQUIRE);
    uint32_t avail = tail - head;
    if (avail > cap) /* the producer wrote nonsense: take nothing */
        return 0;
    uint32_t n = avail < len ? avail : len;
    uint8_t *d = dst;
    for (uint32_t i = 0; i < n; i++)
        d[i] = q->ring[(head + i) & (cap - 1)];
    __atomic_store_n(&q->head, head + n, __ATOMIC_RELEASE);
    return n;
}

/* Should the side that just made progress signal the other? Clears the
 * other side's flag when it says yes. */
static inline int byteq_take_waiting(uint32_t *flag)
{
    if (!__atomic_load_n(flag, __ATOMIC_ACQUIRE))
        return 0;
    __atomic_store_n(flag, 0, __ATOMIC_RELEASE);
    return 1;
}

static inline void byteq_set_waiting(uint32_t *flag) { __atomic_store_n(flag, 1, __ATOMIC_SEQ_CST); }

#endif
