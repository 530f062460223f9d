/* IPC0090: threads doing random IPC at once. Six helpers run random Send,
 * NBSend, Call, Recv, NBRecv, ReplyRecv, Reply, Signal, Wait, Poll and
 * Yield on endpoints and notifications (badged and not, with and without
 * rights), with message lengths that take the fastpath and lengths that do
 * not, and with caps to transfer. Between their bursts the root task
 * disrupts them: it deletes and recreates endpoints, cancels badged sends,
 * suspends and resumes threads, changes their priorities, binds and unbinds
 * notifications and empties the CNode that caps are received into. The
 * kernel's invariants (including what the fastpath relies on, which debug
 * builds check at every fastpath call) must hold after every round, and all
 * memory must come back at the end. */
#include "framework.h"

#define HELPERS 6
#define ROUNDS 400
#define BURST 40

/* Window layout (offsets from lo). */
enum {
    W_EP = 0,                /* 3 endpoints, all rights */
    W_BADGED = 3,            /* 6 badged or reduced copies of the endpoints */
    W_NTFN = 9,              /* 2 notifications */
    W_NBADGED = 11,          /* 2 badged notification copies */
    W_CNODE = 13,            /* receive CNode, 16 slots */
    W_FRAME = 14,            /* a frame to pass around */
    W_GO = 15,               /* one "go" notification per helper */
    W_BIND = W_GO + HELPERS, /* 2 notifications the root binds to helpers */
    W_UT = W_BIND + 2,
    W_SIZE = W_UT + 1,
};

typedef struct chaos {
    seL4_CPtr lo;
    uint64_t rng;
    seL4_CPtr go;
    volatile seL4_Word ops;
} chaos_t;

static chaos_t chaos[HELPERS];

static uint64_t pick_from(uint64_t *x, uint64_t n) { return test_rnd(x) % n; }

/* For sending: an IPC cap of the window, or now and then the CNode, the
 * frame or an empty slot (those invocations fail with an error). */
static seL4_CPtr ipc_cap(uint64_t *x, seL4_CPtr lo)
{
    switch (pick_from(x, 16)) {
    case 0:
        return lo + W_CNODE;
    case 1:
        return lo + W_FRAME;
    case 2:
        return lo + W_SIZE + pick_from(x, 4); /* empty */
    default:
        return lo + pick_from(x, W_CNODE);
    }
}

/* For receiving: a cap with the Read right. Receiving through anything else
 * is a cap fault, and the thread would repeat the faulting system call each
 * time it is resumed. (W_BADGED + 3 is the write-only copy.) */
static seL4_CPtr recv_cap(uint64_t *x, seL4_CPtr lo)
{
    static const seL4_Word readable[] = {W_EP,         W_EP + 1,     W_EP + 2, W_BADGED,   W_BADGED + 1, W_BADGED + 2,
                                         W_BADGED + 4, W_BADGED + 5, W_NTFN,   W_NTFN + 1, W_NBADGED,    W_NBADGED + 1};
    return lo + readable[pick_from(x, sizeof readable / sizeof readable[0])];
}

static seL4_MessageInfo_t rnd_msg(uint64_t *x, seL4_CPtr lo)
{
    seL4_Word len = pick_from(x, 4) ? pick_from(x, 5) : pick_from(x, 12);
    for (seL4_Word i = 0; i < len; i++)
        seL4_SetMR((int)i, test_rnd(x));
    seL4_Word caps = pick_from(x, 4) ? 0 : pick_from(x, 4);
    for (seL4_Word i = 0; i < caps; i++)
        seL4_SetCap((int)i, pick_from(x, 3) ? lo + pick_from(x, W_GO) : lo + W_SIZE);
    seL4_SetCapReceivePath(lo + W_CNODE, pick_from(x, 16), 4);
    return seL4_MessageInfo_new(pick_from(x, 8), 0, caps, len);
}

