/* Garbage in: thousands of invocations with random labels, slots, depths,
 * sizes and counts. Every call must come back with an seL4 error code (or
 * succeed), the kernel's invariants must hold afterwards, and all memory
 * must be recoverable by revoking the untyped it came from. The random
 * arguments never name the root task's own vital slots, only a sandbox
 * window, garbage values, or other CNodes inside the sandbox. */
#include "storm_helpers.h"

#define WINDOW 64

typedef struct storm {
    env_t *env;
    seL4_CPtr lo, hi; /* sandbox window in the root CNode */
    uint64_t rng;
    unsigned results[16];
    unsigned odd_results;
} storm_t;

static uint64_t rnd(storm_t *s) { return test_rnd(&s->rng); }
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

/* The last CNode method: SaveCaller exists only without MCS. */
#ifdef CONFIG_KERNEL_MCS
#define CNODE_LABEL_LAST CNodeRotate
#else
#define CNODE_LABEL_LAST CNodeSaveCaller
#endif

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
    seL4_Word label = CNodeRevoke + pick(s, CNODE_LABEL_LAST - CNodeRevoke + 1);
    if (pick(s, 10) == 0)
        label = pick(s, nArchInvocationLabels + 4);
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
    a[0] = pick(s, 12);                                 /* type, some invalid */
    a[1] = pick(s, 4) == 0 ? pick(s, 64) : pick(s, 17); /* size bits */
    a[2] = rnd_index(s);                                /* node index */
    a[3] = pick(s, 2) ? 0 : rnd_depth(s);               /* node depth */
    a[5] = pick(s, 8) == 0 ? rnd(s) % 300 : 1 + pick(s, 3);
    /* node offset: in the window when the destination is the root CNode */
    a[4] = pick(s, 8) == 0 ? rnd(s) % 5000 : s->lo + pick(s, s->hi - s->lo);
    if (a[3] == 0 && a[4] >= s->lo && a[4] < s->hi && a[4] + a[5] > s->hi)
        a[5] = s->hi - a[4];
    seL4_CPtr root = pick(s, 4) ? ROOT : rnd_root(s);
    if (root == ROOT && a[3] == 0 && (a[4] < s->lo || a[4] >= s->hi) && a[4] < 4096)
        a[4] = s->lo;
    seL4_SetCap(0, root);
    record(s,
           seL4_hyp_invoke(svc, pick(s, 12) ? UntypedRetype : pick(s, 60), 1, pick(s, 12) ? 6 : pick(s, 7), a, NULL));
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
    check_untyped_recovers(env);
}

/* 6,000 calls, one in four of the other kind. */
/* Long operations (deletes through zombies, revokes, the clearing of an
 * untyped before a retype) stop at preemption points and restart; during
 * a storm the kernel stops them at every first to third point as if an
 * interrupt had come, and checks its invariants at each stop. */
static void storm_preemption(storm_t *s, bool on)
{
    static seL4_Word before;
    seL4_Word n = seL4_HypDebugPreempt(on ? (1 + pick(s, 3)) | seL4_HypPreemptCheck : 0);
    if (on)
        before = n;
    else
        printf("#   %lu calls restarted after a preemption\n", (unsigned long)(n - before));
}

static void cnode_retype_storm(env_t *env, uint64_t seed, bool mostly_retype)
{
    storm_t s;
    storm_setup(&s, env, seed);
    storm_preemption(&s, true);
    const unsigned n = 6000;
    for (unsigned i = 0; i < n && env->failures == 0; i++) {
        if ((pick(&s, 4) == 0) != mostly_retype)
            retype_op(&s);
        else
            cnode_op(&s);
        if (i % 1000 == 999)
            CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    }
    storm_preemption(&s, false);
    storm_check(&s, env, n);
}
void cnode_storm(env_t *env, uint64_t seed) { cnode_retype_storm(env, seed, false); }
void retype_storm(env_t *env, uint64_t seed) { cnode_retype_storm(env, seed, true); }

