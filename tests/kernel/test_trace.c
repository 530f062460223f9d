/* TRACE: kernel trace events (<hypos/trace.h>). The trace control cap in
 * slot hypOS_CapTraceControl, rings in frames the test maps to read them,
 * hooks on endpoints, notifications, threads and the system; exact event
 * counts for known IPC patterns, drops without overwriting, threshold
 * notifications, hooks and rings that vanish with their objects, and the
 * refusals an attacker holding the wrong caps gets. */
#include "framework.h"
#include "irq_helpers.h"
#include <hypos/trace.h>

#define RING_VA 0x58000000ul
#define TRACE hypOS_CapTraceControl

typedef struct {
    seL4_CPtr frame;
    hypos_trace_ring_t *r;
} ring_t;

/* A 4 KiB ring mapped at va in the driver's VSpace, set up as ring n. */
static ring_t make_ring(env_t *env, seL4_Word n, seL4_Word va, seL4_CPtr ntfn, seL4_Word threshold)
{
    ring_t ring = {map_new_frame(env, seL4_CapInitThreadVSpace, va, seL4_ReadWrite), (hypos_trace_ring_t *)va};
    CHECK_EQ(hypOS_TraceControl_SetRing(TRACE, n, ring.frame, ntfn, threshold), seL4_NoError);
    return ring;
}

static seL4_Word unread(const ring_t *ring) { return ring->r->head - ring->r->tail; }

static hypos_trace_record_t *record(const ring_t *ring, seL4_Word n) { return hypos_trace_slot(ring->r, n); }

static seL4_Word tid(seL4_CPtr tcb)
{
    hypOS_TraceControl_ThreadId_t t = hypOS_TraceControl_ThreadId(TRACE, tcb);
    return t.error == seL4_NoError ? t.id : 0;
}

static seL4_Word hook(seL4_CPtr object, seL4_Word ring, seL4_Word events, seL4_Word cookie)
{
    hypOS_TraceControl_Hook_t h = hypOS_TraceControl_Hook(TRACE, object, ring, events, cookie);
    return h.error == seL4_NoError ? h.hook : 0;
}

/* Count the unread records of each type. */
static void count_types(const ring_t *ring, seL4_Word counts[HYPOS_TRACE_TYPES])
{
    for (int i = 0; i < HYPOS_TRACE_TYPES; i++)
        counts[i] = 0;
    for (seL4_Word n = ring->r->tail; n < ring->r->head; n++) {
        seL4_Word t = record(ring, n)->h.type;
        if (t < HYPOS_TRACE_TYPES)
            counts[t]++;
    }
}

/* Answers every call with its label + 1, n times, then returns. */
static seL4_Word echo_server(seL4_Word ep, seL4_Word n, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    seL4_Word badge;
    seL4_MessageInfo_t info = api_recv(ep, &badge, test_reply);
    for (seL4_Word i = 1; i < n; i++)
        info =
            api_reply_recv(ep, seL4_MessageInfo_new(seL4_MessageInfo_get_label(info) + 1, 0, 0, 0), &badge, test_reply);
    api_reply(test_reply, seL4_MessageInfo_new(seL4_MessageInfo_get_label(info) + 1, 0, 0, 0));
    return 0;
}

/* n Calls with labels 10, 11, ... and length 2; counts wrong answers. */
static seL4_Word calls(seL4_Word ep, seL4_Word n, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    seL4_Word wrong = 0;
    for (seL4_Word i = 0; i < n; i++) {
        seL4_SetMR(0, i);
        seL4_SetMR(1, i);
        seL4_MessageInfo_t r = seL4_Call(ep, seL4_MessageInfo_new(10 + i, 0, 0, 2));
        wrong += seL4_MessageInfo_get_label(r) != 11 + i;
    }
    return wrong;
}

/* A client and an echo server exchange n calls on ep. */
static void exchange(env_t *env, seL4_CPtr ep, seL4_CPtr client_ep, seL4_Word n, seL4_CPtr *server_tcb,
                     seL4_CPtr *client_tcb)
{
    helper_t s, c;
    create_helper(env, &s, 100);
    create_helper(env, &c, 100);
    if (server_tcb)
        *server_tcb = s.tcb;
    if (client_tcb)
        *client_tcb = c.tcb;
    start_helper(env, &s, echo_server, ep, n, 0, 0);
    start_helper(env, &c, calls, client_ep, n, 0, 0);
    CHECK_EQ(wait_for_helper(env, &c), 0);
    CHECK_EQ(wait_for_helper(env, &s), 0);
}

