/* CNODEOP: CNode invocations, their errors, and the derivation tree. */
#include "storm_helpers.h"

static seL4_Word mr(int i) { return seL4_GetMR(i); }

TEST(CNODEOP0001, "copy puts a cap of the same type in an empty slot")
{
    seL4_CPtr d = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, d, WB, ROOT, seL4_CapInitThreadTCB, WB, seL4_AllRights), seL4_NoError);
    CHECK_EQ(seL4_DebugCapIdentify(d), seL4_CapTag_Thread);
}

TEST(CNODEOP0002, "copy into an occupied slot fails with DeleteFirst")
{
    seL4_CPtr d = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, d, WB, ROOT, seL4_CapInitThreadTCB, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Copy(ROOT, d, WB, ROOT, seL4_CapDomain, WB, seL4_AllRights), seL4_DeleteFirst);
    CHECK_EQ(seL4_DebugCapIdentify(d), seL4_CapTag_Thread);
}

TEST(CNODEOP0003, "copy from an empty slot is FailedLookup on the source")
{
    seL4_CPtr d = alloc_slot(env), e = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, d, WB, ROOT, e, WB, seL4_AllRights), seL4_FailedLookup);
    CHECK_EQ(mr(0), 1);
    CHECK_EQ(mr(1), seL4_MissingCapability);
    CHECK_EQ(mr(2), WB);
}

TEST(CNODEOP0004, "depth outside 1..64 is RangeError(1, 64)")
{
    seL4_CPtr d = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, d, 0, ROOT, seL4_CapInitThreadTCB, WB, seL4_AllRights), seL4_RangeError);
    CHECK_EQ(mr(0), 1);
    CHECK_EQ(mr(1), 64);
    seL4_Word a[5] = {d, 65, seL4_CapInitThreadTCB, WB, seL4_AllRights.words[0]};
    seL4_SetCap(0, ROOT);
    CHECK_EQ(seL4_hyp_invoke(ROOT, CNodeCopy, 1, 5, a, NULL), seL4_RangeError);
}

TEST(CNODEOP0005, "a depth shorter than the root guard is a guard mismatch")
{
    seL4_CPtr d = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, d, 12, ROOT, seL4_CapInitThreadTCB, WB, seL4_AllRights), seL4_FailedLookup);
    CHECK_EQ(mr(0), 0);
    CHECK_EQ(mr(1), seL4_GuardMismatch);
    CHECK_EQ(mr(2), 12);                          /* bits left */
    CHECK_EQ(mr(3), 0);                           /* the cap's guard */
    CHECK_EQ(mr(4), 64 - seL4_RootCNodeSizeBits); /* its size */
}

TEST(CNODEOP0006, "mint reduces rights: a read-only endpoint cannot send")
{
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), ro = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, ro, WB, ROOT, ep, WB, seL4_CanRead, 0), 0);
    seL4_MessageInfo_t r = seL4_Call(ro, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EQ(seL4_MessageInfo_get_label(r), seL4_InvalidCapability);
    /* a copy with no rights is still an endpoint cap */
    seL4_CPtr none = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, none, WB, ROOT, ep, WB, seL4_NoRights), 0);
    CHECK_EQ(seL4_DebugCapIdentify(none), seL4_CapTag_Endpoint);
}

TEST(CNODEOP0007, "mint reduces rights: a notification without write cannot signal")
{
    seL4_CPtr n = make_object(env, seL4_NotificationObject, 0), ro = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, ro, WB, ROOT, n, WB, seL4_CanRead, 0), 0);
    seL4_MessageInfo_t r = seL4_Call(ro, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EQ(seL4_MessageInfo_get_label(r), seL4_InvalidCapability);
}

TEST(CNODEOP0008, "mint sets a badge once; badging a badged cap is IllegalOperation")
{
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), b1 = alloc_slot(env), b2 = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, b1, WB, ROOT, ep, WB, seL4_AllRights, 42), 0);
    CHECK_EQ(seL4_CNode_Mint(ROOT, b2, WB, ROOT, b1, WB, seL4_AllRights, 43), seL4_IllegalOperation);
    CHECK_EQ(seL4_CNode_Copy(ROOT, b2, WB, ROOT, b1, WB, seL4_AllRights), 0);
}

