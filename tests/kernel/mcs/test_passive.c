/* PASSIVE: servers without a scheduling context of their own (seL4
 * manual, "Scheduling contexts", passive servers). A Call lends the
 * caller's SC to a receiver that has none; the reply gives it back. A
 * passive server woken through a notification with an SC bound runs on
 * that SC and returns it when it blocks again. */
#include "mcs_helpers.h"

static volatile seL4_Word served;

TEST(PASSIVE0001, "a passive server does not run on its own; a Call runs it and gets its answer")
{
    helper_t s;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    served = 0;
    start_passive_server(env, &s, 150, spin_server, ep, (seL4_Word)&served, 0, 0);
    CHECK(tcb_has_no_sc(env, s.tcb));
    idle_for_us(2000);
    CHECK_EQ(served, 0);
    seL4_SetMR(0, 41);
    seL4_MessageInfo_t r = seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 1));
    CHECK_EQ(seL4_MessageInfo_get_length(r), 1);
    CHECK_EQ(seL4_GetMR(0), 42);
    CHECK_EQ(served, 1);
}

TEST(PASSIVE0002, "the server runs on the caller's SC: the caller's Consumed includes the server's work")
{
    helper_t s, c;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    start_passive_server(env, &s, 150, spin_server, ep, 0, 0, 0);
    create_helper(env, &c, 100);
    seL4_SchedContext_Consumed(c.sc);
    start_helper(env, &c, spin_client, ep, 3000, 2, 0);
    CHECK_EQ(wait_for_helper(env, &c), 3001 * 2);
    seL4_SchedContext_Consumed_t k = seL4_SchedContext_Consumed(c.sc);
    CHECK_EQ(k.error, 0);
    CHECK(k.consumed >= 6000);
    CHECK(k.consumed < 6000 + 1000);
}

TEST(PASSIVE0003, "after the reply the server has no SC again and the caller has its own back")
{
    helper_t s, c;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    start_passive_server(env, &s, 150, spin_server, ep, 0, 0, 0);
    create_helper(env, &c, 100);
    start_helper(env, &c, spin_client, ep, 100, 1, 0);
    wait_for_helper(env, &c);
    CHECK(tcb_has_no_sc(env, s.tcb));
    /* the SC is bound to the client again: unbinding it from the client works */
    CHECK_EQ(seL4_SchedContext_UnbindObject(c.sc, c.tcb), 0);
    CHECK_EQ(seL4_SchedContext_UnbindObject(c.sc, s.tcb), seL4_IllegalOperation);
}

/* A server that tells the driver (ntfn) it has a request, then spins. */
static seL4_Word signalling_server(seL4_Word ep, seL4_Word ntfn, seL4_Word us, seL4_Word d)
{
    (void)d;
    seL4_Word badge;
    api_recv(ep, &badge, test_reply);
    for (;;) {
        seL4_Signal(ntfn);
        spin_us(us);
        served++;
        seL4_SetMR(0, 7);
        api_reply_recv(ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge, test_reply);
    }
    return 0;
}

TEST(PASSIVE0004, "while the server works for a caller, the caller's SC is bound to the server")
{
    helper_t s, c;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), ntfn = make_object(env, seL4_NotificationObject, 0);
    served = 0;
    start_passive_server(env, &s, 150, signalling_server, ep, ntfn, 1000, 0);
    create_helper(env, &c, 100);
    start_helper(env, &c, spin_client, ep, 0, 1, 0);
    seL4_Wait(ntfn, NULL); /* the server has the request */
    CHECK_EQ(seL4_SchedContext_UnbindObject(c.sc, c.tcb), seL4_IllegalOperation);
    CHECK_EQ(seL4_SchedContext_Bind(c.sc, make_object(env, seL4_TCBObject, 0)), seL4_IllegalOperation);
    CHECK_EQ(wait_for_helper(env, &c), 7);
    CHECK_EQ(served, 1);
    CHECK(tcb_has_no_sc(env, s.tcb));
}

/* A passive server that forwards each request to ep2 and adds 10 to the answer. */
static seL4_Word forwarding_server(seL4_Word ep, seL4_Word ep2, seL4_Word us, seL4_Word d)
{
    (void)d;
    seL4_Word badge;
    seL4_MessageInfo_t info = api_recv(ep, &badge, test_reply);
    for (;;) {
        spin_us(us);
        seL4_Call(ep2, seL4_MessageInfo_new(SPIN_REQUEST, 0, 0, seL4_MessageInfo_get_length(info)));
        seL4_SetMR(0, seL4_GetMR(0) + 10);
        info = api_reply_recv(ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge, test_reply);
    }
    return 0;
}

