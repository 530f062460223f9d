/* IPC: endpoints, every send/receive syscall, lengths, badges, cap transfer. */
#include "framework.h"

static seL4_Word mr(int i) { return seL4_GetMR(i); }

/* Sends messages of every length 0..120, each word i = len * 1000 + i. */
static seL4_Word send_all_lengths(seL4_Word ep, seL4_Word call, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    for (seL4_Word len = 0; len <= seL4_MsgMaxLength; len++) {
        for (seL4_Word i = 0; i < len; i++)
            seL4_SetMR((int)i, len * 1000 + i);
        seL4_MessageInfo_t info = seL4_MessageInfo_new(len + 7, 0, 0, len);
        if (call) {
            seL4_MessageInfo_t r = seL4_Call(ep, info);
            if (seL4_MessageInfo_get_label(r) != len || seL4_GetMR(0) != len + 1)
                return 1;
        } else {
            seL4_Send(ep, info);
        }
    }
    return 0;
}

TEST(IPC0001, "Send/Recv: every length from 0 to 120 arrives intact with its label")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    create_helper(env, &h, 100);
    start_helper(env, &h, send_all_lengths, ep, 0, 0, 0);
    for (seL4_Word len = 0; len <= seL4_MsgMaxLength && env->failures == 0; len++) {
        seL4_MessageInfo_t info = api_recv(ep, NULL, test_reply);
        CHECK_EQ(seL4_MessageInfo_get_length(info), len);
        CHECK_EQ(seL4_MessageInfo_get_label(info), len + 7);
        CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
        for (seL4_Word i = 0; i < len; i++)
            CHECK_EQ(mr((int)i), len * 1000 + i);
    }
    CHECK_EQ(wait_for_helper(env, &h), 0);
}

TEST(IPC0002, "Call/ReplyRecv: every length from 0 to 120, replies reach the caller")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    create_helper(env, &h, 100);
    set_own_priority(100);
    start_helper(env, &h, send_all_lengths, ep, 1, 0, 0);
    seL4_MessageInfo_t info = api_recv(ep, NULL, test_reply);
    for (seL4_Word len = 0; len <= seL4_MsgMaxLength && env->failures == 0; len++) {
        CHECK_EQ(seL4_MessageInfo_get_length(info), len);
        for (seL4_Word i = 0; i < len; i++)
            CHECK_EQ(mr((int)i), len * 1000 + i);
        seL4_SetMR(0, len + 1);
        if (len == seL4_MsgMaxLength)
            api_reply(test_reply, seL4_MessageInfo_new(len, 0, 0, 1));
        else
            info = api_reply_recv(ep, seL4_MessageInfo_new(len, 0, 0, 1), NULL, test_reply);
    }
    CHECK_EQ(wait_for_helper(env, &h), 0);
}

static seL4_Word send_one(seL4_Word ep, seL4_Word value, seL4_Word nb, seL4_Word d)
{
    (void)d;
    seL4_SetMR(0, value);
    if (nb)
        seL4_NBSend(ep, seL4_MessageInfo_new(0, 0, 0, 1));
    else
        seL4_Send(ep, seL4_MessageInfo_new(0, 0, 0, 1));
    return 0;
}

TEST(IPC0003, "the receiver gets the badge of the cap the sender used")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), b = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, b, WB, ROOT, ep, WB, seL4_AllRights, 0xbadbeef), 0);
    create_helper(env, &h, 100);
    start_helper(env, &h, send_one, b, 11, 0, 0);
    seL4_Word badge = 0;
    api_recv(ep, &badge, test_reply);
    CHECK_EQ(badge, 0xbadbeef);
    CHECK_EQ(mr(0), 11);
    wait_for_helper(env, &h);
}

TEST(IPC0004, "NBSend with no receiver is dropped; NBRecv with no sender returns nothing")
{
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    seL4_SetMR(0, 1);
    seL4_NBSend(ep, seL4_MessageInfo_new(0, 0, 0, 1));
    seL4_Word badge = 99;
    api_nbrecv(ep, &badge, test_reply);
    CHECK_EQ(badge, 0);
}

