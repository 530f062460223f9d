/* BIND and notifications: binding a notification to a TCB, signals and
 * waiters. */
#include "framework.h"

static seL4_Word recv_badge(seL4_Word ep, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = api_recv(ep, &badge, test_reply);
    (void)info;
    return badge;
}

static seL4_Word wait_badge(seL4_Word n, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    seL4_Word badge = 0;
    seL4_Wait(n, &badge);
    return badge;
}

static void let_helpers_block(void)
{
    set_own_priority(1);
    set_own_priority(seL4_MaxPrio);
}

TEST(BIND0001, "a signal to the bound notification ends a Recv on an endpoint with its badge")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), n = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr nb = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, nb, WB, ROOT, n, WB, seL4_AllRights, 0x40), 0);
    create_helper(env, &h, 100);
    CHECK_EQ(seL4_TCB_BindNotification(h.tcb, n), 0);
    start_helper(env, &h, recv_badge, ep, 0, 0, 0);
    let_helpers_block();
    CHECK(!h.done);
    seL4_Signal(nb);
    CHECK_EQ(wait_for_helper(env, &h), 0x40);
}

TEST(BIND0002, "a signal pending before the Recv completes it at once")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), n = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr nb = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, nb, WB, ROOT, n, WB, seL4_AllRights, 0x3), 0);
    create_helper(env, &h, 100);
    CHECK_EQ(seL4_TCB_BindNotification(h.tcb, n), 0);
    seL4_Signal(nb);
    start_helper(env, &h, recv_badge, ep, 0, 0, 0);
    CHECK_EQ(wait_for_helper(env, &h), 0x3);
}

TEST(BIND0003, "an endpoint message still arrives normally to a bound thread")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), n = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr eb = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, eb, WB, ROOT, ep, WB, seL4_AllRights, 0x9), 0);
    create_helper(env, &h, 100);
    CHECK_EQ(seL4_TCB_BindNotification(h.tcb, n), 0);
    start_helper(env, &h, recv_badge, ep, 0, 0, 0);
    let_helpers_block();
    seL4_Send(eb, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EQ(wait_for_helper(env, &h), 0x9);
}

TEST(BIND0004, "the bound thread can also Wait on its notification")
{
    helper_t h;
    seL4_CPtr n = make_object(env, seL4_NotificationObject, 0), nb = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, nb, WB, ROOT, n, WB, seL4_AllRights, 0x100), 0);
    create_helper(env, &h, 100);
    CHECK_EQ(seL4_TCB_BindNotification(h.tcb, n), 0);
    start_helper(env, &h, wait_badge, n, 0, 0, 0);
    let_helpers_block();
    seL4_Signal(nb);
    CHECK_EQ(wait_for_helper(env, &h), 0x100);
}

TEST(BIND0005, "after unbinding, a signal no longer interrupts the endpoint Recv")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), n = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr nb = alloc_slot(env), eb = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, nb, WB, ROOT, n, WB, seL4_AllRights, 0x1), 0);
    CHECK_EQ(seL4_CNode_Mint(ROOT, eb, WB, ROOT, ep, WB, seL4_AllRights, 0x2), 0);
    create_helper(env, &h, 100);
    CHECK_EQ(seL4_TCB_BindNotification(h.tcb, n), 0);
    CHECK_EQ(seL4_TCB_UnbindNotification(h.tcb), 0);
    start_helper(env, &h, recv_badge, ep, 0, 0, 0);
    let_helpers_block();
    seL4_Signal(nb);
    let_helpers_block();
    CHECK(!h.done);
    seL4_Send(eb, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EQ(wait_for_helper(env, &h), 0x2);
    seL4_Word badge = 0;
    seL4_Poll(n, &badge);
    CHECK_EQ(badge, 0x1);
}

TEST(BIND0006, "deleting a bound notification unbinds it")
{
    seL4_CPtr t = make_object(env, seL4_TCBObject, 0), n = make_object(env, seL4_NotificationObject, 0);
    CHECK_EQ(seL4_TCB_BindNotification(t, n), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, n, WB), 0);
    CHECK_EQ(seL4_TCB_UnbindNotification(t), seL4_IllegalOperation);
    seL4_CPtr n2 = make_object(env, seL4_NotificationObject, 0);
    CHECK_EQ(seL4_TCB_BindNotification(t, n2), 0);
}

