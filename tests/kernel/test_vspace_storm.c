/* VSPACE0090: the object storm (storm_helpers.h) with a seed of its own.
 * VSPACE0091: a client that calls a server in a loop (on the fastpath) is
 * moved between three address spaces, and the frames it reads are replaced
 * under it, while it waits for a reply. Each address space maps its own
 * frame at the same address; the client sends what it reads there, and the
 * server checks every message against the value the root task says the
 * client's current address space holds. The server's fast ReplyRecv is
 * what switches back to the client, so a stale satp (the fastpath caches
 * one per thread) or a stale TLB entry would show up as a wrong value. */
#include "storm_helpers.h"

#define SPACES 3
#define ROUNDS 300
#define BURST 16
#define TEST_VA 0x50000000ul
#define VIEW_VA 0x51000000ul /* where the root task maps each frame too */

static volatile seL4_Word expected, messages, wrong;

/* Every BURST messages it signals the root task, which (at a higher
 * priority) changes the client's world before the reply goes out. */
static seL4_Word checking_server(seL4_Word ep, seL4_Word ntfn, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    api_recv(ep, NULL, test_reply);
    for (;;) {
        if (seL4_GetMR(0) != expected)
            wrong++;
        if (++messages % BURST == 0)
            seL4_Signal(ntfn);
        seL4_SetMR(0, 0);
        api_reply_recv(ep, seL4_MessageInfo_new(0, 0, 0, 1), NULL, test_reply);
    }
    return 0;
}

static seL4_Word reading_client(seL4_Word ep, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    for (;;) {
        seL4_SetMR(0, *(volatile seL4_Word *)TEST_VA);
        seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 1));
    }
    return 0;
}

typedef struct space {
    seL4_CPtr vs, frame, copy; /* the frame (mapped at VIEW_VA + k pages) and its copy mapped in vs */
    seL4_Word value;
} space_t;

/* Map a 4 KiB frame cap at va, adding page tables as needed (the slots are
 * reused round after round, so the test's slot window does not run out). */
static void put_frame(env_t *env, seL4_CPtr f, seL4_CPtr vspace, seL4_Word va)
{
    int e, levels = 0;
    while ((e = test_page_map(f, vspace, va, seL4_ReadWrite)) == seL4_FailedLookup && levels++ < 4) {
        seL4_Word type = test_paging_object_for(seL4_MappingFailedLookupLevel());
        CHECK_EQ(test_paging_map(make_object(env, type, 0), type, vspace, va), 0);
    }
    CHECK_EQ(e, 0);
}

/* A new frame at TEST_VA in space k, holding v. Revoking the old frame
 * deletes its copy, which unmaps it from the space. */
static void new_frame(env_t *env, space_t *s, int k, seL4_Word v)
{
    if (!s->frame) {
        s->frame = alloc_slot(env);
        s->copy = alloc_slot(env);
    } else {
        CHECK_EQ(seL4_CNode_Revoke(ROOT, s->frame, WB), 0);
        CHECK_EQ(seL4_CNode_Delete(ROOT, s->frame, WB), 0);
    }
    CHECK_EQ(seL4_Untyped_Retype(env->ut, TEST_FRAME_4K, 0, ROOT, 0, 0, s->frame, 1), 0);
    put_frame(env, s->frame, seL4_CapInitThreadVSpace, VIEW_VA + k * 4096);
    *(volatile seL4_Word *)(VIEW_VA + k * 4096) = v;
    CHECK_EQ(seL4_CNode_Copy(ROOT, s->copy, WB, ROOT, s->frame, WB, seL4_AllRights), 0);
    put_frame(env, s->copy, s->vs, TEST_VA);
    s->value = v;
}

TEST(VSPACE0091, "a client moved between address spaces while calling on the fastpath always reads its own")
{
    helper_t srv, cli;
    space_t sp[SPACES] = {{0}};
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), ntfn = make_object(env, seL4_NotificationObject, 0);
    for (int k = 0; k < SPACES; k++) {
        sp[k].vs = make_image_vspace(env, seL4_CapInitThreadASIDPool);
        new_frame(env, &sp[k], k, 1000 + k);
    }
    expected = sp[0].value;
    messages = wrong = 0;
    create_helper(env, &srv, 100);
    create_helper(env, &cli, 100);
    CHECK_EQ(api_tcb_set_space(cli.tcb, 0, ROOT, 0, sp[0].vs, 0), 0);
    start_helper(env, &srv, checking_server, ep, ntfn, 0, 0);
    start_helper(env, &cli, reading_client, ep, 0, 0, 0);
    seL4_Word fast_before = seL4_HypDebugFastpathCount();
    uint64_t x = 0x3c6ef372fe94f82bull;
    int cur = 0;
    for (int round = 0; round < ROUNDS && env->failures == 0; round++) {
        seL4_Wait(ntfn, NULL); /* the client waits for its reply: change its world */
        switch (test_rnd(&x) % 4) {
        case 0: /* move it to another address space */
            cur = (int)(test_rnd(&x) % SPACES);
            CHECK_EQ(api_tcb_set_space(cli.tcb, 0, ROOT, 0, sp[cur].vs, 0), 0);
            break;
        case 1: /* replace the frame under its current address space */
            new_frame(env, &sp[cur], cur, 2000 + round);
            break;
        case 2: /* replace a frame in another address space */
            new_frame(env, &sp[(cur + 1) % SPACES], (cur + 1) % SPACES, 3000 + round);
            break;
        default: /* nothing: the next burst runs on warm caches */
            break;
        }
        expected = sp[cur].value;
    }
    seL4_TCB_Suspend(cli.tcb);
    seL4_TCB_Suspend(srv.tcb);
    seL4_Word fast = seL4_HypDebugFastpathCount() - fast_before;
    printf("#   %lu messages, %lu read a wrong value, %lu fastpath completions\n", (unsigned long)messages,
           (unsigned long)wrong, (unsigned long)fast);
    CHECK_EQ(wrong, 0);
    CHECK(messages >= ROUNDS * BURST);
    /* most calls and replies take the fastpath; after a change the first
     * switch to the client goes the slow way (its cached satp is stale) */
    CHECK(fast > ROUNDS * BURST);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

TEST(VSPACE0090, "another random storm over the same objects, other seed: errors only, nothing lost")
{
    run_storms(env, 0xa4093822299f31d0ull, object_storm);
}
