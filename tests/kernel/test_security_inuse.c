/* SECURITY: objects deleted or revoked while they are bound, queued, hold
 * a reply, carry a cap in flight or serve the IPC fastpath. Nothing may be
 * left pointing at a dead object: the invariant checker runs after each, and
 * the survivors keep working. */
#include "framework.h"

static void let_helpers_run(void)
{
    set_own_priority(50);
    set_own_priority(seL4_MaxPrio);
}

static volatile seL4_Word seen_label, seen_mr0, seen_badge;

static seL4_Word call_ep(seL4_Word ep, seL4_Word value, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    seL4_SetMR(0, value);
    seL4_MessageInfo_t r = seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 1));
    seen_label = seL4_MessageInfo_get_label(r);
    seen_mr0 = seL4_GetMR(0);
    return 1;
}

TEST(SECURITY0060, "deleting the endpoint after a call arrived: the reply cap still answers the caller")
{
    helper_t client;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    create_helper(env, &client, 100);
    start_helper(env, &client, call_ep, ep, 41, 0, 0);
    api_recv(ep, NULL, test_reply);
    CHECK_EQ(seL4_GetMR(0), 41);
    CHECK_EQ(seL4_CNode_Delete(ROOT, ep, WB), 0);
    seL4_SetMR(0, 42);
    api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, 1));
    CHECK_EQ(wait_for_helper(env, &client), 1);
    CHECK_EQ(seen_mr0, 42);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

/* SaveCaller exists only without MCS (MCS receivers name a reply object) */
#ifndef CONFIG_KERNEL_MCS
TEST(SECURITY0061, "deleting a caller that waits for its reply deletes the reply cap the server saved")
{
    helper_t client;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), saved = alloc_slot(env);
    create_helper(env, &client, 100);
    start_helper(env, &client, call_ep, ep, 7, 0, 0);
    api_recv(ep, NULL, test_reply);
    CHECK_EQ(seL4_CNode_SaveCaller(ROOT, saved, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(saved), seL4_CapTag_Reply);
    CHECK_EQ(seL4_CNode_Delete(ROOT, client.tcb, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(saved), seL4_CapTag_Null);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    check_untyped_recovers(env);
}
#endif

static seL4_Word wait_ep(seL4_Word ep, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    seL4_Word badge = 0;
    seL4_MessageInfo_t r = api_recv(ep, &badge, test_reply);
    seen_label = seL4_MessageInfo_get_label(r);
    seen_badge = badge;
    return 1;
}

TEST(SECURITY0062, "deleting a bound notification while its thread waits on an endpoint unbinds it; a new one works")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), n1 = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr n2 = make_object(env, seL4_NotificationObject, 0);
    create_helper(env, &h, 100);
    CHECK_EQ(seL4_TCB_BindNotification(h.tcb, n1), 0);
    start_helper(env, &h, wait_ep, ep, 0, 0, 0);
    let_helpers_run();
    CHECK_EQ(seL4_CNode_Delete(ROOT, n1, WB), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    /* no longer bound: binding another one is allowed and its signal arrives */
    CHECK_EQ(seL4_TCB_BindNotification(h.tcb, n2), 0);
    seL4_CPtr badged = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, badged, WB, ROOT, n2, WB, seL4_AllRights, 0x30), 0);
    seL4_Signal(badged);
    CHECK_EQ(wait_for_helper(env, &h), 1);
    CHECK_EQ(seen_badge, 0x30);
}

TEST(SECURITY0063, "deleting a thread bound to a notification: later signals touch no dead thread; it binds again")
{
    helper_t h, h2;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), n = make_object(env, seL4_NotificationObject, 0);
    create_helper(env, &h, 100);
    CHECK_EQ(seL4_TCB_BindNotification(h.tcb, n), 0);
    start_helper(env, &h, wait_ep, ep, 0, 0, 0);
    let_helpers_run();
    CHECK_EQ(seL4_CNode_Delete(ROOT, h.tcb, WB), 0);
    seL4_CPtr badged = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, badged, WB, ROOT, n, WB, seL4_AllRights, 0x5), 0);
    seL4_Signal(badged);
    seL4_Signal(badged);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    seL4_Word badge = 0;
    seL4_Poll(n, &badge); /* the signals stayed in the word */
    CHECK_EQ(badge, 0x5);
    create_helper(env, &h2, 100);
    CHECK_EQ(seL4_TCB_BindNotification(h2.tcb, n), 0);
}