TEST(CNODEOP0009, "badged notification signals deliver the badge, OR-ed")
{
    seL4_CPtr n = make_object(env, seL4_NotificationObject, 0), a = alloc_slot(env), b = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, a, WB, ROOT, n, WB, seL4_AllRights, 0x5), 0);
    CHECK_EQ(seL4_CNode_Mint(ROOT, b, WB, ROOT, n, WB, seL4_AllRights, 0x30), 0);
    seL4_Signal(a);
    seL4_Signal(b);
    seL4_Word badge = 0;
    seL4_Poll(n, &badge);
    CHECK_EQ(badge, 0x35);
    seL4_Poll(n, &badge);
    CHECK_EQ(badge, 0);
}

TEST(CNODEOP0010, "mint sets a CNode guard that lookups then require")
{
    seL4_CPtr cn = make_object(env, seL4_CapTableObject, 4), g = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, g, WB, ROOT, cn, WB, seL4_AllRights, seL4_CNode_CapData_new(0x5, 4).words[0]), 0);
    /* through the guarded cap, slot 3 is index (0x5 << 4) | 3 at depth 8 */
    CHECK_EQ(seL4_CNode_Copy(g, (0x5 << 4) | 3, 8, ROOT, seL4_CapDomain, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Copy(g, (0x6 << 4) | 4, 8, ROOT, seL4_CapDomain, WB, seL4_AllRights), seL4_FailedLookup);
    CHECK_EQ(mr(1), seL4_GuardMismatch);
    CHECK_EQ(mr(3), 0x5);
    CHECK_EQ(mr(4), 4);
    /* the unguarded cap reaches the same slot with depth 4 */
    CHECK_EQ(seL4_CNode_Copy(cn, 3, 4, ROOT, seL4_CapDomain, WB, seL4_AllRights), seL4_DeleteFirst);
}

TEST(CNODEOP0011, "a guard that does not fit the word is IllegalOperation")
{
    seL4_CPtr cn = make_object(env, seL4_CapTableObject, 4), g = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, g, WB, ROOT, cn, WB, seL4_AllRights, seL4_CNode_CapData_new(0, 61).words[0]),
             seL4_IllegalOperation);
    CHECK_EQ(seL4_CNode_Mint(ROOT, g, WB, ROOT, cn, WB, seL4_AllRights, seL4_CNode_CapData_new(0, 60).words[0]), 0);
}

TEST(CNODEOP0012, "move empties the source; moving onto a full slot is DeleteFirst")
{
    seL4_CPtr a = alloc_slot(env), b = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, a, WB, ROOT, seL4_CapDomain, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Move(ROOT, b, WB, ROOT, a, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(a), 0);
    CHECK_EQ(seL4_DebugCapIdentify(b), seL4_CapTag_Domain);
    CHECK_EQ(seL4_CNode_Copy(ROOT, a, WB, ROOT, seL4_CapDomain, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Move(ROOT, b, WB, ROOT, a, WB), seL4_DeleteFirst);
    CHECK_EQ(seL4_CNode_Move(ROOT, a, WB, ROOT, a, WB), seL4_DeleteFirst);
}

TEST(CNODEOP0013, "mutate changes a CNode guard; mutating an endpoint is IllegalOperation")
{
    seL4_CPtr cn = make_object(env, seL4_CapTableObject, 4), m = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mutate(ROOT, m, WB, ROOT, cn, WB, seL4_CNode_CapData_new(0x3, 2).words[0]), 0);
    CHECK_EQ(seL4_DebugCapIdentify(cn), 0);
    CHECK_EQ(seL4_CNode_Copy(m, (0x3 << 4) | 1, 6, ROOT, seL4_CapDomain, WB, seL4_AllRights), 0);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), e2 = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mutate(ROOT, e2, WB, ROOT, ep, WB, 7), seL4_IllegalOperation);
    CHECK_EQ(seL4_DebugCapIdentify(ep), seL4_CapTag_Endpoint);
}

