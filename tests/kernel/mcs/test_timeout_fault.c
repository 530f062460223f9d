/* TIMEOUTFAULT: a thread whose scheduling context runs out of budget and
 * that has a timeout endpoint gets a timeout fault (seL4 manual,
 * "Scheduling contexts", timeout faults): the message has label
 * seL4_Fault_Timeout, MR0 the SC's badge and MR1 the time the SC consumed;
 * a reply resumes the thread. Round-robin SCs (budget == period) never
 * fault; a thread without a timeout endpoint waits for its next refill. */
#include "mcs_helpers.h"

static volatile seL4_Word progress;

/* a0 us of processor time, then a DONE_LABEL message on a1 (if set). */
static seL4_Word work_then_done(seL4_Word us, seL4_Word ep, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    for (seL4_Word i = 0; i < us / 100; i++) {
        spin_cpu_us(100);
        progress++;
    }
    if (ep)
        seL4_Send(ep, seL4_MessageInfo_new(DONE_LABEL, 0, 0, 0));
    return 0;
}

/* Serve timeout faults on ep until a DONE_LABEL message: reply to each;
 * the number of faults. The first fault's MRs go to first[]. */
static int serve_timeouts(env_t *env, seL4_CPtr ep, seL4_Word *first, seL4_Word expected_badge)
{
    int faults = 0;
    for (int i = 0; i < 1000; i++) {
        seL4_MessageInfo_t info = api_recv(ep, NULL, test_reply);
        if (seL4_MessageInfo_get_label(info) == DONE_LABEL)
            return faults;
        CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_Timeout);
        CHECK_EQ(seL4_MessageInfo_get_length(info), seL4_Timeout_Length);
        CHECK_EQ(seL4_GetMR(seL4_Timeout_Data), expected_badge);
        if (faults == 0 && first) {
            first[0] = seL4_GetMR(seL4_Timeout_Data);
            first[1] = seL4_GetMR(seL4_Timeout_Consumed);
        }
        faults++;
        api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, 0));
    }
    CHECK(!"DONE message");
    return faults;
}

static void make_worker(env_t *env, helper_t *h, seL4_CPtr tfep, seL4_Word badge)
{
    create_helper(env, h, 100);
    helper_set_sc(env, h, 1000, 10000, 0, badge);
    if (tfep)
        CHECK_EQ(seL4_TCB_SetTimeoutEndpoint(h->tcb, tfep), 0);
}

TEST(TIMEOUTFAULT0001, "budget expiry with a timeout endpoint sends a timeout fault with the SC's badge")
{
    helper_t h;
    seL4_CPtr tfep = make_object(env, seL4_EndpointObject, 0);
    make_worker(env, &h, tfep, 0x55);
    progress = 0;
    start_helper(env, &h, work_then_done, 3000, 0, 0, 0);
    seL4_MessageInfo_t info = api_recv(tfep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_Timeout);
    CHECK_EQ(seL4_MessageInfo_get_length(info), seL4_Timeout_Length);
    CHECK_EQ(seL4_GetMR(seL4_Timeout_Data), 0x55);
    CHECK(progress >= 8 && progress <= 10); /* about 1 ms of its 3 ms of work */
    CHECK_EQ(seL4_TCB_Suspend(h.tcb), 0);
}

TEST(TIMEOUTFAULT0002, "the timeout fault's MR1 is the time the SC consumed: about one budget")
{
    helper_t h;
    seL4_CPtr tfep = make_object(env, seL4_EndpointObject, 0);
    make_worker(env, &h, tfep, 1);
    start_helper(env, &h, work_then_done, 3000, 0, 0, 0);
    api_recv(tfep, NULL, test_reply);
    /* a thread stops once less than the kernel's minimum budget (tens of
     * us) is left, so the SC may end a little short of its budget */
    seL4_Word consumed = seL4_GetMR(seL4_Timeout_Consumed);
    if (consumed + 50 < 1000 || consumed >= 1000 + 200)
        printf("#   consumed %lu us\n", (unsigned long)consumed);
    CHECK(consumed + 50 >= 1000);
    CHECK(consumed < 1000 + 200);
    CHECK_EQ(seL4_TCB_Suspend(h.tcb), 0);
}

TEST(TIMEOUTFAULT0003, "the handler's reply resumes the thread, which faults again at each budget's end")
{
    helper_t h;
    seL4_CPtr tfep = make_object(env, seL4_EndpointObject, 0);
    make_worker(env, &h, tfep, 2);
    progress = 0;
    start_helper(env, &h, work_then_done, 3500, tfep, 0, 0);
    int faults = serve_timeouts(env, tfep, NULL, 2);
    CHECK_EQ(faults, 3);
    CHECK_EQ(progress, 35);
    wait_for_helper(env, &h);
}

TEST(TIMEOUTFAULT0004, "without a timeout endpoint the thread waits for its refills and finishes")
{
    helper_t h;
    make_worker(env, &h, 0, 3);
    progress = 0;
    uint64_t t0 = now_us();
    start_helper(env, &h, work_then_done, 3500, 0, 0, 0);
    wait_for_helper(env, &h);
    uint64_t took = now_us() - t0;
    CHECK_EQ(progress, 35);
    CHECK(took >= 30000); /* four budgets: three whole periods at least */
    CHECK(took < 45000);
}

