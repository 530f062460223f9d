/* Capability address decoding (guarded, radix-indexed CNodes). */
#include "host.h"
#include <kernel/cspace.h>

static cap_t new_cnode(unsigned radix, unsigned guard_size, unsigned long guard, cte_t **slots)
{
    *slots = arena_alloc(radix + 5);
    return cap_cnode_new(arena_oref(*slots), radix, guard_size, guard);
}

static void single_level(void)
{
    cte_t *s;
    cap_t root = new_cnode(4, 60, 0, &s);
    resolve_result_t r = resolve_address_bits(root, 5, 64);
    HCHECK(r.ok && r.slot == &s[5] && r.bits_remaining == 0);
    r = resolve_address_bits(root, 15, 64);
    HCHECK(r.ok && r.slot == &s[15]);
}

static void guard_mismatch(void)
{
    cte_t *s;
    cap_t root = new_cnode(4, 60, 3, &s);
    resolve_result_t r = resolve_address_bits(root, (3ul << 4) | 9, 64);
    HCHECK(r.ok && r.slot == &s[9]);
    r = resolve_address_bits(root, (2ul << 4) | 9, 64);
    HCHECK(!r.ok && r.fault.type == seL4_GuardMismatch && r.fault.bits_left == 64 && r.fault.bits_found == 3 &&
           r.fault.guard_size == 60);
    /* fewer bits than the guard */
    r = resolve_address_bits(root, 0, 10);
    HCHECK(!r.ok && r.fault.type == seL4_GuardMismatch && r.fault.bits_left == 10);
}

static void depth_mismatch(void)
{
    cte_t *s;
    cap_t root = new_cnode(4, 0, 0, &s);
    resolve_result_t r = resolve_address_bits(root, 1, 2);
    HCHECK(!r.ok && r.fault.type == seL4_DepthMismatch && r.fault.bits_left == 2 && r.fault.bits_found == 4);
}

static void two_levels(void)
{
    cte_t *a, *b;
    cap_t root = new_cnode(4, 0, 0, &a);
    a[3].cap = new_cnode(4, 56, 0, &b);
    resolve_result_t r = resolve_address_bits(root, (3ul << 60) | 7, 64);
    HCHECK(r.ok && r.slot == &b[7] && r.bits_remaining == 0);
    /* 8 bits name the second level's slot when its guard is skipped by depth */
    a[4].cap = new_cnode(4, 0, 0, &b);
    r = resolve_address_bits(root, (4 << 4) | 2, 8);
    HCHECK(r.ok && r.slot == &b[2]);
}

static void stops_at_non_cnode(void)
{
    cte_t *a;
    cap_t root = new_cnode(4, 0, 0, &a);
    a[6].cap = cap_domain_new();
    resolve_result_t r = resolve_address_bits(root, 6ul << 60, 64);
    HCHECK(r.ok && r.slot == &a[6] && r.bits_remaining == 60);
}

static void invalid_root(void)
{
    resolve_result_t r = resolve_address_bits(cap_domain_new(), 0, 64);
    HCHECK(!r.ok && r.fault.type == seL4_InvalidRoot);
}

static void cnode_op_lookup(void)
{
    cte_t *a;
    cap_t root = new_cnode(4, 0, 0, &a);
    syscall_error_t e;
    HCHECK(!lookup_slot_for_cnode_op(false, root, 1, 0, &e) && e.type == seL4_RangeError && e.arg0 == 1 &&
           e.arg1 == 64);
    HCHECK(!lookup_slot_for_cnode_op(false, root, 1, 65, &e) && e.type == seL4_RangeError);
    HCHECK(lookup_slot_for_cnode_op(false, root, 1, 4, &e) == &a[1]);
    a[2].cap = cap_domain_new();
    HCHECK(!lookup_slot_for_cnode_op(true, root, 2 << 3, 7, &e) && e.type == seL4_FailedLookup && e.arg0 == 1 &&
           e.lookup.type == seL4_DepthMismatch && e.lookup.bits_left == 3 && e.lookup.bits_found == 0);
    HCHECK(!lookup_slot_for_cnode_op(false, cap_null_new(), 0, 4, &e) && e.lookup.type == seL4_InvalidRoot &&
           e.arg0 == 0);
}

static void full_radix_guard(void)
{
    /* a 64-bit guard with a CNode of radix 1 must not shift by 64 */
    cte_t *a;
    cap_t root = new_cnode(1, 63, 0x1234, &a);
    resolve_result_t r = resolve_address_bits(root, (0x1234ul << 1) | 1, 64);
    HCHECK(r.ok && r.slot == &a[1]);
}

void run_cspace_tests(void)
{
    host_test("HOST_CSPACE_001", "one level: index selects the slot", single_level);
    host_test("HOST_CSPACE_002", "guard mismatch reports bits left, guard and guard size", guard_mismatch);
    host_test("HOST_CSPACE_003", "depth mismatch when a level needs more bits", depth_mismatch);
    host_test("HOST_CSPACE_004", "two levels with guards and explicit depth", two_levels);
    host_test("HOST_CSPACE_005", "lookup stops at a non-CNode cap with bits left", stops_at_non_cnode);
    host_test("HOST_CSPACE_006", "a non-CNode root is InvalidRoot", invalid_root);
    host_test("HOST_CSPACE_007", "CNode-op lookups: depth range and exact depth", cnode_op_lookup);
    host_test("HOST_CSPACE_008", "guards up to the full word", full_radix_guard);
}
