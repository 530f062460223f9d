/* MCS_STORM: thousands of random MCS invocations (SchedControl_Configure
 * with good and bad parameters, SchedContext Bind/Unbind/UnbindObject/
 * Consumed/YieldTo, SetSchedParams and SetTimeoutEndpoint, deleting and
 * re-making scheduling contexts and reply objects, Suspend/Resume) while
 * helper threads call, serve, wait and spin on whatever scheduling
 * contexts they have at the moment. Every invocation must end in success
 * or an seL4 error, the kernel's invariants (which cover SCs, refills,
 * reply objects, call stacks and the release queue) must hold throughout,
 * and all memory must come back at the end. */
#include "mcs_helpers.h"

#define N_SC 8
#define N_HELPERS 6
#define N_NTFN 3
#define N_REPLY 3
#define STEPS 1500

typedef struct mcs_storm {
    env_t *env;
    uint64_t rng;
    seL4_CPtr sc[N_SC], ntfn[N_NTFN], reply[N_REPLY], ep[2];
    seL4_Word sc_bits[N_SC];
    helper_t h[N_HELPERS];
    seL4_Word calls[9];
    helper_t watchdog;
    volatile uint64_t deadline;
    volatile int starved, done;
    int last_op;
} mcs_storm_t;

static volatile seL4_Word activity;

/* At priority 254 on 100 us every 2 ms: if the driver has not come back
 * by its deadline, some thread ran beyond its budget; stop the helpers so
 * that the test fails instead of hanging. */
static seL4_Word storm_watchdog(seL4_Word sp, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    mcs_storm_t *s = (mcs_storm_t *)sp;
    while (!s->done) {
        if (now_us() > s->deadline && !s->starved) {
            for (int i = 0; i < N_HELPERS; i++)
                seL4_TCB_Suspend(s->h[i].tcb);
            s->starved = 1;
        }
    }
    return 0;
}

static seL4_Word pick(mcs_storm_t *s, seL4_Word n) { return test_rnd(&s->rng) % n; }

static seL4_Word storm_client(seL4_Word ep, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    for (;;) {
        seL4_SetMR(0, 20);
        seL4_Call(ep, seL4_MessageInfo_new(SPIN_REQUEST, 0, 0, 1));
        activity++;
    }
    return 0;
}

static seL4_Word storm_waiter(seL4_Word ntfn, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    for (;;) {
        seL4_Wait(ntfn, NULL);
        activity++;
    }
    return 0;
}

static seL4_Word storm_spinner(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)a, (void)b, (void)c, (void)d;
    for (;;) {
        spin_us(50);
        activity++;
        if (activity % 7 == 0)
            seL4_Yield();
    }
    return 0;
}

/* Budgets the storm gives stay under 1/32 of their period and the
 * helpers' own SCs have 10 %, so that together they leave the driver time
 * at priority 0. */
static void random_times(mcs_storm_t *s, seL4_Word *budget, seL4_Word *period)
{
    *period = 1000 + pick(s, 20000);
    *budget = 30 + pick(s, *period / 32);
    switch (pick(s, 12)) {
    case 0:
        *budget = *period + 1 + pick(s, 1000); /* budget > period */
        break;
    case 1:
        *period = 0;
        break;
    case 2:
        *budget = 0;
        break;
    case 3:
        *budget = *period = ~(seL4_Word)0 >> pick(s, 8);
        break;
    default:
        break;
    }
}

static seL4_CPtr random_object(mcs_storm_t *s)
{
    switch (pick(s, 6)) {
    case 0:
        return s->sc[pick(s, N_SC)];
    case 1:
    case 2:
        return s->h[pick(s, N_HELPERS)].tcb;
    case 3:
        return s->ntfn[pick(s, N_NTFN)];
    case 4:
        return s->ep[pick(s, 2)];
    default:
        return s->reply[pick(s, N_REPLY)];
    }
}

static void remake_sc(mcs_storm_t *s, int i)
{
    env_t *env = s->env;
    CHECK_EQ(seL4_CNode_Delete(ROOT, s->sc[i], WB), 0);
    s->sc_bits[i] = seL4_MinSchedContextBits + pick(s, 3);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_SchedContextObject, s->sc_bits[i], ROOT, 0, 0, s->sc[i], 1), 0);
}

