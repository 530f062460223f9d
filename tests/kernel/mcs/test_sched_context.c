/* SCHED_CONTEXT: scheduling context objects and their invocations (seL4
 * manual, "Scheduling contexts"): SchedControl_ConfigureFlags and its
 * argument checks, Bind/Unbind/UnbindObject on threads and notifications,
 * Consumed and YieldTo. */
#include "mcs_helpers.h"

static volatile seL4_Word counter;

static seL4_Word count_forever(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)a, (void)b, (void)c, (void)d;
    for (;;)
        counter++;
    return 0;
}

static seL4_Word set_flag(seL4_Word flag, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    *(volatile seL4_Word *)flag = 1;
    return 0;
}

static seL4_Word spin_for(seL4_Word us, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    spin_us(us);
    return 0;
}

/* ConfigureFlags sent by hand, to leave out words or the cap. */
static seL4_Word raw_configure(env_t *env, seL4_CPtr sc, seL4_Word words, seL4_Word caps)
{
    seL4_Word args[5] = {1000, 10000, 0, 0, 0};
    for (seL4_Word i = 0; i < words; i++)
        seL4_SetMR(i, args[i]);
    seL4_SetCap(0, sc);
    seL4_MessageInfo_t r =
        seL4_Call(env->sched_control, seL4_MessageInfo_new(SchedControlConfigureFlags, 0, caps, words));
    return seL4_MessageInfo_get_label(r);
}

TEST(SCHED_CONTEXT0001, "a scheduling context is retyped at seL4_MinSchedContextBits or more, not less")
{
    seL4_CPtr s = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_SchedContextObject, seL4_MinSchedContextBits - 1, ROOT, 0, 0, s, 1),
             seL4_InvalidArgument);
    CHECK_EQ(seL4_DebugCapIdentify(s), 0);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_SchedContextObject, seL4_MinSchedContextBits, ROOT, 0, 0, s, 1), 0);
    CHECK(seL4_DebugCapIdentify(s) != 0);
    seL4_CPtr big = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_SchedContextObject, 12, ROOT, 0, 0, big, 1), 0);
    CHECK(seL4_DebugCapIdentify(big) != 0);
}

TEST(SCHED_CONTEXT0002, "Configure accepts budget < period, budget == period and the sporadic flag")
{
    seL4_CPtr sc = make_object(env, seL4_SchedContextObject, seL4_MinSchedContextBits);
    CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, sc, 1000, 10000, 0, 7), 0);
    CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, sc, 5000, 5000, 0, 7), 0);
    CHECK_EQ(seL4_SchedControl_ConfigureFlags(env->sched_control, sc, 2000, 10000, 0, 7, seL4_SchedContext_Sporadic),
             0);
    /* an unbound SC can be configured again and again */
    for (int i = 1; i <= 10; i++)
        CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, sc, 100 * i, 1000 * i, 0, i), 0);
}

TEST(SCHED_CONTEXT0003, "Configure with budget > period is a RangeError and changes nothing")
{
    seL4_CPtr sc = make_object(env, seL4_SchedContextObject, seL4_MinSchedContextBits);
    CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, sc, 10001, 10000, 0, 0), seL4_RangeError);
    CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, sc, 20000, 1000, 0, 0), seL4_RangeError);
    /* still usable: configure it properly and run a thread on it */
    CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, sc, 1000, 1000, 0, 0), 0);
    helper_t h;
    create_helper(env, &h, 100);
    CHECK_EQ(seL4_SchedContext_UnbindObject(h.sc, h.tcb), 0);
    CHECK_EQ(seL4_SchedContext_Bind(sc, h.tcb), 0);
    volatile seL4_Word flag = 0;
    start_helper(env, &h, set_flag, (seL4_Word)&flag, 0, 0, 0);
    wait_for_helper(env, &h);
    CHECK_EQ(flag, 1);
}

TEST(SCHED_CONTEXT0004, "Configure with period 0 or budget 0 is a RangeError")
{
    seL4_CPtr sc = make_object(env, seL4_SchedContextObject, seL4_MinSchedContextBits);
    CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, sc, 0, 0, 0, 0), seL4_RangeError);
    CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, sc, 1000, 0, 0, 0), seL4_RangeError);
    CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, sc, 0, 1000, 0, 0), seL4_RangeError);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

