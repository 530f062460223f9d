/* Derivation-tree operations on CNode slots. */
#include <kernel/assert.h>
#include <kernel/mdb.h>
#include <kernel/addr.h>
#include <object/capops.h>
#include <object/objecttype.h>
#include <arch/vspace.h>
#include <kernel/preemption.h>
#include <trace/trace.h>

cte_t mdb_head;
cte_t *mdb_tail = &mdb_head;

bool is_mdb_parent_of(const cte_t *a, const cte_t *b)
{
    if (!mdb_revocable(a) || !same_region_as(a->cap, b->cap))
        return false;
    word_t badge;
    switch (cap_get_type(a->cap)) {
    case cap_endpoint:
        badge = cap_endpoint_badge(a->cap);
        break;
    case cap_notification:
        badge = cap_notification_badge(a->cap);
        break;
    default:
        return true;
    }
    /* An unbadged cap is the parent of everything badged from it; a badged
     * cap is the parent only of copies of itself that came after it. */
    if (badge == 0)
        return true;
    return badge == b->cap.w1 && !mdb_first_badged(b);
}

bool mdb_has_children(const cte_t *slot)
{
    const cte_t *n = mdb_next(slot);
    return n && is_mdb_parent_of(slot, n);
}

bool cte_is_final(const cte_t *slot)
{
    const cte_t *p = mdb_prev(slot), *n = mdb_next(slot);
    if (p && same_object_as(p->cap, slot->cap))
        return false;
    if (n && same_object_as(n->cap, slot->cap))
        return false;
    return true;
}

static void link_after(cte_t *pos, cte_t *dest)
{
    cte_t *n = mdb_next(pos);
    mdb_set_prev(dest, pos);
    mdb_set_next(dest, n);
    if (n)
        mdb_set_prev(n, dest);
    mdb_set_next(pos, dest);
    if (pos == mdb_tail)
        mdb_tail = dest;
}

void cte_insert(cap_t cap, cte_t *src, cte_t *dest)
{
    kassert(cap_is_null(dest->cap));
    bool revocable = is_cap_revocable(cap, src->cap);
    dest->cap = cap;
    dest->mdb = (mdb_node_t){0, 0};
    mdb_set_flags(dest, revocable, revocable);
    link_after(src, dest);
}

void cte_insert_new(cap_t cap, cte_t *parent, cte_t *dest)
{
    kassert(cap_is_null(dest->cap));
    dest->cap = cap;
    dest->mdb = (mdb_node_t){0, 0};
    mdb_set_flags(dest, true, true);
    link_after(parent, dest);
}

void cte_insert_root(cap_t cap, cte_t *dest)
{
    kassert(cap_is_null(dest->cap));
    cte_t *t = mdb_tail;
    dest->cap = cap;
    dest->mdb = (mdb_node_t){0, 0};
    mdb_set_flags(dest, true, true);
    link_after(t, dest);
}

/* Unlink a slot and make it empty. */
void cte_empty(cte_t *slot)
{
    cte_t *p = mdb_prev(slot), *n = mdb_next(slot);
    if (p)
        mdb_set_next(p, n);
    if (n) {
        mdb_set_prev(n, p);
        /* The next cap inherits "first badged" so that badge-parenthood of
         * later copies is unchanged by this deletion. */
        mdb_set_flags(n, mdb_revocable(n), mdb_first_badged(n) || mdb_first_badged(slot));
    }
    if (slot == mdb_tail)
        mdb_tail = p ? p : &mdb_head;
    /* it may be a thread's VSpace cap whose satp a TCB has cached */
    if (cap_get_type(slot->cap) == cap_page_table)
        arch_vspace_roots_changed();
    slot->cap = cap_null_new();
    slot->mdb = (mdb_node_t){0, 0};
}

void cte_move(cap_t cap, cte_t *src, cte_t *dest)
{
    kassert(dest != src && cap_is_null(dest->cap));
    dest->cap = cap;
    dest->mdb = src->mdb;
    cte_t *p = mdb_prev(dest), *n = mdb_next(dest);
    if (p)
        mdb_set_next(p, dest);
    if (n)
        mdb_set_prev(n, dest);
    if (src == mdb_tail)
        mdb_tail = dest;
    src->cap = cap_null_new();
    src->mdb = (mdb_node_t){0, 0};
}

static void fix_self_links(cte_t *s, cte_t *other)
{
    if (mdb_prev(s) == s)
        mdb_set_prev(s, other);
    if (mdb_next(s) == s)
        mdb_set_next(s, other);
}

