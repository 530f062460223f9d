/* SECURITY: invocations that destroy their own target, their caller, or the
 * caller's CSpace or VSpace while they run. Each test is an attack by a
 * thread holding ordinary caps; the kernel must refuse it with an seL4 error
 * or complete it without writing to anything it destroyed, and the
 * invariant checker must find nothing wrong afterwards. */
#include "framework.h"

static volatile seL4_Word attack_result;
static volatile int attack_stage;

/* Let every helper of priority above 50 run until it blocks. */
static void let_helpers_run(void)
{
    set_own_priority(50);
    set_own_priority(seL4_MaxPrio);
}

static void attack_reset(void)
{
    attack_result = 0xdead;
    attack_stage = 0;
}

/* A thread whose CSpace is a 16-slot CNode C (guard 60 bits of zero, so
 * CPtr n names slot n) holding the caps it attacks with. */
enum { C_TCB = 1, C_NEWROOT, C_VSPACE, C_FRAME, C_NTFN, C_SELF };
#define C_RADIX 4
static seL4_Word c_guard(void) { return seL4_CNode_CapData_new(0, WB - C_RADIX).words[0]; }

static seL4_Word replace_own_cspace(seL4_Word use_set_space, seL4_Word buf, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    seL4_Wait(C_NTFN, NULL);
    attack_stage = 1;
    if (use_set_space)
        attack_result = api_tcb_set_space(C_TCB, 0, C_NEWROOT, c_guard(), C_VSPACE, 0);
    else
        attack_result = api_tcb_configure(C_TCB, 0, C_NEWROOT, c_guard(), C_VSPACE, 0, buf, C_FRAME);
    attack_stage = 2;
    for (;;)
        seL4_Wait(C_NTFN, NULL);
    return 0;
}