static seL4_Word chaos_thread(seL4_Word index, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    chaos_t *ch = &chaos[index];
    uint64_t *x = &ch->rng;
    seL4_CPtr lo = ch->lo;
    seL4_Word badge;
    for (;;) {
        seL4_Wait(ch->go, NULL);
        for (int i = 0; i < BURST; i++) {
            seL4_CPtr cap = ipc_cap(x, lo), rcap = recv_cap(x, lo);
            seL4_MessageInfo_t m = rnd_msg(x, lo);
            switch (pick_from(x, 11)) {
            case 0:
                seL4_Send(cap, m);
                break;
            case 1:
                seL4_NBSend(cap, m);
                break;
            case 2:
                /* a Call through a cap without Grant or GrantReply leaves the
                 * caller stopped (as on seL4), and resuming repeats it */
                seL4_Call(cap == lo + W_BADGED + 3 ? lo + W_EP : cap, m);
                break;
            case 3:
                api_recv(rcap, &badge, test_reply);
                break;
            case 4:
                api_nbrecv(rcap, &badge, test_reply);
                break;
            case 5:
                api_reply_recv(rcap, m, &badge, test_reply);
                break;
            case 6:
                api_reply(test_reply, m);
                break;
            case 7:
                seL4_Signal(cap);
                break;
            case 8:
                seL4_Wait(rcap, &badge);
                break;
            case 9:
                seL4_Poll(rcap, &badge);
                break;
            default:
                seL4_Yield();
                break;
            }
            ch->ops++;
        }
    }
    return 0;
}

static uint64_t root_rng;
static seL4_Word rpick(seL4_Word n) { return pick_from(&root_rng, n); }

static void make_badged(seL4_CPtr lo)
{
    static const seL4_Word badges[6] = {1, 2, 0x40, 7, 0, 0x8000};
    for (int i = 0; i < 6; i++) {
        seL4_CapRights_t r = i == 3 ? seL4_CanWrite : i == 4 ? seL4_CanRead : seL4_AllRights;
        seL4_CNode_Mint(ROOT, lo + W_BADGED + i, WB, ROOT, lo + W_EP + i % 3, WB, r, badges[i]);
    }
}

/* One of the root task's disruptions, between the helpers' bursts. */
static void disrupt(env_t *env, seL4_CPtr lo, helper_t *h)
{
    seL4_CPtr ep = lo + W_EP + rpick(3);
    switch (rpick(9)) {
    case 0: /* delete an endpoint with all its copies, then a new one in its slot */
        seL4_CNode_Revoke(ROOT, ep, WB);
        seL4_CNode_Delete(ROOT, ep, WB);
        seL4_Untyped_Retype(lo + W_UT, seL4_EndpointObject, 0, ROOT, 0, 0, ep, 1);
        make_badged(lo);
        break;
    case 1:
        seL4_CNode_CancelBadgedSends(ROOT, lo + W_BADGED + rpick(6), WB);
        break;
    case 2:
        seL4_TCB_Suspend(h[rpick(HELPERS)].tcb);
        break;
    case 3:
        seL4_TCB_SetPriority(h[rpick(HELPERS)].tcb, seL4_CapInitThreadTCB, 100 + rpick(3));
        break;
    case 4:
        seL4_TCB_BindNotification(h[rpick(HELPERS)].tcb, lo + W_BIND + rpick(2));
        break;
    case 5:
        seL4_TCB_UnbindNotification(h[rpick(HELPERS)].tcb);
        break;
    case 6:
        for (seL4_Word i = 0; i < 16; i++)
            seL4_CNode_Delete(lo + W_CNODE, i, 4);
        break;
    case 7:
        seL4_SetMR(0, rpick(100));
        seL4_NBSend(lo + W_BADGED + rpick(6), seL4_MessageInfo_new(0, 0, 0, rpick(6)));
        break;
    default:
        seL4_Signal(lo + W_NBADGED + rpick(2));
        break;
    }
    (void)env;
}

/* Wake helpers blocked in IPC so that each gets back to its "go": take
 * pending sends and calls (replying to calls), feed waiting receivers,
 * signal the notifications. */
