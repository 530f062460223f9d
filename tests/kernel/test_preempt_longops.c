/* PREEMPT01xx: long-running kernel operations stop at preemption points
 * and restart. seL4_HypDebugPreempt(n) makes every n-th preemption point
 * stop as if an interrupt were pending (and checks the kernel's
 * invariants there); it returns how many system calls have been restarted,
 * so each test can show that its operation really was cut into pieces and
 * still did exactly its work. One test uses a real device interrupt. */
#include "framework.h"
#include "irq_helpers.h"

#define BIG_RADIX 14
#define BIG (1ul << BIG_RADIX)

/* Fill slots [0, n) of the CNode `cn` with copies of `cap`. */
static void fill_with_copies(env_t *env, seL4_CPtr cn, seL4_Word radix, seL4_Word n, seL4_CPtr cap)
{
    for (seL4_Word i = 0; i < n && env->failures == 0; i++)
        CHECK_EQ(seL4_CNode_Copy(cn, i, radix, ROOT, cap, WB, seL4_AllRights), 0);
}

/* How many of slots [0, n) of `cn` hold a cap (a copy from an empty slot
 * fails its source lookup). */
static seL4_Word count_caps(env_t *env, seL4_CPtr cn, seL4_Word radix, seL4_Word n)
{
    seL4_CPtr tmp = alloc_slot(env);
    seL4_Word found = 0;
    for (seL4_Word i = 0; i < n; i++) {
        if (seL4_CNode_Copy(ROOT, tmp, WB, cn, i, radix, seL4_AllRights) == 0) {
            found++;
            seL4_CNode_Delete(ROOT, tmp, WB);
        }
    }
    return found;
}

/* Run fn with a forced preemption at every `every`-th preemption point;
 * returns how many restarts it took. */
static seL4_Word restarts_of(seL4_Word every, int (*fn)(seL4_CPtr, seL4_Word), seL4_CPtr a, seL4_Word b, int *err)
{
    seL4_Word before = seL4_HypDebugPreempt(every);
    *err = fn(a, b);
    return seL4_HypDebugPreempt(0) - before;
}

static int revoke_root_slot(seL4_CPtr slot, seL4_Word unused)
{
    (void)unused;
    return seL4_CNode_Revoke(ROOT, slot, WB);
}

static int delete_root_slot(seL4_CPtr slot, seL4_Word unused)
{
    (void)unused;
    return seL4_CNode_Delete(ROOT, slot, WB);
}

