/* CANCEL_BADGED_SENDS: Endpoint_CancelBadgedSends aborts the queued sends
 * of one badge and leaves everything else on the endpoint alone. */
#include "framework.h"

/* Lower the driver's priority for a moment so every started helper runs
 * until it blocks. */
static void let_helpers_block(void)
{
    set_own_priority(1);
    set_own_priority(seL4_MaxPrio);
}

static seL4_Word send_badged(seL4_Word ep, seL4_Word value, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    seL4_SetMR(0, value);
    seL4_Send(ep, seL4_MessageInfo_new(0, 0, 0, 1));
    return 0;
}

TEST(CANCEL_BADGED_SENDS0001, "queued sends with the badge are aborted, others stay")
{
    helper_t a, b;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    seL4_CPtr ba = alloc_slot(env), ba2 = alloc_slot(env), bb = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, ba, WB, ROOT, ep, WB, seL4_AllRights, 0xa), 0);
    CHECK_EQ(seL4_CNode_Copy(ROOT, ba2, WB, ROOT, ba, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Mint(ROOT, bb, WB, ROOT, ep, WB, seL4_AllRights, 0xb), 0);
    create_helper(env, &a, 100);
    create_helper(env, &b, 100);
    start_helper(env, &a, send_badged, ba, 1, 0, 0);
    let_helpers_block();
    start_helper(env, &b, send_badged, bb, 2, 0, 0);
    let_helpers_block();
    /* take away the sender's cap, then cancel its queued send */
    CHECK_EQ(seL4_CNode_Delete(ROOT, ba, WB), 0);
    CHECK_EQ(seL4_CNode_CancelBadgedSends(ROOT, ba2, WB), 0);
    wait_for_helper(env, &a); /* its restarted Send failed on the empty slot */
    seL4_Word badge = 0;
    api_recv(ep, &badge, test_reply);
    CHECK_EQ(badge, 0xb);
    CHECK_EQ(seL4_GetMR(0), 2);
    wait_for_helper(env, &b);
}

TEST(CANCEL_BADGED_SENDS0002, "cancelling with an unbadged cap is allowed and does nothing")
{
    helper_t a;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), ba = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, ba, WB, ROOT, ep, WB, seL4_AllRights, 0x5), 0);
    create_helper(env, &a, 100);
    start_helper(env, &a, send_badged, ba, 3, 0, 0);
    let_helpers_block();
    CHECK_EQ(seL4_CNode_CancelBadgedSends(ROOT, ep, WB), 0);
    seL4_Word badge = 0;
    api_recv(ep, &badge, test_reply);
    CHECK_EQ(badge, 0x5);
    wait_for_helper(env, &a);
}

static seL4_Word recv_once(seL4_Word ep, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    seL4_Word badge = 0;
    api_recv(ep, &badge, test_reply);
    return seL4_GetMR(0);
}

TEST(CANCEL_BADGED_SENDS0003, "receivers waiting on the endpoint are not affected")
{
    helper_t r;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), ba = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, ba, WB, ROOT, ep, WB, seL4_AllRights, 0x6), 0);
    create_helper(env, &r, 100);
    start_helper(env, &r, recv_once, ep, 0, 0, 0);
    let_helpers_block();
    CHECK_EQ(seL4_CNode_CancelBadgedSends(ROOT, ba, WB), 0);
    seL4_SetMR(0, 66);
    seL4_Send(ba, seL4_MessageInfo_new(0, 0, 0, 1));
    CHECK_EQ(wait_for_helper(env, &r), 66);
}

TEST(CANCEL_BADGED_SENDS0004, "revoking a badged cap and cancelling its sends frees the badge")
{
    helper_t a[3];
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), ba = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, ba, WB, ROOT, ep, WB, seL4_AllRights, 0x7), 0);
    seL4_CPtr copies[3];
    for (int i = 0; i < 3; i++) {
        copies[i] = alloc_slot(env);
        CHECK_EQ(seL4_CNode_Copy(ROOT, copies[i], WB, ROOT, ba, WB, seL4_AllRights), 0);
        create_helper(env, &a[i], 100);
        start_helper(env, &a[i], send_badged, copies[i], i, 0, 0);
        let_helpers_block();
    }
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ba, WB), 0);
    CHECK_EQ(seL4_CNode_CancelBadgedSends(ROOT, ba, WB), 0);
    for (int i = 0; i < 3; i++)
        wait_for_helper(env, &a[i]);
    seL4_Word badge = 1;
    api_nbrecv(ep, &badge, test_reply);
    CHECK_EQ(badge, 0);
}