TEST(TRACE0001, "the trace control cap names threads by ids that are unique and never 0")
{
    helper_t a, b;
    create_helper(env, &a, 100);
    create_helper(env, &b, 100);
    seL4_Word root = tid(seL4_CapInitThreadTCB), ia = tid(a.tcb), ib = tid(b.tcb);
    CHECK(root != 0 && ia != 0 && ib != 0);
    CHECK(root != ia && ia != ib && root != ib);
    CHECK_EQ(tid(a.tcb), ia); /* stable */
    CHECK_EQ(hypOS_TraceControl_ThreadId(TRACE, seL4_CapInitThreadCNode).error, seL4_InvalidCapability);
    CHECK_EQ(hypOS_TraceControl_ThreadId(TRACE, seL4_CapNull).error, seL4_InvalidCapability);
    destroy_helper(env, &a);
    destroy_helper(env, &b);
}

TEST(TRACE0002, "SetRing checks the ring number, the frame, the notification and the threshold")
{
    seL4_CPtr frame = map_new_frame(env, seL4_CapInitThreadVSpace, RING_VA, seL4_ReadWrite);
    seL4_CPtr ro = alloc_slot(env), ntfn = make_object(env, seL4_NotificationObject, 0), ntfn_ro = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, ro, WB, ROOT, frame, WB, seL4_CanRead, 0), 0);
    CHECK_EQ(seL4_CNode_Mint(ROOT, ntfn_ro, WB, ROOT, ntfn, WB, seL4_CanRead, 0), 0);
    CHECK_EQ(hypOS_TraceControl_SetRing(TRACE, hypOS_TraceRings, frame, ntfn, 1), seL4_RangeError);
    CHECK_EQ(hypOS_TraceControl_SetRing(TRACE, 0, ro, ntfn, 1), seL4_InvalidCapability);
    CHECK_EQ(hypOS_TraceControl_SetRing(TRACE, 0, ntfn, ntfn, 1), seL4_InvalidCapability);
    CHECK_EQ(hypOS_TraceControl_SetRing(TRACE, 0, frame, ntfn_ro, 1), seL4_InvalidCapability);
    CHECK_EQ(hypOS_TraceControl_SetRing(TRACE, 0, frame, frame, 1), seL4_InvalidCapability);
    CHECK_EQ(hypOS_TraceControl_SetRing(TRACE, 0, frame, ntfn, 64), seL4_RangeError);
    /* a device frame is not the kernel's to write */
    if (env->device_ut) {
        seL4_CPtr dev = alloc_slot(env);
        CHECK_EQ(seL4_Untyped_Retype(env->device_ut, TEST_FRAME_4K, 0, ROOT, 0, 0, dev, 1), 0);
        CHECK_EQ(hypOS_TraceControl_SetRing(TRACE, 0, dev, ntfn, 1), seL4_InvalidCapability);
    }
    hypos_trace_ring_t *r = (hypos_trace_ring_t *)RING_VA;
    r->head = r->dropped = 77;
    CHECK_EQ(hypOS_TraceControl_SetRing(TRACE, 0, frame, ntfn, 63), seL4_NoError);
    CHECK_EQ(r->capacity, 63);
    CHECK_EQ(r->threshold, 63);
    CHECK_EQ(r->head, 0);
    CHECK_EQ(r->dropped, 0);
    CHECK_EQ(hypOS_TraceControl_SetRing(TRACE, 1, frame, seL4_CapNull, 0), seL4_NoError); /* no notification */
    CHECK_EQ(hypOS_TraceControl_ClearRing(TRACE, 0), seL4_NoError);
    CHECK_EQ(hypOS_TraceControl_ClearRing(TRACE, 1), seL4_NoError);
    CHECK_EQ(hypOS_TraceControl_ClearRing(TRACE, hypOS_TraceRings), seL4_RangeError);
}