TEST(CNODEOP0014, "rotate moves pivot to destination and source to pivot")
{
    seL4_CPtr src = alloc_slot(env), pivot = alloc_slot(env), dest = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, src, WB, ROOT, seL4_CapInitThreadTCB, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Copy(ROOT, pivot, WB, ROOT, seL4_CapDomain, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Rotate(ROOT, dest, WB, 0, ROOT, pivot, WB, 0, ROOT, src, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(dest), seL4_CapTag_Domain);
    CHECK_EQ(seL4_DebugCapIdentify(pivot), seL4_CapTag_Thread);
    CHECK_EQ(seL4_DebugCapIdentify(src), 0);
}

TEST(CNODEOP0015, "rotate with source equal to destination swaps two caps")
{
    seL4_CPtr a = alloc_slot(env), b = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, a, WB, ROOT, seL4_CapInitThreadTCB, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Copy(ROOT, b, WB, ROOT, seL4_CapDomain, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Rotate(ROOT, a, WB, 0, ROOT, b, WB, 0, ROOT, a, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(a), seL4_CapTag_Domain);
    CHECK_EQ(seL4_DebugCapIdentify(b), seL4_CapTag_Thread);
}

TEST(CNODEOP0016, "rotate errors: pivot equal to source, occupied destination, empty pivot")
{
    seL4_CPtr a = alloc_slot(env), b = alloc_slot(env), c = alloc_slot(env), e = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, a, WB, ROOT, seL4_CapDomain, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Copy(ROOT, b, WB, ROOT, seL4_CapDomain, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Copy(ROOT, c, WB, ROOT, seL4_CapDomain, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Rotate(ROOT, c, WB, 0, ROOT, a, WB, 0, ROOT, a, WB), seL4_IllegalOperation);
    CHECK_EQ(seL4_CNode_Rotate(ROOT, c, WB, 0, ROOT, b, WB, 0, ROOT, a, WB), seL4_DeleteFirst);
    CHECK_EQ(seL4_CNode_Rotate(ROOT, a, WB, 0, ROOT, e, WB, 0, ROOT, a, WB), seL4_FailedLookup);
    CHECK_EQ(mr(0), 0);
    /* the destination is checked before the source: occupied wins */
    CHECK_EQ(seL4_CNode_Rotate(ROOT, c, WB, 0, ROOT, b, WB, 0, ROOT, e, WB), seL4_DeleteFirst);
    seL4_CPtr f = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Rotate(ROOT, f, WB, 0, ROOT, b, WB, 0, ROOT, e, WB), seL4_FailedLookup);
    CHECK_EQ(mr(0), 1);
}

TEST(CNODEOP0017, "delete empties a slot; deleting an empty slot succeeds")
{
    seL4_CPtr a = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, a, WB, ROOT, seL4_CapDomain, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, a, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(a), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, a, WB), 0);
}

TEST(CNODEOP0018, "revoke deletes every copy derived from a cap, and only those")
{
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    seL4_CPtr b = alloc_slot(env), c1 = alloc_slot(env), c2 = alloc_slot(env), other = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, b, WB, ROOT, ep, WB, seL4_AllRights, 9), 0);
    CHECK_EQ(seL4_CNode_Copy(ROOT, c1, WB, ROOT, b, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Copy(ROOT, c2, WB, ROOT, c1, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Mint(ROOT, other, WB, ROOT, ep, WB, seL4_AllRights, 10), 0);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, b, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(b), seL4_CapTag_Endpoint);
    CHECK_EQ(seL4_DebugCapIdentify(c1), 0);
    CHECK_EQ(seL4_DebugCapIdentify(c2), 0);
    CHECK_EQ(seL4_DebugCapIdentify(other), seL4_CapTag_Endpoint);
    /* revoking the original removes every badged child */
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ep, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(b), 0);
    CHECK_EQ(seL4_DebugCapIdentify(other), 0);
    CHECK_EQ(seL4_DebugCapIdentify(ep), seL4_CapTag_Endpoint);
}

TEST(CNODEOP0019, "revoking a copy of an unbadged cap leaves the siblings alone")
{
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), c1 = alloc_slot(env), c2 = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, c1, WB, ROOT, ep, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Copy(ROOT, c2, WB, ROOT, ep, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, c1, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(c2), seL4_CapTag_Endpoint);
    CHECK_EQ(seL4_DebugCapIdentify(ep), seL4_CapTag_Endpoint);
}

TEST(CNODEOP0020, "deleting the last cap of a CNode deletes the caps inside it")
{
    seL4_CPtr cn = make_object(env, seL4_CapTableObject, 3), ep = make_object(env, seL4_EndpointObject, 0);
    for (seL4_Word i = 0; i < 8; i++)
        CHECK_EQ(seL4_CNode_Copy(cn, i, 3, ROOT, ep, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, cn, WB), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    /* with the copies gone, revoking the endpoint's original finds nothing */
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ep, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(ep), seL4_CapTag_Endpoint);
}