/* ---- Every other object type. The window holds TCBs, notifications, a
 * CNode, an ASID pool with a VSpace, page tables, frames and copies of the
 * ASID control and domain caps; services and extra caps come only from the
 * window (plus the IRQ control cap, which cannot be copied and only puts
 * handler caps where an extra cap says), so the root task's own CNode,
 * VSpace and TCB never reach a random thread. Sandbox threads keep priority
 * 0 (their MCP is 0); every 100 calls the storm drops to priority 0 and
 * yields, so the ones that were resumed run (in the sandbox VSpace, on
 * zeroed frames or unmapped addresses) and fault with whatever the storm
 * left them: fault handlers that do not resolve, are not endpoints, or
 * are the window's endpoint. */
static seL4_CPtr window_cap(storm_t *s) { return s->lo + pick(s, s->hi - s->lo); }

static seL4_Word rnd_arg(storm_t *s)
{
    switch (pick(s, 8)) {
    case 0:
        return rnd(s);
    case 1:
        return pick(s, 16); /* small counts, sandbox CNode indices and its depth (4) */
    case 2:
        return window_cap(s);
    case 3:
        return WB;
    case 4:
        return pick(s, 1ul << 18) << 12; /* page-aligned addresses below 1 GiB */
    case 5:
        return pick(s, 256); /* priorities */
    case 6:
        return pick(s, 96); /* IRQ numbers */
    default:
        return pick(s, 4096);
    }
}

static seL4_Word rnd_label(storm_t *s, unsigned type)
{
    if (pick(s, 8) == 0)
        return pick(s, nArchInvocationLabels + 4);
    if (type != seL4_CapTag_PageTable && test_is_paging_tag(type))
        type = seL4_CapTag_PageTable; /* every level has the same methods to aim at */
    switch (type) {
    case seL4_CapTag_Thread:
        return TCBReadRegisters + pick(s, TCBSetFlags - TCBReadRegisters + 1);
    case seL4_CapTag_PageTable:
        return TEST_PAGING_LABEL_FIRST + pick(s, TEST_PAGING_LABEL_COUNT);
    case seL4_CapTag_Frame:
        return TEST_FRAME_LABEL_FIRST + pick(s, 3);
    case seL4_CapTag_ASIDPool:
        return TEST_ASID_POOL_ASSIGN_LABEL;
    case seL4_CapTag_ASIDControl:
        return TEST_ASID_MAKE_POOL_LABEL;
    case seL4_CapTag_IRQControl:
        return pick(s, 2) ? IRQIssueIRQHandler : TEST_IRQ_ISSUE_ARCH_LABEL;
    case seL4_CapTag_IRQHandler:
        return IRQAckIRQ + pick(s, 3);
    case seL4_CapTag_Domain:
        return DomainSetSet;
    case seL4_CapTag_CNode:
        return CNodeRevoke + pick(s, CNODE_LABEL_LAST - CNodeRevoke + 1);
    default:
        return pick(s, nArchInvocationLabels);
    }
}

/* The cap a method expects as extra cap i, from the window's fixed layout
 * (see object_storm_setup), so that many calls get past the cap checks. */
static seL4_CPtr wanted_cap(storm_t *s, seL4_Word label, seL4_Word i)
{
    seL4_CPtr w = s->lo, cnode = w + 8, vspace = w + 10;
    if (label == TEST_FRAME_LABEL_FIRST ||
        (label >= TEST_PAGING_LABEL_FIRST && label < TEST_PAGING_LABEL_FIRST + TEST_PAGING_LABEL_COUNT))
        return vspace; /* the Map methods */
    if (label == TEST_ASID_POOL_ASSIGN_LABEL)
        return vspace + pick(s, 3);
    if (label == TEST_ASID_MAKE_POOL_LABEL)
        return i == 0 ? w + pick(s, 4) : cnode;
    switch (label) {
    case TCBConfigure:
        return i == 0 ? cnode : i == 1 ? vspace : w + 13 + pick(s, 5);
    case TCBSetSpace:
        return i == 0 ? cnode : vspace;
    case TCBSetIPCBuffer:
        return w + 13 + pick(s, 5);
    case TCBSetPriority:
    case TCBSetMCPriority:
    case TCBSetSchedParams:
    case TCBCopyRegisters:
    case DomainSetSet:
        return w + 4 + pick(s, 2);
    case TCBBindNotification:
    case IRQSetIRQHandler:
        return w + 6 + pick(s, 2);
    default:
        return cnode;
    }
}

