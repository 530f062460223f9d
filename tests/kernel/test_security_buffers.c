/* SECURITY: the kernel writes message registers only into an IPC buffer the
 * thread may write. An attacker sets its IPC buffer to a frame it holds only
 * a read-only cap to (the kernel accepts that: arguments may be read from
 * it) and makes the kernel answer with many message registers: results,
 * errors, received messages, fault messages, caps. The frame must not change
 * and the answer carries only the register MRs. */
#include "framework.h"

#define PROBE_VA 0x30000000ul
#define PATTERN 0x5ec0000000000000ul

typedef struct probe {
    seL4_CPtr rw, ro;
    volatile seL4_Word *words;
} probe_t;

/* A fresh frame the test can watch (mapped read-write for the root task),
 * filled with a pattern, and a read-only copy of its cap. */
static void probe_make(env_t *env, probe_t *p)
{
    p->rw = map_new_frame(env, seL4_CapInitThreadVSpace, PROBE_VA, seL4_ReadWrite);
    p->ro = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, p->ro, WB, ROOT, p->rw, WB, seL4_CanRead), 0);
    p->words = (volatile seL4_Word *)PROBE_VA;
    for (int i = 0; i < 512; i++)
        p->words[i] = PATTERN + i;
}

/* The first word that changed, or -1. */
static int probe_changed(const probe_t *p)
{
    for (int i = 0; i < 512; i++)
        if (p->words[i] != PATTERN + i)
            return i;
    return -1;
}

/* A helper thread whose IPC buffer, as the kernel sees it, is the probe
 * frame through its read-only cap. (Its own libsel4 keeps using its pool
 * buffer, so it can still read what it wants to.) */
static void helper_with_ro_buffer(env_t *env, helper_t *h, const probe_t *p, seL4_Word prio)
{
    create_helper(env, h, prio);
    CHECK_EQ(seL4_TCB_SetIPCBuffer(h->tcb, PROBE_VA, p->ro), 0);
}

static void let_helpers_run(void)
{
    set_own_priority(50);
    set_own_priority(seL4_MaxPrio);
}

static volatile seL4_Word seen_label, seen_length, seen_extra;

/* ReadRegisters with its arguments in registers: flags 0, every register. */
static seL4_Word read_all_registers(seL4_Word victim, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    seL4_SetMR(0, 0);
    seL4_SetMR(1, UC_WORDS);
    seL4_MessageInfo_t info = seL4_Call(victim, seL4_MessageInfo_new(TCBReadRegisters, 0, 0, 2));
    seen_label = seL4_MessageInfo_get_label(info);
    seen_length = seL4_MessageInfo_get_length(info);
    return 0;
}

TEST(SECURITY0020, "ReadRegisters of all registers into a read-only IPC buffer writes only the register MRs")
{
    probe_t p;
    helper_t h;
    probe_make(env, &p);
    seL4_CPtr victim = make_object(env, seL4_TCBObject, 0);
    seL4_UserContext regs;
    seL4_Word *w = (seL4_Word *)&regs;
    for (unsigned i = 0; i < sizeof regs / sizeof(seL4_Word); i++)
        w[i] = 0x4141414100000000ul + i;
    CHECK_EQ(seL4_TCB_WriteRegisters(victim, 0, 0, UC_WORDS, &regs), 0);
    helper_with_ro_buffer(env, &h, &p, 100);
    seen_length = 99;
    start_helper(env, &h, read_all_registers, victim, 0, 0, 0);
    wait_for_helper(env, &h);
    CHECK_EQ(seen_label, 0);
    CHECK_EQ(seen_length, 4);
    CHECK_EQ(probe_changed(&p), -1);
}

static seL4_Word failing_delete(seL4_Word cnode, seL4_Word depth, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    seL4_SetMR(0, 0);
    seL4_SetMR(1, depth);
    seL4_MessageInfo_t info = seL4_Call(cnode, seL4_MessageInfo_new(CNodeDelete, 0, 0, 2));
    seen_label = seL4_MessageInfo_get_label(info);
    seen_length = seL4_MessageInfo_get_length(info);
    return 0;
}

TEST(SECURITY0021, "a FailedLookup error (five MRs) to a thread with a read-only IPC buffer leaves the buffer alone")
{
    probe_t p;
    helper_t h;
    probe_make(env, &p);
    /* a CNode cap whose 8-bit guard (5) never matches index 0 */
    seL4_CPtr cn = make_object(env, seL4_CapTableObject, 4), guarded = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, guarded, WB, ROOT, cn, WB, seL4_AllRights, seL4_CNode_CapData_new(5, 8).words[0]),
             0);
    helper_with_ro_buffer(env, &h, &p, 100);
    start_helper(env, &h, failing_delete, guarded, 12, 0, 0);
    wait_for_helper(env, &h);
    CHECK_EQ(seen_label, seL4_FailedLookup);
    CHECK_EQ(seen_length, 4);
    CHECK_EQ(probe_changed(&p), -1);
}