TEST(CNODEOP0021, "a chain of 300 nested CNodes is deleted without recursion")
{
    seL4_CPtr first = make_object(env, seL4_CapTableObject, 1);
    seL4_CPtr t = alloc_slot(env), w[2] = {alloc_slot(env), alloc_slot(env)};
    CHECK_EQ(seL4_CNode_Copy(ROOT, w[0], WB, ROOT, first, WB, seL4_AllRights), 0);
    /* slot 1 of each CNode holds the only cap of the next one */
    for (int i = 0; i < 300 && env->failures == 0; i++) {
        seL4_CPtr cur = w[i & 1], nxt = w[(i + 1) & 1];
        CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_CapTableObject, 1, ROOT, 0, 0, t, 1), 0);
        CHECK_EQ(seL4_CNode_Move(cur, 1, 1, ROOT, t, WB), 0);
        CHECK_EQ(seL4_CNode_Copy(ROOT, nxt, WB, cur, 1, 1, seL4_AllRights), 0);
        CHECK_EQ(seL4_CNode_Delete(ROOT, cur, WB), 0);
    }
    CHECK_EQ(seL4_CNode_Delete(ROOT, w[0], WB), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, w[1], WB), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, first, WB), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    /* all that memory is free again: the untyped resets once revoked */
    CHECK_EQ(seL4_CNode_Revoke(ROOT, env->ut, WB), 0);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_UntypedObject, env->ut_bits, ROOT, 0, 0, t, 1), 0);
}

TEST(CNODEOP0022, "a CNode that holds its own last cap is cleaned up by revoking its untyped")
{
    seL4_CPtr ut = make_untyped(env, 12), cn = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_CapTableObject, 2, ROOT, 0, 0, cn, 1), 0);
    CHECK_EQ(seL4_CNode_Copy(cn, 2, 2, ROOT, cn, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, cn, WB), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, WB), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_UntypedObject, 12, ROOT, 0, 0, cn, 1), 0);
}

TEST(CNODEOP0023, "two CNodes holding each other's last caps are cleaned up by revoke")
{
    seL4_CPtr ut = make_untyped(env, 12), a = alloc_slot(env), b = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_CapTableObject, 2, ROOT, 0, 0, a, 1), 0);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_CapTableObject, 2, ROOT, 0, 0, b, 1), 0);
    CHECK_EQ(seL4_CNode_Copy(a, 1, 2, ROOT, b, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Copy(b, 1, 2, ROOT, a, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Copy(a, 2, 2, ROOT, seL4_CapDomain, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, a, WB), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, b, WB), 0);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, WB), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

/* SaveCaller exists only without MCS (MCS receivers name a reply object) */
#ifndef CONFIG_KERNEL_MCS
TEST(CNODEOP0024, "SaveCaller with no caller leaves the slot empty; a full slot is DeleteFirst")
{
    seL4_CPtr a = alloc_slot(env);
    CHECK_EQ(seL4_CNode_SaveCaller(ROOT, a, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(a), 0);
    CHECK_EQ(seL4_CNode_Copy(ROOT, a, WB, ROOT, seL4_CapDomain, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_SaveCaller(ROOT, a, WB), seL4_DeleteFirst);
}
#endif

TEST(CNODEOP0025, "CancelBadgedSends needs a full-rights endpoint cap")
{
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), b = alloc_slot(env), ro = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, b, WB, ROOT, ep, WB, seL4_AllRights, 5), 0);
    CHECK_EQ(seL4_CNode_Mint(ROOT, ro, WB, ROOT, b, WB, seL4_CanRead, 0), seL4_IllegalOperation);
    CHECK_EQ(seL4_CNode_Copy(ROOT, ro, WB, ROOT, b, WB, seL4_CanRead), 0);
    CHECK_EQ(seL4_CNode_CancelBadgedSends(ROOT, b, WB), 0);
    CHECK_EQ(seL4_CNode_CancelBadgedSends(ROOT, ro, WB), seL4_IllegalOperation);
    CHECK_EQ(seL4_CNode_CancelBadgedSends(ROOT, seL4_CapDomain, WB), seL4_IllegalOperation);
}

TEST(CNODEOP0026, "unknown label is IllegalOperation, short message is TruncatedMessage")
{
    (void)env;
    seL4_Word a[2] = {seL4_CapDomain, WB};
    CHECK_EQ(seL4_hyp_invoke(ROOT, UntypedRetype, 0, 2, a, NULL), seL4_IllegalOperation);
    CHECK_EQ(seL4_hyp_invoke(ROOT, 999, 0, 2, a, NULL), seL4_IllegalOperation);
    CHECK_EQ(seL4_hyp_invoke(ROOT, CNodeDelete, 0, 1, a, NULL), seL4_TruncatedMessage);
    seL4_Word c[5] = {alloc_slot(env), WB, seL4_CapDomain, WB, 0};
    CHECK_EQ(seL4_hyp_invoke(ROOT, CNodeCopy, 0, 5, c, NULL), seL4_TruncatedMessage);
    seL4_SetCap(0, ROOT);
    CHECK_EQ(seL4_hyp_invoke(ROOT, CNodeCopy, 1, 4, c, NULL), seL4_TruncatedMessage);
    CHECK_EQ(seL4_hyp_invoke(ROOT, CNodeMint, 1, 5, c, NULL), seL4_TruncatedMessage);
}