TEST(IPC0005, "NBRecv takes a message from a waiting sender")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), b = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, b, WB, ROOT, ep, WB, seL4_AllRights, 3), 0);
    create_helper(env, &h, 100);
    start_helper(env, &h, send_one, b, 77, 0, 0);
    set_own_priority(50); /* let the sender block on the endpoint */
    set_own_priority(seL4_MaxPrio);
    seL4_Word badge = 0;
    api_nbrecv(ep, &badge, test_reply);
    CHECK_EQ(badge, 3);
    CHECK_EQ(mr(0), 77);
    wait_for_helper(env, &h);
}

TEST(IPC0006, "NBSend reaches a waiting receiver")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    create_helper(env, &h, 200);
    start_helper(env, &h, send_one, ep, 5, 1, 0);
    /* the helper ran first and found nobody waiting: dropped */
    seL4_Word badge = 1;
    api_nbrecv(ep, &badge, test_reply);
    CHECK_EQ(badge, 0);
    wait_for_helper(env, &h);
}

TEST(IPC0007, "blocked senders are served first in, first out")
{
    helper_t h[4];
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    for (int i = 0; i < 4; i++) {
        create_helper(env, &h[i], 100);
        start_helper(env, &h[i], send_one, ep, 10 + i, 0, 0);
        set_own_priority(50); /* let this one block before the next starts */
        set_own_priority(seL4_MaxPrio);
    }
    for (int i = 0; i < 4; i++) {
        api_recv(ep, NULL, test_reply);
        CHECK_EQ(mr(0), 10 + i);
    }
    for (int i = 0; i < 4; i++)
        wait_for_helper(env, &h[i]);
}

static seL4_Word recv_one(seL4_Word ep, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    api_recv(ep, NULL, test_reply);
    return seL4_GetMR(0);
}

TEST(IPC0008, "blocked receivers are served first in, first out")
{
    helper_t h[3];
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    for (int i = 0; i < 3; i++) {
        create_helper(env, &h[i], 100);
        start_helper(env, &h[i], recv_one, ep, 0, 0, 0);
        set_own_priority(50);
        set_own_priority(seL4_MaxPrio);
    }
    for (int i = 0; i < 3; i++) {
        seL4_SetMR(0, 20 + i);
        seL4_Send(ep, seL4_MessageInfo_new(0, 0, 0, 1));
    }
    for (int i = 0; i < 3; i++)
        CHECK_EQ(wait_for_helper(env, &h[i]), 20 + i);
}

/* Receives one message with a cap into (ROOT, slot); returns info word. */
static seL4_Word recv_cap(seL4_Word ep, seL4_Word slot, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    seL4_SetCapReceivePath(ROOT, slot, WB);
    seL4_MessageInfo_t info = api_recv(ep, NULL, test_reply);
    return info.words[0];
}

TEST(IPC0009, "a cap sent with Grant arrives in the receiver's chosen slot")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), n = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr dest = alloc_slot(env);
    create_helper(env, &h, 100);
    start_helper(env, &h, recv_cap, ep, dest, 0, 0);
    set_own_priority(50);
    set_own_priority(seL4_MaxPrio);
    seL4_SetCap(0, n);
    seL4_SetMR(0, 1);
    seL4_Send(ep, seL4_MessageInfo_new(0, 0, 1, 1));
    seL4_MessageInfo_t info = {{wait_for_helper(env, &h)}};
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 1);
    CHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 0);
    CHECK_EQ(seL4_DebugCapIdentify(dest), seL4_CapTag_Notification);
    CHECK_EQ(seL4_DebugCapIdentify(n), seL4_CapTag_Notification);
}