TEST(SECURITY0022, "the same FailedLookup error reaches a writable IPC buffer in full")
{
    helper_t h;
    seL4_CPtr cn = make_object(env, seL4_CapTableObject, 4), guarded = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, guarded, WB, ROOT, cn, WB, seL4_AllRights, seL4_CNode_CapData_new(5, 8).words[0]),
             0);
    create_helper(env, &h, 100);
    start_helper(env, &h, failing_delete, guarded, 12, 0, 0);
    wait_for_helper(env, &h);
    CHECK_EQ(seen_label, seL4_FailedLookup);
    CHECK_EQ(seen_length, 5);
    CHECK_EQ(h.ipc->msg[4], 8); /* guard size */
}

static seL4_Word receive(seL4_Word ep, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    seL4_MessageInfo_t info = api_recv(ep, NULL, test_reply);
    seen_label = seL4_MessageInfo_get_label(info);
    seen_length = seL4_MessageInfo_get_length(info);
    seen_extra = seL4_MessageInfo_get_extraCaps(info);
    return 0;
}

TEST(SECURITY0023, "a 20-MR message to a receiver with a read-only IPC buffer delivers 4 MRs and writes nothing")
{
    probe_t p;
    helper_t h;
    probe_make(env, &p);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    helper_with_ro_buffer(env, &h, &p, 100);
    start_helper(env, &h, receive, ep, 0, 0, 0);
    let_helpers_run();
    for (int i = 0; i < 20; i++)
        seL4_SetMR(i, 0x77770000 + i);
    seL4_Send(ep, seL4_MessageInfo_new(9, 0, 0, 20));
    wait_for_helper(env, &h);
    CHECK_EQ(seen_label, 9);
    CHECK_EQ(seen_length, 4);
    CHECK_EQ(probe_changed(&p), -1);
}

TEST(SECURITY0024, "a cap sent to a receiver with a read-only IPC buffer does not arrive and its slot stays empty")
{
    probe_t p;
    helper_t h;
    probe_make(env, &p);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), gift = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr recv_slot = alloc_slot(env);
    /* the receive slot the kernel would read from the probe frame */
    p.words[1 + seL4_MsgMaxLength + 1 + seL4_MsgMaxExtraCaps] = ROOT;
    p.words[1 + seL4_MsgMaxLength + 1 + seL4_MsgMaxExtraCaps + 1] = recv_slot;
    p.words[1 + seL4_MsgMaxLength + 1 + seL4_MsgMaxExtraCaps + 2] = WB;
    helper_with_ro_buffer(env, &h, &p, 100);
    start_helper(env, &h, receive, ep, 0, 0, 0);
    let_helpers_run();
    seL4_SetCap(0, gift);
    seL4_SetCap(1, ep); /* would be unwrapped into a badge in the buffer */
    seL4_Send(ep, seL4_MessageInfo_new(0, 0, 2, 0));
    wait_for_helper(env, &h);
    CHECK_EQ(seen_extra, 0);
    CHECK_EQ(seL4_DebugCapIdentify(recv_slot), seL4_CapTag_Null);
    for (int i = 0; i < 512; i++)
        if (i < 1 + seL4_MsgMaxLength + 1 + seL4_MsgMaxExtraCaps ||
            i > 1 + seL4_MsgMaxLength + 1 + seL4_MsgMaxExtraCaps + 2)
            CHECK_EQ(p.words[i], PATTERN + i);
}

static seL4_Word call_server(seL4_Word ep, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    seL4_MessageInfo_t info = seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 0));
    seen_label = seL4_MessageInfo_get_label(info);
    seen_length = seL4_MessageInfo_get_length(info);
    return 0;
}

TEST(SECURITY0025, "a 30-MR reply to a caller with a read-only IPC buffer delivers 4 MRs and writes nothing")
{
    probe_t p;
    helper_t h;
    probe_make(env, &p);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    helper_with_ro_buffer(env, &h, &p, 100);
    start_helper(env, &h, call_server, ep, 0, 0, 0);
    api_recv(ep, NULL, test_reply);
    for (int i = 0; i < 30; i++)
        seL4_SetMR(i, 0x66660000 + i);
    api_reply(test_reply, seL4_MessageInfo_new(3, 0, 0, 30));
    wait_for_helper(env, &h);
    CHECK_EQ(seen_label, 3);
    CHECK_EQ(seen_length, 4);
    CHECK_EQ(probe_changed(&p), -1);
}

static seL4_Word unknown_syscall(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)a, (void)b, (void)c, (void)d;
    test_syscall_number(4242);
    return 0;
}

TEST(SECURITY0026,
     "an UnknownSyscall fault message (all its MRs) to a handler with a read-only IPC buffer writes nothing")
{
    probe_t p;
    helper_t handler, faulter;
    probe_make(env, &p);
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    helper_with_ro_buffer(env, &handler, &p, 110);
    start_helper(env, &handler, receive, fep, 0, 0, 0);
    create_helper_with_fault_ep(env, &faulter, 100, fep);
    start_helper(env, &faulter, unknown_syscall, 0, 0, 0, 0);
    wait_for_helper(env, &handler);
    CHECK_EQ(seen_label, seL4_Fault_UnknownSyscall);
    CHECK_EQ(seen_length, 4);
    CHECK_EQ(probe_changed(&p), -1);
}