static void step(mcs_storm_t *s)
{
    env_t *env = s->env;
    int op = (int)pick(s, 9);
    seL4_CPtr sc = s->sc[pick(s, N_SC)];
    helper_t *h = &s->h[pick(s, N_HELPERS)];
    long e = 0;
    switch (op) {
    case 0: {
        seL4_Word budget, period;
        random_times(s, &budget, &period);
        int i = (int)pick(s, N_SC);
        seL4_Word extra = pick(s, 4) ? pick(s, seL4_MaxExtraRefills(s->sc_bits[i]) + 1) : pick(s, 64);
        e = seL4_SchedControl_ConfigureFlags(env->sched_control, s->sc[i], budget, period, extra, pick(s, 100),
                                             pick(s, 2));
        break;
    }
    case 1:
        e = seL4_SchedContext_Bind(sc, random_object(s));
        break;
    case 2:
        e = pick(s, 2) ? seL4_SchedContext_Unbind(sc) : seL4_SchedContext_UnbindObject(sc, random_object(s));
        break;
    case 3:
        e = pick(s, 2) ? seL4_SchedContext_Consumed(sc).error : seL4_SchedContext_YieldTo(sc).error;
        break;
    case 4:
        e = seL4_TCB_SetSchedParams(h->tcb, seL4_CapInitThreadTCB, pick(s, 200), 1 + pick(s, 200),
                                    pick(s, 3) ? sc : seL4_CapNull, pick(s, 2) ? s->ep[1] : seL4_CapNull);
        break;
    case 5:
        e = seL4_TCB_SetTimeoutEndpoint(h->tcb, pick(s, 2) ? s->ep[1] : random_object(s));
        break;
    case 6:
        if (pick(s, 2)) {
            remake_sc(s, (int)pick(s, N_SC));
        } else {
            seL4_CPtr r = pick(s, 2) ? s->reply[pick(s, N_REPLY)] : h->reply;
            CHECK_EQ(seL4_CNode_Delete(ROOT, r, WB), 0);
            CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_ReplyObject, 0, ROOT, 0, 0, r, 1), 0);
        }
        break;
    case 7:
        e = pick(s, 2) ? seL4_TCB_Suspend(h->tcb) : seL4_TCB_Resume(h->tcb);
        break;
    default:
        if (pick(s, 2))
            seL4_Signal(s->ntfn[pick(s, N_NTFN)]);
        else
            idle_for_us(200 + pick(s, 2000));
        break;
    }
    if (e < 0 || e > seL4_NotEnoughMemory) {
        printf("#   operation %d: %ld is no seL4 error\n", op, e);
        env->failures++;
    }
    s->calls[op]++;
    s->last_op = op;
}

static void mcs_storm(env_t *env, uint64_t seed)
{
    static mcs_storm_t st;
    mcs_storm_t *s = &st;
    *s = (mcs_storm_t){.env = env, .rng = seed | 1};
    activity = 0;
    for (int i = 0; i < 2; i++)
        s->ep[i] = make_object(env, seL4_EndpointObject, 0);
    for (int i = 0; i < N_NTFN; i++)
        s->ntfn[i] = make_object(env, seL4_NotificationObject, 0);
    for (int i = 0; i < N_REPLY; i++)
        s->reply[i] = make_object(env, seL4_ReplyObject, 0);
    for (int i = 0; i < N_SC; i++) {
        s->sc_bits[i] = seL4_MinSchedContextBits + (seL4_Word)(i % 3);
        s->sc[i] = make_object(env, seL4_SchedContextObject, s->sc_bits[i]);
    }
    helper_fn_t fns[N_HELPERS] = {spin_server, storm_client, storm_client, storm_waiter, storm_waiter, storm_spinner};
    seL4_Word args[N_HELPERS] = {s->ep[0], s->ep[0], s->ep[0], s->ntfn[0], s->ntfn[1], 0};
    for (int i = 0; i < N_HELPERS; i++) {
        create_helper(env, &s->h[i], 50 + 10 * (seL4_Word)i);
        CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, s->h[i].sc, 500, 5000, 0, i), 0);
        start_helper(env, &s->h[i], fns[i], args[i], 0, 0, 0);
    }
    s->deadline = now_us() + 500000;
    create_helper(env, &s->watchdog, 254);
    helper_set_sc(env, &s->watchdog, 100, 2000, 0, 0);
    start_helper(env, &s->watchdog, storm_watchdog, (seL4_Word)s, 0, 0, 0);
    if (env->failures)
        return;
    int steps = 0;
    for (int i = 0; i < STEPS && env->failures == 0; i++, steps++) {
        s->deadline = now_us() + 500000;
        step(s);
        if (s->starved) {
            printf("#   the driver at priority 0 got no time for 500 ms after step %d (operation %d last)\n", i,
                   (int)s->last_op);
            CHECK(!s->starved);
            break;
        }
        if (i % 50 == 49) {
            seL4_Word bad = seL4_HypDebugCheckInvariants();
            if (bad) {
                printf("#   invariants broken after step %d\n", i);
                CHECK_EQ(bad, 0);
            }
        }
    }
    printf("#   %d steps: configure %lu, bind %lu, unbind %lu, consumed/yieldto %lu, sched params %lu, "
           "timeout ep %lu, remake %lu, suspend/resume %lu, signal/idle %lu; helpers did %lu things\n",
           steps, (unsigned long)s->calls[0], (unsigned long)s->calls[1], (unsigned long)s->calls[2],
           (unsigned long)s->calls[3], (unsigned long)s->calls[4], (unsigned long)s->calls[5],
           (unsigned long)s->calls[6], (unsigned long)s->calls[7], (unsigned long)s->calls[8], (unsigned long)activity);
    s->done = 1;
    for (int i = 0; i < N_HELPERS; i++)
        seL4_TCB_Suspend(s->h[i].tcb);
    wait_for_helper(env, &s->watchdog);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    check_untyped_recovers(env);
}

TEST(MCS_STORM0001, "random MCS invocations among running threads: seL4 errors only, invariants hold, nothing lost")
{
    run_storms(env, 0x510e527fade682d1ull, mcs_storm);
}
