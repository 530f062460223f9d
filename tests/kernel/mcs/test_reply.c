/* REPLY: reply objects (seL4 manual, "Reply objects"). A receiver names
 * the reply object a Call's reply right goes to; a Send on it answers
 * once. Reply objects of a chain of Calls through passive servers form the
 * call stack of the scheduling context lent along it; deleting a reply
 * object or a thread anywhere in that chain leaves every thread in the
 * state seL4 defines. */
#include "mcs_helpers.h"

static volatile seL4_Word served;

/* Calls ep once with label `label`; returns the reply's label * 1000 + MR0. */
static seL4_Word call_once(seL4_Word ep, seL4_Word label, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    seL4_SetMR(0, label);
    seL4_MessageInfo_t r = seL4_Call(ep, seL4_MessageInfo_new(label, 0, 0, 1));
    return seL4_MessageInfo_get_label(r) * 1000 + (seL4_MessageInfo_get_length(r) ? seL4_GetMR(0) : 0);
}

/* Receives on ep forever with its own reply object, counting; never replies. */
static seL4_Word count_receives(seL4_Word ep, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    for (;;) {
        api_recv(ep, NULL, test_reply);
        served++;
    }
    return 0;
}

TEST(REPLY0001, "a reply object is retyped like any object and identifies as a reply cap")
{
    seL4_CPtr r = make_object(env, seL4_ReplyObject, 0);
    CHECK_EQ(seL4_DebugCapIdentify(r), seL4_CapTag_Reply);
    /* its size is fixed: the size argument is ignored as for endpoints */
    seL4_CPtr r2 = make_object(env, seL4_ReplyObject, 5);
    CHECK_EQ(seL4_DebugCapIdentify(r2), seL4_CapTag_Reply);
}

TEST(REPLY0002, "a Send on the reply object answers the Call with its label and message")
{
    helper_t c;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), r = make_object(env, seL4_ReplyObject, 0);
    create_helper(env, &c, 100);
    start_helper(env, &c, call_once, ep, 3, 0, 0);
    seL4_MessageInfo_t info = api_recv(ep, NULL, r);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 3);
    CHECK_EQ(seL4_GetMR(0), 3);
    seL4_SetMR(0, 77);
    seL4_Send(r, seL4_MessageInfo_new(9, 0, 0, 1));
    CHECK_EQ(wait_for_helper(env, &c), 9077);
}

TEST(REPLY0003, "ReplyRecv answers through the reply object and takes the next Call into it")
{
    helper_t s, c;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    served = 0;
    create_helper(env, &s, 150);
    start_helper(env, &s, spin_server, ep, (seL4_Word)&served, 0, 0);
    create_helper(env, &c, 100);
    start_helper(env, &c, spin_client, ep, 10, 5, 0);
    CHECK_EQ(wait_for_helper(env, &c), 5 * 11);
    CHECK_EQ(served, 5);
}

TEST(REPLY0004, "a Send on a reply object that holds no Call does nothing")
{
    seL4_CPtr r = make_object(env, seL4_ReplyObject, 0);
    seL4_Send(r, seL4_MessageInfo_new(1, 0, 0, 0));
    seL4_NBSend(r, seL4_MessageInfo_new(1, 0, 0, 0));
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    /* and it still works afterwards */
    helper_t c;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    create_helper(env, &c, 100);
    start_helper(env, &c, call_once, ep, 2, 0, 0);
    api_recv(ep, NULL, r);
    seL4_Send(r, seL4_MessageInfo_new(4, 0, 0, 0));
    CHECK_EQ(wait_for_helper(env, &c), 4000);
}

TEST(REPLY0005, "a reply object answers once: a second Send on it goes nowhere")
{
    helper_t c;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), r = make_object(env, seL4_ReplyObject, 0);
    create_helper(env, &c, 100);
    start_helper(env, &c, call_once, ep, 1, 0, 0);
    api_recv(ep, NULL, r);
    seL4_Send(r, seL4_MessageInfo_new(5, 0, 0, 0));
    seL4_Send(r, seL4_MessageInfo_new(6, 0, 0, 0));
    CHECK_EQ(wait_for_helper(env, &c), 5000);
}

