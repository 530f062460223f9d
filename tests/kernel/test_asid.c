/* ASID: ASIDControl_MakePool and ASIDPool_Assign with seL4's errors, how
 * many ASIDs a pool and the system have, and what deleting a pool does. */
#include "vspace_helpers.h"

static seL4_Word mr(int i) { return seL4_GetMR(i); }


TEST(ASID0001, "MakePool turns a 4 KiB untyped into an ASID pool whose ASIDs give working roots")
{
    seL4_CPtr pool = make_pool(env);
    CHECK_EQ(seL4_DebugCapIdentify(pool), seL4_CapTag_ASIDPool);
    seL4_CPtr v = make_vspace(env, pool);
    map_tables(env, v, VA4K);
    seL4_CPtr f = frame4k(env);
    CHECK_EQ(test_page_map_attr(f, v, VA4K, RW, ATTR), 0);
}

TEST(ASID0002, "MakePool needs a non-device untyped of exactly 4 KiB: InvalidCapability(1)")
{
    seL4_CPtr s = alloc_slot(env);
    seL4_CPtr big = make_untyped(env, 13), small = make_untyped(env, 11);
    CHECK_EQ(test_asid_make_pool(big, ROOT, s, WB), seL4_InvalidCapability);
    CHECK_EQ(mr(0), 1);
    CHECK_EQ(test_asid_make_pool(small, ROOT, s, WB), seL4_InvalidCapability);
    seL4_CPtr f = frame4k(env);
    CHECK_EQ(test_asid_make_pool(f, ROOT, s, WB), seL4_InvalidCapability);
    seL4_CPtr dev4k = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(env->device_ut, seL4_UntypedObject, 12, ROOT, 0, 0, dev4k, 1), 0);
    CHECK_EQ(test_asid_make_pool(dev4k, ROOT, s, WB), seL4_InvalidCapability);
    CHECK_EQ(seL4_DebugCapIdentify(s), 0);
}

TEST(ASID0003, "MakePool on an untyped with children is RevokeFirst; bad slots fail as CNode ops do")
{
    seL4_CPtr ut = make_untyped(env, 12);
    seL4_CPtr child = alloc_slot(env), s = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, child, 1), 0);
    CHECK_EQ(test_asid_make_pool(ut, ROOT, s, WB), seL4_RevokeFirst);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, WB), 0);
    CHECK_EQ(test_asid_make_pool(ut, ROOT, child, WB), 0);
    /* the untyped is now used up: it cannot also be retyped */
    seL4_CPtr s2 = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, s2, 1), seL4_NotEnoughMemory);
    /* destination checks */
    seL4_CPtr ut2 = make_untyped(env, 12);
    CHECK_EQ(test_asid_make_pool(ut2, ROOT, child, WB), seL4_DeleteFirst);
    CHECK_EQ(test_asid_make_pool(ut2, ROOT, s, 0), seL4_RangeError);
    CHECK_EQ(test_asid_make_pool(ut2, seL4_CapInitThreadTCB, s, WB), seL4_FailedLookup);
    CHECK_EQ(test_asid_make_pool(ut2, ROOT, s, WB), 0);
}

TEST(ASID0004, "Assign twice, or of a mapped table or a non-table, is InvalidCapability(1)")
{
    seL4_CPtr v = make_vspace(env, POOL);
    CHECK_EQ(test_asid_assign(POOL, v), seL4_InvalidCapability);
    CHECK_EQ(mr(0), 1);
    CHECK_EQ(test_asid_assign(POOL, VS), seL4_InvalidCapability);
    seL4_CPtr pt = map_pt(env, VS, VA4K);
    CHECK_EQ(test_asid_assign(POOL, pt), seL4_InvalidCapability);
    CHECK_EQ(test_asid_assign(POOL, frame4k(env)), seL4_InvalidCapability);
    /* a second pool does not take an assigned root either */
    CHECK_EQ(test_asid_assign(make_pool(env), v), seL4_InvalidCapability);
}

/* Fill a pool: roots are retyped one at a time into one slot and, once
 * assigned, moved into a CNode of their own (the test window is small). */
static int fill_pool(env_t *env, seL4_CPtr pool, seL4_CPtr cnode, seL4_Word max)
{
    seL4_CPtr s = alloc_slot(env);
    seL4_CPtr ut = make_untyped(env, 22); /* 1024 page tables */
    for (seL4_Word i = 0; i < max; i++) {
        CHECK_EQ(seL4_Untyped_Retype(ut, TEST_VSPACE_OBJECT, 0, ROOT, 0, 0, s, 1), 0);
        int err = test_asid_assign(pool, s);
        if (err) {
            seL4_CNode_Delete(ROOT, s, WB);
            return (int)i;
        }
        CHECK_EQ(seL4_CNode_Move(cnode, i, 10, ROOT, s, WB), 0);
    }
    return (int)max;
}

