/* IPC fastpath for Call and ReplyRecv. It handles only the common case:
 * a short message (at most the 4 register MRs), no caps, a partner already
 * waiting, a direct switch to that partner allowed by priority. Every check
 * comes first; once it commits it cannot fail. Anything else returns and the
 * slow path (kernel/src/api/syscall.c) does the full job. */
#include <fastpath/fastpath_common.h>
#include <kernel/mdb.h>
#include <trace/trace.h>

#ifdef HYPOS_DEBUG
word_t fastpath_count, fastpath_broken_assumptions;
#endif

/* A reply cap was linked without flags, so nothing passes to its successor. */
static inline void unlink_reply_cap(cte_t *slot)
{
    cte_t *p = mdb_prev(slot), *n = mdb_next(slot);
    mdb_set_next(p, n);
    if (n)
        mdb_set_prev(n, p);
    else
        mdb_tail = p;
    slot->cap = cap_null_new();
    slot->mdb = (mdb_node_t){0, 0};
}

/* The reply cap goes right after the caller's master reply cap, as its
 * child; reply caps are never revocable. */
static void reply_recv_traced(tcb_t *cur, cap_t c, endpoint_t *ep, word_t info);

static inline void link_reply_cap(tcb_t *caller, bool can_grant, bool traced, cte_t *slot)
{
    /* the receiver's caller slot was emptied before it waited, and the
     * caller's master reply cap is a root of the derivation tree */
    kassert(cap_is_null(slot->cap) && cap_get_type(caller->ctes[tcbReply].cap) == cap_reply);
    cte_t *master = &caller->ctes[tcbReply], *next = mdb_next(master);
    slot->cap = cap_reply_new(ptr_oref(caller), false, can_grant);
    if (traced)
        slot->cap.w0 |= CAP_REPLY_TRACED;
    slot->mdb.prev_flags = (word_t)(uintptr_t)master;
    slot->mdb.next = (word_t)(uintptr_t)next;
    if (next)
        mdb_set_prev(next, slot);
    else
        mdb_tail = slot;
    mdb_set_next(master, slot);
}

/* Every return to user mode goes through schedule() (which settles any
 * pending decision) or through this fastpath (which needs none), so none
 * is pending when a system call comes in.
 *
 * Traced IPC: the plain paths find a trace hook in bits they test anyway
 * (the endpoint's queue word, the reply cap's tag) and hand over, with
 * what they have looked up, to a traced twin of their second half, which
 * writes the records (HYPOS_TRACE_F_FAST) inline. A record that makes a
 * ring's notification due needs the scheduler (which signals it), so the
 * twin then finishes the switch through it rather than directly
 * (switch_to_partner_traced). */
static ALWAYS_INLINE void call_second_half(tcb_t *cur, cap_t c, endpoint_t *ep, word_t info, const bool traced)
{
    word_t hs = ep->head_state, hook = (hs & QUEUE_HOOK_BITS) >> QUEUE_HOOK_SHIFT;
    const trace_hook_t *h = &trace_hooks[hook];
    /* A thread waiting to receive has an empty caller slot (Recv deletes
     * it first) and a running thread has its master reply cap; the
     * invariant checks verify both, so neither is tested here. */
    tcb_t *dest = ep_head(ep);
    /* The caller blocks, so the receiver may run if no ready thread
     * outranks it (as seL4's fastpath decides). The running thread
     * outranks every ready thread, so at its priority or above the queues
     * need no look. */
    if ((dest->priority < cur->priority && !none_ready_above(dest->priority)) || !dom_is_current(dest) ||
        !arch_fastpath_switch_ready(dest))
        return;
    ASSUMED(cap_is_null(dest->ctes[tcbCaller].cap), "receiver's caller slot is empty");
    ASSUMED(cap_get_type(cur->ctes[tcbReply].cap) == cap_reply, "caller has its master reply cap");

    /* commit */
    if (traced)
        trace_mark_for_reply(h, hook, cur);
    ep_pop_head(ep, dest, EP_RECV, traced ? hs & QUEUE_HOOK_BITS : 0);
    copy_message(cur, dest, info, cap_endpoint_badge(c));
    cur->state = ThreadState_BlockedOnReply;
    link_reply_cap(cur, dest->blocking_can_grant, traced, &dest->ctes[tcbCaller]);
    dest->state = ThreadState_Running;
    if (traced) {
        /* last, when little else is live: the record's values need no
         * registers saved for them */
        trace_ipc_inline(h, HYPOS_TRACE_IPC_CALL, cur, dest, info, cap_endpoint_badge(c), HYPOS_TRACE_F_FAST);
        switch_to_partner_traced(dest);
    }
    switch_to_partner(dest);
}

__attribute__((noinline)) static void call_traced(tcb_t *cur, cap_t c, endpoint_t *ep, word_t info)
{
    call_second_half(cur, c, ep, info, true);
}

void fastpath_call(word_t cptr, word_t info)
{
    tcb_t *cur = ks_cur_thread;
    if (!short_message(info))
        return;
    ASSUMED(!sched_pending(), "no scheduling decision pending at entry");
    cap_t c = lookup_cap_fast(cur, cptr);
    if (!is_endpoint_with(c, RIGHT_WRITE) || !(cap_endpoint_rights(c) & (RIGHT_GRANT | RIGHT_GRANT_REPLY)))
        return;
    endpoint_t *ep = oref_ptr(cap_endpoint_ptr(c));
    /* receivers waiting and no hook: the state and the hook in one compare */
    word_t hs = ep->head_state;
    if ((hs & QUEUE_LOW_BITS) != EP_RECV) {
        if ((hs & QUEUE_STATE_BITS) == EP_RECV)
            call_traced(cur, c, ep, info);
        return;
    }
    call_second_half(cur, c, ep, info, false);
}