TEST(PREEMPT0100, "revoking 16,384 caps is preempted many times and every cap is gone")
{
    seL4_CPtr cn = make_object(env, seL4_CapTableObject, BIG_RADIX);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    fill_with_copies(env, cn, BIG_RADIX, BIG, ep);
    int err;
    seL4_Word restarts = restarts_of(256 | seL4_HypPreemptCheck, revoke_root_slot, ep, 0, &err);
    CHECK_EQ(err, 0);
    printf("#   revoke of %lu caps restarted %lu times\n", BIG, (unsigned long)restarts);
    CHECK(restarts >= 50);
    CHECK_EQ(count_caps(env, cn, BIG_RADIX, BIG), 0);
    /* the revoked cap itself stays */
    CHECK_EQ(seL4_DebugCapIdentify(ep), seL4_CapTag_Endpoint);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

TEST(PREEMPT0101, "deleting a full 16,384-slot CNode (and one nested in it) is preempted and completes")
{
    seL4_CPtr cn = make_object(env, seL4_CapTableObject, BIG_RADIX);
    seL4_CPtr inner = make_object(env, seL4_CapTableObject, 8);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    fill_with_copies(env, inner, 8, 256, ep);
    /* the nested CNode's last cap sits in the middle of the big one */
    CHECK_EQ(seL4_CNode_Move(cn, BIG / 2, BIG_RADIX, ROOT, inner, WB), 0);
    fill_with_copies(env, cn, BIG_RADIX, BIG / 2, ep);
    int err;
    seL4_Word restarts = restarts_of(256 | seL4_HypPreemptCheck, delete_root_slot, cn, 0, &err);
    CHECK_EQ(err, 0);
    printf("#   delete restarted %lu times\n", (unsigned long)restarts);
    CHECK(restarts >= 30);
    CHECK_EQ(seL4_DebugCapIdentify(cn), seL4_CapTag_Null);
    /* every copy went with the CNodes: the endpoint's cap is its last one,
     * so deleting it now finalises it (a copy elsewhere would keep it) */
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, ep, WB), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

/* A deletion whose caller dies on the way (here: the CNode holds the
 * caller's own last TCB cap) is not restarted: its zombie stays. */
static seL4_Word delete_from_helper(seL4_Word cn, seL4_Word a1, seL4_Word a2, seL4_Word a3)
{
    (void)a1;
    (void)a2;
    (void)a3;
    return (seL4_Word)seL4_CNode_Delete(ROOT, cn, WB);
}

TEST(PREEMPT0102,
     "a deletion abandoned by its dying caller leaves a zombie: not movable or copyable, deleted again it finishes")
{
    seL4_CPtr cn = make_object(env, seL4_CapTableObject, 10);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    fill_with_copies(env, cn, 10, 1000, ep);
    helper_t h;
    create_helper(env, &h, 100);
    start_helper(env, &h, delete_from_helper, cn, 0, 0, 0);
    CHECK_EQ(seL4_CNode_Move(cn, 1023, 10, ROOT, h.tcb, WB), 0);
    seL4_Word before = seL4_HypDebugPreempt(1 | seL4_HypPreemptCheck);
    set_own_priority(50); /* the helper runs, destroys itself and is cut short */
    set_own_priority(seL4_MaxPrio);
    CHECK(seL4_HypDebugPreempt(0) - before >= 1);
    CHECK(!h.done);
    CHECK_EQ(seL4_DebugCapIdentify(cn), seL4_CapTag_Zombie);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    seL4_CPtr other = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Move(ROOT, other, WB, ROOT, cn, WB), seL4_IllegalOperation);
    CHECK_EQ(seL4_CNode_Copy(ROOT, other, WB, ROOT, cn, WB, seL4_AllRights), seL4_IllegalOperation);
    CHECK_EQ(seL4_CNode_Rotate(ROOT, other, WB, 0, ROOT, cn, WB, 0, ROOT, ep, WB), seL4_IllegalOperation);
    CHECK_EQ(seL4_DebugCapIdentify(other), seL4_CapTag_Null);
    /* invoking a zombie is an invalid cap, as on seL4 */
    CHECK_EQ(seL4_CNode_Delete(cn, 0, 1), seL4_InvalidCapability);
    CHECK_EQ(seL4_CNode_Delete(ROOT, cn, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(cn), seL4_CapTag_Null);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

/* ---------------- retype: clearing is preemptible ---------------- */

#define BIG_VA 0x50000000ul
#define MEGA (1ul << 21)
#define N_MEGA 8 /* 16 MiB */

static void map_megas(env_t *env, seL4_CPtr frames, int n)
{
    for (int i = 0; i < n; i++) {
        int e, levels = 0;
        while ((e = test_page_map(frames + i, seL4_CapInitThreadVSpace, BIG_VA + i * MEGA, seL4_ReadWrite)) ==
                   seL4_FailedLookup &&
               levels++ < 4) {
            seL4_Word type = test_paging_object_for(seL4_MappingFailedLookupLevel());
            CHECK_EQ(test_paging_map(make_object(env, type, 0), type, seL4_CapInitThreadVSpace, BIG_VA + i * MEGA), 0);
        }
        CHECK_EQ(e, 0);
    }
}

/* Retype the untyped into N_MEGA 2 MiB frames at `frames`, map them, check
 * they read as zero, then write a pattern everywhere and give the frames
 * back (revoke), leaving dirty memory below the untyped's watermark. */
static seL4_Word retype_check_zero_and_dirty(env_t *env, seL4_CPtr ut, seL4_CPtr frames, seL4_Word every,
                                             seL4_Word *instructions)
{
    seL4_Word before = seL4_HypDebugPreempt(every), t0;
    /* instret: exact under -icount; otherwise QEMU derives it from time */
    t0 = test_read_counter();
    int e = seL4_Untyped_Retype(ut, TEST_FRAME_LARGE, 0, ROOT, 0, 0, frames, N_MEGA);
    seL4_Word t1;
    t1 = test_read_counter();
    seL4_Word restarts = seL4_HypDebugPreempt(0) - before;
    *instructions = t1 - t0;
    CHECK_EQ(e, 0);
    map_megas(env, frames, N_MEGA);
    volatile seL4_Word *p = (volatile seL4_Word *)BIG_VA;
    seL4_Word nonzero = 0;
    for (seL4_Word i = 0; i < N_MEGA * MEGA / sizeof(seL4_Word); i++)
        nonzero += p[i] != 0;
    CHECK_EQ(nonzero, 0);
    for (seL4_Word i = 0; i < N_MEGA * MEGA / sizeof(seL4_Word); i++)
        p[i] = 0xa5a5a5a5a5a5a5a5ul ^ i;
    for (int i = 0; i < N_MEGA; i++)
        CHECK_EQ(test_page_unmap(frames + i), 0);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, WB), 0);
    return restarts;
}

