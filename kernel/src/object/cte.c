/* Derivation-tree operations on CNode slots. */
#include <kernel/mdb.h>
#include <kernel/addr.h>
#include <object/capops.h>
#include <object/objecttype.h>
#include <arch/vspace.h>

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
    bool revocable = is_cap_revocable(cap, src->cap);
    dest->cap = cap;
    dest->mdb = (mdb_node_t){0, 0};
    mdb_set_flags(dest, revocable, revocable);
    link_after(src, dest);
}

void cte_insert_new(cap_t cap, cte_t *parent, cte_t *dest)
{
    dest->cap = cap;
    dest->mdb = (mdb_node_t){0, 0};
    mdb_set_flags(dest, true, true);
    link_after(parent, dest);
}

void cte_insert_root(cap_t cap, cte_t *dest)
{
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

static void make_zombie(cte_t *slot, cte_t *parent)
{
    cap_t c = slot->cap;
    word_t parent_oref = parent ? ptr_oref(parent) : 0;
    if (cap_get_type(c) == cap_cnode) {
        slot->cap = cap_zombie_new(cap_cnode_ptr(c), ZOMBIE_CNODE, BIT(cap_cnode_radix(c)), parent_oref);
    } else {
        tcb_t *tcb = oref_ptr(cap_thread_ptr(c));
        finalise_thread_before_slots(tcb);
        slot->cap = cap_zombie_new(cap_thread_ptr(c), ZOMBIE_TCB, TCB_CNODE_SLOTS, parent_oref);
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
    if (cte_is_final(slot) || cap_get_type(slot->cap) == cap_frame)
        finalise_object(slot->cap);
    cte_empty(slot);
}

/* Without recursion: the zombie being reduced is `cur`; when the end slot of
 * its object holds the last cap of another slot-owning object, that cap
 * becomes a zombie linked back to `cur` and is reduced first. */
void cte_delete(cte_t *start)
{
    cte_t *cur = start;
    for (;;) {
        cap_t c = cur->cap;
        if (cap_get_type(c) != cap_zombie) {
            if (cap_is_null(c))
                return;
            if (owns_slots(c) && cte_is_final(cur)) {
                make_zombie(cur, NULL);
                continue;
            }
            delete_leaf(cur);
            return;
        }
        word_t n = cap_zombie_slots(c);
        if (n == 0) {
            word_t parent = cap_zombie_parent(c);
            cte_empty(cur);
            if (cur == start || parent == 0)
                return;
            cur = oref_ptr(parent);
            continue;
        }
        cte_t *end = (cte_t *)oref_ptr(cap_zombie_obj(c)) + (n - 1);
        cap_t ec = end->cap;
        /* The zombie's own slot, an empty slot, or a zombie further up the
         * chain (only possible through cycles of CNodes) are skipped; the
         * chain removes those zombies itself. */
        if (end == cur || cap_is_null(ec) || cap_get_type(ec) == cap_zombie) {
            cur->cap = cap_zombie_set_slots(c, n - 1);
            continue;
        }
        if (owns_slots(ec) && cte_is_final(end)) {
            make_zombie(end, cur);
            cur = end;
            continue;
        }
        delete_leaf(end);
        cur->cap = cap_zombie_set_slots(cur->cap, n - 1);
    }
}

void cte_revoke(cte_t *slot)
{
    for (;;) {
        cte_t *n = mdb_next(slot);
        if (!n || !is_mdb_parent_of(slot, n))
            return;
        cte_delete(n);
    }
}