static void unblock(seL4_CPtr lo)
{
    for (int k = 0; k < 2 * HELPERS; k++)
        for (int e = 0; e < 3; e++) {
            api_nbrecv(lo + W_EP + e, NULL, test_reply);
            api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, 0));
            seL4_NBSend(lo + W_EP + e, seL4_MessageInfo_new(0, 0, 0, 0));
        }
    for (int n = 0; n < 2; n++) {
        seL4_Signal(lo + W_NTFN + n);
        seL4_Signal(lo + W_BIND + n);
    }
}

static void ipc_storm(env_t *env, uint64_t seed)
{
    helper_t h[HELPERS];
    root_rng = seed;
    seL4_CPtr lo = env->slot_next;
    env->slot_next += W_SIZE + 4;
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_UntypedObject, 16, ROOT, 0, 0, lo + W_UT, 1), 0);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_EndpointObject, 0, ROOT, 0, 0, lo + W_EP, 3), 0);
    make_badged(lo);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_NotificationObject, 0, ROOT, 0, 0, lo + W_NTFN, 2), 0);
    for (int i = 0; i < 2; i++)
        CHECK_EQ(seL4_CNode_Mint(ROOT, lo + W_NBADGED + i, WB, ROOT, lo + W_NTFN + i, WB, seL4_AllRights, 1u << i), 0);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_CapTableObject, 4, ROOT, 0, 0, lo + W_CNODE, 1), 0);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, TEST_FRAME_4K, 0, ROOT, 0, 0, lo + W_FRAME, 1), 0);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_NotificationObject, 0, ROOT, 0, 0, lo + W_GO, HELPERS), 0);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_NotificationObject, 0, ROOT, 0, 0, lo + W_BIND, 2), 0);

    for (int i = 0; i < HELPERS; i++) {
        chaos[i] = (chaos_t){.lo = lo, .rng = (seed ^ 0x3c6ef372fe94f82bull) * (i + 1) | 1, .go = lo + W_GO + i};
        create_helper(env, &h[i], 100 + i % 2);
        start_helper(env, &h[i], chaos_thread, i, 0, 0, 0);
    }
    seL4_Word fast_before = seL4_HypDebugFastpathCount();
    /* the root's deletes and cancels stop at every preemption point (as if
     * an interrupt had come) and restart; invariants are checked at each */
    seL4_Word restarts = seL4_HypDebugPreempt(1 | seL4_HypPreemptCheck);
    for (int round = 0; round < ROUNDS && env->failures == 0; round++) {
        unblock(lo);
        for (int i = 0; i < HELPERS; i++) {
            seL4_Signal(lo + W_GO + i);
            seL4_TCB_Resume(h[i].tcb); /* those stopped by a cap fault retry */
        }
        /* the helpers run until every one of them waits */
        set_own_priority(50);
        set_own_priority(seL4_MaxPrio);
        CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
        for (int k = 0; k < 3; k++)
            disrupt(env, lo, h);
    }
    seL4_Word ops = 0;
    for (int i = 0; i < HELPERS; i++) {
        seL4_TCB_Suspend(h[i].tcb);
        ops += chaos[i].ops;
    }
    restarts = seL4_HypDebugPreempt(0) - restarts;
    seL4_Word fast = seL4_HypDebugFastpathCount() - fast_before;
    printf("#   %lu random IPC operations, %lu completed on the fastpath, %lu restarts after preemption\n",
           (unsigned long)ops, (unsigned long)fast, (unsigned long)restarts);
    /* blocking operations without a partner end a burst early */
    CHECK(ops > ROUNDS * HELPERS);
    CHECK(fast > 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    for (int i = 0; i < HELPERS; i++)
        destroy_helper(env, &h[i]);
    for (seL4_CPtr c = lo; c < lo + W_SIZE; c++)
        seL4_CNode_Delete(ROOT, c, WB);
    check_untyped_recovers(env);
}

TEST(IPC0090, "six threads doing random IPC while the root deletes, cancels, suspends: invariants hold")
{
    run_storms(env, 0x6a09e667f3bcc909ull, ipc_storm);
}
