/* FASTPATH: the IPC fastpath (Call and ReplyRecv) gives the results the
 * slow path gives, and it follows changes that happen between two of its
 * exchanges: a thread's new address space, a deleted ASID pool, a new
 * CSpace. seL4_HypDebugFastpathCount (debug builds) shows that the fastpath
 * really ran, so these tests cannot pass on the slow path alone. */
#include "framework.h"

#define TEST_VA 0x50000000ul
#define LOG_MAX 64

/* What a server saw: one entry per message. */
typedef struct server_log {
    volatile seL4_Word n;
    volatile seL4_Word badge[LOG_MAX], label[LOG_MAX], len[LOG_MAX], mr[LOG_MAX][4];
} server_log_t;

/* Answers every call: the reply has label `id` + the call's label, the
 * same length, and each MR one more than received. After logging a message
 * it signals ntfn (when given), so a higher-priority driver can act while
 * the caller waits for the reply. */
static seL4_Word log_server(seL4_Word ep, seL4_Word ntfn, seL4_Word logp, seL4_Word id)
{
    server_log_t *log = (server_log_t *)logp;
    seL4_Word badge;
    seL4_MessageInfo_t info = api_recv(ep, &badge, test_reply);
    for (;;) {
        seL4_Word i = log->n, len = seL4_MessageInfo_get_length(info), label = seL4_MessageInfo_get_label(info);
        if (i < LOG_MAX) {
            log->badge[i] = badge;
            log->label[i] = label;
            log->len[i] = len;
            for (seL4_Word k = 0; k < 4 && k < len; k++)
                log->mr[i][k] = seL4_GetMR(k);
        }
        log->n = i + 1;
        if (ntfn)
            seL4_Signal(ntfn);
        for (seL4_Word k = 0; k < len; k++)
            seL4_SetMR(k, seL4_GetMR(k) + 1);
        info = api_reply_recv(ep, seL4_MessageInfo_new(id + label, 0, 0, len), &badge, test_reply);
    }
    return 0;
}

/* Calls cptr n times. Call i sends label i and length i % 6 (lengths 5 go
 * the slow way) with MR k = 100 * i + k, or, when addr is set, length 1
 * with the word at addr. Returns the number of wrong replies; the labels
 * of the replies go to out[i]. */
static seL4_Word caller(seL4_Word cptr, seL4_Word n, seL4_Word addr, seL4_Word outp)
{
    volatile seL4_Word *out = (volatile seL4_Word *)outp;
    seL4_Word wrong = 0;
    for (seL4_Word i = 0; i < n; i++) {
        seL4_Word len = addr ? 1 : i % 6;
        for (seL4_Word k = 0; k < len; k++)
            seL4_SetMR(k, addr ? *(volatile seL4_Word *)addr : 100 * i + k);
        seL4_MessageInfo_t r = seL4_Call(cptr, seL4_MessageInfo_new(i, 0, 0, len));
        out[i] = seL4_MessageInfo_get_label(r);
        if (seL4_MessageInfo_get_length(r) != len || seL4_MessageInfo_get_extraCaps(r) != 0)
            wrong++;
        for (seL4_Word k = 0; k < len && !addr; k++)
            if (seL4_GetMR(k) != 100 * i + k + 1)
                wrong++;
    }
    return wrong;
}

static server_log_t log1, log2;
static seL4_Word labels[LOG_MAX];

static void reset_logs(void)
{
    log1.n = log2.n = 0;
    for (int i = 0; i < LOG_MAX; i++)
        labels[i] = ~0ul;
}

TEST(FASTPATH0001, "Call/ReplyRecv at one priority take the fastpath and deliver label, badge and 0-4 MRs")
{
    helper_t s, c;
    reset_logs();
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), badged = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, badged, WB, ROOT, ep, WB, seL4_AllRights, 0x77), 0);
    create_helper(env, &s, 100);
    create_helper(env, &c, 100);
    start_helper(env, &s, log_server, ep, 0, (seL4_Word)&log1, 1000);
    seL4_Word before = seL4_HypDebugFastpathCount();
    start_helper(env, &c, caller, badged, 60, 0, (seL4_Word)labels);
    CHECK_EQ(wait_for_helper(env, &c), 0);
    seL4_Word fast = seL4_HypDebugFastpathCount() - before;
    CHECK_EQ(log1.n, 60);
    for (seL4_Word i = 0; i < 60; i++) {
        CHECK_EQ(log1.badge[i], 0x77);
        CHECK_EQ(log1.label[i], i);
        CHECK_EQ(log1.len[i], i % 6);
        for (seL4_Word k = 0; k < i % 6 && k < 4; k++)
            CHECK_EQ(log1.mr[i][k], 100 * i + k);
        CHECK_EQ(labels[i], 1000 + i);
    }
    /* 50 of the 60 exchanges are short and both halves of each go fast,
     * except the very first Call: the caller runs before the server waits
     * (the last thread resumed runs first) */
    CHECK_EQ(fast, 2 * 50 - 1);
}