TEST(TRACE0003, "Hook needs the trace cap, a ring and an object cap with the right to observe")
{
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), wo = alloc_slot(env), cnode = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, wo, WB, ROOT, ep, WB, seL4_CanWrite, 0), 0);
    CHECK_EQ(seL4_CNode_Copy(ROOT, cnode, WB, ROOT, seL4_CapInitThreadCNode, WB, seL4_AllRights), 0);
    /* no ring yet */
    CHECK_EQ(hypOS_TraceControl_Hook(TRACE, ep, 0, HYPOS_TRACE_EV_ENDPOINT, 1).error, seL4_IllegalOperation);
    make_ring(env, 0, RING_VA, seL4_CapNull, 0);
    CHECK_EQ(hypOS_TraceControl_Hook(TRACE, wo, 0, HYPOS_TRACE_EV_ENDPOINT, 1).error, seL4_InvalidCapability);
    CHECK_EQ(hypOS_TraceControl_Hook(TRACE, cnode, 0, HYPOS_TRACE_EV_ENDPOINT, 1).error, seL4_IllegalOperation);
    CHECK_EQ(hypOS_TraceControl_Hook(TRACE, ep, 0, HYPOS_TRACE_EV(HYPOS_TRACE_SCHED), 1).error, seL4_RangeError);
    CHECK_EQ(hypOS_TraceControl_Hook(TRACE, ep, 0, 0, 1).error, seL4_RangeError);
    CHECK_EQ(hypOS_TraceControl_Hook(TRACE, ep, hypOS_TraceRings, HYPOS_TRACE_EV_ENDPOINT, 1).error, seL4_RangeError);
    CHECK_EQ(hypOS_TraceControl_Hook(TRACE, ep, 0, HYPOS_TRACE_EV_ENDPOINT, 1ul << 32).error, seL4_RangeError);
    CHECK_EQ(hypOS_TraceControl_Unhook(TRACE, ep), seL4_IllegalOperation); /* no hook yet */
    /* other caps do not have the trace methods; a copy of the trace cap does */
    CHECK_EQ(hypOS_TraceControl_Hook(seL4_CapDomain, ep, 0, HYPOS_TRACE_EV_ENDPOINT, 1).error, seL4_IllegalOperation);
    seL4_CPtr copy = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, copy, WB, ROOT, TRACE, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_DebugCapIdentify(copy), hypOS_CapTag_TraceControl);
    hypOS_TraceControl_Hook_t h = hypOS_TraceControl_Hook(copy, ep, 0, HYPOS_TRACE_EV_ENDPOINT, 1);
    CHECK_EQ(h.error, seL4_NoError);
    CHECK(h.hook >= 1 && h.hook <= hypOS_TraceHooks);
    /* hooking again replaces the hook: same number */
    CHECK_EQ(hook(ep, 0, HYPOS_TRACE_EV(HYPOS_TRACE_IPC_CALL), 2), h.hook);
    CHECK_EQ(hypOS_TraceControl_Unhook(copy, ep), seL4_NoError);
    CHECK_EQ(hypOS_TraceControl_Unhook(copy, ep), seL4_IllegalOperation);
    CHECK_EQ(hypOS_TraceControl_ClearRing(TRACE, 0), seL4_NoError);
}

TEST(TRACE0004, "n Calls on a traced endpoint: exactly n CALL, n REPLY and n+1 RECV records, with ids and labels")
{
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), badged = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, badged, WB, ROOT, ep, WB, seL4_AllRights, 0x55), 0);
    ring_t ring = make_ring(env, 0, RING_VA, seL4_CapNull, 0);
    CHECK(hook(ep, 0, HYPOS_TRACE_EV_ENDPOINT, 0xc0ffee) != 0);
    seL4_CPtr server, client;
    seL4_Word fast_before = seL4_HypDebugFastpathCount();
    exchange(env, ep, badged, 15, &server, &client);
    seL4_Word fast = seL4_HypDebugFastpathCount() - fast_before;
    seL4_Word counts[HYPOS_TRACE_TYPES];
    count_types(&ring, counts);
    CHECK_EQ(counts[HYPOS_TRACE_IPC_CALL], 15);
    CHECK_EQ(counts[HYPOS_TRACE_IPC_REPLY], 15);
    CHECK_EQ(counts[HYPOS_TRACE_IPC_RECV], 15);
    CHECK_EQ(counts[HYPOS_TRACE_IPC_SEND], 0);
    CHECK_EQ(ring.r->dropped, 0);
    seL4_Word s = tid(server), c = tid(client), calls_seen = 0, last_time = 0;
    seL4_Word fast_of[HYPOS_TRACE_TYPES] = {0};
    for (seL4_Word n = 0; n < ring.r->head; n++) {
        hypos_trace_record_t *rec = record(&ring, n);
        CHECK_EQ(rec->h.object, 0xc0ffee);
        CHECK_EQ(rec->h.length, sizeof(hypos_trace_ipc_t));
        CHECK(rec->h.time >= last_time);
        last_time = rec->h.time;
        if (rec->u.ipc.flags & HYPOS_TRACE_F_FAST)
            fast_of[rec->h.type]++;
        switch (rec->h.type) {
        case HYPOS_TRACE_IPC_CALL:
            CHECK_EQ(rec->u.ipc.sender, c);
            CHECK(rec->u.ipc.receiver == s || (rec->u.ipc.receiver == 0 && (rec->u.ipc.flags & HYPOS_TRACE_F_QUEUED)));
            CHECK_EQ(rec->u.ipc.label, 10 + calls_seen);
            CHECK_EQ(rec->u.ipc.length, 2);
            CHECK_EQ(rec->u.ipc.badge, 0x55);
            calls_seen++;
            break;
        case HYPOS_TRACE_IPC_REPLY:
            CHECK_EQ(rec->u.ipc.sender, s);
            CHECK_EQ(rec->u.ipc.receiver, c);
            CHECK_EQ(rec->u.ipc.label, 10 + calls_seen); /* the answer to the last call */
            break;
        case HYPOS_TRACE_IPC_RECV:
            CHECK_EQ(rec->u.ipc.receiver, s);
            /* blocked and waiting, or took the queued first call */
            CHECK(rec->u.ipc.flags & HYPOS_TRACE_F_BLOCKED ? rec->u.ipc.sender == 0 : rec->u.ipc.sender == c);
            break;
        default:
            CHECK(!"no other record type");
        }
    }
    /* the fastpath recorded its halves: all but the first Call and the last
     * reply (a plain Reply) go fast, as untraced. A fast Call is one
     * record, a fast ReplyRecv two (the reply, the wait). */
    CHECK(fast >= 2 * 15 - 3);
    CHECK_EQ(fast_of[HYPOS_TRACE_IPC_CALL] + fast_of[HYPOS_TRACE_IPC_REPLY], fast);
    CHECK_EQ(fast_of[HYPOS_TRACE_IPC_RECV], fast_of[HYPOS_TRACE_IPC_REPLY]);
}

