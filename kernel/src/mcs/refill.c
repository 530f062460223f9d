/* Refill arithmetic of scheduling contexts (sporadic servers; seL4 manual
 * "Scheduling contexts"; the model of Sprunt, Sha and Lehoczky's sporadic
 * server). Pure functions of an SC and the time, so that host tests can
 * check them (tests/host). The invariant every function keeps: refills
 * are in release order, each ends no later than the next is released,
 * and their amounts add up to the budget. Whenever a refill must be
 * moved, it moves later, never earlier: that only ever gives less time
 * in a window, never more. */
#include <object/sched_context.h>

static word_t ring_index(const sched_context_t *sc, word_t i) { return (sc->refill_head + i) % sc->refill_max; }
static refill_t *refill_at(sched_context_t *sc, word_t i) { return &sc->refills[ring_index(sc, i)]; }
static refill_t *refill_tail(sched_context_t *sc) { return refill_at(sc, sc->refill_count - 1); }

static refill_t refill_pop_head(sched_context_t *sc)
{
    refill_t r = *refill_head(sc);
    sc->refill_head = ring_index(sc, 1);
    sc->refill_count--;
    return r;
}

/* Queue a used piece to be released again. A thread uses its refills one
 * after the other, so a piece released before the last refill would be
 * used up can join that refill; when the ring is full the last refill is
 * moved later to end where the piece would have ended. */
static void refill_schedule_used(sched_context_t *sc, refill_t used)
{
    if (sc->refill_count == 0) {
        sc->refill_head = 0;
        sc->refills[0] = used;
        sc->refill_count = 1;
        return;
    }
    refill_t *tail = refill_tail(sc);
    if (used.time <= tail->time + tail->amount) {
        tail->amount += used.amount;
    } else if (sc->refill_count == sc->refill_max) {
        tail->amount += used.amount;
        tail->time = used.time + used.amount - tail->amount;
    } else {
        *refill_at(sc, sc->refill_count) = used;
        sc->refill_count++;
    }
}

/* The first refill moved later: refills released before it would be used
 * up join it (used one after the other, none is used before its time). */
static void merge_reached_refills(sched_context_t *sc)
{
    refill_t *h = refill_head(sc);
    while (sc->refill_count > 1) {
        refill_t *next = refill_at(sc, 1);
        if (next->time > h->time + h->amount)
            break;
        h->amount += next->amount;
        /* drop refill 1: shift the ones after it forward */
        for (word_t i = 1; i + 1 < sc->refill_count; i++)
            *refill_at(sc, i) = *refill_at(sc, i + 1);
        sc->refill_count--;
    }
}

void refill_new(sched_context_t *sc, word_t max_refills, ticks_t budget, ticks_t period, ticks_t now)
{
    sc->period = period;
    sc->budget = budget;
    sc->refill_max = max_refills;
    sc->refill_head = 0;
    sc->refill_count = 1;
    sc->refills[0] = (refill_t){.time = now, .amount = budget};
}

void refill_update(sched_context_t *sc, word_t max_refills, ticks_t budget, ticks_t period, ticks_t now)
{
    ticks_t start = now;
    if (sc_active(sc) && refill_head(sc)->time > now)
        start = refill_head(sc)->time;
    refill_new(sc, max_refills, budget, period, start);
}

void refill_charge(sched_context_t *sc, ticks_t used, ticks_t min_budget)
{
    if (sc_round_robin(sc)) {
        /* budget == period: one refill, the timeslice, always released;
         * used up, or left with less than a thread may run on (the
         * scheduler then ends the timeslice), it starts over in full: the
         * thread goes to the back of its queue with a whole timeslice, not
         * with a remnant that would cost a kernel entry to use up */
        refill_t *h = refill_head(sc);
        h->amount = h->amount > used && h->amount - used >= min_budget ? h->amount - used : sc->budget;
        return;
    }
    /* Usage runs through the released refills in order; a refill released
     * only after the time the usage would have reached it is not touched:
     * what is left is an overrun. */
    ticks_t reached = refill_head(sc)->time;
    while (used > 0 && sc->refill_count > 0 && refill_head(sc)->time <= reached) {
        refill_t *h = refill_head(sc);
        if (h->amount <= used) {
            refill_t whole = refill_pop_head(sc);
            used -= whole.amount;
            reached = whole.time + whole.amount;
            refill_schedule_used(sc, (refill_t){.time = whole.time + sc->period, .amount = whole.amount});
        } else {
            refill_schedule_used(sc, (refill_t){.time = h->time + sc->period, .amount = used});
            h->amount -= used;
            h->time += used;
            used = 0;
        }
    }
    /* More than the released budget was used (the kernel ran past the
     * deadline): the overrun delays the next release by as much. */
    if (used > 0) {
        refill_head(sc)->time += used;
        merge_reached_refills(sc);
    }
    /* A first refill too small to be worth running on joins the next one,
     * moving later to end where that one ends. */
    while (sc->refill_count > 1 && refill_head(sc)->amount < min_budget) {
        refill_t small = refill_pop_head(sc);
        refill_t *h = refill_head(sc);
        h->amount += small.amount;
        h->time -= small.amount;
        if (h->time < small.time)
            h->time = small.time;
    }
}

void refill_unblock_check(sched_context_t *sc, ticks_t now)
{
    if (sc_round_robin(sc) || !refill_ready(sc, now))
        return;
    refill_head(sc)->time = now;
    merge_reached_refills(sc);
}

ticks_t refill_sum(const sched_context_t *sc)
{
    ticks_t sum = 0;
    for (word_t i = 0; i < sc->refill_count; i++)
        sum += sc->refills[(sc->refill_head + i) % sc->refill_max].amount;
    return sum;
}

bool refill_list_valid(const sched_context_t *sc)
{
    if (sc->refill_count > sc->refill_max || (sc->refill_count && sc->refill_head >= sc->refill_max))
        return false;
    for (word_t i = 0; i + 1 < sc->refill_count; i++) {
        const refill_t *a = &sc->refills[(sc->refill_head + i) % sc->refill_max];
        const refill_t *b = &sc->refills[(sc->refill_head + i + 1) % sc->refill_max];
        if (a->time + a->amount > b->time)
            return false;
    }
    if (!sc->refill_count)
        return true;
    /* round robin: the one refill is the rest of the timeslice */
    if (sc_round_robin(sc))
        return sc->refill_count == 1 && refill_sum(sc) <= sc->budget;
    return refill_sum(sc) == sc->budget;
}