TEST(SCHED_CONTEXT0005, "Configure with a budget or period beyond the largest time is a RangeError")
{
    seL4_CPtr sc = make_object(env, seL4_SchedContextObject, seL4_MinSchedContextBits);
    seL4_Word huge = ~(seL4_Word)0;
    CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, sc, 1000, huge, 0, 0), seL4_RangeError);
    CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, sc, huge, huge, 0, 0), seL4_RangeError);
    CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, sc, huge / 2, huge / 2, 0, 0), seL4_RangeError);
}

TEST(SCHED_CONTEXT0006, "extra refills up to what the object size holds are accepted, one more is a RangeError")
{
    for (seL4_Word bits = seL4_MinSchedContextBits; bits <= 11; bits++) {
        seL4_CPtr sc = make_object(env, seL4_SchedContextObject, bits);
        seL4_Word max = seL4_MaxExtraRefills(bits);
        CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, sc, 1000, 10000, max + 1, 0), seL4_RangeError);
        CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, sc, 1000, 10000, max, 0), 0);
        CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, sc, 1000, 10000, 0, 0), 0);
    }
    /* the formula itself: a bigger object never holds fewer refills */
    CHECK(seL4_MaxExtraRefills(10) > seL4_MaxExtraRefills(8));
}

TEST(SCHED_CONTEXT0007, "Configure on a cap that is not a scheduling context is InvalidCapability")
{
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, ep, 1000, 10000, 0, 0), seL4_InvalidCapability);
    CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, seL4_CapInitThreadTCB, 1000, 10000, 0, 0),
             seL4_InvalidCapability);
    CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, alloc_slot(env), 1000, 10000, 0, 0),
             seL4_InvalidCapability);
}

TEST(SCHED_CONTEXT0008, "Configure without its cap or with fewer than five words is TruncatedMessage")
{
    seL4_CPtr sc = make_object(env, seL4_SchedContextObject, seL4_MinSchedContextBits);
    CHECK_EQ(raw_configure(env, sc, 5, 0), seL4_TruncatedMessage);
    CHECK_EQ(raw_configure(env, sc, 4, 1), seL4_TruncatedMessage);
    CHECK_EQ(raw_configure(env, sc, 0, 1), seL4_TruncatedMessage);
    CHECK_EQ(raw_configure(env, sc, 5, 1), 0);
}

TEST(SCHED_CONTEXT0009, "a resumed thread without a scheduling context does not run until one is bound")
{
    helper_t h;
    create_helper(env, &h, 100);
    seL4_CPtr sc = h.sc;
    CHECK_EQ(seL4_SchedContext_UnbindObject(sc, h.tcb), 0);
    volatile seL4_Word flag = 0;
    start_helper(env, &h, set_flag, (seL4_Word)&flag, 0, 0, 0);
    let_run_above(0);
    CHECK_EQ(flag, 0);
    CHECK_EQ(seL4_SchedContext_Bind(sc, h.tcb), 0);
    wait_for_helper(env, &h);
    CHECK_EQ(flag, 1);
}

TEST(SCHED_CONTEXT0010, "binding a scheduling context that is bound to a thread is IllegalOperation")
{
    helper_t a, b;
    create_helper(env, &a, 100);
    create_helper(env, &b, 100);
    CHECK_EQ(seL4_SchedContext_UnbindObject(b.sc, b.tcb), 0);
    CHECK_EQ(seL4_SchedContext_Bind(a.sc, b.tcb), seL4_IllegalOperation);
    CHECK_EQ(seL4_SchedContext_Bind(a.sc, a.tcb), seL4_IllegalOperation);
    /* b is still without one: b.sc binds */
    CHECK_EQ(seL4_SchedContext_Bind(b.sc, b.tcb), 0);
}

TEST(SCHED_CONTEXT0011, "binding to a thread that has a scheduling context is IllegalOperation")
{
    helper_t h;
    create_helper(env, &h, 100);
    seL4_CPtr sc = make_sc(env, 1000, 10000, 0, 0);
    CHECK_EQ(seL4_SchedContext_Bind(sc, h.tcb), seL4_IllegalOperation);
    CHECK_EQ(seL4_SchedContext_Bind(sc, seL4_CapInitThreadTCB), seL4_IllegalOperation);
    /* the refused SC is still free */
    helper_t g;
    create_helper(env, &g, 100);
    CHECK_EQ(seL4_SchedContext_UnbindObject(g.sc, g.tcb), 0);
    CHECK_EQ(seL4_SchedContext_Bind(sc, g.tcb), 0);
}