TEST(TRACE0005, "a full ring drops and counts the newest records and never overwrites unread ones")
{
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    ring_t ring = make_ring(env, 0, RING_VA, seL4_CapNull, 0);
    CHECK(hook(ep, 0, HYPOS_TRACE_EV(HYPOS_TRACE_IPC_SEND), 7) != 0);
    /* NBSend without a receiver: one SEND record each, label = i */
    for (seL4_Word i = 0; i < 100; i++)
        seL4_NBSend(ep, seL4_MessageInfo_new(i, 0, 0, 0));
    CHECK_EQ(ring.r->head, 63);
    CHECK_EQ(ring.r->dropped, 37);
    for (seL4_Word n = 0; n < 63; n++) {
        CHECK_EQ(record(&ring, n)->h.type, HYPOS_TRACE_IPC_SEND);
        CHECK_EQ(record(&ring, n)->u.ipc.label, n);
        CHECK_EQ(record(&ring, n)->u.ipc.flags, HYPOS_TRACE_F_NONBLOCKING);
    }
    /* consume 10: 10 more fit, in slots 0-9 again */
    ring.r->tail = 10;
    for (seL4_Word i = 100; i < 120; i++)
        seL4_NBSend(ep, seL4_MessageInfo_new(i, 0, 0, 0));
    CHECK_EQ(ring.r->head, 73);
    CHECK_EQ(ring.r->dropped, 47);
    CHECK_EQ(record(&ring, 63)->u.ipc.label, 100);
    CHECK_EQ(record(&ring, 72)->u.ipc.label, 109);
    CHECK_EQ(record(&ring, 62)->u.ipc.label, 62);
    /* a tail the consumer made up (beyond head, or far behind) only drops */
    ring.r->tail = 1000;
    seL4_NBSend(ep, seL4_MessageInfo_new(1, 0, 0, 0));
    ring.r->tail = 0;
    seL4_NBSend(ep, seL4_MessageInfo_new(1, 0, 0, 0));
    CHECK_EQ(ring.r->head, 73);
    CHECK_EQ(ring.r->dropped, 49);
    /* the consumer cannot make the kernel forget drops */
    ring.r->dropped = 0;
    seL4_NBSend(ep, seL4_MessageInfo_new(1, 0, 0, 0));
    CHECK_EQ(ring.r->dropped, 50);
}