TEST(PREEMPT0110, "retype of 16 MiB of used memory into frames is preempted; the frames come out zeroed")
{
    seL4_CPtr ut = make_untyped(env, 24);
    seL4_CPtr frames = alloc_slot(env);
    for (int i = 1; i < N_MEGA; i++)
        alloc_slot(env);
    seL4_Word plain, forced;
    /* first use, then again over the pattern the first round left */
    retype_check_zero_and_dirty(env, ut, frames, 0, &plain);
    retype_check_zero_and_dirty(env, ut, frames, 0, &plain);
    seL4_Word restarts = retype_check_zero_and_dirty(env, ut, frames, 8, &forced);
    printf("#   16 MiB reset: %lu counter ticks, %lu with %lu restarts\n", (unsigned long)plain, (unsigned long)forced,
           (unsigned long)restarts);
    CHECK(restarts >= 200);
    /* progress is kept: a restart costs a trap and a decode, never a
     * second clearing of what was cleared (which would cost hundreds of
     * times the plain reset here). Without -icount the counter follows
     * host time, hence the wide margin. */
    CHECK(forced < 20 * plain);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

TEST(PREEMPT0111, "small objects carved after a preempted clearing of used memory are empty")
{
    seL4_CPtr ut = make_untyped(env, 22); /* 4 MiB */
    seL4_CPtr frames = alloc_slot(env);
    alloc_slot(env);
    /* dirty the whole untyped through two 2 MiB frames */
    CHECK_EQ(seL4_Untyped_Retype(ut, TEST_FRAME_LARGE, 0, ROOT, 0, 0, frames, 2), 0);
    map_megas(env, frames, 2);
    volatile seL4_Word *p = (volatile seL4_Word *)BIG_VA;
    for (seL4_Word i = 0; i < 2 * MEGA / sizeof(seL4_Word); i++)
        p[i] = ~i;
    for (int i = 0; i < 2; i++)
        CHECK_EQ(test_page_unmap(frames + i), 0);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, WB), 0);
    /* small objects after the reset: every one must be zero, wherever the
     * preempted clearing had got to when the call restarted */
    seL4_CPtr cn = alloc_slot(env);
    seL4_Word before = seL4_HypDebugPreempt(32 | seL4_HypPreemptCheck);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_CapTableObject, 12, ROOT, 0, 0, cn, 1), 0);
    CHECK(seL4_HypDebugPreempt(0) - before >= 50);
    /* a new CNode of 4096 slots is all empty */
    CHECK_EQ(count_caps(env, cn, 12, 4096), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

/* ---------------- cancelling badged sends ---------------- */

#define WAITERS 1000

/* A thread that sends forever (test_arch.h: TEST_SEND_FOREVER), its
 * registers all set through WriteRegisters; it needs no stack. */
TEST_SEND_FOREVER(send_forever)

TEST(PREEMPT0120, "CancelBadgedSends over 1,000 waiters is preempted and restarts exactly the badged half")
{
    /* (MCS: each thread's scheduling context is kept there too) */
    const seL4_Word store_radix = TEST_MCS ? 11 : 10;
    seL4_CPtr store = make_object(env, seL4_CapTableObject, store_radix);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    seL4_CPtr badged[2] = {alloc_slot(env), alloc_slot(env)};
    CHECK_EQ(seL4_CNode_Mint(ROOT, badged[0], WB, ROOT, ep, WB, seL4_AllRights, 1), 0);
    CHECK_EQ(seL4_CNode_Mint(ROOT, badged[1], WB, ROOT, ep, WB, seL4_AllRights, 2), 0);
    seL4_CPtr tmp = alloc_slot(env), tmp_sc = alloc_slot(env);
    (void)tmp_sc;
    for (int i = 0; i < WAITERS && env->failures == 0; i++) {
        CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_TCBObject, 0, ROOT, 0, 0, tmp, 1), 0);
        CHECK_EQ(api_tcb_configure(tmp, 0, ROOT, 0, seL4_CapInitThreadVSpace, 0, 0, 0), 0);
        CHECK_EQ(seL4_TCB_SetPriority(tmp, seL4_CapInitThreadTCB, 50), 0);
        seL4_UserContext r = {0};
        test_send_forever_regs(&r, (seL4_Word)send_forever, badged[i & 1], seL4_MessageInfo_new(0, 0, 0, 0).words[0]);
        CHECK_EQ(seL4_TCB_WriteRegisters(tmp, true, 0, sizeof r / sizeof(seL4_Word), &r), 0);
#ifdef CONFIG_KERNEL_MCS
        CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_SchedContextObject, seL4_MinSchedContextBits, ROOT, 0, 0, tmp_sc, 1),
                 0);
        CHECK_EQ(seL4_SchedControl_Configure(env->sched_control, tmp_sc, TEST_TIMESLICE_US, TEST_TIMESLICE_US, 0, 0),
                 0);
        CHECK_EQ(seL4_SchedContext_Bind(tmp_sc, tmp), 0);
        CHECK_EQ(seL4_CNode_Move(store, WAITERS + (seL4_Word)i, store_radix, ROOT, tmp_sc, WB), 0);