static void object_op(storm_t *s)
{
    seL4_CPtr svc = window_cap(s);
    for (int tries = 0; tries < 8 && seL4_DebugCapIdentify(svc) == seL4_CapTag_Null; tries++)
        svc = window_cap(s); /* mostly a cap that reaches a decoder */
    if (pick(s, 16) == 0)
        svc = seL4_CapIRQControl;
    if (!safe_to_invoke(svc))
        return;
    seL4_Word a[12];
    for (int i = 0; i < 12; i++)
        a[i] = rnd_arg(s);
    seL4_Word label = rnd_label(s, seL4_DebugCapIdentify(svc)), ncaps = pick(s, 4);
    /* a random domain schedule could leave the suite's own domain without
     * time; the DOMAINS group tests those methods */
    if (label == DomainScheduleConfigure || label == DomainScheduleSetStart)
        label = DomainSetSet;
    for (seL4_Word i = 0; i < ncaps; i++) {
        /* an extra cap that fails to resolve would fault this thread (as on
         * seL4), so the odd one out is the null slot, never garbage */
        seL4_Word r = pick(s, 10);
        seL4_SetCap((int)i, r < 6 ? wanted_cap(s, label, i) : r < 9 ? window_cap(s) : seL4_CapNull);
    }
    seL4_Word len = pick(s, 3) ? pick(s, 8) : pick(s, 13);
    record(s, seL4_hyp_invoke(svc, label, ncaps, len, a, NULL));
}

static void object_storm_setup(storm_t *s, env_t *env, uint64_t seed)
{
    *s = (storm_t){.env = env, .rng = seed};
    s->lo = env->slot_next;
    env->slot_next += WINDOW;
    s->hi = env->slot_next;
    seL4_CPtr w = s->lo;
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_UntypedObject, 12, ROOT, 0, 0, w, 4), 0);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_TCBObject, 0, ROOT, 0, 0, w + 4, 2), 0);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_NotificationObject, 0, ROOT, 0, 0, w + 6, 2), 0);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_CapTableObject, 4, ROOT, 0, 0, w + 8, 1), 0);
    CHECK_EQ(test_asid_make_pool(w, ROOT, w + 9, WB), 0);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, TEST_VSPACE_OBJECT, 0, ROOT, 0, 0, w + 10, 1), 0);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, TEST_PAGE_TABLE_OBJECT, 0, ROOT, 0, 0, w + 11, 2), 0);
    CHECK_EQ(test_asid_assign(w + 9, w + 10), 0);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, TEST_FRAME_4K, 0, ROOT, 0, 0, w + 13, 4), 0);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, TEST_FRAME_LARGE, 0, ROOT, 0, 0, w + 17, 1), 0);
    CHECK_EQ(seL4_CNode_Copy(ROOT, w + 18, WB, ROOT, seL4_CapASIDControl, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Copy(ROOT, w + 20, WB, ROOT, seL4_CapDomain, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_EndpointObject, 0, ROOT, 0, 0, w + 21, 1), 0);
}

void object_storm(env_t *env, uint64_t seed)
{
    storm_t s;
    object_storm_setup(&s, env, seed);
    storm_preemption(&s, true);
    const unsigned n = 6000;
    for (unsigned i = 0; i < n && env->failures == 0; i++) {
        object_op(&s);
        if (i % 100 == 99) {
            set_own_priority(0);
            seL4_Yield();
            set_own_priority(seL4_MaxPrio);
        }
        if (i % 500 == 499)
            CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    }
    storm_preemption(&s, false);
    storm_check(&s, env, n);
}