TEST(TRACE0006, "the ring's notification is signalled once when the unread records reach the threshold")
{
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), ntfn = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr badged = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, badged, WB, ROOT, ntfn, WB, seL4_AllRights, 0x8), 0);
    ring_t ring = make_ring(env, 0, RING_VA, badged, 5);
    CHECK(hook(ep, 0, HYPOS_TRACE_EV(HYPOS_TRACE_IPC_SEND), 7) != 0);
    seL4_Word badge = 0;
    for (int i = 0; i < 4; i++)
        seL4_NBSend(ep, seL4_MessageInfo_new(i, 0, 0, 0));
    api_nbwait(ntfn, &badge);
    CHECK_EQ(badge, 0);
    seL4_NBSend(ep, seL4_MessageInfo_new(4, 0, 0, 0));
    api_nbwait(ntfn, &badge);
    CHECK_EQ(badge, 0x8);
    seL4_NBSend(ep, seL4_MessageInfo_new(5, 0, 0, 0));
    api_nbwait(ntfn, &badge);
    CHECK_EQ(badge, 0);          /* once per crossing */
    ring.r->tail = ring.r->head; /* consumed; the next crossing signals again */
    for (int i = 0; i < 5; i++)
        seL4_NBSend(ep, seL4_MessageInfo_new(i, 0, 0, 0));
    api_nbwait(ntfn, &badge);
    CHECK_EQ(badge, 0x8);
    CHECK_EQ(unread(&ring), 5);
}

TEST(TRACE0007, "a hook goes with its object; the hook table is finite and its entries come back")
{
    make_ring(env, 0, RING_VA, seL4_CapNull, 0);
    seL4_CPtr eps[hypOS_TraceHooks + 1];
    seL4_Word made = 0;
    for (; made <= hypOS_TraceHooks; made++) {
        eps[made] = make_object(env, seL4_EndpointObject, 0);
        hypOS_TraceControl_Hook_t h = hypOS_TraceControl_Hook(TRACE, eps[made], 0, HYPOS_TRACE_EV_ENDPOINT, made);
        if (h.error != seL4_NoError) {
            CHECK_EQ(h.error, seL4_NotEnoughMemory);
            break;
        }
    }
    CHECK_EQ(made, hypOS_TraceHooks);
    /* deleting a traced endpoint frees its hook */
    CHECK_EQ(seL4_CNode_Delete(ROOT, eps[3], WB), 0);
    CHECK(hook(eps[made], 0, HYPOS_TRACE_EV_ENDPOINT, 1) != 0);
    /* and unhooking does too */
    CHECK_EQ(hypOS_TraceControl_Unhook(TRACE, eps[4]), 0);
    seL4_CPtr n = make_object(env, seL4_NotificationObject, 0);
    CHECK(hook(n, 0, HYPOS_TRACE_EV_NOTIFICATION, 1) != 0);
    /* clearing the ring removes every hook that fed it */
    CHECK_EQ(hypOS_TraceControl_ClearRing(TRACE, 0), 0);
    CHECK_EQ(hypOS_TraceControl_Unhook(TRACE, eps[5]), seL4_IllegalOperation);
    CHECK_EQ(hypOS_TraceControl_Unhook(TRACE, n), seL4_IllegalOperation);
}

TEST(TRACE0008, "revoking a ring's frame detaches the ring and its hooks; IPC goes on untraced")
{
    seL4_CPtr ut = make_untyped(env, 14), frame = alloc_slot(env), ep = make_object(env, seL4_EndpointObject, 0);
    CHECK_EQ(seL4_Untyped_Retype(ut, TEST_FRAME_4K, 0, ROOT, 0, 0, frame, 1), 0);
    CHECK_EQ(hypOS_TraceControl_SetRing(TRACE, 2, frame, seL4_CapNull, 0), 0);
    CHECK(hook(ep, 2, HYPOS_TRACE_EV_ENDPOINT, 1) != 0);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, WB), 0); /* the frame and the kernel's copy of its cap */
    CHECK_EQ(seL4_DebugCapIdentify(frame), seL4_CapTag_Null);
    CHECK_EQ(hypOS_TraceControl_Unhook(TRACE, ep), seL4_IllegalOperation);
    CHECK_EQ(hypOS_TraceControl_Hook(TRACE, ep, 2, HYPOS_TRACE_EV_ENDPOINT, 1).error, seL4_IllegalOperation);
    /* the memory is free again and can be anything, written by nobody */
    seL4_CPtr again = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, again, 1), 0);
    exchange(env, ep, ep, 3, NULL, NULL);
}

