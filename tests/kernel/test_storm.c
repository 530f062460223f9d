/* Garbage in: thousands of invocations with random labels, slots, depths,
 * sizes and counts. Every call must come back with an seL4 error code (or
 * succeed), the kernel's invariants must hold afterwards, and all memory
 * must be recoverable by revoking the untyped it came from. The random
 * arguments never name the root task's own vital slots, only a sandbox
 * window, garbage values, or other CNodes inside the sandbox. */
#include "framework.h"

#define WINDOW 64

typedef struct storm {
    env_t *env;
    seL4_CPtr lo, hi; /* sandbox window in the root CNode */
    uint64_t rng;
    unsigned results[16];
    unsigned odd_results;
} storm_t;

static uint64_t rnd(storm_t *s)
{
    /* xorshift64*: deterministic, so a failure can be replayed */
    s->rng ^= s->rng >> 12;
    s->rng ^= s->rng << 25;
    s->rng ^= s->rng >> 27;
    return s->rng * 0x2545f4914f6cdd1dull;
}
static uint64_t pick(storm_t *s, uint64_t n) { return rnd(s) % n; }

/* A slot index: mostly in the window, sometimes garbage that cannot resolve. */
static seL4_Word rnd_index(storm_t *s)
{
    switch (pick(s, 8)) {
    case 0:
        return rnd(s) | (1ull << 40);
    default:
        return s->lo + pick(s, s->hi - s->lo);
    }
}
static seL4_Word rnd_depth(storm_t *s)
{
    switch (pick(s, 6)) {
    case 0:
        return pick(s, 70);
    case 1:
        return pick(s, 9);
    default:
        return WB;
    }
}
/* Roots for source lookups: the root CNode, a sandbox slot, or anything below 4096. */
static seL4_CPtr rnd_root(storm_t *s)
{
    switch (pick(s, 3)) {
    case 0:
        return ROOT;
    case 1:
        return s->lo + pick(s, s->hi - s->lo);
    default:
        return pick(s, 4096);
    }
}
/* Invoked caps: sandbox slots, or the root CNode itself. */
static seL4_CPtr rnd_service(storm_t *s)
{
    /* prefer slots that hold something, so that most calls reach a decoder */
    for (int tries = 0; tries < 4; tries++) {
        seL4_CPtr c = s->lo + pick(s, s->hi - s->lo);
        if (seL4_DebugCapIdentify(c) != seL4_CapTag_Null || tries == 3)
            return pick(s, 5) == 0 ? ROOT : c;
    }
    return ROOT;
}

static void record(storm_t *s, int r)
{
    if (r >= 0 && r < seL4_NumErrors)
        s->results[r]++;
    else
        s->odd_results++;
}

/* A blocking call on an endpoint would wait for a receiver that never comes. */
static bool safe_to_invoke(seL4_CPtr c)
{
    unsigned t = seL4_DebugCapIdentify(c);
    return t != seL4_CapTag_Endpoint && t != seL4_CapTag_Reply;
}

static void cnode_op(storm_t *s)
{
    seL4_CPtr svc = rnd_service(s);
    if (!safe_to_invoke(svc))
        return;
    seL4_Word label = CNodeRevoke + pick(s, CNodeSaveCaller - CNodeRevoke + 1);
    if (pick(s, 10) == 0)
        label = pick(s, nInvocationLabels + 4);
    seL4_Word len = pick(s, 10) == 0 ? pick(s, 9) : 8;
    seL4_Word a[8];
    a[0] = rnd_index(s);
    a[1] = rnd_depth(s);
    a[2] = rnd_index(s);
    a[3] = rnd_depth(s);
    a[4] = label == CNodeRotate ? rnd_index(s) : rnd(s);
    a[5] = pick(s, 2) ? rnd(s) : pick(s, 16);
    a[6] = rnd_index(s);
    a[7] = rnd_depth(s);
    if (label == CNodeRotate) { /* pivot index, depth, badge, src index, depth */
        a[3] = rnd_index(s);
        a[4] = rnd_depth(s);
    }
    /* Rotate through the root must keep pivot and source in the window too */
    seL4_SetCap(0, rnd_root(s));
    seL4_SetCap(1, rnd_root(s));
    seL4_Word ncaps = pick(s, 4);
    record(s, seL4_hyp_invoke(svc, label, ncaps, len, a, NULL));
}

