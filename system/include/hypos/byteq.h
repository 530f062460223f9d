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

/* Connections. A driver whose device reports a peer connecting and going
 * away (a host program on a virtio serial port) passes each such event to
 * its client through the header of the queue from the device: event_seq
 * counts events twice (odd while the driver writes the other two),
 * event_mark is that queue's tail at the latest event (the bytes before
 * it belong to earlier connections) and event_state says whether a peer
 * is connected now (BYTEQ_CONNECTED) and whether the driver reports
 * connections at all (BYTEQ_EVENTS). Several events between two looks
 * come out as the latest one.
 *
 * The client, on an event, drops the bytes before the mark and whatever
 * it had of a message from them, then acknowledges in the header of the
 * queue to the device: event_ack_mark is that queue's tail then (its
 * bytes before it were meant for the earlier connection), event_ack the
 * event_seq it acted on. Until the acknowledgement matches its latest
 * event the driver sends nothing from that queue; then it drops the bytes
 * before the acknowledged mark. */
#define BYTEQ_CONNECTED 1u
#define BYTEQ_EVENTS 2u

/* Client: the latest event if there is one it has not seen (*seen is the
 * event_seq it last acted on): 1 with *mark and *state filled, else 0 (also
 * while the driver is writing one; it notifies when done). */
static inline int byteq_event(const struct byteq *q, uint32_t *seen, uint32_t *mark, uint32_t *state)
{
    for (;;) {
        uint32_t s = __atomic_load_n(&q->event_seq, __ATOMIC_ACQUIRE);
        if (s == *seen || (s & 1))
            return 0;
        uint32_t m = __atomic_load_n(&q->event_mark, __ATOMIC_RELAXED);
        uint32_t st = __atomic_load_n(&q->event_state, __ATOMIC_RELAXED);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (__atomic_load_n(&q->event_seq, __ATOMIC_RELAXED) != s)
            continue;
        *seen = s;
        *mark = m;
        *state = st;
        return 1;
    }
}

/* Consumer: drop the bytes before mark (if it lies ahead, within the
 * queue); returns how many. */
static inline uint32_t byteq_skip_to(struct byteq *q, uint32_t mark)
{
    uint32_t head = q->head, tail = __atomic_load_n(&q->tail, __ATOMIC_ACQUIRE);
    if ((int32_t)(mark - head) <= 0 || mark - head > tail - head)
        return 0;
    __atomic_store_n(&q->head, mark, __ATOMIC_RELEASE);
    return mark - head;
}

/* Client, in the queue to the device (its producer): event seq acted on;
 * the bytes queued so far are for the connection before. */
static inline void byteq_ack_event(struct byteq *q, uint32_t seq)
{
    __atomic_store_n(&q->event_ack_mark, q->tail, __ATOMIC_RELAXED);
    __atomic_store_n(&q->event_ack, seq, __ATOMIC_RELEASE);
}

#endif