TEST(FASTPATH0002, "a thread given a new address space between fastpath exchanges runs in it at once")
{
    helper_t s, c;
    reset_logs();
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), ntfn = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr vs = make_image_vspace(env, seL4_CapInitThreadASIDPool);
    map_new_frame(env, seL4_CapInitThreadVSpace, TEST_VA, seL4_ReadWrite);
    seL4_CPtr other = map_new_frame(env, seL4_CapInitThreadVSpace, TEST_VA + 0x1000, seL4_ReadWrite);
    map_copy(env, other, vs, TEST_VA, seL4_ReadWrite);
    *(volatile seL4_Word *)TEST_VA = 111;
    *(volatile seL4_Word *)(TEST_VA + 0x1000) = 222; /* seen at TEST_VA in vs */
    create_helper(env, &s, 100);
    create_helper(env, &c, 100);
    start_helper(env, &s, log_server, ep, ntfn, (seL4_Word)&log1, 0);
    start_helper(env, &c, caller, ep, 3, TEST_VA, (seL4_Word)labels);
    seL4_Wait(ntfn, NULL); /* the first message is logged; the caller waits for its reply */
    CHECK_EQ(log1.mr[0][0], 111);
    CHECK_EQ(api_tcb_set_space(c.tcb, 0, ROOT, 0, vs, 0), 0);
    seL4_Word before = seL4_HypDebugFastpathCount();
    seL4_Wait(ntfn, NULL);
    seL4_Wait(ntfn, NULL);
    CHECK_EQ(wait_for_helper(env, &c), 0);
    CHECK_EQ(log1.n, 3);
    CHECK_EQ(log1.mr[1][0], 222);
    CHECK_EQ(log1.mr[2][0], 222);
    /* the first switch back to the moved caller goes the slow way (its
     * cached satp is stale); the four halves after it go fast */
    CHECK_EQ(seL4_HypDebugFastpathCount() - before, 4);
}

TEST(FASTPATH0003, "a thread whose ASID pool is deleted between fastpath exchanges has no address space")
{
    helper_t s, c;
    reset_logs();
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), ntfn = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0), pool = alloc_slot(env);
    CHECK_EQ(test_asid_make_pool(make_untyped(env, seL4_ASIDPoolBits), ROOT, pool, WB), 0);
    seL4_CPtr vs = make_image_vspace(env, pool);
    create_helper(env, &s, 100);
    create_helper_with_fault_ep(env, &c, 100, fep);
    CHECK_EQ(api_tcb_set_space(c.tcb, fep, ROOT, 0, vs, 0), 0);
    start_helper(env, &s, log_server, ep, ntfn, (seL4_Word)&log1, 0);
    start_helper(env, &c, caller, ep, 2, 0, (seL4_Word)labels);
    seL4_Wait(ntfn, NULL);
    CHECK_EQ(log1.n, 1);
    CHECK_EQ(seL4_CNode_Delete(ROOT, pool, WB), 0);
    /* the server's ReplyRecv resumes the caller, whose root has lost its
     * ASID: it runs on no user mappings and faults on its next instruction.
     * (The fastpath must not use the address space it switched to before;
     * it leaves this switch to the slow path, which checks the pool.) */
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    CHECK_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), 1);
    CHECK_EQ(seL4_GetMR(seL4_VMFault_Addr), seL4_GetMR(seL4_VMFault_IP));
    CHECK_EQ(log1.n, 1);
    CHECK_EQ(labels[0], ~0ul); /* the caller never got to store its reply */
}

