/* Derivation-tree operations: insert, move, swap, revoke, delete with
 * finalisation, and non-recursive deletion of nested CNodes. */
#include "host.h"
#include <kernel/addr.h>
#include <kernel/mdb.h>
#include <object/capops.h>

extern int finalised_objects, finalised_threads;
bool host_interrupt_pending;
void arch_handle_pending_interrupt(void) {}

static word_t list_length(void)
{
    word_t n = 0;
    for (cte_t *c = mdb_next(&mdb_head); c; c = mdb_next(c))
        n++;
    return n;
}

static bool list_consistent(void)
{
    for (cte_t *c = &mdb_head; c; c = mdb_next(c))
        if (mdb_next(c) && mdb_prev(mdb_next(c)) != c)
            return false;
    return true;
}

static void reset_tree(void)
{
    mdb_head = (cte_t){0};
    mdb_tail = &mdb_head;
    finalised_objects = finalised_threads = 0;
}

static cte_t *slots(unsigned radix) { return arena_alloc(radix + 5); }

static void insert_and_final(void)
{
    reset_tree();
    cte_t *s = slots(4);
    void *ep = arena_alloc(4);
    cte_insert_root(cap_untyped_new(arena_oref(ep), 4, false, 0), &s[0]);
    cte_insert_new(cap_endpoint_new(arena_oref(ep), 0, RIGHTS_ALL), &s[0], &s[1]);
    HCHECK(cte_is_final(&s[1]));
    cte_insert(s[1].cap, &s[1], &s[2]);
    HCHECK(!cte_is_final(&s[1]) && !cte_is_final(&s[2]));
    HCHECK(list_length() == 3 && list_consistent());
    cte_delete(&s[2]);
    HCHECK(finalised_objects == 0 && cte_is_final(&s[1]));
    cte_delete(&s[1]);
    HCHECK(finalised_objects == 1 && list_length() == 1);
}

static void revoke_descendants_only(void)
{
    reset_tree();
    cte_t *s = slots(4);
    void *mem = arena_alloc(8);
    cte_insert_root(cap_untyped_new(arena_oref(mem), 8, false, 0), &s[0]);
    cte_insert_new(cap_endpoint_new(arena_oref(mem), 0, RIGHTS_ALL), &s[0], &s[1]);
    cte_insert(cap_set_badge(s[1].cap, 1), &s[1], &s[2]); /* badged child */
    cte_insert(s[2].cap, &s[2], &s[3]);                   /* copy of badged */
    cte_insert(cap_set_badge(s[1].cap, 2), &s[1], &s[4]); /* another badge */
    HCHECK(is_mdb_parent_of(&s[1], &s[2]) && is_mdb_parent_of(&s[2], &s[3]));
    HCHECK(!is_mdb_parent_of(&s[2], &s[4]));
    cte_revoke(&s[2]);
    HCHECK(cap_is_null(s[3].cap) && !cap_is_null(s[2].cap) && !cap_is_null(s[4].cap));
    cte_revoke(&s[1]);
    HCHECK(cap_is_null(s[2].cap) && cap_is_null(s[4].cap) && !cap_is_null(s[1].cap));
    cte_revoke(&s[0]);
    HCHECK(cap_is_null(s[1].cap) && list_length() == 1 && finalised_objects == 1);
}

static void first_badged_passes_on(void)
{
    reset_tree();
    cte_t *s = slots(3);
    void *ep = arena_alloc(4);
    cte_insert_root(cap_endpoint_new(arena_oref(ep), 0, RIGHTS_ALL), &s[0]);
    cte_insert(cap_set_badge(s[0].cap, 7), &s[0], &s[1]);
    cte_insert(s[1].cap, &s[1], &s[2]);
    /* deleting the first badged cap makes its copy the new head of that badge */
    cte_delete(&s[1]);
    HCHECK(mdb_first_badged(&s[2]));
    HCHECK(!cap_is_null(s[2].cap) && is_mdb_parent_of(&s[0], &s[2]));
}

static void move_and_swap(void)
{
    reset_tree();
    cte_t *s = slots(3);
    cte_insert_root(cap_domain_new(), &s[0]);
    cte_insert(s[0].cap, &s[0], &s[1]);
    cte_insert(s[1].cap, &s[1], &s[2]);
    cte_move(s[1].cap, &s[1], &s[5]);
    HCHECK(cap_is_null(s[1].cap) && mdb_next(&s[0]) == &s[5] && mdb_next(&s[5]) == &s[2] && list_consistent());
    /* adjacent swap in both directions */
    cte_swap(s[0].cap, &s[0], s[5].cap, &s[5]);
    HCHECK(list_consistent() && list_length() == 3 && mdb_next(&mdb_head) == &s[5] && mdb_next(&s[5]) == &s[0]);
    cte_swap(s[2].cap, &s[2], s[0].cap, &s[0]);
    HCHECK(list_consistent() && list_length() == 3);
    /* non-adjacent swap */
    cte_swap(s[5].cap, &s[5], s[0].cap, &s[0]);
    HCHECK(list_consistent() && list_length() == 3);
}

