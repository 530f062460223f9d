/* Invariants of the MCS configuration: every SC's refills, the binding
 * between SCs and threads, reply objects and their call stacks, and the
 * release queue (checked by seL4_HypDebugCheckInvariants). */
#include <kernel/invariants.h>
#include <kernel/addr.h>
#include <kernel/mdb.h>
#include <kernel/thread.h>
#include <object/ipc.h>

static void check_sched_context(const cte_t *c, sched_context_t *sc)
{
    if (sc_active(sc) && !refill_list_valid(sc))
        violation("an SC's refills are out of order or do not add up to its budget", c);
    if (sc->tcb && sc->tcb->sc != sc)
        violation("an SC's thread runs on another SC", c);
    if (sc->ntfn && sc->ntfn->sc != sc)
        violation("an SC's notification names another SC", c);
    const reply_t *newer = NULL;
    word_t depth = 0;
    for (const reply_t *r = sc->reply; r; newer = r, r = r->prev) {
        if (r->sc != sc || r->next != newer)
            violation("an SC's call stack is not linked both ways", c);
        if (++depth > 100000) {
            violation("an SC's call stack does not end", c);
            break;
        }
    }
}

static void check_reply(const cte_t *c, reply_t *r)
{
    tcb_t *t = r->tcb;
    if (t && t->reply != r)
        violation("a reply object's thread does not name it", c);
    if (t && t->state != ThreadState_BlockedOnReply && t->state != ThreadState_BlockedOnReceive)
        violation("a reply object names a thread that neither waits in it nor receives with it", c);
    if (r->sc && !r->tcb)
        violation("a reply on an SC's call stack has no caller", c);
}

static void check_thread(const cte_t *c, tcb_t *t)
{
    if (t->sc && t->sc->tcb != t)
        violation("a thread's SC does not name it", c);
    if (t->reply && t->reply->tcb != t)
        violation("a thread's reply object does not name it", c);
    if (t->in_release_queue && t->sched_queued)
        violation("a thread is both ready and waiting for a release", c);
    if (t->sched_queued && !sched_may_queue(t))
        violation("a ready thread has no SC with released budget", c);
}

void check_config_threads(void)
{
    for (const cte_t *c = mdb_next(&mdb_head); c; c = mdb_next(c)) {
        switch (cap_get_type(c->cap)) {
        case cap_sched_context:
            check_sched_context(c, oref_ptr(cap_sched_context_ptr(c->cap)));
            break;
        case cap_reply:
            check_reply(c, oref_ptr(cap_reply_ptr(c->cap)));
            break;
        case cap_thread:
            check_thread(c, oref_ptr(cap_thread_ptr(c->cap)));
            break;
        default:
            break;
        }
    }
    if (check_mcs_invariants())
        violation("the release queue is out of order or holds a thread that cannot wait there", NULL);
}