TEST(IPC0010, "without Grant only the data is sent")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), n = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr dest = alloc_slot(env), nogrant = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, nogrant, WB, ROOT, ep, WB, seL4_CanWrite, 0), 0);
    create_helper(env, &h, 100);
    start_helper(env, &h, recv_cap, ep, dest, 0, 0);
    set_own_priority(50);
    set_own_priority(seL4_MaxPrio);
    seL4_SetCap(0, n);
    seL4_SetMR(0, 1);
    seL4_Send(nogrant, seL4_MessageInfo_new(0, 0, 1, 1));
    seL4_MessageInfo_t info = {{wait_for_helper(env, &h)}};
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
    CHECK_EQ(seL4_MessageInfo_get_length(info), 1);
    CHECK_EQ(seL4_DebugCapIdentify(dest), 0);
}

static seL4_Word recv_caps_badges(seL4_Word ep, seL4_Word slot, seL4_Word out, seL4_Word d)
{
    (void)d;
    seL4_SetCapReceivePath(ROOT, slot, WB);
    seL4_MessageInfo_t info = api_recv(ep, NULL, test_reply);
    seL4_Word *o = (seL4_Word *)out;
    for (int i = 0; i < 3; i++)
        o[i] = seL4_GetBadge(i);
    return info.words[0];
}

TEST(IPC0011, "caps to the endpoint in use are unwrapped into badges; one slot takes one cap")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), n = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr dest = alloc_slot(env), b1 = alloc_slot(env);
    static seL4_Word badges[3];
    CHECK_EQ(seL4_CNode_Mint(ROOT, b1, WB, ROOT, ep, WB, seL4_AllRights, 0x77), 0);
    create_helper(env, &h, 100);
    start_helper(env, &h, recv_caps_badges, ep, dest, (seL4_Word)badges, 0);
    set_own_priority(50);
    set_own_priority(seL4_MaxPrio);
    seL4_SetCap(0, b1);
    seL4_SetCap(1, n);
    seL4_SetCap(2, n);
    seL4_Send(ep, seL4_MessageInfo_new(0, 0, 3, 0));
    seL4_MessageInfo_t info = {{wait_for_helper(env, &h)}};
    /* cap 0 unwrapped, cap 1 transferred, cap 2 has no slot left: stop */
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 2);
    CHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 1);
    CHECK_EQ(badges[0], 0x77);
    CHECK_EQ(seL4_DebugCapIdentify(dest), seL4_CapTag_Notification);
}

TEST(IPC0012, "an occupied receive slot means no cap is transferred")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), n = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr dest = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, dest, WB, ROOT, seL4_CapDomain, WB, seL4_AllRights), 0);
    create_helper(env, &h, 100);
    start_helper(env, &h, recv_cap, ep, dest, 0, 0);
    set_own_priority(50);
    set_own_priority(seL4_MaxPrio);
    seL4_SetCap(0, n);
    seL4_Send(ep, seL4_MessageInfo_new(0, 0, 1, 0));
    seL4_MessageInfo_t info = {{wait_for_helper(env, &h)}};
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
    CHECK_EQ(seL4_DebugCapIdentify(dest), seL4_CapTag_Domain);
}

/* Receives with raw registers only: the thread has no IPC buffer. An MCS
 * Recv names a reply object in its register like any other (a register
 * left as it happens to be is a cap fault, as in seL4). */
static seL4_Word recv_no_buffer(seL4_Word ep, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    seL4_Word badge, info, m0, m1, m2, m3;
#ifdef CONFIG_KERNEL_MCS
    m0 = m1 = m2 = m3 = 0;
    seL4_arch_sys_mcs(seL4_SysRecv, ep, test_reply, 0, &badge, 0, &info, &m0, &m1, &m2, &m3);
#else
    seL4_arch_sys_recv(seL4_SysRecv, ep, &badge, &info, &m0, &m1, &m2, &m3);
#endif
    return seL4_MessageInfo_get_length((seL4_MessageInfo_t){{info}}) * 1000 + m3;
}

