/* TCB: configuring, starting, stopping and inspecting threads through
 * their TCB invocations. */
#include "storm_helpers.h"

static seL4_Word mr(int i) { return seL4_GetMR(i); }

static volatile seL4_Word counter;
static seL4_Word spin_yield(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)a, (void)b, (void)c, (void)d;
    for (;;) {
        counter++;
        seL4_Yield();
    }
    return 0;
}

TEST(TCB0001, "SetPriority above the authority's MCP is RangeError(0, mcp)")
{
    seL4_CPtr a = make_object(env, seL4_TCBObject, 0), b = make_object(env, seL4_TCBObject, 0);
    CHECK_EQ(seL4_TCB_SetPriority(b, a, 1), seL4_RangeError);
    CHECK_EQ(mr(0), 0);
    CHECK_EQ(mr(1), 0);
    CHECK_EQ(seL4_TCB_SetPriority(b, a, 0), 0);
    CHECK_EQ(seL4_TCB_SetPriority(b, seL4_CapInitThreadTCB, 255), 0);
}

TEST(TCB0002, "SetMCPriority grants authority up to the new MCP")
{
    seL4_CPtr a = make_object(env, seL4_TCBObject, 0), b = make_object(env, seL4_TCBObject, 0);
    CHECK_EQ(seL4_TCB_SetMCPriority(a, seL4_CapInitThreadTCB, 50), 0);
    CHECK_EQ(seL4_TCB_SetPriority(b, a, 51), seL4_RangeError);
    CHECK_EQ(mr(1), 50);
    CHECK_EQ(seL4_TCB_SetPriority(b, a, 50), 0);
    CHECK_EQ(seL4_TCB_SetMCPriority(b, a, 51), seL4_RangeError);
    CHECK_EQ(seL4_TCB_SetMCPriority(b, a, 50), 0);
}

TEST(TCB0003, "SetSchedParams checks both MCP and priority")
{
    seL4_CPtr a = make_object(env, seL4_TCBObject, 0), b = make_object(env, seL4_TCBObject, 0);
    CHECK_EQ(seL4_TCB_SetMCPriority(a, seL4_CapInitThreadTCB, 20), 0);
    CHECK_EQ(api_sched_params(b, a, 21, 10, seL4_CapNull, seL4_CapNull), seL4_RangeError);
    CHECK_EQ(api_sched_params(b, a, 10, 21, seL4_CapNull, seL4_CapNull), seL4_RangeError);
    CHECK_EQ(api_sched_params(b, a, 20, 20, seL4_CapNull, seL4_CapNull), 0);
}

TEST(TCB0004, "an authority that is not a TCB is InvalidCapability(1)")
{
    seL4_CPtr b = make_object(env, seL4_TCBObject, 0);
    CHECK_EQ(seL4_TCB_SetPriority(b, seL4_CapDomain, 1), seL4_InvalidCapability);
    CHECK_EQ(mr(0), 1);
    CHECK_EQ(api_sched_params(b, ROOT, 1, 1, seL4_CapNull, seL4_CapNull), seL4_InvalidCapability);
}

TEST(TCB0005, "ReadRegisters: own thread is IllegalOperation, count must be 1..UC_WORDS")
{
    seL4_UserContext r;
    seL4_CPtr b = make_object(env, seL4_TCBObject, 0);
    CHECK_EQ(seL4_TCB_ReadRegisters(seL4_CapInitThreadTCB, 0, 0, 4, &r), seL4_IllegalOperation);
    CHECK_EQ(seL4_TCB_ReadRegisters(b, 0, 0, 0, &r), seL4_RangeError);
    CHECK_EQ(mr(0), 1);
    CHECK_EQ(mr(1), UC_WORDS);
    CHECK_EQ(seL4_TCB_ReadRegisters(b, 0, 0, UC_WORDS + 1, &r), seL4_RangeError);
}

TEST(TCB0006, "WriteRegisters then ReadRegisters returns every register")
{
    seL4_CPtr b = make_object(env, seL4_TCBObject, 0);
    seL4_UserContext w, r;
    seL4_Word *pw = (seL4_Word *)&w, *pr = (seL4_Word *)&r;
    for (int i = 0; i < UC_WORDS; i++)
        pw[i] = 0x1000 + i * 0x111;
    CHECK_EQ(seL4_TCB_WriteRegisters(b, 0, 0, UC_WORDS, &w), 0);
    CHECK_EQ(seL4_TCB_ReadRegisters(b, 0, 0, UC_WORDS, &r), 0);
    for (int i = 0; i < UC_WORDS; i++)
        CHECK_EQ(pr[i], test_uc_as_written(i, pw[i]));
}