/* Give h the CSpace C described above; returns the root's cap to C. */
static seL4_CPtr give_cspace(env_t *env, helper_t *h, seL4_CPtr ntfn)
{
    seL4_CPtr c = make_object(env, seL4_CapTableObject, C_RADIX);
    seL4_CPtr c2 = make_object(env, seL4_CapTableObject, C_RADIX);
    CHECK_EQ(seL4_CNode_Copy(c, C_NEWROOT, C_RADIX, ROOT, c2, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Copy(c, C_VSPACE, C_RADIX, ROOT, seL4_CapInitThreadVSpace, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Copy(c, C_FRAME, C_RADIX, ROOT, image_frame_cap(env, h->ipc), WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Copy(c, C_NTFN, C_RADIX, ROOT, ntfn, WB, seL4_AllRights), 0);
    CHECK_EQ(api_tcb_set_space(h->tcb, 0, c, c_guard(), seL4_CapInitThreadVSpace, 0), 0);
    return c;
}

/* The thread's CSpace root holds the last cap to its CNode, and that CNode
 * the only cap to the thread: replacing the root would destroy the thread
 * (and the source of its new root) in the middle of the invocation. */
static void attack_replace_own_cspace(env_t *env, seL4_Word use_set_space)
{
    helper_t h;
    attack_reset();
    create_helper(env, &h, 100);
    seL4_CPtr n = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr c = give_cspace(env, &h, n);
    start_helper(env, &h, replace_own_cspace, use_set_space, (seL4_Word)h.ipc, 0, 0);
    let_helpers_run();
    CHECK_EQ(seL4_CNode_Move(c, C_TCB, C_RADIX, ROOT, h.tcb, WB), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, c, WB), 0);
    seL4_Signal(n);
    let_helpers_run();
    CHECK_EQ(attack_stage, 2);
    CHECK_EQ(attack_result, seL4_IllegalOperation);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    check_untyped_recovers(env);
}

TEST(SECURITY0001,
     "Configure of its own TCB whose CSpace root is the last cap to the CNode holding that TCB is refused")
{
    attack_replace_own_cspace(env, 0);
}

TEST(SECURITY0002, "SetSpace of its own TCB whose CSpace root is the last cap to the CNode holding that TCB is refused")
{
    attack_replace_own_cspace(env, 1);
}

TEST(SECURITY0003, "replacing another thread's CSpace root that is the last cap to its CNode is refused")
{
    helper_t h;
    attack_reset();
    create_helper(env, &h, 100);
    seL4_CPtr n = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr c = give_cspace(env, &h, n), c2 = make_object(env, seL4_CapTableObject, 2);
    CHECK_EQ(seL4_CNode_Delete(ROOT, c, WB), 0);
    CHECK_EQ(api_tcb_set_space(h.tcb, 0, c2, 0, seL4_CapInitThreadVSpace, 0), seL4_IllegalOperation);
    CHECK_EQ(api_tcb_configure(h.tcb, 0, c2, 0, seL4_CapInitThreadVSpace, 0, 0, 0), seL4_IllegalOperation);
    /* the IPC buffer alone may still be changed */
    CHECK_EQ(seL4_TCB_SetIPCBuffer(h.tcb, 0, 0), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    check_untyped_recovers(env);
}

static seL4_Word add(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d) { return a + b + c + d; }

TEST(SECURITY0004, "replacing a VSpace root that is the last cap to its page table finalises it cleanly")
{
    helper_t h;
    create_helper(env, &h, 100);
    seL4_CPtr vs = make_image_vspace(env, seL4_CapInitThreadASIDPool);
    CHECK_EQ(api_tcb_set_space(h.tcb, 0, ROOT, 0, vs, 0), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, vs, WB), 0);
    CHECK_EQ(api_tcb_set_space(h.tcb, 0, ROOT, 0, seL4_CapInitThreadVSpace, 0), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    start_helper(env, &h, add, 1, 2, 3, 4);
    CHECK_EQ(wait_for_helper(env, &h), 10);
    check_untyped_recovers(env);
}

TEST(SECURITY0005, "replacing an IPC buffer whose frame cap is the last one finalises the frame cleanly")
{
    helper_t h;
    create_helper(env, &h, 100);
    seL4_CPtr f = make_object(env, TEST_FRAME_4K, 0);
    CHECK_EQ(seL4_TCB_SetIPCBuffer(h.tcb, 0x30000000, f), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, f, WB), 0);
    CHECK_EQ(seL4_TCB_SetIPCBuffer(h.tcb, (seL4_Word)h.ipc, image_frame_cap(env, h.ipc)), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    start_helper(env, &h, add, 5, 6, 7, 8);
    CHECK_EQ(wait_for_helper(env, &h), 26);
    check_untyped_recovers(env);
}

static seL4_Word delete_cap(seL4_Word cptr, seL4_Word revoke, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    attack_stage = 1;
    attack_result = revoke ? seL4_CNode_Revoke(ROOT, cptr, WB) : seL4_CNode_Delete(ROOT, cptr, WB);
    attack_stage = 2;
    return attack_result;
}

TEST(SECURITY0006,
     "a thread deleting the last cap to its own TCB is destroyed mid-invocation; nothing is written to it")
{
    helper_t h;
    attack_reset();
    create_helper(env, &h, 100);
    start_helper(env, &h, delete_cap, h.tcb, 0, 0, 0);
    let_helpers_run();
    CHECK_EQ(attack_stage, 1);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    check_untyped_recovers(env);
}

TEST(SECURITY0007,
     "a thread revoking the untyped its own TCB, CSpace objects and IPC objects came from is destroyed cleanly")
{
    helper_t h;
    attack_reset();
    create_helper(env, &h, 100);
    start_helper(env, &h, delete_cap, env->ut, 1, 0, 0);
    let_helpers_run();
    CHECK_EQ(attack_stage, 1);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    check_untyped_recovers(env);
}

static seL4_Word revoke_own_cspace(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)a, (void)b, (void)c, (void)d;
    attack_stage = 1;
    attack_result = seL4_CNode_Revoke(C_SELF, C_SELF, C_RADIX); /* that cap has no guard */
    attack_stage = 2;
    /* no CSpace any more: this faults, and without a handler the thread stops */
    seL4_Wait(C_NTFN, NULL);
    attack_stage = 3;
    return 0;
}

TEST(SECURITY0008, "a thread revoking its own CSpace root completes the call, then faults and stops")
{
    helper_t h;
    attack_reset();
    create_helper(env, &h, 100);
    seL4_CPtr n = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr c = give_cspace(env, &h, n);
    /* the thread's root is a copy of the cap that now sits in its own CSpace */
    CHECK_EQ(seL4_CNode_Move(c, C_SELF, C_RADIX, ROOT, c, WB), 0);
    start_helper(env, &h, revoke_own_cspace, 0, 0, 0, 0);
    let_helpers_run();
    CHECK_EQ(attack_result, 0);
    CHECK_EQ(attack_stage, 2);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    check_untyped_recovers(env);
}

TEST(SECURITY0009, "a thread revoking its own VSpace root completes the call, then faults on its next instruction")
{
    helper_t h;
    attack_reset();
    create_helper(env, &h, 100);
    seL4_CPtr vs = make_image_vspace(env, seL4_CapInitThreadASIDPool);
    CHECK_EQ(api_tcb_set_space(h.tcb, 0, ROOT, 0, vs, 0), 0);
    start_helper(env, &h, delete_cap, vs, 1, 0, 0);
    let_helpers_run();
    CHECK_EQ(attack_stage, 1);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    check_untyped_recovers(env);
}

TEST(SECURITY0010, "a thread deleting another cap to its own VSpace root keeps running in it")
{
    helper_t h;
    attack_reset();
    create_helper(env, &h, 100);
    seL4_CPtr vs = make_image_vspace(env, seL4_CapInitThreadASIDPool), moved = alloc_slot(env);
    /* the thread deletes the original; its own copy keeps the root alive */
    CHECK_EQ(api_tcb_set_space(h.tcb, 0, ROOT, 0, vs, 0), 0);
    CHECK_EQ(seL4_CNode_Move(ROOT, moved, WB, ROOT, vs, WB), 0);
    start_helper(env, &h, delete_cap, moved, 0, 0, 0);
    let_helpers_run();
    CHECK_EQ(attack_stage, 2);
    CHECK_EQ(attack_result, 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    check_untyped_recovers(env);
}

TEST(SECURITY0011, "revoking an untyped whose own cap sits in a CNode made from it deletes both cleanly")
{
    seL4_CPtr u = make_untyped(env, 16), c = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(u, seL4_CapTableObject, 4, ROOT, 0, 0, c, 1), 0);
    CHECK_EQ(seL4_CNode_Move(c, 0, 4, ROOT, u, WB), 0);
    /* the revoke deletes the CNode, and with it the slot being revoked */
    CHECK_EQ(seL4_CNode_Revoke(c, 0, 4), 0);
    CHECK_EQ(seL4_DebugCapIdentify(c), seL4_CapTag_Null);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    check_untyped_recovers(env);
}

static seL4_Word revoke_through(seL4_Word cnode, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    attack_stage = 1;
    attack_result = seL4_CNode_Revoke(cnode, 0, 4);
    attack_stage = 2;
    return 0;
}

TEST(SECURITY0012,
     "a thread revoking the untyped that holds its own TCB, through a CNode made from it, is destroyed cleanly")
{
    helper_t h;
    attack_reset();
    seL4_CPtr u = make_untyped(env, 16), c = alloc_slot(env), t = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(u, seL4_CapTableObject, 4, ROOT, 0, 0, c, 1), 0);
    create_helper(env, &h, 100);
    /* the helper's TCB is replaced by one from u */
    CHECK_EQ(seL4_Untyped_Retype(u, seL4_TCBObject, 0, ROOT, 0, 0, t, 1), 0);
    CHECK_EQ(
        api_tcb_configure(t, 0, ROOT, 0, seL4_CapInitThreadVSpace, 0, (seL4_Word)h.ipc, image_frame_cap(env, h.ipc)),
        0);
    CHECK_EQ(seL4_TCB_SetPriority(t, seL4_CapInitThreadTCB, 100), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, h.tcb, WB), 0);
    h.tcb = t;
    give_sc(env, t);
    CHECK_EQ(seL4_CNode_Move(c, 0, 4, ROOT, u, WB), 0);
    start_helper(env, &h, revoke_through, c, 0, 0, 0);
    let_helpers_run();
    CHECK_EQ(attack_stage, 1);
    CHECK_EQ(seL4_DebugCapIdentify(t), seL4_CapTag_Null);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    check_untyped_recovers(env);
}