TEST(TRACE0009, "the notification's signals and waits are recorded with signaller, waiter and badge")
{
    seL4_CPtr n = make_object(env, seL4_NotificationObject, 0), b = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, b, WB, ROOT, n, WB, seL4_AllRights, 0x30), 0);
    ring_t ring = make_ring(env, 0, RING_VA, seL4_CapNull, 0);
    CHECK(hook(n, 0, HYPOS_TRACE_EV_NOTIFICATION, 9) != 0);
    seL4_Signal(b);
    seL4_Word badge;
    api_nbwait(n, &badge);
    api_nbwait(n, &badge);
    CHECK_EQ(ring.r->head, 3);
    hypos_trace_record_t *s = record(&ring, 0), *w1 = record(&ring, 1), *w2 = record(&ring, 2);
    seL4_Word me = tid(seL4_CapInitThreadTCB);
    CHECK_EQ(s->h.type, HYPOS_TRACE_SIGNAL);
    CHECK_EQ(s->u.ntfn.thread, me);
    CHECK_EQ(s->u.ntfn.woken, 0);
    CHECK_EQ(s->u.ntfn.badge, 0x30);
    CHECK_EQ(w1->h.type, HYPOS_TRACE_WAIT);
    CHECK_EQ(w1->u.ntfn.badge, 0x30);
    CHECK_EQ(w1->u.ntfn.flags, HYPOS_TRACE_F_NONBLOCKING);
    CHECK_EQ(w2->u.ntfn.badge, 0);
    CHECK_EQ(w2->h.object, 9);
}

static seL4_Word read_addr(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    return *(volatile seL4_Word *)a;
}

TEST(TRACE0010, "system-wide events: faults, failed invocations, retypes and deletions")
{
    ring_t ring = make_ring(env, 0, RING_VA, seL4_CapNull, 0);
    seL4_Word events = HYPOS_TRACE_EV(HYPOS_TRACE_FAULT) | HYPOS_TRACE_EV(HYPOS_TRACE_INVOKE_FAIL) |
                       HYPOS_TRACE_EV(HYPOS_TRACE_RETYPE) | HYPOS_TRACE_EV(HYPOS_TRACE_DELETE);
    CHECK(hook(TRACE, 0, events, 0x5151) != 0);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);                          /* RETYPE */
    CHECK_EQ(seL4_CNode_Delete(ROOT, ep, WB), 0);                                     /* DELETE */
    CHECK_EQ(seL4_CNode_Delete(ROOT, seL4_CapInitThreadCNode, 3), seL4_FailedLookup); /* INVOKE_FAIL */
    helper_t h;
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    create_helper_with_fault_ep(env, &h, 100, fep);
    start_helper(env, &h, read_addr, 0x10, 0, 0, 0);
    seL4_Word badge;
    seL4_MessageInfo_t f = api_recv(fep, &badge, test_reply); /* FAULT */
    CHECK_EQ(seL4_MessageInfo_get_label(f), seL4_Fault_VMFault);
    CHECK_EQ(hypOS_TraceControl_Unhook(TRACE, TRACE), 0);
    seL4_Word counts[HYPOS_TRACE_TYPES], me = tid(seL4_CapInitThreadTCB), faulter = tid(h.tcb);
    count_types(&ring, counts);
    CHECK_EQ(counts[HYPOS_TRACE_FAULT], 1);
    CHECK_EQ(counts[HYPOS_TRACE_INVOKE_FAIL], 1);
    CHECK(counts[HYPOS_TRACE_RETYPE] >= 3); /* the endpoints and the helper's objects */
    CHECK(counts[HYPOS_TRACE_DELETE] >= 1);
    bool seen_fault = false, seen_fail = false, seen_retype = false;
    for (seL4_Word n = 0; n < ring.r->head; n++) {
        hypos_trace_record_t *r = record(&ring, n);
        CHECK_EQ(r->h.object, 0x5151);
        if (r->h.type == HYPOS_TRACE_FAULT) {
            seen_fault = true;
            CHECK_EQ(r->u.fault.thread, faulter);
            CHECK_EQ(r->u.fault.kind, seL4_Fault_VMFault);
            CHECK_EQ(r->u.fault.address, 0x10);
        } else if (r->h.type == HYPOS_TRACE_INVOKE_FAIL) {
            seen_fail = true;
            CHECK_EQ(r->u.invoke_fail.thread, me);
            CHECK_EQ(r->u.invoke_fail.error, seL4_FailedLookup);
            CHECK_EQ(r->u.invoke_fail.label, CNodeDelete);
            CHECK_EQ(r->u.invoke_fail.cap_type, seL4_CapTag_CNode);
        } else if (r->h.type == HYPOS_TRACE_RETYPE && !seen_retype) {
            seen_retype = true;
            CHECK_EQ(r->u.object.thread, me);
            CHECK_EQ(r->u.object.type, seL4_EndpointObject);
            CHECK_EQ(r->u.object.count, 1);
        }
    }
    CHECK(seen_fault && seen_fail && seen_retype);
    destroy_helper(env, &h);
}