/* ReplyRecv answering a VM fault, untraced (no hook on the endpoint or
 * the reply): the reply carries nothing (handle_fault_reply), the caller
 * runs the faulting instruction again. The checks and the commit are
 * those of reply_recv_second_half below, out of line and with the cap
 * alone (the rest is found again), so that the IPC case keeps its
 * registers. */
__attribute__((noinline)) static void reply_recv_vm_fault(cap_t c)
{
    tcb_t *cur = ks_cur_thread;
    endpoint_t *ep = oref_ptr(cap_endpoint_ptr(c));
    cte_t *caller_slot = &cur->ctes[tcbCaller];
    tcb_t *caller = oref_ptr(cap_reply_tcb(caller_slot->cap));
    if ((caller->priority < cur->priority && !none_ready_above(caller->priority)) || !dom_is_current(caller) ||
        !arch_fastpath_switch_ready(caller))
        return;
    ASSUMED(caller->state == ThreadState_BlockedOnReply, "a reply cap names a thread waiting for it");
    ASSUMED(sched_is_highest(caller->priority), "no ready thread outranks the caller");

    /* commit */
    cur->state = ThreadState_BlockedOnReceive;
    cur->blocking_object = ep;
    cur->blocking_can_grant = cap_endpoint_rights(c) & RIGHT_GRANT;
    ep_append_with_hook(ep, cur, EP_RECV, 0);
    unlink_reply_cap(caller_slot);
    caller->fault.type = FAULT_NULL;
    caller->state = ThreadState_Running;
    caller->ctx.regs[REG_PC] = caller->ctx.fault_pc;
    switch_to_faulted(caller);
}

static ALWAYS_INLINE void reply_recv_second_half(tcb_t *cur, cap_t c, endpoint_t *ep, word_t info, const bool traced)
{
    word_t hs = ep->head_state, hook = (hs & QUEUE_HOOK_BITS) >> QUEUE_HOOK_SHIFT;
    notification_t *bound = cur->bound_notification;
    if (bound && ntfn_state(bound) == NTFN_ACTIVE)
        return;
    cte_t *caller_slot = &cur->ctes[tcbCaller];
    cap_t rc = caller_slot->cap;
    /* a caller slot only ever holds one-shot (never master) reply caps;
     * one marked traced is for the traced twin */
    if ((rc.w0 & (0x1f | (traced ? 0 : CAP_REPLY_TRACED))) != cap_reply) {
        if (!traced && cap_get_type(rc) == cap_reply)
            reply_recv_traced(cur, c, ep, info);
        return;
    }
    tcb_t *caller = oref_ptr(cap_reply_tcb(rc));
    /* The replier goes back to wait, so the caller runs next if no ready
     * thread outranks it: a server replying to a lower-priority client
     * stays on the fastpath while nothing else is ready. The running thread
     * outranks every ready thread (an invariant the scheduler keeps and
     * check_scheduler_invariants verifies), so a caller at least as high
     * needs no look at the ready queues. */
    if (caller->fault.type != FAULT_NULL || (caller->priority < cur->priority && !none_ready_above(caller->priority)) ||
        !dom_is_current(caller) || !arch_fastpath_switch_ready(caller)) {
        if (!traced && caller->fault.type == FAULT_VM)
            reply_recv_vm_fault(c);
        return;
    }
    word_t reply_hook = traced ? caller->trace_reply_hook : 0;
    ASSUMED(caller->state == ThreadState_BlockedOnReply, "a reply cap names a thread waiting for it");
    ASSUMED(sched_is_highest(caller->priority), "no ready thread outranks the caller");
    ASSUMED(!cap_reply_is_master(rc), "caller slot holds a one-shot reply cap");

    /* commit */
    cur->state = ThreadState_BlockedOnReceive;
    cur->blocking_object = ep;
    cur->blocking_can_grant = cap_endpoint_rights(c) & RIGHT_GRANT;
    ep_append_with_hook(ep, cur, EP_RECV, traced ? hs & QUEUE_HOOK_BITS : 0);
    unlink_reply_cap(caller_slot);
    copy_message(cur, caller, info, 0);
    caller->state = ThreadState_Running;
    if (traced) {
        /* last, as in call_second_half */
        if (reply_hook)
            trace_reply_inline(cur, caller, info, HYPOS_TRACE_F_FAST);
        if (hook)
            trace_ipc_inline(&trace_hooks[hook], HYPOS_TRACE_IPC_RECV, NULL, cur, 0, 0,
                             HYPOS_TRACE_F_FAST | HYPOS_TRACE_F_BLOCKED);
        switch_to_partner_traced(caller);
    }
    switch_to_partner(caller);
}

__attribute__((noinline)) static void reply_recv_traced(tcb_t *cur, cap_t c, endpoint_t *ep, word_t info)
{
    reply_recv_second_half(cur, c, ep, info, true);
}

void fastpath_reply_recv(word_t cptr, word_t info)
{
    tcb_t *cur = ks_cur_thread;
    if (!short_message(info))
        return;
    ASSUMED(!sched_pending(), "no scheduling decision pending at entry");
    cap_t c = lookup_cap_fast(cur, cptr);
    if (!is_endpoint_with(c, RIGHT_READ))
        return;
    endpoint_t *ep = oref_ptr(cap_endpoint_ptr(c));
    /* idle or receivers waiting, and no hook: every other bit clear */
    word_t hs = ep->head_state;
    if (hs & (QUEUE_LOW_BITS & ~(word_t)EP_RECV)) {
        if ((hs & QUEUE_STATE_BITS) != EP_SEND)
            reply_recv_traced(cur, c, ep, info);
        return;
    }
    reply_recv_second_half(cur, c, ep, info, false);
}