TEST(FASTPATH0004, "a thread given a new CSpace between fastpath exchanges looks its caps up there")
{
    helper_t s1, s2, c;
    reset_logs();
    seL4_CPtr ep1 = make_object(env, seL4_EndpointObject, 0), ep2 = make_object(env, seL4_EndpointObject, 0);
    seL4_CPtr ntfn = make_object(env, seL4_NotificationObject, 0);
    create_helper(env, &s1, 100);
    create_helper(env, &s2, 100);
    create_helper(env, &c, 100);
    /* Two CSpaces shaped like the root CNode: in each, the caller's cptr
     * names another server's endpoint; the caps the helper's exit uses
     * (its join notification and its TCB) are in both. */
    seL4_CPtr cn[2], cptr = ep1;
    for (int i = 0; i < 2; i++) {
        cn[i] = make_object(env, seL4_CapTableObject, seL4_RootCNodeSizeBits);
        CHECK_EQ(seL4_CNode_Copy(cn[i], cptr, seL4_RootCNodeSizeBits, ROOT, i ? ep2 : ep1, WB, seL4_AllRights), 0);
        CHECK_EQ(seL4_CNode_Copy(cn[i], c.join, seL4_RootCNodeSizeBits, ROOT, c.join, WB, seL4_AllRights), 0);
        CHECK_EQ(seL4_CNode_Copy(cn[i], c.tcb, seL4_RootCNodeSizeBits, ROOT, c.tcb, WB, seL4_AllRights), 0);
    }
    seL4_Word guard = seL4_CNode_CapData_new(0, WB - seL4_RootCNodeSizeBits).words[0];
    CHECK_EQ(api_tcb_set_space(c.tcb, 0, cn[0], guard, seL4_CapInitThreadVSpace, 0), 0);
    start_helper(env, &s1, log_server, ep1, ntfn, (seL4_Word)&log1, 1000);
    start_helper(env, &s2, log_server, ep2, 0, (seL4_Word)&log2, 2000);
    start_helper(env, &c, caller, cptr, 4, 0, (seL4_Word)labels);
    seL4_Wait(ntfn, NULL);
    seL4_Wait(ntfn, NULL); /* two calls served by s1, the second on the fastpath */
    CHECK_EQ(api_tcb_set_space(c.tcb, 0, cn[1], guard, seL4_CapInitThreadVSpace, 0), 0);
    seL4_Word before = seL4_HypDebugFastpathCount();
    CHECK_EQ(wait_for_helper(env, &c), 0);
    CHECK_EQ(log1.n, 2);
    CHECK_EQ(log2.n, 2);
    CHECK_EQ(labels[0], 1000);
    CHECK_EQ(labels[1], 1001);
    CHECK_EQ(labels[2], 2002);
    CHECK_EQ(labels[3], 2003);
    /* SetSpace stales every cached satp, so the first switch to the caller
     * and the first to s2 go the slow way; the three halves after go fast */
    CHECK_EQ(seL4_HypDebugFastpathCount() - before, 3);
}

/* Calls cptr n times (label i, no MRs), storing the reply labels in out[],
 * then calls bad, which must not resolve: the thread stops in a cap fault. */
static seL4_Word guarded_caller(seL4_Word cptr, seL4_Word n, seL4_Word bad, seL4_Word outp)
{
    volatile seL4_Word *out = (volatile seL4_Word *)outp;
    for (seL4_Word i = 0; i < n; i++)
        out[i] = seL4_MessageInfo_get_label(seL4_Call(cptr, seL4_MessageInfo_new(i, 0, 0, 0)));
    seL4_Call(bad, seL4_MessageInfo_new(0, 0, 0, 0));
    return 0;
}

TEST(FASTPATH0005, "a one-level CSpace with a guard resolves on the fastpath; a wrong guard is a cap fault")
{
    helper_t s, c;
    reset_logs();
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), fep = make_object(env, seL4_EndpointObject, 0);
    seL4_CPtr cn = make_object(env, seL4_CapTableObject, 4);
    const seL4_Word guard = 0x123, radix = 4, gs = WB - radix;
    CHECK_EQ(seL4_CNode_Copy(cn, 5, radix, ROOT, ep, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Copy(cn, 2, radix, ROOT, fep, WB, seL4_AllRights), 0);
    create_helper(env, &s, 100);
    create_helper(env, &c, 100);
    seL4_Word cptr = guard << radix | 5, bad = (guard + 1) << radix | 5;
    CHECK_EQ(api_tcb_set_space(c.tcb, API_FAULT_EP(fep, guard << radix | 2), cn,
                               seL4_CNode_CapData_new(guard, gs).words[0], seL4_CapInitThreadVSpace, 0),
             0);
    start_helper(env, &s, log_server, ep, 0, (seL4_Word)&log1, 500);
    seL4_Word before = seL4_HypDebugFastpathCount();
    start_helper(env, &c, guarded_caller, cptr, 20, bad, (seL4_Word)labels);
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    seL4_Word fast = seL4_HypDebugFastpathCount() - before;
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_CapFault);
    CHECK_EQ(seL4_GetMR(seL4_CapFault_Addr), bad);
    CHECK_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_GuardMismatch);
    CHECK_EQ(log1.n, 20);
    for (seL4_Word i = 0; i < 20; i++)
        CHECK_EQ(labels[i], 500 + i);
    CHECK_EQ(fast, 2 * 20 - 1); /* all but the first Call, made before the server waits */
}