TEST(REPLY0006, "a Call received by Wait (no reply object) delivers its message; the caller gets no answer")
{
    helper_t c;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    create_helper(env, &c, 100);
    start_helper(env, &c, call_once, ep, 8, 0, 0);
    seL4_MessageInfo_t info = seL4_Wait(ep, NULL);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 8);
    api_reply(test_reply, seL4_MessageInfo_new(1, 0, 0, 0)); /* the driver's reply object holds nothing */
    idle_for_us(2000);
    CHECK(!c.done);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

TEST(REPLY0007, "two reply objects hold two Calls at once; each answer goes to its own caller")
{
    helper_t c1, c2;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    seL4_CPtr b1 = alloc_slot(env), b2 = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, b1, WB, ROOT, ep, WB, seL4_AllRights, 1), 0);
    CHECK_EQ(seL4_CNode_Mint(ROOT, b2, WB, ROOT, ep, WB, seL4_AllRights, 2), 0);
    seL4_CPtr ra = make_object(env, seL4_ReplyObject, 0), rb = make_object(env, seL4_ReplyObject, 0);
    create_helper(env, &c1, 100);
    create_helper(env, &c2, 100);
    start_helper(env, &c1, call_once, b1, 1, 0, 0);
    start_helper(env, &c2, call_once, b2, 2, 0, 0);
    seL4_Word badge_a = 0, badge_b = 0;
    api_recv(ep, &badge_a, ra);
    api_recv(ep, &badge_b, rb);
    CHECK(badge_a + badge_b == 3);
    seL4_Send(rb, seL4_MessageInfo_new(100 + badge_b, 0, 0, 0));
    seL4_Send(ra, seL4_MessageInfo_new(100 + badge_a, 0, 0, 0));
    CHECK_EQ(wait_for_helper(env, &c1), 101000);
    CHECK_EQ(wait_for_helper(env, &c2), 102000);
}

TEST(REPLY0008, "receiving into a reply object that holds an unanswered Call drops that caller")
{
    helper_t c1, c2;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), r = make_object(env, seL4_ReplyObject, 0);
    create_helper(env, &c1, 100);
    create_helper(env, &c2, 100);
    start_helper(env, &c1, call_once, ep, 1, 0, 0);
    api_recv(ep, NULL, r);
    start_helper(env, &c2, call_once, ep, 2, 0, 0);
    seL4_MessageInfo_t info = api_recv(ep, NULL, r);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 2);
    seL4_Send(r, seL4_MessageInfo_new(7, 0, 0, 0));
    CHECK_EQ(wait_for_helper(env, &c2), 7000);
    idle_for_us(2000);
    CHECK(!c1.done); /* never answered */
    seL4_Send(r, seL4_MessageInfo_new(8, 0, 0, 0));
    idle_for_us(2000);
    CHECK(!c1.done);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

TEST(REPLY0009, "deleting a reply object that holds a Call: the caller is never answered, nothing is lost")
{
    helper_t c;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), r = make_object(env, seL4_ReplyObject, 0);
    create_helper(env, &c, 100);
    start_helper(env, &c, call_once, ep, 1, 0, 0);
    api_recv(ep, NULL, r);
    CHECK_EQ(seL4_CNode_Delete(ROOT, r, WB), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    idle_for_us(2000);
    CHECK(!c.done);
    check_untyped_recovers(env);
}

/* A passive server that signals ntfn on each request, then spins 2 ms
 * (in steps, counting) before it answers. */
static seL4_Word slow_server(seL4_Word ep, seL4_Word ntfn, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    seL4_Word badge;
    api_recv(ep, &badge, test_reply);
    for (;;) {
        seL4_Signal(ntfn);
        for (int i = 0; i < 20; i++) {
            spin_us(100);
            served++;
        }
        seL4_SetMR(0, 7);
        api_reply_recv(ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge, test_reply);
    }
    return 0;
}