TEST(SCHED_CONTEXT0012, "an SC binds to one notification and a notification to one SC")
{
    seL4_CPtr n1 = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr n2 = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr sc1 = make_sc(env, 1000, 10000, 0, 0), sc2 = make_sc(env, 1000, 10000, 0, 0);
    CHECK_EQ(seL4_SchedContext_Bind(sc1, n1), 0);
    CHECK_EQ(seL4_SchedContext_Bind(sc1, n2), seL4_IllegalOperation);
    CHECK_EQ(seL4_SchedContext_Bind(sc2, n1), seL4_IllegalOperation);
    CHECK_EQ(seL4_SchedContext_Bind(sc2, n2), 0);
    /* a notification's SC and a thread's are separate bindings */
    helper_t h;
    create_helper(env, &h, 100);
    CHECK_EQ(seL4_SchedContext_UnbindObject(h.sc, h.tcb), 0);
    CHECK_EQ(seL4_SchedContext_Bind(sc1, h.tcb), 0);
    CHECK_EQ(seL4_SchedContext_UnbindObject(sc1, n1), 0);
    CHECK_EQ(seL4_SchedContext_Bind(sc2, n1), seL4_IllegalOperation); /* sc2 still has n2 */
    CHECK_EQ(seL4_SchedContext_UnbindObject(sc2, n2), 0);
    CHECK_EQ(seL4_SchedContext_Bind(sc2, n1), 0);
}

TEST(SCHED_CONTEXT0013, "Bind to a cap that is neither a thread nor a notification is InvalidCapability")
{
    seL4_CPtr sc = make_sc(env, 1000, 10000, 0, 0);
    CHECK_EQ(seL4_SchedContext_Bind(sc, make_object(env, seL4_EndpointObject, 0)), seL4_InvalidCapability);
    CHECK_EQ(seL4_SchedContext_Bind(sc, ROOT), seL4_InvalidCapability);
    CHECK_EQ(seL4_SchedContext_Bind(sc, alloc_slot(env)), seL4_InvalidCapability);
    CHECK_EQ(seL4_SchedContext_Bind(sc, make_sc(env, 1000, 10000, 0, 0)), seL4_InvalidCapability);
}

TEST(SCHED_CONTEXT0014, "Unbind stops a running thread where it is; binding again lets it go on")
{
    helper_t h;
    create_helper(env, &h, 100);
    helper_set_sc(env, &h, 1000, 10000, 0, 0); /* so that the driver at priority 0 gets time too */
    counter = 0;
    start_helper(env, &h, count_forever, 0, 0, 0, 0);
    idle_for_us(12000);
    CHECK_EQ(seL4_SchedContext_Unbind(h.sc), 0);
    seL4_Word c = counter;
    CHECK(c > 0);
    idle_for_us(25000);
    CHECK_EQ(counter, c);
    CHECK_EQ(seL4_SchedContext_Bind(h.sc, h.tcb), 0);
    idle_for_us(25000);
    CHECK(counter > c);
    CHECK_EQ(seL4_TCB_Suspend(h.tcb), 0);
}