static seL4_Word get_address(seL4_Word frame, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    seL4_Word paddr = test_frame_paddr(frame);
    seen_label = paddr == ~(seL4_Word)0 ? 1 : 0;
    return paddr;
}

TEST(SECURITY0027, "GetAddress answers a thread with a read-only IPC buffer in a register")
{
    probe_t p;
    helper_t h;
    probe_make(env, &p);
    seL4_CPtr f = make_object(env, TEST_FRAME_4K, 0);
    seL4_Word mine = test_frame_paddr(f);
    helper_with_ro_buffer(env, &h, &p, 100);
    start_helper(env, &h, get_address, f, 0, 0, 0);
    CHECK_EQ(wait_for_helper(env, &h), mine);
    CHECK_EQ(seen_label, 0);
    CHECK_EQ(probe_changed(&p), -1);
}

/* Asks for zero objects at offset 0 in its own buffer, which would fail. */
static seL4_Word retype_from_ro_buffer(seL4_Word ut, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    return seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, 0, 0);
}

TEST(SECURITY0028, "a read-only IPC buffer still supplies arguments: its MRs are what the kernel reads")
{
    probe_t p;
    helper_t h;
    probe_make(env, &p);
    seL4_CPtr ut = make_untyped(env, 12), dest = alloc_slot(env);
    /* Retype's MR4 and MR5 (offset, count) come from the kernel's view of
     * the buffer: the probe frame, whatever the thread's libsel4 wrote */
    p.words[1 + 4] = dest;
    p.words[1 + 5] = 1;
    p.words[1 + seL4_MsgMaxLength + 1] = ROOT; /* the extra cap, too */
    helper_with_ro_buffer(env, &h, &p, 100);
    start_helper(env, &h, retype_from_ro_buffer, ut, 0, 0, 0);
    CHECK_EQ(wait_for_helper(env, &h), 0);
    CHECK_EQ(seL4_DebugCapIdentify(dest), seL4_CapTag_Endpoint);
    CHECK_EQ(p.words[1 + 4], dest);
}

TEST(SECURITY0029, "a thread whose IPC buffer cap was revoked gets register MRs only, and its memory is not written")
{
    helper_t h;
    seL4_CPtr ut = make_untyped(env, 12), f = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(ut, TEST_FRAME_4K, 0, ROOT, 0, 0, f, 1), 0);
    create_helper(env, &h, 100);
    CHECK_EQ(seL4_TCB_SetIPCBuffer(h.tcb, PROBE_VA, f), 0);
    /* the frame (and the TCB's copy of its cap) go back to the untyped */
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, WB), 0);
    seL4_CPtr victim = make_object(env, seL4_TCBObject, 0);
    seen_length = 99;
    start_helper(env, &h, read_all_registers, victim, 0, 0, 0);
    wait_for_helper(env, &h);
    CHECK_EQ(seen_length, 4);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

static volatile seL4_Word rounds_seen;

/* A server with a read-only buffer: NBRecv, then ReplyRecv in a loop. */
static seL4_Word ro_server(seL4_Word ep, seL4_Word rounds, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    seL4_Word badge;
    seL4_MessageInfo_t m = api_nbrecv(ep, &badge, test_reply); /* nothing there yet */
    seen_length = seL4_MessageInfo_get_length(m);
    m = api_recv(ep, &badge, test_reply);
    for (seL4_Word i = 0; i < rounds; i++) {
        if (seL4_MessageInfo_get_length(m) == 4)
            rounds_seen++;
        m = api_reply_recv(ep, seL4_MessageInfo_new(0, 0, 0, 0), &badge, test_reply);
    }
    return 0;
}

TEST(SECURITY0030,
     "NBRecv, Recv and ReplyRecv of 30-MR calls and sends by a thread with a read-only buffer write nothing")
{
    probe_t p;
    helper_t h;
    probe_make(env, &p);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    helper_with_ro_buffer(env, &h, &p, 100);
    rounds_seen = 0;
    start_helper(env, &h, ro_server, ep, 20, 0, 0);
    let_helpers_run(); /* its NBRecv finds nothing, its Recv waits */
    CHECK_EQ(seen_length, 0);
    for (int i = 0; i < 20; i++) {
        for (int j = 0; j < 30; j++)
            seL4_SetMR(j, 0x12340000 + j);
        if (i % 2)
            seL4_Send(ep, seL4_MessageInfo_new(0, 0, 0, 30));
        else
            seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 30));
    }
    seL4_Send(ep, seL4_MessageInfo_new(0, 0, 0, 30)); /* the last ReplyRecv's message */
    wait_for_helper(env, &h);
    CHECK_EQ(rounds_seen, 20);
    CHECK_EQ(probe_changed(&p), -1);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}