TEST(REPLY0010, "deleting a passive server's reply object mid-call returns the SC to the caller")
{
    helper_t s, c;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), ntfn = make_object(env, seL4_NotificationObject, 0);
    served = 0;
    start_passive_server(env, &s, 150, slow_server, ep, ntfn, 0, 0);
    create_helper(env, &c, 100);
    start_helper(env, &c, spin_client, ep, 0, 1, 0);
    seL4_Wait(ntfn, NULL); /* the server works on the caller's SC */
    CHECK_EQ(seL4_CNode_Delete(ROOT, s.reply, WB), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    seL4_Word progress = served;
    idle_for_us(5000);
    CHECK_EQ(served, progress); /* the server lost the SC */
    CHECK(tcb_has_no_sc(env, s.tcb));
    CHECK(!c.done);                                           /* the caller is never answered... */
    CHECK_EQ(seL4_SchedContext_UnbindObject(c.sc, c.tcb), 0); /* ...but has its SC again */
    check_untyped_recovers(env);
}

TEST(REPLY0011, "deleting the reply object a receiver waits with ends its wait")
{
    helper_t s;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    served = 0;
    create_helper(env, &s, 150);
    start_helper(env, &s, count_receives, ep, 0, 0, 0);
    let_run_above(149); /* it waits */
    seL4_NBSend(ep, seL4_MessageInfo_new(0, 0, 0, 0));
    let_run_above(149);
    CHECK_EQ(served, 1); /* it received, and waits again */
    CHECK_EQ(seL4_CNode_Delete(ROOT, s.reply, WB), 0);
    seL4_NBSend(ep, seL4_MessageInfo_new(0, 0, 0, 0)); /* nobody waits: dropped */
    idle_for_us(2000);
    CHECK_EQ(served, 1);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

/* A server that forwards each request to the endpoint ep2 and adds 10 to
 * the answer; with ntfn it signals the driver before forwarding. */
static seL4_Word relay_server(seL4_Word ep, seL4_Word ep2, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    seL4_Word badge;
    seL4_MessageInfo_t info = api_recv(ep, &badge, test_reply);
    for (;;) {
        seL4_Call(ep2, seL4_MessageInfo_new(SPIN_REQUEST, 0, 0, seL4_MessageInfo_get_length(info)));
        seL4_SetMR(0, seL4_GetMR(0) + 10);
        served++;
        info = api_reply_recv(ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge, test_reply);
    }
    return 0;
}

TEST(REPLY0012, "a chain of Calls unwinds through each server's reply object")
{
    helper_t a, b, c;
    seL4_CPtr ep1 = make_object(env, seL4_EndpointObject, 0), ep2 = make_object(env, seL4_EndpointObject, 0);
    seL4_CPtr ep3 = make_object(env, seL4_EndpointObject, 0);
    served = 0;
    start_passive_server(env, &c, 170, spin_server, ep3, 0, 0, 0);
    start_passive_server(env, &b, 160, relay_server, ep2, ep3, 0, 0);
    helper_t first;
    start_passive_server(env, &first, 150, relay_server, ep1, ep2, 0, 0);
    create_helper(env, &a, 100);
    start_helper(env, &a, spin_client, ep1, 5, 3, 0);
    CHECK_EQ(wait_for_helper(env, &a), 3 * (5 + 1 + 10 + 10));
    CHECK_EQ(served, 6);
    CHECK(tcb_has_no_sc(env, first.tcb));
    CHECK(tcb_has_no_sc(env, b.tcb));
    CHECK(tcb_has_no_sc(env, c.tcb));
}

TEST(REPLY0013, "deleting the middle server of a chain: the last keeps the SC, the first caller waits forever")
{
    helper_t a, b, c;
    seL4_CPtr ep1 = make_object(env, seL4_EndpointObject, 0), ep2 = make_object(env, seL4_EndpointObject, 0);
    seL4_CPtr ntfn = make_object(env, seL4_NotificationObject, 0);
    served = 0;
    start_passive_server(env, &c, 160, slow_server, ep2, ntfn, 0, 0);
    start_passive_server(env, &b, 150, relay_server, ep1, ep2, 0, 0);
    create_helper(env, &a, 100);
    start_helper(env, &a, spin_client, ep1, 0, 1, 0);
    seL4_Wait(ntfn, NULL); /* c works on a's SC, lent through b */
    CHECK_EQ(seL4_CNode_Delete(ROOT, b.tcb, WB), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    idle_for_us(5000);
    CHECK_EQ(served, 20);              /* c finished on the SC; its answer went nowhere */
    CHECK(!tcb_has_no_sc(env, c.tcb)); /* and c keeps the SC */
    CHECK(!a.done);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    check_untyped_recovers(env);
}

TEST(REPLY0014, "deleting the first caller of a chain: the server finishes on the SC and keeps it")
{
    helper_t s, c;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), ntfn = make_object(env, seL4_NotificationObject, 0);
    served = 0;
    start_passive_server(env, &s, 150, slow_server, ep, ntfn, 0, 0);
    create_helper(env, &c, 100);
    start_helper(env, &c, spin_client, ep, 0, 1, 0);
    seL4_Wait(ntfn, NULL);
    CHECK_EQ(seL4_CNode_Delete(ROOT, c.tcb, WB), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    idle_for_us(5000);
    CHECK_EQ(served, 20);
    CHECK(!tcb_has_no_sc(env, s.tcb));
    /* the SC still answers to its cap: unbinding it from the server works */
    CHECK_EQ(seL4_SchedContext_UnbindObject(c.sc, s.tcb), 0);
    check_untyped_recovers(env);
}

TEST(REPLY0015, "deleting a caller waiting for its answer empties the reply object for the next Call")
{
    helper_t c1, c2;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), r = make_object(env, seL4_ReplyObject, 0);
    create_helper(env, &c1, 100);
    create_helper(env, &c2, 100);
    start_helper(env, &c1, call_once, ep, 1, 0, 0);
    api_recv(ep, NULL, r);
    CHECK_EQ(seL4_CNode_Delete(ROOT, c1.tcb, WB), 0);
    seL4_Send(r, seL4_MessageInfo_new(5, 0, 0, 0)); /* nobody */
    start_helper(env, &c2, call_once, ep, 2, 0, 0);
    api_recv(ep, NULL, r);
    seL4_Send(r, seL4_MessageInfo_new(6, 0, 0, 0));
    CHECK_EQ(wait_for_helper(env, &c2), 6000);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

TEST(REPLY0016, "ReplyRecv with a reply object that holds nothing only receives")
{
    helper_t c;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), r = make_object(env, seL4_ReplyObject, 0);
    create_helper(env, &c, 100);
    start_helper(env, &c, call_once, ep, 4, 0, 0);
    seL4_MessageInfo_t info = api_reply_recv(ep, seL4_MessageInfo_new(1, 0, 0, 0), NULL, r);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 4);
    seL4_Send(r, seL4_MessageInfo_new(3, 0, 0, 0));
    CHECK_EQ(wait_for_helper(env, &c), 3000);
}