static void nested_chain_delete(void)
{
    reset_tree();
    enum { N = 20000 };
    cte_t *root = slots(1);
    cte_t *cur = slots(1);
    cte_insert_root(cap_cnode_new(arena_oref(cur), 1, 0, 0), &root[0]);
    for (int i = 0; i < N; i++) {
        cte_t *next = slots(1);
        cte_insert_root(cap_endpoint_new(arena_oref(arena_alloc(4)), 0, RIGHTS_ALL), &cur[0]);
        cte_insert_root(cap_cnode_new(arena_oref(next), 1, 0, 0), &cur[1]);
        cur = next;
    }
    HCHECK(list_length() == 2 * N + 1);
    cte_delete(&root[0]);
    HCHECK(cap_is_null(root[0].cap) && list_length() == 0 && list_consistent());
    /* each endpoint had one cap, so each was finalised exactly once */
    HCHECK(finalised_objects == N);
}

static void self_containing_cnode(void)
{
    reset_tree();
    cte_t *holder = slots(1), *cn = slots(2);
    cte_insert_root(cap_cnode_new(arena_oref(cn), 2, 0, 0), &holder[0]);
    cte_insert(holder[0].cap, &holder[0], &cn[2]);
    cte_insert_root(cap_domain_new(), &cn[3]);
    cte_delete(&holder[0]); /* not final: cn[2] still refers to it */
    HCHECK(list_length() == 2);
    cte_delete(&cn[2]); /* the last cap, inside the object itself */
    HCHECK(list_length() == 0 && list_consistent());
}

static void tcb_slots_deleted(void)
{
    reset_tree();
    cte_t *s = slots(2);
    tcb_t *t = arena_alloc(seL4_TCBBits);
    cte_t *cn = slots(2);
    cte_insert_root(cap_thread_new(arena_oref(t)), &s[0]);
    cte_insert_root(cap_cnode_new(arena_oref(cn), 2, 0, 0), &t->ctes[tcbCTable]);
    cte_insert_root(cap_domain_new(), &cn[1]);
    cte_delete(&s[0]);
    HCHECK(finalised_threads == 1 && list_length() == 0);
}

static void zombie_fields(void)
{
    cap_t z = cap_zombie_new(0x3fffffffe0ul, ZOMBIE_TCB, 0, 5, false, 0x3abcdef120ul);
    HCHECK(cap_zombie_obj(z) == 0x3fffffffe0ul && cap_zombie_link(z) == 0x3abcdef120ul);
    HCHECK(cap_zombie_slots(z) == 5 && cap_zombie_kind(z) == ZOMBIE_TCB && !cap_zombie_is_root(z));
    z = cap_zombie_set_slots(z, (1ul << 34) - 1);
    HCHECK(cap_zombie_slots(z) == (1ul << 34) - 1 && cap_zombie_link(z) == 0x3abcdef120ul);
    z = cap_zombie_new(0x20, ZOMBIE_CNODE, 33, 1ul << 33, true, 0x3fffffffe0ul);
    HCHECK(cap_zombie_radix(z) == 33 && cap_zombie_is_root(z) && cap_zombie_link(z) == 0x3fffffffe0ul);
    z = cap_zombie_set_link(z, false, 0x40);
    HCHECK(!cap_zombie_is_root(z) && cap_zombie_link(z) == 0x40 && cap_zombie_slots(z) == 1ul << 33);
}

/* ---- Preemptible deletion: with an interrupt always pending every
 * operation stops after PREEMPT_WORK_UNITS units; calling again resumes. */

static bool no_zombies(void)
{
    for (cte_t *c = mdb_next(&mdb_head); c; c = mdb_next(c))
        if (cap_get_type(c->cap) == cap_zombie)
            return false;
    return true;
}

/* A zombie with a parent lies in the slot its parent empties next. */
static bool zombies_linked(void)
{
    for (cte_t *c = mdb_next(&mdb_head); c; c = mdb_next(c)) {
        if (cap_get_type(c->cap) != cap_zombie || cap_zombie_is_root(c->cap))
            continue;
        cte_t *p = oref_ptr(cap_zombie_link(c->cap));
        if (cap_get_type(p->cap) != cap_zombie || cap_zombie_slots(p->cap) == 0 ||
            (cte_t *)oref_ptr(cap_zombie_obj(p->cap)) + cap_zombie_slots(p->cap) - 1 != c)
            return false;
    }
    return true;
}

/* Repeat a preemptible delete until it completes; count the restarts and
 * check the tree between them. */