void cte_swap(cap_t cap1, cte_t *slot1, cap_t cap2, cte_t *slot2)
{
    mdb_node_t m1 = slot1->mdb, m2 = slot2->mdb;
    slot1->cap = cap2;
    slot2->cap = cap1;
    slot1->mdb = m2;
    slot2->mdb = m1;
    /* adjacent nodes would otherwise point at themselves */
    fix_self_links(slot1, slot2);
    fix_self_links(slot2, slot1);
    cte_t *s[2] = {slot1, slot2};
    for (int i = 0; i < 2; i++) {
        if (mdb_prev(s[i]))
            mdb_set_next(mdb_prev(s[i]), s[i]);
        if (mdb_next(s[i]))
            mdb_set_prev(mdb_next(s[i]), s[i]);
    }
    if (mdb_tail == slot1)
        mdb_tail = slot2;
    else if (mdb_tail == slot2)
        mdb_tail = slot1;
}

/* Objects that own slots (CNodes, TCBs) can only be finalised by emptying
 * those slots, which may hold the last caps of further such objects. */
static bool owns_slots(cap_t c) { return cap_get_type(c) == cap_cnode || cap_get_type(c) == cap_thread; }

/* The last cap of a CNode or TCB in `slot` becomes a zombie: the root of
 * a new chain (its deepest zombie is itself) or the child of `parent`. */
static void make_zombie(cte_t *slot, cte_t *parent)
{
    cap_t c = slot->cap;
    word_t link = ptr_oref(parent ? parent : slot);
    if (unlikely(trace_system_hook))
        trace_object_deleted(c);
    if (cap_get_type(c) == cap_cnode) {
        word_t radix = cap_cnode_radix(c);
        slot->cap = cap_zombie_new(cap_cnode_ptr(c), ZOMBIE_CNODE, radix, BIT(radix), !parent, link);
    } else {
        tcb_t *tcb = oref_ptr(cap_thread_ptr(c));
        finalise_thread_before_slots(tcb);
        slot->cap = cap_zombie_new(cap_thread_ptr(c), ZOMBIE_TCB, 0, TCB_CNODE_SLOTS, !parent, link);
    }
}

/* A copy of an untyped cap (its MDB parent, right before it, covers the
 * same region) is the one that allocates; objects it handed out outlive
 * it. When it goes, the cap it was copied from takes over its watermark,
 * or that cap would hand the same memory out again. */
static void pass_watermark_to_original(const cte_t *slot)
{
    cte_t *p = mdb_prev(slot);
    cap_t c = slot->cap;
    if (!p || cap_get_type(p->cap) != cap_untyped || cap_untyped_ptr(p->cap) != cap_untyped_ptr(c) ||
        cap_untyped_size_bits(p->cap) != cap_untyped_size_bits(c) || !is_mdb_parent_of(p, slot))
        return;
    if (cap_untyped_free_bytes(c) > cap_untyped_free_bytes(p->cap))
        p->cap = cap_untyped_set_free_bytes(p->cap, cap_untyped_free_bytes(c));
}

/* Delete a cap that does not need its object's slots emptied. */
static void delete_leaf(cte_t *slot)
{
    if (cap_get_type(slot->cap) == cap_untyped)
        pass_watermark_to_original(slot);
    /* A frame cap owns its own mapping (each cap maps at most once), so
     * deleting any mapped frame cap unmaps it, as seL4's Arch_finaliseCap. */
    bool final = cte_is_final(slot);
    if (final || cap_get_type(slot->cap) == cap_frame)
        finalise_object(slot->cap);
    if (unlikely(trace_rings_in_use)) {
        if (final && trace_system_hook)
            trace_object_deleted(slot->cap);
        /* the kernel's own copy of a trace ring's frame or notification */
        if (trace_is_ring_slot(slot)) {
            cte_empty(slot);
            trace_slot_emptied(slot);
            return;
        }
    }
    cte_empty(slot);
}

static cte_t *zombie_link(const cte_t *z) { return oref_ptr(cap_zombie_link(z->cap)); }

/* The root keeps the slot of the chain's deepest zombie, so that a resumed
 * deletion goes there at once instead of down the whole chain. */
static void set_deepest(cte_t *root, cte_t *z) { root->cap = cap_zombie_set_link(root->cap, true, ptr_oref(z)); }

/* The object of the zombie in `cur` holds, in the slot it is about to
 * empty, its own chain's root: a cycle of objects each holding the last
 * cap of the next. The chain's zombies Z0 (the root, in slot C0) .. Zk
 * (cur, in Ck) lie each in the object of the one before, and C0 lies in
 * Zk's object, so whichever finished first would free memory that still
 * holds another. Rotating them one slot along the cycle (Zk into C0, every
 * other Zi into C(i+1)) leaves each zombie inside its own object, whose
 * memory stays in use until that zombie is finished; each becomes a root
 * of its own. Returns C0, which now holds Zk. The others are finished by
 * whatever deletes them next: they are unreachable (a cycle of last caps
 * can only be entered from inside), so that is a revoke of the untyped
 * they came from, which seL4 also needs for its self-referential zombies. */
