/* Kernel invariant checks, run on request in debug builds. */
#include <kernel/invariants.h>
#include <trace/trace.h>
#include <fastpath/fastpath.h>
#include <kernel/addr.h>
#include <kernel/debug_sched.h>
#include <kernel/mdb.h>
#include <kernel/printk.h>
#include <kernel/thread.h>
#include <object/capops.h>

#define MAX_NODES (1ull << 26)
#define MAX_DEPTH 64

static word_t violations;

void violation(const char *what, const cte_t *slot)
{
    violations++;
    kprintf("hypOS: invariant violated: %s (slot %p, cap %lx %lx)\n", what, (const void *)slot, slot ? slot->cap.w0 : 0,
            slot ? slot->cap.w1 : 0);
}

/* Zombies outlive a system call when a deletion is preempted (or its
 * caller is gone). A chain's child zombie lies in the slot its parent
 * empties next; a root links to its chain's deepest zombie, from which the
 * parent links lead back to the root (cte.c). */
static void check_zombie(const cte_t *z)
{
    cap_t c = z->cap;
    word_t max = cap_zombie_kind(c) == ZOMBIE_CNODE ? BIT(cap_zombie_radix(c)) : TCB_CNODE_SLOTS;
    if (cap_zombie_slots(c) > max)
        violation("zombie counts more slots than its object has", z);
    const cte_t *l = oref_ptr(cap_zombie_link(c));
    if (!cap_zombie_is_root(c)) {
        if (cap_get_type(l->cap) != cap_zombie || cap_zombie_slots(l->cap) == 0 ||
            (const cte_t *)oref_ptr(cap_zombie_obj(l->cap)) + cap_zombie_slots(l->cap) - 1 != z)
            violation("zombie is not in the slot its parent empties next", z);
        return;
    }
    for (word_t steps = 0; l != z; steps++) {
        if (cap_get_type(l->cap) != cap_zombie || cap_zombie_is_root(l->cap) || steps > MAX_NODES) {
            violation("a zombie chain's deepest zombie does not lead back to its root", z);
            return;
        }
        l = oref_ptr(cap_zombie_link(l->cap));
    }
}

static void check_links(void)
{
    word_t n = 0;
    const cte_t *last = &mdb_head;
    for (const cte_t *c = &mdb_head; c; last = c, c = mdb_next(c)) {
        const cte_t *next = mdb_next(c);
        if (next && mdb_prev(next) != c)
            violation("next->prev does not point back", c);
        if (c != &mdb_head && cap_is_null(c->cap))
            violation("null cap linked in the derivation tree", c);
        if (c != &mdb_head && cap_get_type(c->cap) == cap_zombie)
            check_zombie(c);
        if (unlikely(trace_cap_violates(c->cap)))
            violation("a traced object and its trace hook disagree", c);
        if (++n > MAX_NODES) {
            violation("derivation list does not end (cycle?)", c);
            return;
        }
    }
    if (last != mdb_tail)
        violation("tail pointer is not the last node", last);
}

/* Walk the tree in order keeping the chain of enclosing untypeds. Retype
 * inserts new objects right after their untyped, so an untyped's direct
 * children appear in descending address order; copies of one object are
 * adjacent. */
static void check_objects(void)
{
    struct {
        word_t base, end, watermark, last_start, last_base, last_bits;
    } st[MAX_DEPTH];
    int sp = 0;
    bool too_deep = false;

    for (const cte_t *c = mdb_next(&mdb_head); c; c = mdb_next(c)) {
        word_t b, bits;
        if (!cap_region(c->cap, &b, &bits))
            continue;
        word_t e = b + BIT(bits);
        while (sp > 0 && !(st[sp - 1].base <= b && e <= st[sp - 1].end))
            sp--;
        bool is_ut = cap_get_type(c->cap) == cap_untyped;
        if (sp > 0) {
            bool copy_of_top = is_ut && b == st[sp - 1].base && e == st[sp - 1].end;
            if (!copy_of_top && e > st[sp - 1].watermark)
                violation("object above its untyped's watermark", c);
            if (b != st[sp - 1].last_base || bits != st[sp - 1].last_bits) {
                if (!copy_of_top && e > st[sp - 1].last_start)
                    violation("object overlaps a sibling object", c);
                st[sp - 1].last_start = b;
                st[sp - 1].last_base = b;
                st[sp - 1].last_bits = bits;
            }
        }
        if (is_ut) {
            if (sp == MAX_DEPTH) {
                too_deep = true;
                continue;
            }
            st[sp].base = b;
            st[sp].end = e;
            st[sp].watermark = b + cap_untyped_free_bytes(c->cap);
            st[sp].last_start = e;
            st[sp].last_base = ~0ull;
            st[sp].last_bits = 0;
            sp++;
        }
    }
    if (too_deep)
        kprintf("hypOS: invariants: untyped nesting deeper than %d not checked\n", MAX_DEPTH);
}

static word_t deferred_violations;

void check_invariants_deferred(void)
{
    word_t n = check_invariants();
    if (n)
        kprintf("hypOS: invariants: %lu violations at a preemption point\n", n);
    deferred_violations += n;
}

word_t check_invariants(void)
{
    word_t earlier = deferred_violations;
    deferred_violations = 0;
    violations = 0;
    check_links();
    if (violations == 0) {
        check_objects();
        check_config_threads();
        violations += debug_tcb_list_check();
    }
    violations += check_scheduler_invariants();
    violations += check_domain_invariants();
    violations += check_trace_invariants();
#ifdef HYPOS_DEBUG
    if (fastpath_broken_assumptions)
        kprintf("hypOS: invariants: the fastpath found %lu broken assumptions\n", fastpath_broken_assumptions);
    violations += fastpath_broken_assumptions;
    fastpath_broken_assumptions = 0;
#endif
    return violations + earlier;
}
