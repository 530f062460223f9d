/* Invariants of the non-MCS configuration's threads (reply caps). */
#include <kernel/invariants.h>
#include <kernel/addr.h>
#include <kernel/mdb.h>
#include <kernel/thread.h>

/* What the IPC fastpath takes for granted about threads: one that has run
 * holds its master reply cap, one waiting to receive has an empty caller
 * slot, a caller slot never holds a master reply cap, and a one-shot reply
 * cap always names a thread waiting for that reply. */
void check_config_threads(void)
{
    for (const cte_t *c = mdb_next(&mdb_head); c; c = mdb_next(c)) {
        if (cap_get_type(c->cap) == cap_reply && !cap_reply_is_master(c->cap)) {
            const tcb_t *caller = oref_ptr(cap_reply_tcb(c->cap));
            if (caller->state != ThreadState_BlockedOnReply)
                violation("a reply cap names a thread that waits for no reply", c);
            continue;
        }
        if (cap_get_type(c->cap) != cap_thread)
            continue;
        const tcb_t *t = oref_ptr(cap_thread_ptr(c->cap));
        cap_t master = t->ctes[tcbReply].cap, caller = t->ctes[tcbCaller].cap;
        if (t->state != ThreadState_Inactive && (cap_get_type(master) != cap_reply || !cap_reply_is_master(master)))
            violation("a thread that has run lacks its master reply cap", c);
        if (t->state == ThreadState_BlockedOnReceive && !cap_is_null(caller))
            violation("a thread waiting to receive holds a caller cap", c);
        if (cap_get_type(caller) == cap_reply && cap_reply_is_master(caller))
            violation("a master reply cap in a caller slot", c);
    }
}
