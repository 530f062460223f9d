/* Scheduling context objects: binding to threads and notifications,
 * donation, deletion (seL4 manual, "Scheduling contexts"). The invocations
 * are in sched_invocation.c. */
#include <object/ipc.h>
#include <object/mcs_objects.h>
#include <kernel/assert.h>
#include <kernel/thread.h>
#include <arch/registers.h>
#include <sel4/types.h>

void sched_context_bind_tcb(sched_context_t *sc, tcb_t *t)
{
    kassert(!sc->tcb && !t->sc);
    sc->tcb = t;
    t->sc = sc;
    if (thread_is_runnable(t) && t != ks_cur_thread)
        possible_switch_to(t);
}

void sched_context_unbind_tcb(sched_context_t *sc) { sched_context_forget_thread(sc); }

void sched_context_donate(sched_context_t *sc, tcb_t *to)
{
    if (sc->tcb == to)
        return;
    sched_context_detach(sc);
    sc->tcb = to;
    to->sc = sc;
}

void sched_context_bind_ntfn(sched_context_t *sc, notification_t *n)
{
    sc->ntfn = n;
    n->sc = sc;
}

void sched_context_unbind_ntfn(sched_context_t *sc)
{
    if (sc->ntfn) {
        sc->ntfn->sc = NULL;
        sc->ntfn = NULL;
    }
}

void ntfn_maybe_donate_sc(notification_t *n, tcb_t *t)
{
    sched_context_t *sc = n->sc;
    if (sc && !t->sc && !sc->tcb)
        sched_context_donate(sc, t);
}

void ntfn_maybe_return_sc(notification_t *n, tcb_t *t)
{
    sched_context_t *sc = n ? n->sc : NULL;
    if (sc && t->sc == sc)
        sched_context_forget_thread(sc);
}

void sched_context_forget_replies(sched_context_t *sc)
{
    for (reply_t *r = sc->reply; r;) {
        reply_t *prev = r->prev;
        r->sc = NULL;
        r->prev = r->next = NULL;
        r = prev;
    }
    sc->reply = NULL;
}

/* The SC goes: its thread stops running on it, the replies it was lent
 * through forget it, and a thread yielding to it gets its reply. */
void sched_context_finalise(sched_context_t *sc)
{
    sched_context_unbind_tcb(sc);
    sched_context_unbind_ntfn(sc);
    sched_context_forget_replies(sc);
    if (sc->yield_from) {
        tcb_t *y = sc->yield_from;
        y->yield_to = NULL;
        sc->yield_from = NULL;
    }
    if (ks_cur_sc == sc)
        ks_cur_sc = NULL;
    sc->refill_count = 0;
}

void complete_yield_to(tcb_t *t)
{
    sched_context_t *sc = t->yield_to;
    if (!sc)
        return;
    uint64_t used = ticks_to_us(sc->consumed);
    sc->consumed = 0;
    sc->yield_from = NULL;
    t->yield_to = NULL;
    /* the reply of the YieldTo invocation: no error, the time used */
    set_mr(t, lookup_ipc_buffer_for_write(t), 0, used);
    t->ctx.regs[REG_INFO] = seL4_MessageInfo_new(0, 0, 0, 1).words[0];
}

void sched_thread_stopped(tcb_t *t)
{
    release_queue_remove(t);
    if (t->yield_to) {
        t->yield_to->yield_from = NULL;
        t->yield_to = NULL;
    }
}

void sched_thread_finalise(tcb_t *t)
{
    if (t->sc)
        sched_context_forget_thread(t->sc);
    if (t->reply)
        receive_reply_forget(t);
}