TEST(CNODEOP0027, "an untyped with children cannot be copied: RevokeFirst")
{
    seL4_CPtr ut = make_untyped(env, 12), c = alloc_slot(env), ep = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, c, WB, ROOT, ut, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, c, WB), 0);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, ep, 1), 0);
    CHECK_EQ(seL4_CNode_Copy(ROOT, c, WB, ROOT, ut, WB, seL4_AllRights), seL4_RevokeFirst);
}

TEST(CNODEOP0028, "IRQControl cannot be copied: IllegalOperation")
{
    seL4_CPtr c = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, c, WB, ROOT, seL4_CapIRQControl, WB, seL4_AllRights), seL4_IllegalOperation);
    CHECK_EQ(seL4_CNode_Move(ROOT, c, WB, ROOT, seL4_CapIRQControl, WB), 0);
    CHECK_EQ(seL4_CNode_Move(ROOT, seL4_CapIRQControl, WB, ROOT, c, WB), 0);
}

TEST(CNODEOP0029, "a source root that is not a CNode is FailedLookup(InvalidRoot)")
{
    seL4_CPtr c = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, c, WB, seL4_CapInitThreadTCB, 1, WB, seL4_AllRights), seL4_FailedLookup);
    CHECK_EQ(mr(0), 1);
    CHECK_EQ(mr(1), seL4_InvalidRoot);
    CHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadTCB, 1, WB), seL4_IllegalOperation);
}

TEST(CNODEOP0030, "a depth that stops at a non-CNode cap is a depth mismatch")
{
    seL4_CPtr cn = make_object(env, seL4_CapTableObject, 4), c = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(cn, 2, 4, ROOT, seL4_CapDomain, WB, seL4_AllRights), 0);
    /* depth 6 resolves 4 bits to slot 2 (not a CNode) and leaves 2 */
    CHECK_EQ(seL4_CNode_Copy(ROOT, c, WB, cn, 2 << 2, 6, seL4_AllRights), seL4_FailedLookup);
    CHECK_EQ(mr(0), 1);
    CHECK_EQ(mr(1), seL4_DepthMismatch);
    CHECK_EQ(mr(2), 2);
    CHECK_EQ(mr(3), 0);
    /* depth 2 is less than the level's 4 bits */
    CHECK_EQ(seL4_CNode_Copy(ROOT, c, WB, cn, 2, 2, seL4_AllRights), seL4_FailedLookup);
    CHECK_EQ(mr(1), seL4_DepthMismatch);
    CHECK_EQ(mr(2), 2);
    CHECK_EQ(mr(3), 4);
}

TEST(CNODEOP0031, "two-level lookup through a CNode stored in a CNode")
{
    seL4_CPtr top = make_object(env, seL4_CapTableObject, 4), sub = make_object(env, seL4_CapTableObject, 4);
    CHECK_EQ(seL4_CNode_Move(top, 7, 4, ROOT, sub, WB), 0);
    /* (7 << 4) | 9 at depth 8 is slot 9 of the CNode in slot 7 */
    CHECK_EQ(seL4_CNode_Copy(top, (7 << 4) | 9, 8, ROOT, seL4_CapDomain, WB, seL4_AllRights), 0);
    seL4_CPtr back = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, back, WB, top, (7 << 4) | 9, 8, seL4_AllRights), 0);
    CHECK_EQ(seL4_DebugCapIdentify(back), seL4_CapTag_Domain);
}

TEST(CNODEOP0032, "deleting a TCB's last cap finalises it and keeps the tree consistent")
{
    seL4_CPtr tcb = make_object(env, seL4_TCBObject, 0), c = alloc_slot(env);
    CHECK_EQ(seL4_DebugCapIdentify(tcb), seL4_CapTag_Thread);
    CHECK_EQ(seL4_CNode_Copy(ROOT, c, WB, ROOT, tcb, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, tcb, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(c), seL4_CapTag_Thread);
    CHECK_EQ(seL4_CNode_Delete(ROOT, c, WB), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

TEST(CNODEOP0090, "random CNode invocations: seL4 errors only, invariants hold, nothing lost")
{
    run_storms(env, 0x9e3779b97f4a7c15ull, cnode_storm);
}
