/* RETYPE: seL4_Untyped_Retype arguments, watermark, alignment and reset. */
#include "storm_helpers.h"

static seL4_Word mr(int i) { return seL4_GetMR(i); }

static seL4_Word paddr_of(seL4_CPtr frame) { return test_frame_paddr(frame); }

TEST(RETYPE0001, "every object type can be created and has its cap type")
{
    struct {
        seL4_Word type, bits, tag;
    } t[] = {
        {seL4_UntypedObject, 12, seL4_CapTag_Untyped},  {seL4_TCBObject, 0, seL4_CapTag_Thread},
        {seL4_EndpointObject, 0, seL4_CapTag_Endpoint}, {seL4_NotificationObject, 0, seL4_CapTag_Notification},
        {seL4_CapTableObject, 4, seL4_CapTag_CNode},    {TEST_FRAME_4K, 0, seL4_CapTag_Frame},
        {TEST_FRAME_LARGE, 0, seL4_CapTag_Frame},       {TEST_PAGE_TABLE_OBJECT, 0, seL4_CapTag_PageTable},
    };
    for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        seL4_CPtr s = make_object(env, t[i].type, t[i].bits);
        CHECK_EQ(seL4_DebugCapIdentify(s), t[i].tag);
    }
}

TEST(RETYPE0002, "an invalid object type is InvalidArgument(0)")
{
    seL4_CPtr s = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_ObjectTypeCount, 0, ROOT, 0, 0, s, 1), seL4_InvalidArgument);
    CHECK_EQ(mr(0), 0);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, ~0ul, 0, ROOT, 0, 0, s, 1), seL4_InvalidArgument);
    CHECK_EQ(seL4_DebugCapIdentify(s), 0);
}

TEST(RETYPE0003, "a size above seL4_MaxUntypedBits is RangeError(0, seL4_MaxUntypedBits)")
{
    seL4_CPtr s = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_UntypedObject, seL4_MaxUntypedBits + 1, ROOT, 0, 0, s, 1),
             seL4_RangeError);
    CHECK_EQ(mr(0), 0);
    CHECK_EQ(mr(1), seL4_MaxUntypedBits);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_CapTableObject, 64, ROOT, 0, 0, s, 1), seL4_RangeError);
}

TEST(RETYPE0004, "a 0-radix CNode or a too small untyped is InvalidArgument(1)")
{
    seL4_CPtr s = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_CapTableObject, 0, ROOT, 0, 0, s, 1), seL4_InvalidArgument);
    CHECK_EQ(mr(0), 1);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_UntypedObject, 3, ROOT, 0, 0, s, 1), seL4_InvalidArgument);
    CHECK_EQ(mr(0), 1);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_UntypedObject, 4, ROOT, 0, 0, s, 1), 0);
}

TEST(RETYPE0005, "object count outside 1..256 is RangeError(1, 256)")
{
    seL4_CPtr s = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_EndpointObject, 0, ROOT, 0, 0, s, 0), seL4_RangeError);
    CHECK_EQ(mr(0), 1);
    CHECK_EQ(mr(1), 256);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_EndpointObject, 0, ROOT, 0, 0, s, 257), seL4_RangeError);
    CHECK_EQ(mr(1), 256);
}

TEST(RETYPE0006, "a destination offset outside the CNode is RangeError(0, size-1)")
{
    (void)env;
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_EndpointObject, 0, ROOT, 0, 0, 4096, 1), seL4_RangeError);
    CHECK_EQ(mr(0), 0);
    CHECK_EQ(mr(1), 4095);
}

TEST(RETYPE0007, "a window running past the CNode end is RangeError(1, size-offset)")
{
    seL4_CPtr cn = make_object(env, seL4_CapTableObject, 3);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_EndpointObject, 0, cn, 0, 0, 6, 3), seL4_RangeError);
    CHECK_EQ(mr(0), 1);
    CHECK_EQ(mr(1), 2);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_EndpointObject, 0, cn, 0, 0, 6, 2), 0);
}