TEST(PASSIVE0005, "nested passive servers both run on the first caller's SC and return it")
{
    helper_t a, b, c;
    seL4_CPtr ep1 = make_object(env, seL4_EndpointObject, 0), ep2 = make_object(env, seL4_EndpointObject, 0);
    start_passive_server(env, &b, 160, spin_server, ep2, 0, 0, 0);
    start_passive_server(env, &a, 150, forwarding_server, ep1, ep2, 1000, 0);
    create_helper(env, &c, 100);
    seL4_SchedContext_Consumed(c.sc);
    start_helper(env, &c, spin_client, ep1, 2000, 1, 0);
    CHECK_EQ(wait_for_helper(env, &c), 2000 + 1 + 10);
    seL4_SchedContext_Consumed_t k = seL4_SchedContext_Consumed(c.sc);
    CHECK(k.consumed >= 3000); /* a's 1 ms and b's 2 ms */
    CHECK(k.consumed < 3000 + 1000);
    CHECK(tcb_has_no_sc(env, a.tcb));
    CHECK(tcb_has_no_sc(env, b.tcb));
    CHECK_EQ(seL4_SchedContext_UnbindObject(c.sc, c.tcb), 0);
}

TEST(PASSIVE0006, "two callers in turn each lend and get back their own SC")
{
    helper_t s, c1, c2;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    start_passive_server(env, &s, 150, spin_server, ep, 0, 0, 0);
    create_helper(env, &c1, 100);
    create_helper(env, &c2, 100);
    seL4_SchedContext_Consumed(c1.sc);
    seL4_SchedContext_Consumed(c2.sc);
    start_helper(env, &c1, spin_client, ep, 1000, 2, 0);
    start_helper(env, &c2, spin_client, ep, 3000, 2, 0);
    CHECK_EQ(wait_for_helper(env, &c1), 2 * 1001);
    CHECK_EQ(wait_for_helper(env, &c2), 2 * 3001);
    seL4_Word k1 = seL4_SchedContext_Consumed(c1.sc).consumed, k2 = seL4_SchedContext_Consumed(c2.sc).consumed;
    CHECK(k1 >= 2000 && k1 < 2000 + 1000);
    CHECK(k2 >= 6000 && k2 < 6000 + 1000);
    CHECK_EQ(seL4_SchedContext_UnbindObject(c1.sc, c1.tcb), 0);
    CHECK_EQ(seL4_SchedContext_UnbindObject(c2.sc, c2.tcb), 0);
}

/* A passive server blocked on ep with a notification bound: a signal runs
 * it on the notification's SC; it counts the signal and blocks again. */
static seL4_Word ntfn_server(seL4_Word ep, seL4_Word us, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    for (;;) {
        seL4_Word badge = 0;
        api_recv(ep, &badge, test_reply);
        spin_us(us);
        served += badge;
    }
    return 0;
}

TEST(PASSIVE0007, "a passive server woken by a notification with an SC bound runs on that SC")
{
    helper_t s;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), n = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr badged = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, badged, WB, ROOT, n, WB, seL4_AllRights, 0x10), 0);
    served = 0;
    start_passive_server(env, &s, 150, ntfn_server, ep, 2000, 0, 0);
    CHECK_EQ(seL4_TCB_BindNotification(s.tcb, n), 0);
    seL4_CPtr nsc = make_sc(env, TEST_TIMESLICE_US, TEST_TIMESLICE_US, 0, 0);
    CHECK_EQ(seL4_SchedContext_Bind(nsc, n), 0);
    seL4_SchedContext_Consumed(nsc);
    seL4_Signal(badged);
    idle_for_us(5000);
    CHECK_EQ(served, 0x10);
    seL4_Word k = seL4_SchedContext_Consumed(nsc).consumed;
    /* spin_us counts from a reading floored to whole microseconds: the
     * spin may be up to 1 us shorter than asked */
    if (k + 1 < 2000 || k >= 2000 + 1000)
        printf("#   the notification's SC was charged %lu us\n", (unsigned long)k);
    CHECK(k + 1 >= 2000 && k < 2000 + 1000);
}