TEST(IPC0013, "a receiver without an IPC buffer gets the register part only")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    create_helper(env, &h, 100);
    start_helper(env, &h, recv_no_buffer, ep, 0, 0, 0);
    CHECK_EQ(seL4_TCB_SetIPCBuffer(h.tcb, 0, seL4_CapNull), 0);
    set_own_priority(50);
    set_own_priority(seL4_MaxPrio);
    for (int i = 0; i < 10; i++)
        seL4_SetMR(i, 100 + i);
    seL4_Send(ep, seL4_MessageInfo_new(0, 0, 0, 10));
    CHECK_EQ(wait_for_helper(env, &h), 4 * 1000 + 103);
}

static seL4_Word call_and_return_label(seL4_Word ep, seL4_Word value, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    seL4_SetMR(0, value);
    seL4_MessageInfo_t r = seL4_Call(ep, seL4_MessageInfo_new(5, 0, 0, 1));
    return seL4_MessageInfo_get_label(r) * 1000 + seL4_GetMR(0);
}

/* SaveCaller exists only without MCS (MCS receivers name a reply object) */
#ifndef CONFIG_KERNEL_MCS
TEST(IPC0014, "SaveCaller keeps the reply cap; sending on it replies later")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), saved = alloc_slot(env);
    create_helper(env, &h, 100);
    start_helper(env, &h, call_and_return_label, ep, 3, 0, 0);
    seL4_MessageInfo_t info = api_recv(ep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 5);
    CHECK_EQ(seL4_CNode_SaveCaller(ROOT, saved, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(saved), seL4_CapTag_Reply);
    api_reply(test_reply, seL4_MessageInfo_new(1, 0, 0, 0)); /* no caller any more: nothing */
    CHECK(!h.done);
    seL4_SetMR(0, 9);
    seL4_Send(saved, seL4_MessageInfo_new(2, 0, 0, 1));
    CHECK_EQ(wait_for_helper(env, &h), 2009);
    CHECK_EQ(seL4_DebugCapIdentify(saved), 0); /* one-shot */
}
#endif

TEST(IPC0015, "a Call through a cap without Grant or GrantReply leaves no reply cap")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), wo = alloc_slot(env), saved = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, wo, WB, ROOT, ep, WB, seL4_CanWrite, 0), 0);
    create_helper(env, &h, 100);
    start_helper(env, &h, call_and_return_label, wo, 3, 0, 0);
    api_recv(ep, NULL, test_reply);
    CHECK_EQ(mr(0), 3);
#ifndef CONFIG_KERNEL_MCS
    CHECK_EQ(seL4_CNode_SaveCaller(ROOT, saved, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(saved), 0);
#else
    (void)saved;
#endif
    /* a reply reaches nobody: the caller stays blocked */
    api_reply(test_reply, seL4_MessageInfo_new(1, 0, 0, 0));
    set_own_priority(50);
    set_own_priority(seL4_MaxPrio);
    CHECK(!h.done);
}

TEST(IPC0016, "a Call through a GrantReply-only cap still gets its reply")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), gr = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, gr, WB, ROOT, ep, WB, seL4_CapRights_new(1, 0, 0, 1), 0), 0);
    create_helper(env, &h, 100);
    start_helper(env, &h, call_and_return_label, gr, 4, 0, 0);
    api_recv(ep, NULL, test_reply);
    seL4_SetMR(0, 8);
    api_reply(test_reply, seL4_MessageInfo_new(6, 0, 0, 1));
    CHECK_EQ(wait_for_helper(env, &h), 6008);
}

TEST(IPC0017, "suspending a caller waiting for its reply removes the reply cap")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), saved = alloc_slot(env);
    create_helper(env, &h, 100);
    start_helper(env, &h, call_and_return_label, ep, 1, 0, 0);
    api_recv(ep, NULL, test_reply);
    CHECK_EQ(seL4_TCB_Suspend(h.tcb), 0);
