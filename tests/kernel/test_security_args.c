/* SECURITY: forged-looking arguments. Full-word values where libsel4's
 * stubs would narrow them, sums that wrap around, message-info fields at
 * their limits, CPtrs into garbage. Each gets an seL4 error (or is
 * harmlessly capped) and changes nothing. */
#include "framework.h"

/* An invocation with raw word arguments in MR0..n-1 (no libsel4 narrowing). */
static seL4_MessageInfo_t raw_call(seL4_CPtr service, seL4_Word label, seL4_Word extra, seL4_Word n,
                                   const seL4_Word *args)
{
    for (seL4_Word i = 0; i < n; i++)
        seL4_SetMR(i, args[i]);
    return seL4_Call(service, seL4_MessageInfo_new(label, 0, extra, n));
}

TEST(SECURITY0040, "CNode depths of 2^64-1, 2^63 and 65 in full words are RangeError(1, 64)")
{
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    const seL4_Word depths[] = {~0ul, 1ul << 63, 65, 0x100000040ul};
    for (unsigned i = 0; i < 4; i++) {
        seL4_Word args[2] = {ep, depths[i]};
        seL4_MessageInfo_t r = raw_call(ROOT, CNodeDelete, 0, 2, args);
        CHECK_EQ(seL4_MessageInfo_get_label(r), seL4_RangeError);
        CHECK_EQ(seL4_GetMR(0), 1);
        CHECK_EQ(seL4_GetMR(1), 64);
    }
    CHECK_EQ(seL4_DebugCapIdentify(ep), seL4_CapTag_Endpoint);
}

TEST(SECURITY0041, "Retype: a count or offset that wraps around the word is a RangeError and creates nothing")
{
    seL4_CPtr ut = make_untyped(env, 16), dest = alloc_slot(env);
    seL4_Word big[6] = {seL4_EndpointObject, 0, 0, 0, dest, ~0ul};
    seL4_SetCap(0, ROOT);
    CHECK_EQ(seL4_MessageInfo_get_label(raw_call(ut, UntypedRetype, 1, 6, big)), seL4_RangeError);
    seL4_Word wrap[6] = {seL4_EndpointObject, 0, 0, 0, ~0ul - 1, 4};
    seL4_SetCap(0, ROOT);
    CHECK_EQ(seL4_MessageInfo_get_label(raw_call(ut, UntypedRetype, 1, 6, wrap)), seL4_RangeError);
    seL4_Word huge_size[6] = {seL4_UntypedObject, 1ul << 32, 0, 0, dest, 1};
    seL4_SetCap(0, ROOT);
    CHECK_EQ(seL4_MessageInfo_get_label(raw_call(ut, UntypedRetype, 1, 6, huge_size)), seL4_RangeError);
    seL4_Word huge_type[6] = {1ul << 40, 0, 0, 0, dest, 1};
    seL4_SetCap(0, ROOT);
    CHECK_EQ(seL4_MessageInfo_get_label(raw_call(ut, UntypedRetype, 1, 6, huge_type)), seL4_InvalidArgument);
    CHECK_EQ(seL4_DebugCapIdentify(dest), seL4_CapTag_Null);
    /* the whole untyped is still there */
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_UntypedObject, 16, ROOT, 0, 0, dest, 1), 0);
}