TEST(TCB0007, "WriteRegisters with fewer values than its count is TruncatedMessage")
{
    seL4_CPtr b = make_object(env, seL4_TCBObject, 0);
    seL4_Word a[4] = {0, 5, 1, 2};
    CHECK_EQ(seL4_hyp_invoke(b, TCBWriteRegisters, 0, 4, a, NULL), seL4_TruncatedMessage);
    CHECK_EQ(seL4_hyp_invoke(b, TCBWriteRegisters, 0, 1, a, NULL), seL4_TruncatedMessage);
    seL4_UserContext w = {0};
    CHECK_EQ(seL4_TCB_WriteRegisters(seL4_CapInitThreadTCB, 0, 0, 1, &w), seL4_IllegalOperation);
}

TEST(TCB0008, "CopyRegisters copies the frame and integer groups separately")
{
    seL4_CPtr a = make_object(env, seL4_TCBObject, 0), b = make_object(env, seL4_TCBObject, 0);
    seL4_UserContext w, r;
    for (int i = 0; i < UC_WORDS; i++)
        ((seL4_Word *)&w)[i] = 7 + i;
    CHECK_EQ(seL4_TCB_WriteRegisters(a, 0, 0, UC_WORDS, &w), 0);
    CHECK_EQ(seL4_TCB_CopyRegisters(b, a, 0, 0, 1, 0, 0), 0);
    CHECK_EQ(seL4_TCB_ReadRegisters(b, 0, 0, UC_WORDS, &r), 0);
    CHECK_EQ(r.UC_PC, w.UC_PC);
    CHECK_EQ(r.UC_FRAME_REG, w.UC_FRAME_REG);
    CHECK_EQ(r.UC_INT_REG, 0);
    CHECK_EQ(seL4_TCB_CopyRegisters(b, a, 0, 0, 0, 1, 0), 0);
    CHECK_EQ(seL4_TCB_ReadRegisters(b, 0, 0, UC_WORDS, &r), 0);
    CHECK_EQ(r.UC_INT_REG, w.UC_INT_REG);
    CHECK_EQ(r.UC_TLS, w.UC_TLS);
    CHECK_EQ(seL4_TCB_CopyRegisters(b, seL4_CapDomain, 0, 0, 1, 1, 0), seL4_InvalidCapability);
}

TEST(TCB0009, "Suspend stops a thread and Resume continues it")
{
    helper_t h;
    counter = 0;
    set_own_priority(100);
    create_helper(env, &h, 100);
    start_helper(env, &h, spin_yield, 0, 0, 0, 0);
    for (int i = 0; i < 10; i++)
        seL4_Yield();
    CHECK(counter >= 9);
    CHECK_EQ(seL4_TCB_Suspend(h.tcb), 0);
    seL4_Word frozen = counter;
    for (int i = 0; i < 10; i++)
        seL4_Yield();
    CHECK_EQ(counter, frozen);
    CHECK_EQ(seL4_TCB_Resume(h.tcb), 0);
    for (int i = 0; i < 10; i++)
        seL4_Yield();
    CHECK(counter > frozen);
    /* resuming a running thread and suspending twice are harmless */
    CHECK_EQ(seL4_TCB_Resume(h.tcb), 0);
    CHECK_EQ(seL4_TCB_Suspend(h.tcb), 0);
    CHECK_EQ(seL4_TCB_Suspend(h.tcb), 0);
}

TEST(TCB0010, "SetTLSBase sets the thread pointer register")
{
    seL4_CPtr b = make_object(env, seL4_TCBObject, 0);
    seL4_UserContext r;
    CHECK_EQ(seL4_TCB_SetTLSBase(b, 0xabc000), 0);
    CHECK_EQ(seL4_TCB_ReadRegisters(b, 0, 0, UC_WORDS, &r), 0);
    CHECK_EQ(r.UC_TLS, 0xabc000);
}