TEST(ASID0005, "a new pool hands out exactly 512 ASIDs, then DeleteFirst; deleting a root frees one")
{
    seL4_CPtr pool = make_pool(env);
    seL4_CPtr cn = make_object(env, seL4_CapTableObject, 10);
    CHECK_EQ(fill_pool(env, pool, cn, 600), 512);
    seL4_CPtr extra = make_object(env, TEST_VSPACE_OBJECT, 0);
    CHECK_EQ(test_asid_assign(pool, extra), seL4_DeleteFirst);
    CHECK_EQ(seL4_CNode_Delete(cn, 300, 10), 0);
    CHECK_EQ(test_asid_assign(pool, extra), 0);
    seL4_CPtr extra2 = make_object(env, TEST_VSPACE_OBJECT, 0);
    CHECK_EQ(test_asid_assign(pool, extra2), seL4_DeleteFirst);
    /* the reused ASID gives a working root */
    map_pt(env, extra, VA4K);
}

TEST(ASID0006, "the root task's pool has ASID 0 reserved and ASID 1 taken: 510 more")
{
    seL4_CPtr cn = make_object(env, seL4_CapTableObject, 10);
    CHECK_EQ(fill_pool(env, POOL, cn, 600), 510);
}

TEST(ASID0007, "there are 2^seL4_NumASIDPoolsBits pools of ASIDs: the rest after the root task's, then DeleteFirst")
{
    seL4_CPtr uts = make_untyped(env, 20); /* room for 256 pools */
    seL4_CPtr cn = make_object(env, seL4_CapTableObject, 8);
    seL4_CPtr ut = alloc_slot(env);
    int made = 0, err = 0;
    for (seL4_Word i = 0; i < 200 && !env->failures; i++) {
        CHECK_EQ(seL4_Untyped_Retype(uts, seL4_UntypedObject, 12, ROOT, 0, 0, ut, 1), 0);
        /* pools go to a CNode of their own; the untyped cap can go, the
         * pool stays a descendant of the test's memory */
        err = test_asid_make_pool(ut, cn, i, 8);
        CHECK_EQ(seL4_CNode_Delete(ROOT, ut, WB), 0);
        if (err)
            break;
        made++;
    }
    CHECK_EQ(made, (1 << seL4_NumASIDPoolsBits) - 1);
    CHECK_EQ(err, seL4_DeleteFirst);
    /* one freed place is one more pool */
    seL4_Word freed = made / 3;
    CHECK_EQ(seL4_CNode_Delete(cn, freed, 8), 0);
    CHECK_EQ(seL4_Untyped_Retype(uts, seL4_UntypedObject, 12, ROOT, 0, 0, ut, 1), 0);
    CHECK_EQ(test_asid_make_pool(ut, cn, freed, 8), 0);
}

TEST(ASID0008, "deleting a pool frees its place for MakePool and strands its roots")
{
    seL4_CPtr pool = make_pool(env);
    seL4_CPtr v = make_vspace(env, pool);
    CHECK_EQ(seL4_CNode_Delete(ROOT, pool, WB), 0);
    seL4_CPtr pool2 = make_pool(env); /* may take the same place */
    CHECK_EQ(seL4_DebugCapIdentify(pool2), seL4_CapTag_ASIDPool);
    CHECK_EQ(test_page_map_attr(frame4k(env), v, VA4K, RW, ATTR), seL4_FailedLookup);
    /* a stranded root cannot be assigned (until it is unmapped, where
     * roots have an Unmap method) */
    CHECK_EQ(test_asid_assign(pool2, v), seL4_InvalidCapability);
    if (!TEST_ROOT_HAS_UNMAP)
        return;
    CHECK_EQ(test_table_unmap(v), 0);
    CHECK_EQ(test_asid_assign(pool2, v), 0);
    map_pt(env, v, VA4K);
}

TEST(ASID0009, "copies of a pool cap assign from the same pool; the pool lives while one remains")
{
    seL4_CPtr pool = make_pool(env);
    seL4_CPtr c = copy_cap(env, pool);
    seL4_CPtr v1 = make_vspace(env, c);
    CHECK_EQ(seL4_CNode_Delete(ROOT, pool, WB), 0);
    seL4_CPtr v2 = make_vspace(env, c);
    map_pt(env, v1, VA4K);
    map_pt(env, v2, VA4K);
}