static seL4_Word send_cap(seL4_Word ep, seL4_Word cap, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    seL4_SetCap(0, cap);
    seL4_Send(ep, seL4_MessageInfo_new(5, 0, 1, 0));
    return 1;
}

TEST(SECURITY0064, "a cap deleted while its sender waits in Send does not arrive; the message does")
{
    helper_t sender;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), gift = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr slot = alloc_slot(env);
    create_helper(env, &sender, 100);
    start_helper(env, &sender, send_cap, ep, gift, 0, 0);
    let_helpers_run();
    CHECK_EQ(seL4_CNode_Delete(ROOT, gift, WB), 0);
    seL4_SetCapReceivePath(ROOT, slot, WB);
    seL4_MessageInfo_t r = api_recv(ep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(r), 5);
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(r), 0);
    CHECK_EQ(seL4_DebugCapIdentify(slot), seL4_CapTag_Null);
    CHECK_EQ(wait_for_helper(env, &sender), 1);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    seL4_SetCapReceivePath(0, 0, 0);
}

static seL4_Word fault_now(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)a, (void)b, (void)c, (void)d;
    return *(volatile seL4_Word *)0x40000000ul;
}

TEST(SECURITY0065, "deleting a fault endpoint while a fault waits in it: the thread refaults with no handler and stops"
                   " (MCS: the thread's own copy keeps the endpoint)")
{
    helper_t h;
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
#ifdef CONFIG_KERNEL_MCS
    /* the TCB holds a copy of the handler cap: the endpoint outlives the
     * caller's cap, the fault stays queued, a copy of the cap takes it */
    seL4_CPtr copy = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, copy, WB, ROOT, fep, WB, seL4_AllRights), 0);
    create_helper_with_fault_ep(env, &h, 100, fep);
    start_helper(env, &h, fault_now, 0, 0, 0, 0);
    let_helpers_run();
    CHECK_EQ(seL4_CNode_Delete(ROOT, fep, WB), 0);
    let_helpers_run();
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    seL4_MessageInfo_t f = api_recv(copy, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(f), seL4_Fault_VMFault);
    CHECK_EQ(seL4_TCB_Suspend(h.tcb), 0);
#else
    create_helper_with_fault_ep(env, &h, 100, fep);
    start_helper(env, &h, fault_now, 0, 0, 0, 0);
    let_helpers_run();
    CHECK_EQ(seL4_CNode_Delete(ROOT, fep, WB), 0);
    let_helpers_run();
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    /* a new handler in the same slot takes the next fault after a restart */
    seL4_CPtr again = make_object(env, seL4_EndpointObject, 0);
    CHECK_EQ(seL4_CNode_Move(ROOT, fep, WB, ROOT, again, WB), 0);
    CHECK_EQ(seL4_TCB_Resume(h.tcb), 0);
    seL4_MessageInfo_t f = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(f), seL4_Fault_VMFault);
    CHECK_EQ(seL4_TCB_Suspend(h.tcb), 0);
#endif
}