TEST(RETYPE0008, "an occupied destination slot is DeleteFirst and nothing is created")
{
    seL4_CPtr a = alloc_slot(env), b = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, b, WB, ROOT, seL4_CapDomain, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_EndpointObject, 0, ROOT, 0, 0, a, 2), seL4_DeleteFirst);
    CHECK_EQ(seL4_DebugCapIdentify(a), 0);
}

TEST(RETYPE0009, "NotEnoughMemory reports the bytes still available")
{
    seL4_CPtr ut = make_untyped(env, 13), s = alloc_slot(env), t = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(ut, TEST_FRAME_4K, 0, ROOT, 0, 0, s, 3), seL4_NotEnoughMemory);
    CHECK_EQ(mr(0), 8192);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, s, 1), 0);
    CHECK_EQ(seL4_Untyped_Retype(ut, TEST_FRAME_4K, 0, ROOT, 0, 0, t, 2), seL4_NotEnoughMemory);
    CHECK_EQ(mr(0), 8192 - 16);
}

TEST(RETYPE0010, "objects are aligned to their size above the watermark")
{
    seL4_CPtr ut = make_untyped(env, 16), ep = alloc_slot(env), pg = alloc_slot(env), pg2 = alloc_slot(env);
    seL4_Word base = 0;
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, ep, 1), 0);
    CHECK_EQ(seL4_Untyped_Retype(ut, TEST_FRAME_4K, 0, ROOT, 0, 0, pg, 1), 0);
    CHECK_EQ(seL4_Untyped_Retype(ut, TEST_FRAME_4K, 0, ROOT, 0, 0, pg2, 1), 0);
    base = paddr_of(pg) - 4096; /* the endpoint took the first 16 bytes */
    CHECK_EQ(base % (1 << 16), 0);
    CHECK_EQ(paddr_of(pg2), base + 8192);
    /* 16 pages: the endpoint's page and two frames are used, 13 remain */
    seL4_CPtr cn = make_object(env, seL4_CapTableObject, 4);
    CHECK_EQ(seL4_Untyped_Retype(ut, TEST_FRAME_4K, 0, cn, 0, 0, 0, 14), seL4_NotEnoughMemory);
    CHECK_EQ(mr(0), 13 * 4096);
    CHECK_EQ(seL4_Untyped_Retype(ut, TEST_FRAME_4K, 0, cn, 0, 0, 0, 13), 0);
}

TEST(RETYPE0011, "revoking an untyped resets its watermark to the base")
{
    seL4_CPtr ut = make_untyped(env, 14), a = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(ut, TEST_FRAME_4K, 0, ROOT, 0, 0, a, 4), 0);
    seL4_Word first = paddr_of(a);
    CHECK_EQ(seL4_Untyped_Retype(ut, TEST_FRAME_4K, 0, ROOT, 0, 0, a + 4, 1), seL4_NotEnoughMemory);
    CHECK_EQ(mr(0), 0);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, WB), 0);
    for (int i = 0; i < 4; i++)
        CHECK_EQ(seL4_DebugCapIdentify(a + i), 0);
    CHECK_EQ(seL4_Untyped_Retype(ut, TEST_FRAME_4K, 0, ROOT, 0, 0, a, 4), 0);
    CHECK_EQ(paddr_of(a), first);
}

TEST(RETYPE0012, "deleting every child also lets the untyped start over")
{
    seL4_CPtr ut = make_untyped(env, 12), a = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(ut, TEST_FRAME_4K, 0, ROOT, 0, 0, a, 1), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, a, WB), 0);
    CHECK_EQ(seL4_Untyped_Retype(ut, TEST_FRAME_4K, 0, ROOT, 0, 0, a, 1), 0);
}