TEST(TRACE0011, "a traced thread's switches are recorded and, while they are, IPC takes the slow path")
{
    ring_t ring = make_ring(env, 0, RING_VA, seL4_CapNull, 0);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    helper_t s, c;
    create_helper(env, &s, 100);
    create_helper(env, &c, 100);
    CHECK(hook(s.tcb, 0, HYPOS_TRACE_EV(HYPOS_TRACE_SCHED), 4) != 0);
    seL4_Word before = seL4_HypDebugFastpathCount();
    start_helper(env, &s, echo_server, ep, 10, 0, 0);
    start_helper(env, &c, calls, ep, 10, 0, 0);
    CHECK_EQ(wait_for_helper(env, &c), 0);
    CHECK_EQ(wait_for_helper(env, &s), 0);
    CHECK_EQ(seL4_HypDebugFastpathCount() - before, 0);
    seL4_Word sid = tid(s.tcb), to_server = 0, from_server = 0;
    for (seL4_Word n = 0; n < ring.r->head; n++) {
        hypos_trace_record_t *r = record(&ring, n);
        CHECK_EQ(r->h.type, HYPOS_TRACE_SCHED);
        to_server += r->u.sched.to == sid;
        from_server += r->u.sched.from == sid;
    }
    /* the server runs once per call, and once to start */
    CHECK(to_server >= 10 && to_server <= 12);
    CHECK(from_server >= 10 && from_server <= 12);
    CHECK_EQ(hypOS_TraceControl_Unhook(TRACE, s.tcb), 0);
    /* without the hook the fastpath is back */
    exchange(env, ep, ep, 10, NULL, NULL);
    CHECK(seL4_HypDebugFastpathCount() - before >= 2 * 10 - 3);
    destroy_helper(env, &s);
    destroy_helper(env, &c);
}

/* Waits for the driver's go, then makes three Calls; forever. */
static seL4_Word stepper(seL4_Word ep, seL4_Word go, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    for (;;) {
        seL4_Wait(go, NULL);
        for (int i = 0; i < 3; i++)
            seL4_Call(ep, seL4_MessageInfo_new(1, 0, 0, 1));
    }
    return 0;
}

/* Random hooks, unhooks, rings set up and cleared, traced objects deleted,
 * while helpers run IPC on the traced endpoints between the steps; the
 * kernel's invariants (hook <-> object, rings <-> their slots) are checked
 * after each step. */