TEST(SCHED_CONTEXT0015, "Unbind of the scheduling context the caller runs on is IllegalOperation")
{
    CHECK_EQ(seL4_SchedContext_Unbind(seL4_CapInitThreadSC), seL4_IllegalOperation);
    CHECK_EQ(seL4_SchedContext_UnbindObject(seL4_CapInitThreadSC, seL4_CapInitThreadTCB), seL4_IllegalOperation);
    /* and the driver still runs: */
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

TEST(SCHED_CONTEXT0016, "UnbindObject names the bound thread or notification, else IllegalOperation")
{
    helper_t a, b;
    create_helper(env, &a, 100);
    create_helper(env, &b, 100);
    CHECK_EQ(seL4_SchedContext_UnbindObject(a.sc, b.tcb), seL4_IllegalOperation);
    seL4_CPtr n = make_object(env, seL4_NotificationObject, 0);
    CHECK_EQ(seL4_SchedContext_UnbindObject(a.sc, n), seL4_IllegalOperation);
    CHECK_EQ(seL4_SchedContext_Bind(a.sc, n), 0);
    CHECK_EQ(seL4_SchedContext_UnbindObject(a.sc, n), 0);
    CHECK_EQ(seL4_SchedContext_UnbindObject(a.sc, n), seL4_IllegalOperation);
    CHECK_EQ(seL4_SchedContext_UnbindObject(a.sc, a.tcb), 0);
    CHECK_EQ(seL4_SchedContext_UnbindObject(a.sc, a.tcb), seL4_IllegalOperation);
    CHECK_EQ(seL4_SchedContext_UnbindObject(a.sc, make_object(env, seL4_EndpointObject, 0)), seL4_InvalidCapability);
}

TEST(SCHED_CONTEXT0017, "Unbind drops both the thread and the notification binding")
{
    helper_t h;
    create_helper(env, &h, 100);
    seL4_CPtr n = make_object(env, seL4_NotificationObject, 0);
    CHECK_EQ(seL4_SchedContext_Bind(h.sc, n), 0);
    CHECK_EQ(seL4_SchedContext_Unbind(h.sc), 0);
    CHECK(tcb_has_no_sc(env, h.tcb));
    CHECK_EQ(seL4_SchedContext_UnbindObject(h.sc, n), seL4_IllegalOperation);
    /* an unbound SC: Unbind again is harmless */
    CHECK_EQ(seL4_SchedContext_Unbind(h.sc), 0);
}

TEST(SCHED_CONTEXT0018, "Consumed is 0 for a new SC, the time a thread ran on it after that, then 0 again")
{
    seL4_CPtr sc = make_sc(env, 1000, 10000, 0, 0);
    seL4_SchedContext_Consumed_t c = seL4_SchedContext_Consumed(sc);
    CHECK_EQ(c.error, 0);
    CHECK_EQ(c.consumed, 0);
    helper_t h;
    create_helper(env, &h, 100);
    seL4_SchedContext_Consumed(h.sc);
    start_helper(env, &h, spin_for, 5000, 0, 0, 0);
    wait_for_helper(env, &h);
    c = seL4_SchedContext_Consumed(h.sc);
    CHECK_EQ(c.error, 0);
    CHECK(c.consumed >= 5000);
    CHECK(c.consumed < 5000 + 500);
    c = seL4_SchedContext_Consumed(h.sc);
    CHECK_EQ(c.error, 0);
    CHECK_EQ(c.consumed, 0);
}

TEST(SCHED_CONTEXT0019, "Consumed of the caller's own SC counts the caller's time")
{
    seL4_SchedContext_Consumed(seL4_CapInitThreadSC);
    spin_us(3000);
    seL4_SchedContext_Consumed_t c = seL4_SchedContext_Consumed(seL4_CapInitThreadSC);
    CHECK_EQ(c.error, 0);
    CHECK(c.consumed >= 3000);
    CHECK(c.consumed < 3000 + 500);
}

static seL4_Word yield_to(seL4_Word sc, seL4_Word out, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    seL4_SchedContext_YieldTo_t r = seL4_SchedContext_YieldTo(sc);
    *(volatile seL4_Word *)out = r.consumed;
    return (seL4_Word)r.error;
}

TEST(SCHED_CONTEXT0020, "YieldTo an unbound SC, to one's own SC or above one's MCP is IllegalOperation")
{
    seL4_CPtr sc = make_sc(env, 1000, 10000, 0, 0);
    CHECK_EQ(seL4_SchedContext_YieldTo(sc).error, seL4_IllegalOperation);
    CHECK_EQ(seL4_SchedContext_YieldTo(seL4_CapInitThreadSC).error, seL4_IllegalOperation);
    /* a caller of MCP 0 yielding to a thread of priority 100 */
    helper_t target, caller;
    create_helper(env, &target, 100);
    create_helper(env, &caller, 100);
    volatile seL4_Word out = 0;
    start_helper(env, &caller, yield_to, target.sc, (seL4_Word)&out, 0, 0);
    CHECK_EQ(wait_for_helper(env, &caller), seL4_IllegalOperation);
}

TEST(SCHED_CONTEXT0021, "YieldTo a lower-priority thread returns at once without running it")
{
    helper_t low;
    create_helper(env, &low, 10);
    volatile seL4_Word flag = 0;
    start_helper(env, &low, set_flag, (seL4_Word)&flag, 0, 0, 0);
    seL4_SchedContext_YieldTo_t r = seL4_SchedContext_YieldTo(low.sc);
    CHECK_EQ(r.error, 0);
    CHECK_EQ(flag, 0);
    wait_for_helper(env, &low);
    CHECK_EQ(flag, 1);
}

static volatile seL4_Word yield_order[4];
static volatile int n_yield_order;
static seL4_Word note_and_spin(seL4_Word id, seL4_Word us, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    spin_us(us);
    yield_order[n_yield_order++] = id;
    return 0;
}
static seL4_Word yield_then_note(seL4_Word sc, seL4_Word target, seL4_Word out, seL4_Word d)
{
    (void)d;
    volatile seL4_Word *o = (volatile seL4_Word *)out;
    /* the target becomes runnable behind this thread at the same priority */
    seL4_TCB_Resume(target);
    o[0] = (seL4_Word)n_yield_order;
    seL4_SchedContext_YieldTo_t r = seL4_SchedContext_YieldTo(sc);
    yield_order[n_yield_order++] = 2;
    o[1] = r.consumed;
    return (seL4_Word)r.error;
}

TEST(SCHED_CONTEXT0022, "YieldTo an equal-priority thread runs it first and returns the time it consumed")
{
    n_yield_order = 0;
    helper_t target, caller;
    create_helper(env, &target, 100);
    create_helper(env, &caller, 100);
    CHECK_EQ(seL4_TCB_SetMCPriority(caller.tcb, seL4_CapInitThreadTCB, 100), 0);
    seL4_SchedContext_Consumed(target.sc);
    volatile seL4_Word out[2] = {99, 0};
    start_helper(env, &target, note_and_spin, 1, 2000, 0, 0);
    CHECK_EQ(seL4_TCB_Suspend(target.tcb), 0); /* it has not run yet: the driver has priority 255 */
    start_helper(env, &caller, yield_then_note, target.sc, target.tcb, (seL4_Word)out, 0);
    CHECK_EQ(wait_for_helper(env, &caller), 0);
    wait_for_helper(env, &target);
    CHECK_EQ(out[0], 0); /* the target had not run before YieldTo */
    CHECK_EQ(n_yield_order, 2);
    CHECK_EQ(yield_order[0], 1);
    CHECK_EQ(yield_order[1], 2);
    CHECK(out[1] >= 2000);
}

TEST(SCHED_CONTEXT0023,
     "SetSchedParams with an SC for a thread that has another, or an SC bound elsewhere, is IllegalOperation")
{
    helper_t a, b;
    create_helper(env, &a, 100);
    create_helper(env, &b, 100);
    seL4_CPtr sc = make_sc(env, 1000, 10000, 0, 0);
    CHECK_EQ(seL4_TCB_SetSchedParams(a.tcb, seL4_CapInitThreadTCB, 0, 100, sc, seL4_CapNull), seL4_IllegalOperation);
    CHECK_EQ(seL4_SchedContext_UnbindObject(a.sc, a.tcb), 0);
    CHECK_EQ(seL4_TCB_SetSchedParams(a.tcb, seL4_CapInitThreadTCB, 0, 100, b.sc, seL4_CapNull), seL4_IllegalOperation);
    CHECK_EQ(seL4_TCB_SetSchedParams(a.tcb, seL4_CapInitThreadTCB, 0, 100, sc, seL4_CapNull), 0);
    CHECK_EQ(seL4_SchedContext_UnbindObject(sc, a.tcb), 0); /* a runs on sc now */
    /* the same SC again is no change */
    CHECK_EQ(seL4_SchedContext_Bind(sc, a.tcb), 0);
    CHECK_EQ(seL4_TCB_SetSchedParams(a.tcb, seL4_CapInitThreadTCB, 0, 100, sc, seL4_CapNull), 0);
}

TEST(SCHED_CONTEXT0024, "a thread bound to a scheduling context that was never configured does not run")
{
    helper_t h;
    create_helper(env, &h, 100);
    CHECK_EQ(seL4_SchedContext_UnbindObject(h.sc, h.tcb), 0);
    seL4_CPtr sc = make_object(env, seL4_SchedContextObject, seL4_MinSchedContextBits);
    CHECK_EQ(seL4_SchedContext_Bind(sc, h.tcb), 0);
    volatile seL4_Word flag = 0;
    start_helper(env, &h, set_flag, (seL4_Word)&flag, 0, 0, 0);
    idle_for_us(5000);
    CHECK_EQ(flag, 0);
    CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, sc, 1000, 10000, 0, 0), 0);
    wait_for_helper(env, &h);
    CHECK_EQ(flag, 1);
}