TEST(SECURITY0066, "deleting a queued sender from the middle of an endpoint queue keeps the others in order")
{
    static helper_t s[3];
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    for (int i = 0; i < 3; i++) {
        create_helper(env, &s[i], 100);
        start_helper(env, &s[i], send_cap, ep, 0, 0, 0);
        let_helpers_run();
    }
    CHECK_EQ(seL4_CNode_Delete(ROOT, s[1].tcb, WB), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    api_recv(ep, NULL, test_reply);
    api_recv(ep, NULL, test_reply);
    CHECK_EQ(wait_for_helper(env, &s[0]), 1);
    CHECK_EQ(wait_for_helper(env, &s[2]), 1);
    seL4_Word badge;
    seL4_MessageInfo_t none = api_nbrecv(ep, &badge, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(none), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

static seL4_Word fast_server(seL4_Word ep, seL4_Word rounds, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    (void)rounds;
    seL4_Word badge;
    api_recv(ep, &badge, test_reply);
    for (;;) {
        seL4_SetMR(0, seL4_GetMR(0) + 1);
        api_reply_recv(ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge, test_reply);
    }
    return 0;
}

TEST(SECURITY0067, "deleting a fastpath server's TCB between calls: the next call waits, a new server answers it")
{
    helper_t server, server2, client;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    create_helper(env, &server, 150);
    start_helper(env, &server, fast_server, ep, 0, 0, 0);
    let_helpers_run();
    for (seL4_Word i = 0; i < 50; i++) {
        seL4_SetMR(0, i);
        seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 1));
        CHECK_EQ(seL4_GetMR(0), i + 1);
    }
    CHECK_EQ(seL4_CNode_Delete(ROOT, server.tcb, WB), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    create_helper(env, &client, 100);
    start_helper(env, &client, call_ep, ep, 99, 0, 0);
    let_helpers_run(); /* the client now waits in the endpoint's send queue */
    create_helper(env, &server2, 150);
    start_helper(env, &server2, fast_server, ep, 0, 0, 0);
    CHECK_EQ(wait_for_helper(env, &client), 1);
    CHECK_EQ(seen_mr0, 100);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

TEST(SECURITY0068, "deleting the server while its client waits for a reply leaves the client blocked until suspended")
{
    helper_t server, client;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    create_helper(env, &server, 100);
    start_helper(env, &server, wait_ep, ep, 0, 0, 0);
    let_helpers_run();
    /* the server takes the call, then is deleted before replying */
    create_helper(env, &client, 90);
    seen_mr0 = 0xdead;
    start_helper(env, &client, call_ep, ep, 5, 0, 0);
    let_helpers_run();
    CHECK_EQ(seL4_CNode_Delete(ROOT, server.tcb, WB), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    let_helpers_run();
    CHECK_EQ(seen_mr0, 0xdead); /* still waiting */
    CHECK_EQ(seL4_TCB_Suspend(client.tcb), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    check_untyped_recovers(env);
}

TEST(SECURITY0069, "revoking a notification bound to an IRQ handler clears the binding; a new one can be set")
{
    seL4_CPtr handler = alloc_slot(env), n = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr n2 = make_object(env, seL4_NotificationObject, 0);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, 11, ROOT, handler, WB), 0);
    CHECK_EQ(seL4_IRQHandler_SetNotification(handler, n), 0);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, n, WB), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, n, WB), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    CHECK_EQ(seL4_IRQHandler_SetNotification(handler, n2), 0);
    /* replacing the binding deletes the old copy and keeps the new one */
    CHECK_EQ(seL4_IRQHandler_SetNotification(handler, n2), 0);
    CHECK_EQ(seL4_IRQHandler_Clear(handler), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, handler, WB), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

TEST(SECURITY0070, "cancelling badged sends while the badged senders hold caps in flight releases them all cleanly")
{
    static helper_t s[6];
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), gift = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr badged = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, badged, WB, ROOT, ep, WB, seL4_AllRights, 9), 0);
    for (int i = 0; i < 6; i++) {
        create_helper(env, &s[i], 100);
        start_helper(env, &s[i], send_cap, i % 2 ? badged : ep, gift, 0, 0);
        let_helpers_run();
    }
    CHECK_EQ(seL4_CNode_CancelBadgedSends(ROOT, badged, WB), 0);
    /* the badged senders restart their Send and wait again; delete them */
    for (int i = 1; i < 6; i += 2)
        CHECK_EQ(seL4_CNode_Delete(ROOT, s[i].tcb, WB), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    seL4_Word badge;
    for (int i = 0; i < 3; i++) {
        api_recv(ep, &badge, test_reply);
        CHECK_EQ(badge, 0);
    }
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}