static cte_t *break_cycle(cte_t *cur, cte_t *root)
{
    cte_t *hole = cur; /* holds Zk, which moves up the chain */
    cte_t *up = cur == root ? NULL : zombie_link(cur);
    while (up) {
        cte_t *next = up == root ? NULL : zombie_link(up);
        cap_t zi = cap_zombie_set_link(up->cap, true, ptr_oref(hole));
        cte_swap(hole->cap, hole, zi, up);
        hole = up;
        up = next;
    }
    set_deepest(hole, hole);
    return hole;
}

/* The deletion engine, without recursion. The zombie being reduced is in
 * `cur`; its object's slots are emptied from the last one down. When that
 * slot holds the last cap of another slot-owning object, the cap becomes a
 * zombie linked back to `cur` and is reduced first; a finished zombie's
 * slot is emptied and its parent resumes. All progress lives in the zombie
 * caps (counts and links), so with `preemptible` the loop may stop at any
 * preemption point, and a later call on any zombie of the chain resumes at
 * the deepest one. A zombie found in the slot being emptied is this chain's
 * own child (resumed), the root of a chain abandoned earlier (adopted with
 * its own progress), or this chain's root (a cycle, see break_cycle). A
 * chain is always finished up to its root, whichever zombie was named. */
static exception_t delete_chain(cte_t *start, bool preemptible)
{
    cte_t *cur = start, *root = NULL;
    if (cap_get_type(start->cap) == cap_zombie) {
        /* a revoke may meet an inner zombie first: climb to the root */
        for (root = start; !cap_zombie_is_root(root->cap);)
            root = zombie_link(root);
        cur = zombie_link(root);
    }
    word_t skipped = 0;
    for (;;) {
        cap_t c = cur->cap;
        word_t units = WORK_CAP_DELETE;
        if (cap_get_type(c) != cap_zombie) {
            /* only the named slot itself, before any zombie exists */
            if (cap_is_null(c))
                return EXCEPTION_NONE;
            if (!owns_slots(c) || !cte_is_final(cur)) {
                delete_leaf(cur);
                return EXCEPTION_NONE;
            }
            make_zombie(cur, NULL);
            root = cur;
        } else if (cap_zombie_slots(c) == 0) {
            if (cur == root) {
                cte_empty(cur);
                return EXCEPTION_NONE;
            }
            cte_t *parent = zombie_link(cur);
            cte_empty(cur);
            cur = parent;
            set_deepest(root, cur);
        } else {
            word_t n = cap_zombie_slots(c);
            cte_t *end = (cte_t *)oref_ptr(cap_zombie_obj(c)) + (n - 1);
            cap_t ec = end->cap;
            if (end == cur || cap_is_null(ec)) {
                /* a root's own slot inside its object stays until the end */
                cur->cap = cap_zombie_set_slots(c, n - 1);
                /* empty slots are cheap: eight count as one unit */
                if (++skipped % 8)
                    continue;
            } else if (cap_get_type(ec) == cap_zombie) {
                if (!cap_zombie_is_root(ec) && zombie_link(end) == cur) {
                    cur = end;
                } else if (end == root) {
                    cur = root = break_cycle(cur, root);
                } else {
                    cte_t *deepest = zombie_link(end);
                    end->cap = cap_zombie_set_link(ec, false, ptr_oref(cur));
                    cur = deepest;
                }
                set_deepest(root, cur);
            } else if (owns_slots(ec) && cte_is_final(end)) {
                make_zombie(end, cur);
                cur = end;
                set_deepest(root, cur);
            } else {
                delete_leaf(end);
                cur->cap = cap_zombie_set_slots(cur->cap, n - 1);
            }
        }
        if (preemptible && preemption_point(units) == EXCEPTION_PREEMPTED)
            return EXCEPTION_PREEMPTED;
    }
}

void cte_delete(cte_t *slot)
{
    /* most deletions (reply caps on every slow-path Call) are of leaves */
    cap_type_t type = cap_get_type(slot->cap);
    if (type != cap_zombie && !owns_slots(slot->cap)) {
        if (type != cap_null)
            delete_leaf(slot);
        return;
    }
    delete_chain(slot, false);
}

exception_t cte_delete_preemptible(cte_t *slot) { return delete_chain(slot, true); }

void cte_revoke(cte_t *slot)
{
    for (;;) {
        cte_t *n = mdb_next(slot);
        if (!n || !is_mdb_parent_of(slot, n))
            return;
        cte_delete(n);
    }
}

exception_t cte_revoke_preemptible(cte_t *slot)
{
    for (;;) {
        cte_t *n = mdb_next(slot);
        if (!n || !is_mdb_parent_of(slot, n))
            return EXCEPTION_NONE;
        if (delete_chain(n, true) == EXCEPTION_PREEMPTED || preemption_point(WORK_CAP_DELETE) == EXCEPTION_PREEMPTED)
            return EXCEPTION_PREEMPTED;
    }
}