TEST(RETYPE0013, "new CNodes are empty even where old caps lived")
{
    seL4_CPtr ut = make_untyped(env, 12), cn = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_CapTableObject, 7, ROOT, 0, 0, cn, 1), 0);
    for (int i = 0; i < 128; i++)
        CHECK_EQ(seL4_CNode_Copy(cn, i, 7, ROOT, seL4_CapDomain, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, WB), 0);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_CapTableObject, 7, ROOT, 0, 0, cn, 1), 0);
    seL4_CPtr probe = alloc_slot(env);
    for (int i = 0; i < 128; i++)
        CHECK_EQ(seL4_CNode_Copy(ROOT, probe, WB, cn, i, 7, seL4_AllRights), seL4_FailedLookup);
}

TEST(RETYPE0014, "device untyped gives frames and untyped, nothing else")
{
    CHECK(env->device_ut != 0);
    seL4_CPtr f = alloc_slot(env), c = alloc_slot(env), u = alloc_slot(env), t = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(env->device_ut, seL4_CapTableObject, 4, ROOT, 0, 0, c, 1), seL4_InvalidArgument);
    CHECK_EQ(mr(0), 1);
    CHECK_EQ(seL4_Untyped_Retype(env->device_ut, seL4_TCBObject, 0, ROOT, 0, 0, c, 1), seL4_InvalidArgument);
    CHECK_EQ(seL4_Untyped_Retype(env->device_ut, TEST_FRAME_4K, 0, ROOT, 0, 0, f, 1), 0);
    CHECK_EQ(seL4_Untyped_Retype(env->device_ut, seL4_UntypedObject, 16, ROOT, 0, 0, u, 1), 0);
    CHECK_EQ(seL4_Untyped_Retype(u, seL4_EndpointObject, 0, ROOT, 0, 0, t, 1), seL4_InvalidArgument);
    CHECK_EQ(seL4_Untyped_Retype(u, TEST_FRAME_4K, 0, ROOT, 0, 0, t, 1), 0);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, env->device_ut, WB), 0);
}

TEST(RETYPE0015, "the destination CNode can be named by index and depth")
{
    seL4_CPtr top = make_object(env, seL4_CapTableObject, 4), sub = make_object(env, seL4_CapTableObject, 4);
    CHECK_EQ(seL4_CNode_Move(top, 5, 4, ROOT, sub, WB), 0);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_EndpointObject, 0, top, 5, 4, 3, 2), 0);
    seL4_CPtr back = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, back, WB, top, (5 << 4) | 4, 8, seL4_AllRights), 0);
    CHECK_EQ(seL4_DebugCapIdentify(back), seL4_CapTag_Endpoint);
}

TEST(RETYPE0016, "a destination that is not a CNode is FailedLookup")
{
    seL4_CPtr s = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_EndpointObject, 0, ROOT, seL4_CapDomain, WB, 0, 1), seL4_FailedLookup);
    CHECK_EQ(mr(0), 0);
    CHECK_EQ(mr(1), seL4_MissingCapability);
    CHECK_EQ(mr(2), WB);
    /* depth 0 takes the root itself: a null root is not a CNode either */
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_EndpointObject, 0, s, 0, 0, 0, 1), seL4_FailedLookup);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_EndpointObject, 0, s, 0, 5, 0, 1), seL4_FailedLookup);
    CHECK_EQ(mr(1), seL4_InvalidRoot);
}

TEST(RETYPE0017, "256 objects in one call, each in its own slot")
{
    seL4_CPtr cn = make_object(env, seL4_CapTableObject, 8);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_NotificationObject, 0, cn, 0, 0, 0, 256), 0);
    seL4_CPtr probe = alloc_slot(env);
    for (int i = 0; i < 256; i += 51) {
        CHECK_EQ(seL4_CNode_Copy(ROOT, probe, WB, cn, i, 8, seL4_AllRights), 0);
        CHECK_EQ(seL4_DebugCapIdentify(probe), seL4_CapTag_Notification);
        seL4_CNode_Delete(ROOT, probe, WB);
    }
}