#ifndef CONFIG_KERNEL_MCS
    CHECK_EQ(seL4_CNode_SaveCaller(ROOT, saved, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(saved), 0);
#else
    /* the reply object no longer leads to the caller */
    (void)saved;
    api_reply(test_reply, seL4_MessageInfo_new(1, 0, 0, 0));
    set_own_priority(50);
    set_own_priority(seL4_MaxPrio);
    CHECK(!h.done);
#endif
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

static seL4_Word send_then_report(seL4_Word ep, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    seL4_Send(ep, seL4_MessageInfo_new(0, 0, 0, 0));
    return 42;
}

TEST(IPC0018, "deleting an endpoint releases a blocked sender, whose send then fails")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    create_helper(env, &h, 100);
    start_helper(env, &h, send_then_report, ep, 0, 0, 0);
    set_own_priority(50);
    set_own_priority(seL4_MaxPrio);
    CHECK(!h.done);
    CHECK_EQ(seL4_CNode_Delete(ROOT, ep, WB), 0);
    CHECK_EQ(wait_for_helper(env, &h), 42);
}

static seL4_Word server_add_one(seL4_Word ep, seL4_Word n, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    seL4_MessageInfo_t info = api_recv(ep, NULL, test_reply);
    for (seL4_Word i = 0; i + 1 < n; i++) {
        seL4_SetMR(0, seL4_GetMR(0) + 1);
        info = api_reply_recv(ep, seL4_MessageInfo_new(0, 0, 0, 1), NULL, test_reply);
    }
    (void)info;
    seL4_SetMR(0, seL4_GetMR(0) + 1);
    api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, 1));
    return 0;
}

TEST(IPC0019, "a ReplyRecv server answers 500 calls in order")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    create_helper(env, &h, 200);
    start_helper(env, &h, server_add_one, ep, 500, 0, 0);
    for (seL4_Word i = 0; i < 500; i++) {
        seL4_SetMR(0, i * 2);
        seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 1));
        CHECK_EQ(mr(0), i * 2 + 1);
    }
    wait_for_helper(env, &h);
}

TEST(IPC0020, "Call from the root task to a higher priority server returns the reply")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    set_own_priority(100);
    create_helper(env, &h, 150);
    start_helper(env, &h, server_add_one, ep, 1, 0, 0);
    seL4_SetMR(0, 41);
    seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 1));
    CHECK_EQ(mr(0), 42);
}

static seL4_Word serve_cap(seL4_Word ep, seL4_Word cap, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    api_recv(ep, NULL, test_reply);
    seL4_SetCap(0, cap);
    api_reply(test_reply, seL4_MessageInfo_new(0, 0, 1, 0));
    return 0;
}

TEST(IPC0021, "a reply carries a cap only if the server received through a Grant cap")
{
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), n = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr dest = alloc_slot(env), nogrant = alloc_slot(env);
    helper_t h;
    create_helper(env, &h, 200);
    start_helper(env, &h, serve_cap, ep, n, 0, 0);
    seL4_SetCapReceivePath(ROOT, dest, WB);
    seL4_MessageInfo_t r = seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(r), 1);
    CHECK_EQ(seL4_DebugCapIdentify(dest), seL4_CapTag_Notification);
    wait_for_helper(env, &h);
    CHECK_EQ(seL4_CNode_Delete(ROOT, dest, WB), 0);
    CHECK_EQ(seL4_CNode_Mint(ROOT, nogrant, WB, ROOT, ep, WB, seL4_ReadWrite, 0), 0);
    create_helper(env, &h, 200);
    start_helper(env, &h, serve_cap, nogrant, n, 0, 0);
    seL4_SetCapReceivePath(ROOT, dest, WB);
    r = seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(r), 0);
    CHECK_EQ(seL4_DebugCapIdentify(dest), 0);
    wait_for_helper(env, &h);
}

TEST(IPC0022, "message info fields: label passes through, capsUnwrapped is zero")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    create_helper(env, &h, 100);
    start_helper(env, &h, call_and_return_label, ep, 1, 0, 0);
    seL4_MessageInfo_t info = api_recv(ep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 5);
    CHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 0);
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
    seL4_SetMR(0, 0);
    api_reply(test_reply, seL4_MessageInfo_new(0xfffffffffffff, 0, 0, 1));
    CHECK_EQ(wait_for_helper(env, &h), 0xfffffffffffffull * 1000);
}