static void trace_storm(env_t *env, uint64_t seed)
{
    enum { EPS = 6 };
    seL4_CPtr eps[EPS];
    for (int i = 0; i < EPS; i++)
        eps[i] = make_object(env, seL4_EndpointObject, 0);
    seL4_CPtr go = make_object(env, seL4_NotificationObject, 0), frames[3];
    for (int i = 0; i < 3; i++)
        frames[i] = map_new_frame(env, seL4_CapInitThreadVSpace, RING_VA + i * 0x1000ul, seL4_ReadWrite);
    helper_t s, c;
    create_helper(env, &s, 100);
    create_helper(env, &c, 100);
    start_helper(env, &s, echo_server, eps[0], ~0ul, 0, 0);
    start_helper(env, &c, stepper, eps[0], go, 0, 0);
    for (int step = 0; step < 300; step++) {
        seL4_Word r = test_rnd(&seed), ring = r % 3, i = (r >> 8) % EPS;
        switch ((r >> 16) % 8) {
        case 0:
            hypOS_TraceControl_SetRing(TRACE, ring, frames[ring], seL4_CapNull, 0);
            break;
        case 1:
            hypOS_TraceControl_ClearRing(TRACE, ring);
            break;
        case 2:
        case 3:
            hypOS_TraceControl_Hook(TRACE, eps[i], ring, HYPOS_TRACE_EV_ENDPOINT, step);
            break;
        case 4:
            hypOS_TraceControl_Unhook(TRACE, eps[i]);
            break;
        case 5:
            if (i > 0) { /* the helpers keep eps[0] */
                seL4_CNode_Delete(ROOT, eps[i], WB);
                seL4_Untyped_Retype(env->ut, seL4_EndpointObject, 0, ROOT, 0, 0, eps[i], 1);
            }
            break;
        case 6:
            hypOS_TraceControl_Hook(TRACE, c.tcb, ring, HYPOS_TRACE_EV_THREAD, step);
            break;
        default:
            hypOS_TraceControl_Hook(TRACE, TRACE, ring, HYPOS_TRACE_EV_SYSTEM, step);
            break;
        }
        /* the consumer's tail is anything */
        ((hypos_trace_ring_t *)(RING_VA + ring * 0x1000ul))->tail = test_rnd(&seed) % 128;
        seL4_Signal(go); /* three traced (or not) round trips */
        if (seL4_HypDebugCheckInvariants() != 0) {
            test_fail(env, __FILE__, __LINE__, "invariants hold after a storm step", step, 0);
            break;
        }
    }
    for (int ring = 0; ring < 3; ring++)
        hypOS_TraceControl_ClearRing(TRACE, ring);
    destroy_helper(env, &s);
    destroy_helper(env, &c);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

TEST(TRACE0012, "storm: hooks, rings and traced objects come and go while traced IPC runs; invariants hold")
{
    run_storms(env, 0x7ace, trace_storm);
}

TEST(TRACE0013, "an IRQ handler's hook records each delivery and each acknowledgement with its delay")
{
    ring_t ring = make_ring(env, 0, RING_VA, seL4_CapNull, 0);
    volatile uint32_t *rtc = rtc_map(env);
    seL4_CPtr ntfn, irq = rtc_handler(env, &ntfn, 0x4);
    CHECK(hook(irq, 0, HYPOS_TRACE_EV_IRQ, 0x1e) != 0);
    for (int i = 0; i < 3; i++)
        fire_and_expect(env, rtc, irq, ntfn, 0x4);
    CHECK_EQ(ring.r->head, 6);
    for (seL4_Word n = 0; n < 6; n++) {
        hypos_trace_record_t *r = record(&ring, n);
        CHECK_EQ(r->h.type, n % 2 ? HYPOS_TRACE_IRQ_ACK : HYPOS_TRACE_IRQ);
        CHECK_EQ(r->h.object, 0x1e);
        CHECK_EQ(r->u.irq.irq, RTC_IRQ);
        if (n % 2) { /* acknowledged after the delivery, by the delay shown */
            CHECK_EQ(r->u.irq.delay, r->h.time - record(&ring, n - 1)->h.time);
        } else { /* the driver woken, or not yet waiting (the line fires at once) */
            CHECK(r->u.irq.woken == tid(seL4_CapInitThreadTCB) || r->u.irq.woken == 0);
        }
    }
    /* deleting the handler cap frees the hook */
    CHECK_EQ(seL4_CNode_Delete(ROOT, irq, WB), 0);
    seL4_CPtr again = alloc_slot(env);
    CHECK_EQ(rtc_irq_get(again), 0);
    CHECK_EQ(hypOS_TraceControl_Unhook(TRACE, again), seL4_IllegalOperation);
    CHECK_EQ(seL4_CNode_Delete(ROOT, again, WB), 0);
}

/* Waits for the ring's notification and notes how many records the ring
 * held when it woke. */
static volatile seL4_Word head_at_wake;
static seL4_Word ring_waiter(seL4_Word ntfn, seL4_Word ring_va, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    seL4_Word badge = 0;
    api_wait(ntfn, &badge);
    head_at_wake = ((volatile hypos_trace_ring_t *)ring_va)->head;
    return badge;
}

TEST(TRACE0014, "a fastpath IPC whose record reaches the threshold signals at once and still goes fast")
{
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), ntfn = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr badged = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, badged, WB, ROOT, ntfn, WB, seL4_AllRights, 0x21), 0);
    /* 15 Calls write 45 records; the 20th is written by an IPC well inside
     * the exchange, a fast one (a Call or a ReplyRecv) */
    ring_t ring = make_ring(env, 0, RING_VA, badged, 20);
    CHECK(hook(ep, 0, HYPOS_TRACE_EV_ENDPOINT, 3) != 0);
    helper_t w;
    create_helper(env, &w, 150); /* outranks client and server: runs as soon as it is signalled */
    head_at_wake = 0;
    start_helper(env, &w, ring_waiter, ntfn, RING_VA, 0, 0);
    seL4_Word fast_before = seL4_HypDebugFastpathCount();
    exchange(env, ep, ep, 15, NULL, NULL);
    seL4_Word fast = seL4_HypDebugFastpathCount() - fast_before;
    CHECK_EQ(wait_for_helper(env, &w), 0x21);
    /* woken by the IPC that wrote the 20th record (a ReplyRecv writes two:
     * the reply and the wait), before either thread of the exchange ran on */
    CHECK(head_at_wake == 20 || head_at_wake == 21);
    CHECK_EQ(ring.r->head, 45);
    CHECK_EQ(ring.r->dropped, 0);
    seL4_Word counts[HYPOS_TRACE_TYPES];
    count_types(&ring, counts);
    CHECK_EQ(counts[HYPOS_TRACE_IPC_CALL], 15);
    CHECK_EQ(counts[HYPOS_TRACE_IPC_REPLY], 15);
    /* the crossing IPC went fast, and so did all the others that could */
    CHECK(record(&ring, 19)->u.ipc.flags & HYPOS_TRACE_F_FAST);
    CHECK(fast >= 2 * 15 - 3);
}
