/* The parts of the IPC fastpath both configurations share (non-MCS:
 * kernel/src/nonmcs/fastpath.c, MCS: kernel/src/mcs/fastpath_mcs.c):
 * the message checks and copy, the one-level cap lookup, the endpoint
 * queue pop and the switch to the partner. */
#pragma once
#include <fastpath/fastpath.h>
#include <arch/fpu.h>
#include <arch/machine.h>
#include <arch/registers.h>
#include <arch/vspace.h>
#include <kernel/addr.h>
#include <kernel/assert.h>
#include <kernel/printk.h>
#include <kernel/thread.h>
#include <object/ipc.h>
#include <sel4/types.h>
#include <trace/trace.h>

/* At most the register MRs and no extra caps: length (bits 0-6) <= 4 and
 * extraCaps (bits 7-8) == 0 is one unsigned compare of the low 9 bits,
 * against a bound that tracing sets to 0 while it needs every switch to
 * pass through the scheduler (trace/trace.h). */
static inline bool short_message(word_t info) { return (info & 0x1ff) < fastpath_msg_bound; }

/* The caller checked length <= 4 and no extra caps, so the delivered info
 * is the sent one with capsUnwrapped cleared. */
static ALWAYS_INLINE void copy_message(tcb_t *from, tcb_t *to, word_t info, word_t badge)
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

/* After traced IPC: if a record made a ring's notification due, the
 * scheduler signals it and then chooses (the partner, or a thread the
 * signal woke that outranks it); the IPC itself is done either way. */
static ALWAYS_INLINE NORETURN void switch_to_partner_traced(tcb_t *to)
{
    if (unlikely(trace_kernel_work))
        fastpath_switch_through_scheduler(to);
    switch_to_partner(to);
}

/* The same for a thread stopped by a fault (an exception, not a system
 * call): all its registers come back. */
static ALWAYS_INLINE NORETURN void switch_to_faulted(tcb_t *to)
{
#ifdef HYPOS_DEBUG
    fastpath_count++;
#endif
    arch_switch_vspace_cached(to);
    ks_cur_thread = to;
    restore_user_context_full_jump(&to->ctx);
}

/* The common CSpace shape: one CNode whose guard and radix take the whole
 * word, marked in the cap itself. The cap holds the guard in place (the
 * cptr bits it must equal), so the cptr less it is the slot index if that
 * is below 2^radix. Any other shape, or a guard mismatch, yields a null cap
 * and so the slow path, which does the general lookup; keeping this a leaf
 * keeps the fastpath free of a stack frame. */
static inline cap_t lookup_cap_fast(tcb_t *t, word_t cptr)
{
    cap_t root = t->ctes[tcbCTable].cap;
    if (unlikely((root.w0 & (CAP_CNODE_ONE_LEVEL | 0x1f)) != (CAP_CNODE_ONE_LEVEL | cap_cnode)))
        return cap_null_new();
    word_t index = cap_cnode_one_level_index(root, cptr);
    if (unlikely(index >> cap_cnode_radix(root)))
        return cap_null_new();
    return ((cte_t *)oref_ptr(cap_cnode_ptr(root)))[index].cap;
}

/* c is an endpoint cap with every right in `rights`: tag and rights sit
 * in the low bits of w0 (object/cap.h), so both are one masked compare. */
static inline bool is_endpoint_with(cap_t c, word_t rights)
{
    word_t rights_bits = rights << 5;
    return (c.w0 & (0x1f | rights_bits)) == (cap_endpoint | rights_bits);
}

/* Dequeue the first waiter of an endpoint in the given state whose hook
 * bits the caller has read already. */
static inline void ep_pop_head(endpoint_t *ep, tcb_t *head, word_t state, word_t hook_bits)
{
    tcb_t *next = head->ep_next;
    if (next)
        next->ep_prev = NULL;
    ep_set_with_hook(ep, next, next ? (tcb_t *)(uintptr_t)ep->tail : NULL, state, hook_bits);
    head->ep_next = NULL;
}

static inline void ep_append_with_hook(endpoint_t *ep, tcb_t *t, word_t state, word_t hook_bits)
{
    tcb_t *tail = (tcb_t *)(uintptr_t)ep->tail, *head = ep_head(ep);
    wait_queue_push_tail(&head, &tail, t);
    ep_set_with_hook(ep, head, tail, state, hook_bits);
}


/* No ready thread outranks a thread of priority prio. A quick look at the
 * whole bitmap first: in a system of servers and clients that wait for each
 * other usually nothing at all is ready. */
static inline bool none_ready_above(word_t prio)
{
    word_t any = 0;
    for (word_t i = 0; i < READY_BITMAP_WORDS; i++)
        any |= ready_bitmap[dom_current()][i];
    return !any || sched_is_highest(prio);
}