static void retype_op(storm_t *s)
{
    seL4_CPtr svc = rnd_service(s);
    if (!safe_to_invoke(svc))
        return;
    seL4_Word a[6];
    a[0] = pick(s, 12);                                  /* type, some invalid */
    a[1] = pick(s, 4) == 0 ? pick(s, 64) : pick(s, 17);   /* size bits */
    a[2] = rnd_index(s);                                  /* node index */
    a[3] = pick(s, 2) ? 0 : rnd_depth(s);                 /* node depth */
    a[5] = pick(s, 8) == 0 ? rnd(s) % 300 : 1 + pick(s, 3);
    /* node offset: in the window when the destination is the root CNode */
    a[4] = pick(s, 8) == 0 ? rnd(s) % 5000 : s->lo + pick(s, s->hi - s->lo);
    if (a[3] == 0 && a[4] >= s->lo && a[4] < s->hi && a[4] + a[5] > s->hi)
        a[5] = s->hi - a[4];
    seL4_CPtr root = pick(s, 4) ? ROOT : rnd_root(s);
    if (root == ROOT && a[3] == 0 && (a[4] < s->lo || a[4] >= s->hi) && a[4] < 4096)
        a[4] = s->lo;
    seL4_SetCap(0, root);
    record(s, seL4_hyp_invoke(svc, pick(s, 12) ? UntypedRetype : pick(s, 60), 1, pick(s, 12) ? 6 : pick(s, 7), a,
                              NULL));
}

static void storm_setup(storm_t *s, env_t *env, uint64_t seed)
{
    *s = (storm_t){.env = env, .rng = seed};
    s->lo = env->slot_next;
    env->slot_next += WINDOW;
    s->hi = env->slot_next;
    /* seed the window: untypeds of several sizes, a sandbox CNode, caps to play with */
    seL4_Untyped_Retype(env->ut, seL4_UntypedObject, 16, ROOT, 0, 0, s->lo, 4);
    seL4_Untyped_Retype(env->ut, seL4_UntypedObject, 12, ROOT, 0, 0, s->lo + 4, 4);
    seL4_Untyped_Retype(env->ut, seL4_CapTableObject, 6, ROOT, 0, 0, s->lo + 8, 2);
    seL4_Untyped_Retype(env->ut, seL4_NotificationObject, 0, ROOT, 0, 0, s->lo + 10, 2);
    seL4_Untyped_Retype(env->ut, seL4_EndpointObject, 0, ROOT, 0, 0, s->lo + 12, 2);
    seL4_CNode_Copy(ROOT, s->lo + 14, WB, ROOT, seL4_CapDomain, WB, seL4_AllRights);
}

static void storm_check(storm_t *s, env_t *env, unsigned iterations)
{
    CHECK_EQ(s->odd_results, 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    printf("#   %u calls: ok %u, invalid arg %u, invalid cap %u, illegal op %u, range %u, failed lookup %u, "
           "truncated %u, delete first %u, revoke first %u, no memory %u\n",
           iterations, s->results[0], s->results[1], s->results[2], s->results[3], s->results[4], s->results[6],
           s->results[7], s->results[8], s->results[9], s->results[10]);
    /* nothing is lost: after a revoke the whole untyped is available again */
    for (seL4_CPtr c = s->lo; c < s->hi; c++)
        seL4_CNode_Delete(ROOT, c, WB);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, env->ut, WB), 0);
    seL4_CPtr t = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_UntypedObject, env->ut_bits, ROOT, 0, 0, t, 1), 0);
}

TEST(CNODEOP0090, "random CNode invocations: seL4 errors only, invariants hold, nothing lost")
{
    storm_t s;
    storm_setup(&s, env, 0x9e3779b97f4a7c15ull);
    const unsigned n = 6000;
    for (unsigned i = 0; i < n; i++) {
        if (pick(&s, 4) == 0)
            retype_op(&s);
        else
            cnode_op(&s);
        if (i % 1000 == 999)
            CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    }
    storm_check(&s, env, n);
}

TEST(RETYPE0090, "random retypes: seL4 errors only, invariants hold, nothing lost")
{
    storm_t s;
    storm_setup(&s, env, 0x243f6a8885a308d3ull);
    const unsigned n = 6000;
    for (unsigned i = 0; i < n; i++) {
        if (pick(&s, 4) == 0)
            cnode_op(&s);
        else
            retype_op(&s);
        if (i % 1000 == 999)
            CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    }
    storm_check(&s, env, n);
}