TEST(TCB0011, "an IPC buffer must be an aligned RAM frame")
{
    seL4_CPtr b = make_object(env, seL4_TCBObject, 0), f = make_object(env, TEST_FRAME_4K, 0);
    CHECK_EQ(seL4_TCB_SetIPCBuffer(b, 0x10000100, f), seL4_AlignmentError);
    CHECK_EQ(seL4_TCB_SetIPCBuffer(b, 0x10000000, seL4_CapDomain), seL4_IllegalOperation);
    CHECK_EQ(seL4_TCB_SetIPCBuffer(b, 0x10000400, f), 0);
    CHECK_EQ(seL4_TCB_SetIPCBuffer(b, 0, seL4_CapNull), 0);
    seL4_CPtr d = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(env->device_ut, TEST_FRAME_4K, 0, ROOT, 0, 0, d, 1), 0);
    CHECK_EQ(seL4_TCB_SetIPCBuffer(b, 0x10000000, d), seL4_IllegalOperation);
    seL4_CNode_Revoke(ROOT, env->device_ut, WB);
}

TEST(TCB0012, "BindNotification and UnbindNotification argument checks")
{
    seL4_CPtr b = make_object(env, seL4_TCBObject, 0), n = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr n2 = make_object(env, seL4_NotificationObject, 0), ro = alloc_slot(env);
    CHECK_EQ(seL4_TCB_UnbindNotification(b), seL4_IllegalOperation);
    CHECK_EQ(seL4_TCB_BindNotification(b, seL4_CapDomain), seL4_InvalidCapability);
    CHECK_EQ(seL4_CNode_Mint(ROOT, ro, WB, ROOT, n2, WB, seL4_CanWrite, 0), 0);
    CHECK_EQ(seL4_TCB_BindNotification(b, ro), seL4_IllegalOperation);
    CHECK_EQ(seL4_TCB_BindNotification(b, n), 0);
    CHECK_EQ(seL4_TCB_BindNotification(b, n2), seL4_IllegalOperation);
    seL4_CPtr c = make_object(env, seL4_TCBObject, 0);
    CHECK_EQ(seL4_TCB_BindNotification(c, n), seL4_IllegalOperation);
    CHECK_EQ(seL4_TCB_UnbindNotification(b), 0);
    CHECK_EQ(seL4_TCB_BindNotification(c, n), 0);
}

TEST(TCB0013, "SetFlags reports the flags in effect: fpuDisabled is the one flag (FPU group)")
{
    seL4_CPtr b = make_object(env, seL4_TCBObject, 0);
    seL4_TCB_SetFlags_t r = seL4_TCB_SetFlags(b, 0, 1);
    CHECK_EQ(r.error, 0);
    CHECK_EQ(r.flags, seL4_TCBFlag_fpuDisabled);
    r = seL4_TCB_SetFlags(b, 0, 2);
    CHECK_EQ(r.error, 0);
    CHECK_EQ(r.flags, seL4_TCBFlag_fpuDisabled);
}

TEST(TCB0014, "deleting the TCB of a ready thread stops it")
{
    helper_t h;
    counter = 0;
    set_own_priority(100);
    create_helper(env, &h, 100);
    start_helper(env, &h, spin_yield, 0, 0, 0, 0);
    seL4_Yield();
    CHECK(counter > 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, h.tcb, WB), 0);
    seL4_Word frozen = counter;
    for (int i = 0; i < 5; i++)
        seL4_Yield();
    CHECK_EQ(counter, frozen);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

TEST(TCB0015, "resuming an unconfigured TCB faults it without harming the kernel")
{
    seL4_CPtr b = make_object(env, seL4_TCBObject, 0);
    CHECK_EQ(seL4_TCB_SetPriority(b, seL4_CapInitThreadTCB, 200), 0);
    CHECK_EQ(seL4_TCB_Resume(b), 0);
    seL4_Yield();
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

TEST(TCB0016, "DomainSet_Set accepts the domains below seL4_NumDomains only")
{
    seL4_CPtr b = make_object(env, seL4_TCBObject, 0);
    CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, 0, b), 0);
    CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, seL4_NumDomains, b), seL4_InvalidArgument);
    CHECK_EQ(mr(0), 0);
    CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, 0, seL4_CapDomain), seL4_InvalidArgument);
    CHECK_EQ(mr(0), 1);
}

TEST(TCB0090, "random invocations of TCBs, VSpace objects, ASIDs and IRQs: seL4 errors only, invariants hold")
{
    run_storms(env, 0x13198a2e03707344ull, object_storm);
}