TEST(BIND0007, "deleting a bound TCB unbinds its notification")
{
    seL4_CPtr t = make_object(env, seL4_TCBObject, 0), n = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr t2 = make_object(env, seL4_TCBObject, 0);
    CHECK_EQ(seL4_TCB_BindNotification(t, n), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, t, WB), 0);
    CHECK_EQ(seL4_TCB_BindNotification(t2, n), 0);
}

TEST(BIND0008, "a notification with waiters cannot be bound")
{
    helper_t h;
    seL4_CPtr n = make_object(env, seL4_NotificationObject, 0), t = make_object(env, seL4_TCBObject, 0);
    create_helper(env, &h, 100);
    start_helper(env, &h, wait_badge, n, 0, 0, 0);
    let_helpers_block();
    CHECK_EQ(seL4_TCB_BindNotification(t, n), seL4_IllegalOperation);
    seL4_Signal(n);
    wait_for_helper(env, &h);
}

static seL4_Word wait_expect_fault(seL4_Word n, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    seL4_Wait(n, NULL);
    return 1;
}

TEST(BIND0009, "waiting on a notification bound to another thread is a cap fault")
{
    helper_t h;
    seL4_CPtr n = make_object(env, seL4_NotificationObject, 0), t = make_object(env, seL4_TCBObject, 0);
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    CHECK_EQ(seL4_TCB_BindNotification(t, n), 0);
    create_helper_with_fault_ep(env, &h, 100, fep);
    start_helper(env, &h, wait_expect_fault, n, 0, 0, 0);
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_CapFault);
    CHECK_EQ(seL4_GetMR(seL4_CapFault_Addr), n);
    CHECK_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 1);
}

TEST(BIND0010, "signals OR their badges; Poll takes and clears the word")
{
    seL4_CPtr n = make_object(env, seL4_NotificationObject, 0), a = alloc_slot(env), b = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, a, WB, ROOT, n, WB, seL4_AllRights, 0x10), 0);
    CHECK_EQ(seL4_CNode_Mint(ROOT, b, WB, ROOT, n, WB, seL4_AllRights, 0x01), 0);
    seL4_Word badge = 5;
    seL4_Poll(n, &badge);
    CHECK_EQ(badge, 0);
    for (int i = 0; i < 3; i++)
        seL4_Signal(a);
    seL4_Signal(b);
    seL4_Poll(n, &badge);
    CHECK_EQ(badge, 0x11);
    seL4_Signal(b);
    seL4_Wait(n, &badge); /* pending: returns at once */
    CHECK_EQ(badge, 0x01);
}

TEST(BIND0011, "waiters on a notification are woken one per signal, first in first out")
{
    helper_t h[3];
    seL4_CPtr n = make_object(env, seL4_NotificationObject, 0), nb = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, nb, WB, ROOT, n, WB, seL4_AllRights, 0x8), 0);
    for (int i = 0; i < 3; i++) {
        create_helper(env, &h[i], 100);
        start_helper(env, &h[i], wait_badge, n, 0, 0, 0);
        let_helpers_block();
    }
    seL4_Signal(nb);
    let_helpers_block();
    CHECK(h[0].done && !h[1].done && !h[2].done);
    seL4_Signal(nb);
    seL4_Signal(nb);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(wait_for_helper(env, &h[i]), 0x8);
}

TEST(BIND0012, "deleting a notification releases its waiters to retry")
{
    helper_t h;
    seL4_CPtr n = make_object(env, seL4_NotificationObject, 0), fep = make_object(env, seL4_EndpointObject, 0);
    create_helper_with_fault_ep(env, &h, 100, fep);
    start_helper(env, &h, wait_expect_fault, n, 0, 0, 0);
    let_helpers_block();
    CHECK_EQ(seL4_CNode_Delete(ROOT, n, WB), 0);
    /* the restarted Wait finds an empty slot: a cap fault in the receive phase */
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_CapFault);
    CHECK_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 1);
}
