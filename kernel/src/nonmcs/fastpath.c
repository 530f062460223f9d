/* IPC fastpath for Call and ReplyRecv. It handles only the common case:
 * a short message (at most the 4 register MRs), no caps, a partner already
 * waiting, a direct switch to that partner allowed by priority. Every check
 * comes first; once it commits it cannot fail. Anything else returns and the
 * slow path (kernel/src/api/syscall.c) does the full job. */
#include <fastpath/fastpath.h>
#include <arch/fpu.h>
#include <arch/machine.h>
#include <arch/registers.h>
#include <arch/vspace.h>
#include <kernel/addr.h>
#include <kernel/assert.h>
#include <kernel/mdb.h>
#include <kernel/printk.h>
#include <kernel/thread.h>
#include <object/ipc.h>
#include <sel4/types.h>

/* At most the register MRs and no extra caps: length (bits 0-6) <= 4 and
 * extraCaps (bits 7-8) == 0 is one unsigned compare of the low 9 bits. */
static inline bool short_message(word_t info) { return (info & 0x1ff) <= N_MSG_REGISTERS; }

/* The caller checked length <= 4 and no extra caps, so the delivered info
 * is the sent one with capsUnwrapped cleared. */
static inline void copy_message(tcb_t *from, tcb_t *to, word_t info, word_t badge)
{
    word_t len = info & 0x7f;
    word_t *src = &from->ctx.regs[REG_MR0], *dst = &to->ctx.regs[REG_MR0];
    /* only the message's own words: the rest of the sender's registers stay private */
    if (len > 0) {
        dst[0] = src[0];
        if (len > 1) {
            dst[1] = src[1];
            if (len > 2) {
                dst[2] = src[2];
                if (len > 3)
                    dst[3] = src[3];
            }
        }
    }
    to->ctx.regs[REG_INFO] = info & ~(0x7ull << 9);
    to->ctx.regs[REG_BADGE] = badge;
}

#ifdef HYPOS_DEBUG
word_t fastpath_count, fastpath_broken_assumptions;

/* Debug builds check, on every fastpath call, what release builds take
 * from the kernel's invariants; a broken one is counted (the invariant
 * check reports it) and the slow path runs instead. */
#define ASSUMED(cond, what)                                           \
    do {                                                              \
        if (unlikely(!(cond))) {                                      \
            fastpath_broken_assumptions++;                            \
            kprintf("hypOS: fastpath assumption broken: %s\n", what); \
            return;                                                   \
        }                                                             \
    } while (0)
#else
#define ASSUMED(cond, what) ((void)0)
#endif

/* Run the partner thread now: its address space (satp unchanged when both
 * share it); after a trap from user mode sstatus already returns to user
 * mode, with FS set for the partner by arch_fastpath_switch_ready, so only
 * the registers remain. */
static ALWAYS_INLINE NORETURN void switch_to_partner(tcb_t *to)
{
#ifdef HYPOS_DEBUG
    fastpath_count++;
#endif
    arch_switch_vspace_cached(to);
    ks_cur_thread = to;
    restore_user_context_jump(&to->ctx);
}

/* The common CSpace shape: one CNode whose guard and radix take the whole
 * word (as the root task's), marked in the cap itself. Then the guard is
 * the cptr's bits above the radix and the rest is the slot index. Any other
 * shape, or a failed guard, yields a null cap and so the slow path, which
 * does the general lookup; keeping this a leaf keeps the fastpath free of a
 * stack frame. */
static inline cap_t lookup_cap_fast(tcb_t *t, word_t cptr)
{
    cap_t root = t->ctes[tcbCTable].cap;
    if (unlikely((root.w0 & (CAP_CNODE_ONE_LEVEL | 0x1f)) != (CAP_CNODE_ONE_LEVEL | cap_cnode)))
        return cap_null_new();
    word_t radix = cap_cnode_radix(root), guard = cap_cnode_guard(root);
    if (unlikely((cptr >> radix) != guard))
        return cap_null_new();
    return ((cte_t *)oref_ptr(cap_cnode_ptr(root)))[cptr - (guard << radix)].cap;
}

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

/* Dequeue the first waiter of an endpoint. */
static inline void ep_pop_head(endpoint_t *ep, tcb_t *head)
{
    tcb_t *next = head->ep_next;
    if (next)
        next->ep_prev = NULL;
    ep_set(ep, next, next ? (tcb_t *)(uintptr_t)ep->tail : NULL, ep_state(ep));
    head->ep_next = NULL;
}