#endif
        CHECK_EQ(seL4_CNode_Move(store, (seL4_Word)i, store_radix, ROOT, tmp, WB), 0);
    }
    /* let them all run once: each blocks in its Send */
    set_own_priority(40);
    set_own_priority(seL4_MaxPrio);
    seL4_Word before = seL4_HypDebugPreempt(16 | seL4_HypPreemptCheck);
    CHECK_EQ(seL4_CNode_CancelBadgedSends(ROOT, badged[0], WB), 0);
    seL4_Word restarts = seL4_HypDebugPreempt(0) - before;
    printf("#   cancel over %d waiters restarted %lu times\n", WAITERS, (unsigned long)restarts);
    CHECK(restarts >= 50);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    /* the endpoint still holds exactly the 500 senders with badge 2 (the
     * cancelled ones are lower priority: they have not sent again) */
    seL4_Word got[3] = {0, 0, 0};
    for (int i = 0; i < WAITERS; i++) {
        seL4_Word badge = 0;
        api_nbrecv(ep, &badge, test_reply);
        if (badge == 0)
            break;
        got[badge < 3 ? badge : 0]++;
    }
    CHECK_EQ(got[1], 0);
    CHECK_EQ(got[2], WAITERS / 2);
    CHECK_EQ(got[0], 0);
    /* all the threads go with their CNode (a preemptible delete too) */
    CHECK_EQ(seL4_CNode_Delete(ROOT, store, WB), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

/* ---------------- a real interrupt in the middle ---------------- */

static volatile seL4_Word handler_saw_cap, revoke_started;
static seL4_Word probe_on_interrupt(seL4_Word ntfn, seL4_Word cn, seL4_Word tmp, seL4_Word a3)
{
    (void)a3;
    seL4_Word badge = 0;
    seL4_Wait(ntfn, &badge);
    /* revoke deletes the copies newest first: slot 0 goes last */
    handler_saw_cap = revoke_started && seL4_CNode_Copy(ROOT, tmp, WB, cn, 0, BIG_RADIX, seL4_AllRights) == 0;
    seL4_CNode_Delete(ROOT, tmp, WB);
    return badge;
}

TEST(PREEMPT0130, "an RTC interrupt wakes a high-priority thread while a 16,384-cap revoke is still running")
{
    volatile uint32_t *rtc = rtc_map(env);
    if (!rtc)
        return;
    seL4_CPtr ntfn;
    seL4_CPtr irq = rtc_handler(env, &ntfn, 0x10);
    seL4_CPtr cn = make_object(env, seL4_CapTableObject, BIG_RADIX), tmp = alloc_slot(env);
    int mid_revoke = 0;
    /* a slow host could let the revoke finish before the alarm: retry */
    for (int round = 0; round < 3 && !mid_revoke && env->failures == 0; round++) {
        seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
        fill_with_copies(env, cn, BIG_RADIX, BIG, ep);
        helper_t h;
        handler_saw_cap = revoke_started = 0;
        create_helper(env, &h, 200);
        start_helper(env, &h, probe_on_interrupt, ntfn, cn, tmp, 0);
        set_own_priority(100);
        seL4_Word before = seL4_HypDebugPreempt(0);
        rtc_alarm_in(rtc, 100000); /* 100 us */
        revoke_started = 1;
        CHECK_EQ(seL4_CNode_Revoke(ROOT, ep, WB), 0);
        seL4_Word restarts = seL4_HypDebugPreempt(0) - before;
        set_own_priority(seL4_MaxPrio);
        CHECK_EQ(bounded_wait(env, h.join, 2000) & WATCHDOG_BADGE, 0);
        CHECK(h.done);
        mid_revoke = handler_saw_cap && restarts > 0;
        printf("#   round %d: handler ran %s the revoke (%lu restarts)\n", round, handler_saw_cap ? "during" : "after",
               (unsigned long)restarts);
        destroy_helper(env, &h);
        rtc_clear(rtc);
        CHECK_EQ(seL4_IRQHandler_Ack(irq), 0);
        CHECK_EQ(count_caps(env, cn, BIG_RADIX, BIG), 0);
    }
    CHECK(mid_revoke);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}
