/* Scheduling contexts and reply objects of the MCS configuration (seL4
 * manual, "Scheduling contexts" and "Reply objects"; docs/mcs.md).
 *
 * A scheduling context (SC) is CPU time as an object: a budget per
 * period, kept as a list of refills. Each refill is an amount of time
 * that becomes usable at its release time; the amounts add up to the
 * budget. A thread runs only on an SC whose first refill is released,
 * and running uses that refill up; what it used comes back one period
 * after it began using it (a sporadic server), so in any window of one
 * period an SC never provides more than its budget. */
#pragma once
#include <types.h>
#include <object/structures.h>

typedef uint64_t ticks_t;

typedef struct refill {
    ticks_t time;   /* when it is released */
    ticks_t amount; /* how much time it provides */
} refill_t;

typedef struct sched_context {
    ticks_t period;
    ticks_t budget;
    ticks_t consumed;          /* charged since the last Consumed or YieldTo */
    struct tcb *tcb;           /* the thread running on it: bound or donated */
    struct reply *reply;       /* newest reply it was donated through (call stack top) */
    struct notification *ntfn; /* notification it is bound to */
    struct tcb *yield_from;    /* a thread waiting in YieldTo for this SC */
    word_t badge;              /* the data word of timeout faults */
    word_t refill_max;         /* capacity of refills[], from the object size */
    word_t refill_head;        /* index of the first refill (a ring) */
    word_t refill_count;       /* 0: not configured (never runs) */
    word_t sporadic;           /* configured with the Sporadic flag */
    refill_t refills[];
} sched_context_t;

_Static_assert(sizeof(sched_context_t) + seL4_MinRefills * sizeof(refill_t) == seL4_CoreSchedContextBytes,
               "an SC of the minimum size holds exactly the two refills every SC has");

/* A reply object: where a caller waits for its reply. While a receiver
 * waits with it, tcb is that receiver (its state says which); once a Call
 * arrives, tcb is the caller (BlockedOnReply). When the Call donated an
 * SC, the reply is on that SC's call stack: sc names it and prev/next link
 * the stack from newest to oldest. */
typedef struct reply {
    struct tcb *tcb;
    struct reply *prev; /* older donation of the same SC */
    struct reply *next; /* newer donation of the same SC */
    struct sched_context *sc;
} reply_t;
_Static_assert(sizeof(reply_t) == (1u << seL4_ReplyBits), "reply object size");

/* ---- refills (kernel/src/mcs/refill.c, pure arithmetic) ---- */
/* The refills an SC object of 2^size_bits bytes holds. */
static inline word_t refill_capacity(word_t size_bits)
{
    return (BIT(size_bits) - sizeof(sched_context_t)) / sizeof(refill_t);
}
static inline refill_t *refill_head(sched_context_t *sc) { return &sc->refills[sc->refill_head]; }
static inline bool sc_active(const sched_context_t *sc) { return sc->refill_count > 0; }
static inline bool sc_round_robin(const sched_context_t *sc) { return sc->budget == sc->period; }
/* The first refill is released by now. */
static inline bool refill_ready(sched_context_t *sc, ticks_t now) { return refill_head(sc)->time <= now; }

/* Start afresh with the whole budget released at `now`. */
void refill_new(sched_context_t *sc, word_t max_refills, ticks_t budget, ticks_t period, ticks_t now);
/* Reconfigure an SC that may be in use: same as new, but not released
 * before its current first refill would have been. */
void refill_update(sched_context_t *sc, word_t max_refills, ticks_t budget, ticks_t period, ticks_t now);
/* Charge `used` ticks, taken from the first refills from the time the
 * first was released; each used piece is released again one period after
 * that. min_budget: a first refill smaller than this is merged into the
 * next, so that a thread never starts with less than it can use. */
void refill_charge(sched_context_t *sc, ticks_t used, ticks_t min_budget);
/* A thread wakes on the SC at `now`: a released first refill starts now,
 * and later refills released by the time it would be used up join it. */
void refill_unblock_check(sched_context_t *sc, ticks_t now);
/* Sum of the amounts (== budget; for the invariant checker). */
ticks_t refill_sum(const sched_context_t *sc);
/* Refills sorted by time, none overlapping the next, each >= 0 amount. */
bool refill_list_valid(const sched_context_t *sc);