/* Preempted, the revoke restarts at its ecall and looks its CNode up again:
 * by then the CNode's own cap is a zombie (it is being destroyed), so the
 * restarted call fails with InvalidCapability, as on seL4, and deleting the
 * zombie finishes the job. Nothing is lost on the way. */
TEST(SECURITY0013, "the same revoke preempted at every point leaves a zombie whose deletion finishes it")
{
    seL4_CPtr u = make_untyped(env, 18), c = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(u, seL4_CapTableObject, 8, ROOT, 0, 0, c, 1), 0);
    CHECK_EQ(seL4_Untyped_Retype(u, seL4_EndpointObject, 0, c, 0, 0, 1, 200), 0);
    CHECK_EQ(seL4_Untyped_Retype(u, seL4_CapTableObject, 4, c, 0, 0, 201, 1), 0);
    CHECK_EQ(seL4_CNode_Move(c, 0, 8, ROOT, u, WB), 0);
    seL4_Word before = seL4_HypDebugPreempt(1 | seL4_HypPreemptCheck);
    CHECK_EQ(seL4_CNode_Revoke(c, 0, 8), seL4_InvalidCapability);
    CHECK_EQ(seL4_DebugCapIdentify(c), seL4_CapTag_Zombie);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, c, WB), 0);
    CHECK(seL4_HypDebugPreempt(0) - before > 1);
    CHECK_EQ(seL4_DebugCapIdentify(c), seL4_CapTag_Null);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    check_untyped_recovers(env);
}