TEST(PASSIVE0008, "the server gives the notification's SC back when it blocks again")
{
    helper_t s;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), n = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr badged = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, badged, WB, ROOT, n, WB, seL4_AllRights, 1), 0);
    served = 0;
    start_passive_server(env, &s, 150, ntfn_server, ep, 0, 0, 0);
    CHECK_EQ(seL4_TCB_BindNotification(s.tcb, n), 0);
    seL4_CPtr nsc = make_sc(env, TEST_TIMESLICE_US, TEST_TIMESLICE_US, 0, 0);
    CHECK_EQ(seL4_SchedContext_Bind(nsc, n), 0);
    for (int i = 0; i < 3; i++) {
        seL4_Signal(badged);
        idle_for_us(1000);
        CHECK_EQ(served, i + 1);
        CHECK(tcb_has_no_sc(env, s.tcb));
        /* the SC is with the notification again: unbinding it from there works */
        CHECK_EQ(seL4_SchedContext_UnbindObject(nsc, n), 0);
        CHECK_EQ(seL4_SchedContext_Bind(nsc, n), 0);
    }
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

TEST(PASSIVE0009, "a Send to a passive server delivers the message but lends nothing: it runs once given an SC")
{
    helper_t s;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    served = 0;
    start_passive_server(env, &s, 150, ntfn_server, ep, 0, 0, 0);
    seL4_CPtr badged = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, badged, WB, ROOT, ep, WB, seL4_AllRights, 5), 0);
    seL4_Send(badged, seL4_MessageInfo_new(0, 0, 0, 0));
    idle_for_us(2000);
    CHECK_EQ(served, 0);
    CHECK(tcb_has_no_sc(env, s.tcb));
    seL4_CPtr sc = make_sc(env, TEST_TIMESLICE_US, TEST_TIMESLICE_US, 0, 0);
    CHECK_EQ(seL4_SchedContext_Bind(sc, s.tcb), 0);
    idle_for_us(2000);
    CHECK_EQ(served, 5);
}

TEST(PASSIVE0010, "deleting the SC a server runs on stops it; new SCs let server and caller finish")
{
    helper_t s, c;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), ntfn = make_object(env, seL4_NotificationObject, 0);
    served = 0;
    start_passive_server(env, &s, 150, signalling_server, ep, ntfn, 3000, 0);
    create_helper(env, &c, 100);
    start_helper(env, &c, spin_client, ep, 0, 1, 0);
    seL4_Wait(ntfn, NULL); /* the server is working on the caller's SC */
    CHECK_EQ(seL4_CNode_Delete(ROOT, c.sc, WB), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    idle_for_us(10000);
    CHECK_EQ(served, 0); /* no SC, no progress */
    CHECK(!c.done);
    seL4_CPtr ssc = make_sc(env, TEST_TIMESLICE_US, TEST_TIMESLICE_US, 0, 0);
    CHECK_EQ(seL4_SchedContext_Bind(ssc, s.tcb), 0);
    idle_for_us(10000);
    CHECK_EQ(served, 1); /* the server replied; the caller has no SC to run on */
    CHECK(!c.done);
    seL4_CPtr csc = make_sc(env, TEST_TIMESLICE_US, TEST_TIMESLICE_US, 0, 0);
    CHECK_EQ(seL4_SchedContext_Bind(csc, c.tcb), 0);
    CHECK_EQ(wait_for_helper(env, &c), 7);
    check_untyped_recovers(env);
}

TEST(PASSIVE0011, "a Call to a server that has its own SC lends nothing")
{
    helper_t s, c;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    create_helper(env, &s, 150);
    start_helper(env, &s, spin_server, ep, 0, 0, 0);
    create_helper(env, &c, 100);
    seL4_SchedContext_Consumed(c.sc);
    seL4_SchedContext_Consumed(s.sc);
    start_helper(env, &c, spin_client, ep, 2000, 1, 0);
    CHECK_EQ(wait_for_helper(env, &c), 2001);
    CHECK(seL4_SchedContext_Consumed(c.sc).consumed < 1000);
    CHECK(seL4_SchedContext_Consumed(s.sc).consumed >= 2000);
    CHECK_EQ(seL4_SchedContext_UnbindObject(s.sc, s.tcb), 0);
}