static seL4_Word recv_with(seL4_Word ep, seL4_Word reply, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    api_recv(ep, NULL, reply);
    return 1;
}

TEST(REPLY0017, "a receive naming a cap that is not a reply object is a cap fault in the receive phase")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), fault_ep = make_object(env, seL4_EndpointObject, 0);
    seL4_CPtr empty = alloc_slot(env);
    seL4_CPtr not_reply[2] = {ep, empty};
    for (int i = 0; i < 2; i++) {
        create_helper_with_fault_ep(env, &h, 100, fault_ep);
        start_helper(env, &h, recv_with, ep, not_reply[i], 0, 0);
        seL4_MessageInfo_t info = api_recv(fault_ep, NULL, test_reply);
        CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_CapFault);
        CHECK_EQ(seL4_GetMR(seL4_CapFault_Addr), not_reply[i]);
        CHECK_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 1);
        CHECK(!h.done);
        destroy_helper(env, &h);
    }
}

static seL4_Word read_unmapped(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)a, (void)b, (void)c, (void)d;
    return *(volatile seL4_Word *)0x40000000ul;
}

TEST(REPLY0018, "a fault received into a reply object that holds an unanswered fault drops the first faulter")
{
    helper_t a, b;
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    create_helper_with_fault_ep(env, &a, 100, fep);
    create_helper_with_fault_ep(env, &b, 100, fep);
    start_helper(env, &a, read_unmapped, 0, 0, 0, 0);
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    start_helper(env, &b, read_unmapped, 0, 0, 0, 0);
    info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    /* a non-zero label leaves b stopped; a is not waiting for any answer */
    api_reply(test_reply, seL4_MessageInfo_new(1, 0, 0, 0));
    seL4_Word badge = 0;
    api_nbrecv(fep, &badge, test_reply);
    CHECK_EQ(badge, 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}