TEST(RETYPE0018, "large objects are aligned to their size")
{
    seL4_CPtr ut = make_untyped(env, 22), ep = alloc_slot(env), big = alloc_slot(env), f = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, ep, 1), 0);
    CHECK_EQ(seL4_Untyped_Retype(ut, TEST_FRAME_LARGE, 0, ROOT, 0, 0, big, 1), 0);
    CHECK_EQ(paddr_of(big) % (1 << 21), 0);
    CHECK_EQ(seL4_Untyped_Retype(ut, TEST_FRAME_LARGE, 0, ROOT, 0, 0, f, 1), seL4_NotEnoughMemory);
}

TEST(RETYPE0019, "only one of an untyped cap and its copy hands out memory")
{
    seL4_CPtr ut = make_untyped(env, 12), copy = alloc_slot(env), a = alloc_slot(env), b = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, copy, WB, ROOT, ut, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_Untyped_Retype(copy, seL4_EndpointObject, 0, ROOT, 0, 0, a, 1), 0);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, b, 1), seL4_RevokeFirst);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(copy), 0);
    CHECK_EQ(seL4_DebugCapIdentify(a), 0);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, b, 1), 0);
}

TEST(RETYPE0022, "deleting a copy that allocated hands its watermark back: the original never reuses that memory")
{
    seL4_CPtr ut = make_untyped(env, 14), copy = alloc_slot(env), a = alloc_slot(env), b = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, copy, WB, ROOT, ut, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_Untyped_Retype(copy, TEST_FRAME_4K, 0, ROOT, 0, 0, a, 1), 0);
    seL4_Word base = paddr_of(a); /* the first object starts at the untyped's base */
    CHECK_EQ(seL4_CNode_Delete(ROOT, copy, WB), 0);
    /* the frame lives on as a child of the original, which allocates after it */
    CHECK_EQ(seL4_Untyped_Retype(ut, TEST_FRAME_4K, 0, ROOT, 0, 0, b, 1), 0);
    CHECK_EQ(paddr_of(b), base + 4096);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    /* once the frames are gone the original starts over from its base */
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, WB), 0);
    CHECK_EQ(seL4_Untyped_Retype(ut, TEST_FRAME_4K, 0, ROOT, 0, 0, b, 1), 0);
    CHECK_EQ(paddr_of(b), base);
}

TEST(RETYPE0020, "revoking an untyped deletes nested untypeds and everything in them")
{
    seL4_CPtr u1 = make_untyped(env, 16), u2 = alloc_slot(env), cn = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(u1, seL4_UntypedObject, 14, ROOT, 0, 0, u2, 1), 0);
    CHECK_EQ(seL4_Untyped_Retype(u2, seL4_CapTableObject, 4, ROOT, 0, 0, cn, 1), 0);
    CHECK_EQ(seL4_Untyped_Retype(u2, seL4_EndpointObject, 0, cn, 0, 0, 0, 16), 0);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, u1, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(u2), 0);
    CHECK_EQ(seL4_DebugCapIdentify(cn), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    CHECK_EQ(seL4_Untyped_Retype(u1, seL4_UntypedObject, 16, ROOT, 0, 0, u2, 1), 0);
}

TEST(RETYPE0021, "256 minimum-size untypeds from a 4 KiB untyped")
{
    seL4_CPtr ut = make_untyped(env, 12), cn = make_object(env, seL4_CapTableObject, 8);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_UntypedObject, 4, cn, 0, 0, 0, 256), 0);
    seL4_CPtr s = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_UntypedObject, 4, ROOT, 0, 0, s, 1), seL4_NotEnoughMemory);
    CHECK_EQ(mr(0), 0);
}

TEST(RETYPE0090, "random retypes: seL4 errors only, invariants hold, nothing lost")
{
    run_storms(env, 0x243f6a8885a308d3ull, retype_storm);
}