TEST(TIMEOUTFAULT0005, "a round-robin SC (budget == period) never raises a timeout fault")
{
    helper_t h;
    seL4_CPtr tfep = make_object(env, seL4_EndpointObject, 0);
    create_helper(env, &h, 100);
    helper_set_sc(env, &h, 2000, 2000, 0, 4);
    CHECK_EQ(seL4_TCB_SetTimeoutEndpoint(h.tcb, tfep), 0);
    progress = 0;
    start_helper(env, &h, work_then_done, 7000, tfep, 0, 0);
    seL4_MessageInfo_t info = api_recv(tfep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), DONE_LABEL);
    CHECK_EQ(progress, 70);
    wait_for_helper(env, &h);
}

TEST(TIMEOUTFAULT0006, "SetTimeoutEndpoint takes an endpoint with Write and Grant or GrantReply, or null")
{
    helper_t h;
    create_helper(env, &h, 100);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), ro = alloc_slot(env), wo = alloc_slot(env);
    seL4_CPtr wgr = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, ro, WB, ROOT, ep, WB, seL4_CanRead, 0), 0);
    CHECK_EQ(seL4_CNode_Mint(ROOT, wo, WB, ROOT, ep, WB, seL4_CanWrite, 0), 0);
    CHECK_EQ(seL4_CNode_Mint(ROOT, wgr, WB, ROOT, ep, WB, seL4_CapRights_new(1, 0, 0, 1), 0), 0);
    CHECK_EQ(seL4_TCB_SetTimeoutEndpoint(h.tcb, make_object(env, seL4_NotificationObject, 0)), seL4_InvalidCapability);
    CHECK_EQ(seL4_TCB_SetTimeoutEndpoint(h.tcb, ro), seL4_InvalidCapability);
    CHECK_EQ(seL4_TCB_SetTimeoutEndpoint(h.tcb, wo), seL4_InvalidCapability);
    CHECK_EQ(seL4_TCB_SetTimeoutEndpoint(h.tcb, wgr), 0);
    CHECK_EQ(seL4_TCB_SetTimeoutEndpoint(h.tcb, ep), 0);
    CHECK_EQ(seL4_TCB_SetTimeoutEndpoint(h.tcb, seL4_CapNull), 0);
}

TEST(TIMEOUTFAULT0007, "a handler that gives the SC a round-robin budget before replying ends the faults")
{
    helper_t h;
    seL4_CPtr tfep = make_object(env, seL4_EndpointObject, 0);
    make_worker(env, &h, tfep, 5);
    progress = 0;
    start_helper(env, &h, work_then_done, 5000, tfep, 0, 0);
    seL4_MessageInfo_t info = api_recv(tfep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_Timeout);
    CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, h.sc, 10000, 10000, 0, 5), 0);
    api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, 0));
    info = api_recv(tfep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), DONE_LABEL);
    CHECK_EQ(progress, 50);
}

TEST(TIMEOUTFAULT0008, "a thread waiting for its handler's reply does not run, even with budget again")
{
    helper_t h;
    seL4_CPtr tfep = make_object(env, seL4_EndpointObject, 0);
    make_worker(env, &h, tfep, 6);
    progress = 0;
    start_helper(env, &h, work_then_done, 3000, tfep, 0, 0);
    api_recv(tfep, NULL, test_reply);
    seL4_Word p = progress;
    idle_for_us(30000);
    CHECK_EQ(progress, p);
    api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, 0));
    serve_timeouts(env, tfep, NULL, 6);
    CHECK_EQ(progress, 30);
}

/* A client that Calls ep (SPIN_REQUEST for us) and then tells done_ep. */
static seL4_Word call_then_done(seL4_Word ep, seL4_Word us, seL4_Word done_ep, seL4_Word d)
{
    (void)d;
    seL4_SetMR(0, us);
    seL4_Call(ep, seL4_MessageInfo_new(SPIN_REQUEST, 0, 0, 1));
    seL4_Word answer = seL4_GetMR(0);
    seL4_Send(done_ep, seL4_MessageInfo_new(DONE_LABEL, 0, 0, 0));
    return answer;
}

TEST(TIMEOUTFAULT0009, "a passive server that overruns its caller's budget faults to its own timeout endpoint")
{
    helper_t s, c;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), tfep = make_object(env, seL4_EndpointObject, 0);
    start_passive_server(env, &s, 150, spin_server, ep, 0, 0, 0);
    CHECK_EQ(seL4_TCB_SetTimeoutEndpoint(s.tcb, tfep), 0);
    create_helper(env, &c, 100);
    helper_set_sc(env, &c, 1000, 10000, 0, 0x66);
    start_helper(env, &c, call_then_done, ep, 2500, tfep, 0);
    /* the server spins 2.5 ms of wall time on a 1 ms budget: it faults with the client's badge */
    int faults = serve_timeouts(env, tfep, NULL, 0x66);
    CHECK(faults >= 1);
    CHECK_EQ(wait_for_helper(env, &c), 2501);
    CHECK(tcb_has_no_sc(env, s.tcb));
}