static int delete_until_done(cte_t *slot)
{
    int restarts = 0;
    while (cte_delete_preemptible(slot) == EXCEPTION_PREEMPTED) {
        restarts++;
        if (!list_consistent() || !zombies_linked()) {
            HCHECK(!"consistent between restarts");
            break;
        }
    }
    return restarts;
}

static void preempted_cnode_delete(void)
{
    reset_tree();
    enum { RADIX = 10 };
    cte_t *holder = slots(1), *cn = slots(RADIX);
    cte_insert_root(cap_cnode_new(arena_oref(cn), RADIX, 0, 0), &holder[0]);
    for (int i = 0; i < (1 << RADIX); i += 2)
        cte_insert_root(cap_endpoint_new(arena_oref(arena_alloc(4)), 0, RIGHTS_ALL), &cn[i]);
    host_interrupt_pending = true;
    int restarts = delete_until_done(&holder[0]);
    host_interrupt_pending = false;
    HCHECK(restarts > 10);
    HCHECK(cap_is_null(holder[0].cap) && list_length() == 0 && list_consistent());
    HCHECK(finalised_objects == (1 << RADIX) / 2);
}

static void preempted_nested_delete(void)
{
    reset_tree();
    enum { N = 1000 };
    cte_t *root = slots(1), *cur = slots(1);
    cte_insert_root(cap_cnode_new(arena_oref(cur), 1, 0, 0), &root[0]);
    for (int i = 0; i < N; i++) {
        cte_t *next = slots(1);
        cte_insert_root(cap_endpoint_new(arena_oref(arena_alloc(4)), 0, RIGHTS_ALL), &cur[0]);
        cte_insert_root(cap_cnode_new(arena_oref(next), 1, 0, 0), &cur[1]);
        cur = next;
    }
    host_interrupt_pending = true;
    int restarts = delete_until_done(&root[0]);
    host_interrupt_pending = false;
    HCHECK(restarts > 100);
    HCHECK(cap_is_null(root[0].cap) && list_length() == 0 && finalised_objects == N);
}

/* A preempted chain resumed through one of its inner zombies (as a revoke
 * of an untyped finds them) is still finished up to its root. */
static void resumed_from_inner_zombie(void)
{
    reset_tree();
    cte_t *root = slots(1), *a = slots(6), *b = slots(6);
    cte_insert_root(cap_cnode_new(arena_oref(a), 6, 0, 0), &root[0]);
    cte_insert_root(cap_cnode_new(arena_oref(b), 6, 0, 0), &a[63]);
    for (int i = 0; i < 64; i++)
        cte_insert_root(cap_endpoint_new(arena_oref(arena_alloc(4)), 0, RIGHTS_ALL), &b[i]);
    host_interrupt_pending = true;
    for (int i = 0; i < 4 && cap_get_type(a[63].cap) != cap_zombie; i++)
        HCHECK(cte_delete_preemptible(&root[0]) == EXCEPTION_PREEMPTED);
    HCHECK(cap_get_type(a[63].cap) == cap_zombie && !cap_zombie_is_root(a[63].cap) &&
           cap_zombie_link(a[63].cap) == arena_oref(&root[0]));
    /* one more preempted step through the inner zombie, then one that
     * runs to the end: it finishes the root too */
    HCHECK(cte_delete_preemptible(&a[63]) == EXCEPTION_PREEMPTED);
    HCHECK(zombies_linked() && cap_get_type(root[0].cap) == cap_zombie);
    host_interrupt_pending = false;
    HCHECK(cte_delete_preemptible(&a[63]) == EXCEPTION_NONE);
    HCHECK(cap_is_null(root[0].cap) && list_length() == 0 && finalised_objects == 64);
}

/* A chain abandoned half way (its caller gone) inside a CNode that is then
 * deleted is adopted by the new deletion and finished with it. */
static void abandoned_zombie_adopted(void)
{
    reset_tree();
    cte_t *holder = slots(1), *x = slots(3), *y = slots(6);
    cte_insert_root(cap_cnode_new(arena_oref(x), 3, 0, 0), &holder[0]);
    cte_insert_root(cap_cnode_new(arena_oref(y), 6, 0, 0), &x[3]);
    for (int i = 0; i < 64; i++)
        cte_insert_root(cap_endpoint_new(arena_oref(arena_alloc(4)), 0, RIGHTS_ALL), &y[i]);
    host_interrupt_pending = true;
    for (int i = 0; i < 4 && cap_get_type(x[3].cap) != cap_zombie; i++)
        HCHECK(cte_delete_preemptible(&x[3]) == EXCEPTION_PREEMPTED);
    HCHECK(cap_get_type(x[3].cap) == cap_zombie && cap_zombie_is_root(x[3].cap));
    delete_until_done(&holder[0]);
    host_interrupt_pending = false;
    HCHECK(cap_is_null(x[3].cap) && cap_is_null(holder[0].cap));
    HCHECK(list_length() == 0 && finalised_objects == 64);
}