/* Who ran when: each entry is a letter and a round number. */
#define EVENTS_MAX 256
static volatile seL4_Word events[EVENTS_MAX], n_events;
static void note_event(seL4_Word letter, seL4_Word round)
{
    if (n_events < EVENTS_MAX)
        events[n_events] = letter << 16 | round;
    n_events++;
}

/* Waits on ntfn n times, noting 'B' and the round each time it runs. */
static seL4_Word bystander(seL4_Word ntfn, seL4_Word n, seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    for (seL4_Word i = 0; i < n; i++) {
        seL4_Wait(ntfn, NULL);
        note_event('B', i);
    }
    return 0;
}

/* Calls cptr n times (label i, no MRs), noting 'C' and the round when each
 * reply has arrived; with ntfn set it signals it first, so a thread waiting
 * there becomes ready while this one calls. Returns the wrong replies. */
static seL4_Word noting_caller(seL4_Word cptr, seL4_Word n, seL4_Word ntfn, seL4_Word label_base)
{
    seL4_Word wrong = 0;
    for (seL4_Word i = 0; i < n; i++) {
        if (ntfn)
            seL4_Signal(ntfn);
        seL4_MessageInfo_t r = seL4_Call(cptr, seL4_MessageInfo_new(i, 0, 0, 0));
        wrong += seL4_MessageInfo_get_label(r) != label_base + i;
        note_event('C', i);
    }
    return wrong;
}

TEST(FASTPATH0006,
     "a server's reply to a lower-priority caller takes the fastpath when nothing more important is ready")
{
    helper_t s, c;
    reset_logs();
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    create_helper(env, &s, 150);
    create_helper(env, &c, 100);
    start_helper(env, &s, log_server, ep, 0, (seL4_Word)&log1, 700);
    start_helper(env, &c, caller, ep, 60, 0, (seL4_Word)labels);
    /* the root task blocks here, so the server waits on the endpoint
     * before the caller first calls; only the caller and the server run */
    seL4_Word before = seL4_HypDebugFastpathCount();
    CHECK_EQ(wait_for_helper(env, &c), 0);
    seL4_Word fast = seL4_HypDebugFastpathCount() - before;
    CHECK_EQ(log1.n, 60);
    for (seL4_Word i = 0; i < 60; i++)
        CHECK_EQ(labels[i], 700 + i);
    /* both halves of the 50 short exchanges: the calls go up in priority,
     * the replies down to a caller that is then the most important thread */
    CHECK_EQ(fast, 2 * 50);
}

TEST(FASTPATH0007, "a reply to a lower-priority caller leaves the fastpath while a thread between them is ready")
{
    helper_t s, c, b;
    reset_logs();
    n_events = 0;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), ntfn = make_object(env, seL4_NotificationObject, 0);
    create_helper(env, &s, 200);
    create_helper(env, &b, 150);
    create_helper(env, &c, 100);
    /* the server signals ntfn after logging each call, making the
     * bystander (150) ready while it serves the caller (100) */
    start_helper(env, &s, log_server, ep, ntfn, (seL4_Word)&log1, 300);
    start_helper(env, &b, bystander, ntfn, 20, 0, 0);
    start_helper(env, &c, noting_caller, ep, 20, 0, 300);
    seL4_Word before = seL4_HypDebugFastpathCount();
    CHECK_EQ(wait_for_helper(env, &c), 0);
    seL4_Word fast = seL4_HypDebugFastpathCount() - before;
    CHECK_EQ(wait_for_helper(env, &b), 0);
    CHECK_EQ(n_events, 40);
    /* the bystander outranks the caller: it runs before each reply arrives */
    for (seL4_Word i = 0; i < 20; i++) {
        CHECK_EQ(events[2 * i], 'B' << 16 | i);
        CHECK_EQ(events[2 * i + 1], 'C' << 16 | i);
    }
    CHECK_EQ(fast, 20); /* the calls only */
}