/* The reply cap goes right after the caller's master reply cap, as its
 * child; reply caps are never revocable. */
static inline void link_reply_cap(tcb_t *caller, bool can_grant, cte_t *slot)
{
    /* the receiver's caller slot was emptied before it waited, and the
     * caller's master reply cap is a root of the derivation tree */
    kassert(cap_is_null(slot->cap) && cap_get_type(caller->ctes[tcbReply].cap) == cap_reply);
    cte_t *master = &caller->ctes[tcbReply], *next = mdb_next(master);
    slot->cap = cap_reply_new(ptr_oref(caller), false, can_grant);
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
 * is pending when a system call comes in. */
void fastpath_call(word_t cptr, word_t info)
{
    tcb_t *cur = ks_cur_thread;
    if (!short_message(info))
        return;
    ASSUMED(!sched_pending(), "no scheduling decision pending at entry");
    cap_t c = lookup_cap_fast(cur, cptr);
    word_t rights = cap_endpoint_rights(c);
    if (cap_get_type(c) != cap_endpoint || !(rights & RIGHT_WRITE) || !(rights & (RIGHT_GRANT | RIGHT_GRANT_REPLY)))
        return;
    endpoint_t *ep = oref_ptr(cap_endpoint_ptr(c));
    if (ep_state(ep) != EP_RECV)
        return;
    /* A thread waiting to receive has an empty caller slot (Recv deletes
     * it first) and a running thread has its master reply cap; the
     * invariant checks verify both, so neither is tested here. */
    tcb_t *dest = ep_head(ep);
    if (dest->priority < cur->priority || !arch_fastpath_switch_ready(dest))
        return;
    ASSUMED(cap_is_null(dest->ctes[tcbCaller].cap), "receiver's caller slot is empty");
    ASSUMED(cap_get_type(cur->ctes[tcbReply].cap) == cap_reply, "caller has its master reply cap");

    /* commit */
    ep_pop_head(ep, dest);
    copy_message(cur, dest, info, cap_endpoint_badge(c));
    cur->state = ThreadState_BlockedOnReply;
    link_reply_cap(cur, dest->blocking_can_grant, &dest->ctes[tcbCaller]);
    dest->state = ThreadState_Running;
    switch_to_partner(dest);
}

void fastpath_reply_recv(word_t cptr, word_t info)
{
    tcb_t *cur = ks_cur_thread;
    if (!short_message(info))
        return;
    ASSUMED(!sched_pending(), "no scheduling decision pending at entry");
    cap_t c = lookup_cap_fast(cur, cptr);
    if (cap_get_type(c) != cap_endpoint || !(cap_endpoint_rights(c) & RIGHT_READ))
        return;
    endpoint_t *ep = oref_ptr(cap_endpoint_ptr(c));
    if (ep_state(ep) == EP_SEND)
        return;
    notification_t *bound = cur->bound_notification;
    if (bound && ntfn_state(bound) == NTFN_ACTIVE)
        return;
    cte_t *caller_slot = &cur->ctes[tcbCaller];
    cap_t rc = caller_slot->cap;
    /* a caller slot only ever holds one-shot (never master) reply caps */
    if (cap_get_type(rc) != cap_reply)
        return;
    tcb_t *caller = oref_ptr(cap_reply_tcb(rc));
    /* The running thread outranks every ready thread (an invariant the
     * scheduler keeps and check_scheduler_invariants verifies), so a caller
     * at least as high may run without looking at the ready queues. */
    if (caller->fault.type != FAULT_NULL || caller->priority < cur->priority || !arch_fastpath_switch_ready(caller))
        return;
    ASSUMED(caller->state == ThreadState_BlockedOnReply, "a reply cap names a thread waiting for it");
    ASSUMED(sched_is_highest(caller->priority), "no ready thread outranks the caller");
    ASSUMED(!cap_reply_is_master(rc), "caller slot holds a one-shot reply cap");

    /* commit */
    cur->state = ThreadState_BlockedOnReceive;
    cur->blocking_object = ep;
    cur->blocking_can_grant = cap_endpoint_rights(c) & RIGHT_GRANT;
    ep_append(ep, cur, EP_RECV);
    unlink_reply_cap(caller_slot);
    copy_message(cur, caller, info, 0);
    caller->state = ThreadState_Running;
    switch_to_partner(caller);
}