/* Two CNodes each holding the last cap of the other (unreachable garbage,
 * found through their untyped): the deletion meets its own root and
 * rotates the zombies into their own objects; each is then finished by
 * deleting it, with no slot of freed memory still linked. */
static void cycle_of_cnodes(void)
{
    reset_tree();
    cte_t *ut = slots(1), *a = slots(5), *b = slots(5);
    void *mem = arena_alloc(12);
    (void)mem;
    cte_insert_root(cap_untyped_new(arena_oref(a), 11, false, BIT(11)), &ut[0]);
    cte_insert_new(cap_cnode_new(arena_oref(b), 5, 0, 0), &ut[0], &a[0]);
    cte_insert_new(cap_cnode_new(arena_oref(a), 5, 0, 0), &ut[0], &b[0]);
    for (int i = 1; i < 32; i++) {
        cte_insert_root(cap_endpoint_new(arena_oref(arena_alloc(4)), 0, RIGHTS_ALL), &a[i]);
        cte_insert_root(cap_endpoint_new(arena_oref(arena_alloc(4)), 0, RIGHTS_ALL), &b[i]);
    }
    host_interrupt_pending = true;
    int restarts = 0;
    while (cte_revoke_preemptible(&ut[0]) == EXCEPTION_PREEMPTED) {
        restarts++;
        HCHECK(list_consistent() && zombies_linked());
    }
    host_interrupt_pending = false;
    HCHECK(restarts > 2);
    HCHECK(list_length() == 1 && no_zombies() && finalised_objects == 62);
}

static void rights_and_badges(void)
{
    cap_t ep = cap_endpoint_new(0x1000, 0, RIGHTS_ALL);
    cap_t ro = mask_cap_rights(RIGHT_READ, ep);
    HCHECK(cap_endpoint_rights(ro) == RIGHT_READ);
    HCHECK(cap_endpoint_badge(update_cap_data(false, 9, ep)) == 9);
    HCHECK(cap_is_null(update_cap_data(false, 9, cap_set_badge(ep, 1))));
    HCHECK(cap_is_null(update_cap_data(true, 9, ep)));
    cap_t fr = cap_frame_new(0x2000, FRAME_4K, VM_READ_WRITE, false, 0, 0);
    HCHECK(cap_frame_vmrights(mask_cap_rights(RIGHT_READ, fr)) == VM_READ_ONLY);
    HCHECK(cap_frame_vmrights(mask_cap_rights(RIGHT_WRITE, fr)) == VM_KERNEL_ONLY);
    cap_t cn = cap_cnode_new(0x4000, 4, 0, 0);
    HCHECK(cap_cnode_guard_size(update_cap_data(false, (5ul << 6) | 3, cn)) == 3);
    HCHECK(cap_cnode_guard(update_cap_data(false, (5ul << 6) | 3, cn)) == 5);
    HCHECK(cap_is_null(update_cap_data(false, 61, cn)));
}

void run_mdb_tests(void)
{
    host_test("HOST_MDB_001", "copies are not final; the last delete finalises once", insert_and_final);
    host_test("HOST_MDB_002", "revoke removes descendants and keeps siblings", revoke_descendants_only);
    host_test("HOST_MDB_003", "first-badged passes to the next copy on delete", first_badged_passes_on);
    host_test("HOST_MDB_004", "move and swap (adjacent and not) keep the list exact", move_and_swap);
    host_test("HOST_MDB_005", "20000 nested CNodes delete without recursion", nested_chain_delete);
    host_test("HOST_MDB_006", "a CNode holding its own last cap deletes cleanly", self_containing_cnode);
    host_test("HOST_MDB_007", "deleting a TCB's last cap empties its slots", tcb_slots_deleted);
    host_test("HOST_MDB_008", "zombie caps keep object, parent and count", zombie_fields);
    host_test("HOST_MDB_009", "rights masking and cap data (badges, guards)", rights_and_badges);
    host_test("HOST_MDB_010", "a preempted CNode delete resumes and completes", preempted_cnode_delete);
    host_test("HOST_MDB_011", "1000 nested CNodes delete with a preemption every few caps", preempted_nested_delete);
    host_test("HOST_MDB_012", "a chain resumed through an inner zombie finishes to its root",
              resumed_from_inner_zombie);
    host_test("HOST_MDB_013", "an abandoned zombie inside a deleted CNode is adopted and finished",
              abandoned_zombie_adopted);
    host_test("HOST_MDB_014", "two CNodes holding each other's last cap: revoke of their untyped, preempted",
              cycle_of_cnodes);
}