TEST(FASTPATH0008, "a call down to a lower-priority server is fast only while no thread between them is ready")
{
    helper_t s, c, b;
    reset_logs();
    n_events = 0;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), ntfn = make_object(env, seL4_NotificationObject, 0);
    create_helper(env, &s, 100);
    create_helper(env, &c, 200);
    start_helper(env, &s, log_server, ep, 0, (seL4_Word)&log1, 400);
    /* first nothing else: the call down and the reply up both go fast */
    start_helper(env, &c, noting_caller, ep, 20, 0, 400);
    seL4_Word before = seL4_HypDebugFastpathCount();
    CHECK_EQ(wait_for_helper(env, &c), 0);
    /* all but the first call, made before the lower-priority server waits */
    CHECK_EQ(seL4_HypDebugFastpathCount() - before, 2 * 20 - 1);
    CHECK_EQ(log1.n, 20);

    /* then the caller makes a bystander (150) ready before each call: the
     * bystander must run before the server sees the call */
    helper_t c2;
    create_helper(env, &b, 150);
    create_helper(env, &c2, 200);
    start_helper(env, &b, bystander, ntfn, 20, 0, 0);
    n_events = 0;
    start_helper(env, &c2, noting_caller, ep, 20, ntfn, 400);
    before = seL4_HypDebugFastpathCount();
    CHECK_EQ(wait_for_helper(env, &c2), 0);
    seL4_Word fast = seL4_HypDebugFastpathCount() - before;
    CHECK_EQ(wait_for_helper(env, &b), 0);
    CHECK_EQ(log1.n, 40);
    CHECK_EQ(n_events, 40);
    for (seL4_Word i = 0; i < 20; i++) {
        CHECK_EQ(events[2 * i], 'B' << 16 | i);
        CHECK_EQ(events[2 * i + 1], 'C' << 16 | i);
    }
    CHECK_EQ(fast, 20); /* the replies only: each call found the bystander ready */
}

/* Reads one word from each of n pages from base on (a fault each), summing
 * them in registers across the faults. */
static seL4_Word sum_pages(seL4_Word base, seL4_Word n, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    seL4_Word sum = 0;
    for (seL4_Word i = 0; i < n; i++)
        sum += *(volatile seL4_Word *)(base + i * 4096 + 8 * (i % 8));
    return sum;
}

/* A VM fault's reply carries nothing, so a pager's ReplyRecv is a fastpath
 * exchange: the faulting thread runs the instruction again with all its
 * registers (the sum survives eight faults), and a reply without a
 * mapping makes it fault again at the same address. */
TEST(FASTPATH0009, "a pager's ReplyRecv to a VM fault resumes the faulting thread on the fastpath, registers intact")
{
    enum { PAGES = 8, NO_MAP_AT = 3 };
    helper_t h;
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    create_helper_with_fault_ep(env, &h, 100, fep);
    start_helper(env, &h, sum_pages, TEST_VA, PAGES, 0, 0);
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    seL4_Word before = seL4_HypDebugFastpathCount(), expect = 0, replies = 0;
    bool refaulted = false;
    for (seL4_Word i = 0; i < PAGES && env->failures == 0; i++) {
        CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
        seL4_Word addr = seL4_GetMR(seL4_VMFault_Addr);
        CHECK_EQ(addr, TEST_VA + i * 4096 + 8 * (i % 8));
        if (i == NO_MAP_AT && !refaulted) {
            refaulted = true;
            info = api_reply_recv(fep, seL4_MessageInfo_new(0, 0, 0, 0), NULL, test_reply);
            replies++;
            i--;
            continue;
        }
        map_new_frame(env, seL4_CapInitThreadVSpace, addr & ~0xffful, seL4_ReadWrite);
        *(volatile seL4_Word *)addr = 10 * i + 1;
        expect += 10 * i + 1;
        if (i + 1 == PAGES) {
            api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, 0));
            break;
        }
        info = api_reply_recv(fep, seL4_MessageInfo_new(0, 0, 0, 0), NULL, test_reply);
        replies++;
    }
    CHECK_EQ(wait_for_helper(env, &h), expect);
    CHECK(refaulted);
    /* the MCS fastpath leaves fault replies to the slow path */
    if (!TEST_MCS)
        CHECK_EQ(seL4_HypDebugFastpathCount() - before, replies);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}