TEST(SECURITY0042, "Page_Map at addresses whose frame end wraps around or crosses the top of user space fails")
{
    seL4_CPtr f = make_object(env, TEST_FRAME_4K, 0), big = make_object(env, TEST_FRAME_LARGE, 0);
    const seL4_Word vas[] = {~0xffful, seL4_UserTop, 1ul << 63};
    for (unsigned i = 0; i < 3; i++)
        CHECK_EQ(test_page_map(f, seL4_CapInitThreadVSpace, vas[i], seL4_ReadWrite), seL4_InvalidArgument);
    /* the last 2 MiB-aligned address below the top: the frame would cross it */
    CHECK_EQ(test_page_map(big, seL4_CapInitThreadVSpace, seL4_UserTop & ~0x1ffffful, seL4_ReadWrite),
             seL4_InvalidArgument);
    CHECK_EQ(test_paging_map(make_object(env, TEST_PAGE_TABLE_OBJECT, 0), TEST_PAGE_TABLE_OBJECT,
                             seL4_CapInitThreadVSpace, ~0ul),
             seL4_InvalidArgument);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

TEST(SECURITY0043, "WriteRegisters claiming 2^63 registers with 2 supplied is TruncatedMessage")
{
    seL4_CPtr t = make_object(env, seL4_TCBObject, 0);
    seL4_Word args[4] = {0, 1ul << 63, 1, 2};
    CHECK_EQ(seL4_MessageInfo_get_label(raw_call(t, TCBWriteRegisters, 0, 4, args)), seL4_TruncatedMessage);
    seL4_Word wrap[4] = {0, ~0ul, 1, 2};
    CHECK_EQ(seL4_MessageInfo_get_label(raw_call(t, TCBWriteRegisters, 0, 4, wrap)), seL4_TruncatedMessage);
    /* 100 registers supplied: the extra ones are ignored, nothing overflows */
    seL4_Word many[102] = {0, 100};
    for (int i = 2; i < 102; i++)
        many[i] = 0x1000 + i;
    CHECK_EQ(seL4_MessageInfo_get_label(raw_call(t, TCBWriteRegisters, 0, 102, many)), 0);
    seL4_UserContext regs;
    CHECK_EQ(seL4_TCB_ReadRegisters(t, 0, 0, UC_WORDS, &regs), 0);
    CHECK_EQ(regs.UC_PC, 0x1002);
    CHECK_EQ(((seL4_Word *)&regs)[UC_WORDS - 1], 0x1002 + UC_WORDS - 1);
}

TEST(SECURITY0044, "ReadRegisters counts of 0, one too many and 2^64-1 are RangeError(1, registers)")
{
    seL4_CPtr t = make_object(env, seL4_TCBObject, 0);
    const seL4_Word counts[] = {0, UC_WORDS + 1, ~0ul};
    for (unsigned i = 0; i < 3; i++) {
        seL4_Word args[2] = {0, counts[i]};
        CHECK_EQ(seL4_MessageInfo_get_label(raw_call(t, TCBReadRegisters, 0, 2, args)), seL4_RangeError);
        CHECK_EQ(seL4_GetMR(0), 1);
        CHECK_EQ(seL4_GetMR(1), UC_WORDS);
    }
}

TEST(SECURITY0045, "a message length field of 127 is capped at 120 and labels use all 52 bits without harm")
{
    seL4_CPtr t = make_object(env, seL4_TCBObject, 0);
    /* 127 MRs claimed: WriteRegisters of 32 sees at most 118 after its 2 */
    seL4_SetMR(0, 0);
    seL4_SetMR(1, 32);
    seL4_MessageInfo_t r = seL4_Call(t, seL4_MessageInfo_new(TCBWriteRegisters, 0, 0, 127));
    CHECK_EQ(seL4_MessageInfo_get_label(r), 0);
    /* an unknown label with every bit set is IllegalOperation */
    r = seL4_Call(t, seL4_MessageInfo_new((1ul << 52) - 1, 0, 0, 0));
    CHECK_EQ(seL4_MessageInfo_get_label(r), seL4_IllegalOperation);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

static volatile seL4_Word seen;

static seL4_Word invoke_with_forged_extra_caps(seL4_Word service, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    seL4_SetCap(0, ROOT);
    seL4_SetCap(1, 0x7fffffffffffful); /* nothing there */
    seL4_SetCap(2, ROOT);
    seL4_SetMR(0, 0);
    seL4_SetMR(1, 0);
    seL4_MessageInfo_t r = seL4_Call(service, seL4_MessageInfo_new(CNodeCopy, 0, 3, 2));
    seen = seL4_MessageInfo_get_label(r);
    return 1;
}

TEST(SECURITY0046, "an invocation naming an empty slot as an extra cap is a cap fault for that CPtr; nothing runs")
{
    helper_t h;
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    create_helper_with_fault_ep(env, &h, 100, fep);
    seen = 0xdead;
    start_helper(env, &h, invoke_with_forged_extra_caps, ROOT, 0, 0, 0);
    seL4_MessageInfo_t f = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(f), seL4_Fault_CapFault);
    CHECK_EQ(seL4_GetMR(1), 0x7fffffffffffful);
    CHECK_EQ(seen, 0xdead);
    CHECK_EQ(seL4_TCB_Suspend(h.tcb), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

static seL4_Word copy_without_buffer(seL4_Word dest, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    return seL4_CNode_Copy(ROOT, dest, WB, ROOT, ROOT, WB, seL4_AllRights);
}

TEST(SECURITY0047, "a thread without an IPC buffer that names extra caps and 5 MRs gets TruncatedMessage")
{
    helper_t h;
    seL4_CPtr dest = alloc_slot(env);
    create_helper(env, &h, 100);
    CHECK_EQ(seL4_TCB_SetIPCBuffer(h.tcb, 0, 0), 0);
    start_helper(env, &h, copy_without_buffer, dest, 0, 0, 0);
    CHECK_EQ(wait_for_helper(env, &h), seL4_TruncatedMessage);
    CHECK_EQ(seL4_DebugCapIdentify(dest), seL4_CapTag_Null);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

TEST(SECURITY0048, "CPtrs that walk through guards, levels and non-CNode caps never reach a slot they should not")
{
    /* a two-level CSpace: root slot -> CNode A (guard 0 of 4 bits, radix 4)
     * -> CNode B (radix 4) holding an endpoint */
    seL4_CPtr a = make_object(env, seL4_CapTableObject, 4), b = make_object(env, seL4_CapTableObject, 4);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    CHECK_EQ(seL4_CNode_Copy(a, 3, 4, ROOT, b, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Copy(b, 5, 4, ROOT, ep, WB, seL4_AllRights), 0);
    seL4_CPtr dest = alloc_slot(env);
    /* through A: index 3 (B), then 5 within B, depth 8 */
    CHECK_EQ(seL4_CNode_Copy(ROOT, dest, WB, a, (3 << 4) | 5, 8, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, dest, WB), 0);
    /* depth 12 goes past the endpoint: it is not a CNode */
    CHECK_EQ(seL4_CNode_Copy(ROOT, dest, WB, a, ((3 << 4) | 5) << 4, 12, seL4_AllRights), seL4_FailedLookup);
    /* depth 6 ends in the middle of B's radix */
    CHECK_EQ(seL4_CNode_Copy(ROOT, dest, WB, a, (3 << 2) | 1, 6, seL4_AllRights), seL4_FailedLookup);
    /* an index with bits above the depth: only the low depth bits count */
    CHECK_EQ(seL4_CNode_Copy(ROOT, dest, WB, a, (0xffful << 8) | (3 << 4) | 5, 8, seL4_AllRights), 0);
    CHECK_EQ(seL4_DebugCapIdentify(dest), seL4_CapTag_Endpoint);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

TEST(SECURITY0049, "a CNode cap whose guard plus radix exceeds the word cannot be minted")
{
    seL4_CPtr a = make_object(env, seL4_CapTableObject, 4), dest = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, dest, WB, ROOT, a, WB, seL4_AllRights, seL4_CNode_CapData_new(0, 61).words[0]),
             seL4_IllegalOperation);
    CHECK_EQ(seL4_CNode_Mint(ROOT, dest, WB, ROOT, a, WB, seL4_AllRights, seL4_CNode_CapData_new(0, 63).words[0]),
             seL4_IllegalOperation);
    CHECK_EQ(seL4_CNode_Mint(ROOT, dest, WB, ROOT, a, WB, seL4_AllRights, seL4_CNode_CapData_new(0, 60).words[0]), 0);
}

TEST(SECURITY0050, "IRQ numbers 0 and 2^64-1 and ASID pools from wrong untypeds are refused")
{
    seL4_CPtr dest = alloc_slot(env);
    seL4_Word args[3] = {~0ul, dest, WB};
    seL4_SetCap(0, ROOT);
    CHECK_EQ(seL4_MessageInfo_get_label(raw_call(seL4_CapIRQControl, IRQIssueIRQHandler, 1, 3, args)), seL4_RangeError);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, 0, ROOT, dest, WB), seL4_RangeError);
    seL4_CPtr big = make_untyped(env, 13);
    CHECK_EQ(test_asid_make_pool(big, ROOT, dest, WB), seL4_InvalidCapability);
    CHECK_EQ(seL4_DebugCapIdentify(dest), seL4_CapTag_Null);
}
