/* FPU: each thread's floating-point registers are its own. The register
 * file and the instructions that reach it are the architecture's
 * (test_arch.h): 32 data words and one control/status word, loaded and
 * stored by inline assembly the compiler knows nothing of. */
#include "framework.h"
#include <sel4/invocation.h>
#include <string.h>

typedef test_fp_regs_t fp_regs_t;
#define fp_load test_fp_load
#define fp_store test_fp_store

/* A pattern no other seed produces in any register; the control word
 * gets a valid setting. */
static void fp_pattern(fp_regs_t *r, uint64_t seed)
{
    for (int i = 0; i < 32; i++)
        r->f[i] = (seed * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)i << 56) ^ (uint64_t)i;
    r->ctl = test_fp_ctl_pattern(seed);
}

/* The IEEE 754 double for n < 2^53 (exact), computed without the FPU. */
static uint64_t double_bits(uint64_t n)
{
    if (n == 0)
        return 0;
    int e = 63 - __builtin_clzll(n);
    return (uint64_t)(1023 + e) << 52 | ((n << (52 - e)) & ((1ull << 52) - 1));
}

/* How many of the 33 words differ from want (0: all equal). */
static seL4_Word fp_mismatches(const fp_regs_t *want)
{
    fp_regs_t now;
    fp_store(&now);
    seL4_Word bad = 0;
    for (int i = 0; i < 32; i++)
        bad += now.f[i] != want->f[i];
    return bad + (now.ctl != want->ctl);
}

/* Load the pattern for seed and check it is there. */
static seL4_Word fp_set(uint64_t seed, fp_regs_t *r)
{
    fp_pattern(r, seed);
    fp_load(r);
    return fp_mismatches(r);
}

static seL4_Word loads(void) { return seL4_HypDebugFpuSwitches(false); }
static seL4_Word saves(void) { return seL4_HypDebugFpuSwitches(true); }

static seL4_Word dump_initial(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)a, (void)b, (void)c, (void)d;
    fp_regs_t zero;
    memset(&zero, 0, sizeof zero);
    zero.ctl = TEST_FP_CTL_INITIAL;
    return fp_mismatches(&zero) + 1; /* 1: all initial (0 would be "did not run") */
}

TEST(FPU0001, "a thread's first FP instruction sees the initial state: data registers zero, control at reset")
{
    fp_regs_t mine;
    CHECK_EQ(fp_set(0x1001, &mine), 0);
    helper_t h;
    create_helper(env, &h, 100);
    seL4_Word l0 = loads();
    start_helper(env, &h, dump_initial, 0, 0, 0, 0);
    CHECK_EQ(wait_for_helper(env, &h), 1);
    /* the helper's state and the driver's own again */
    CHECK_EQ(loads() - l0, 2);
    CHECK_EQ(fp_mismatches(&mine), 0);
}

static seL4_Word fp_server(seL4_Word ep, seL4_Word rounds, seL4_Word seed, seL4_Word d)
{
    (void)d;
    fp_regs_t r;
    seL4_Word bad = fp_set(seed, &r);
    api_recv(ep, NULL, test_reply);
    for (seL4_Word i = 1;; i++) {
        bad += fp_mismatches(&r);
        bad += fp_set(seed + i, &r); /* dirty again before every switch */
        if (i == rounds)
            break;
        api_reply_recv(ep, seL4_MessageInfo_new(0, 0, 0, 1), NULL, test_reply);
    }
    api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, 1));
    return bad;
}

TEST(FPU0002, "two threads interleaved by Call/ReplyRecv keep all FP registers and the control word")
{
    enum { ROUNDS = 50 };
    set_own_priority(100);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    helper_t h;
    create_helper(env, &h, 100);
    start_helper(env, &h, fp_server, ep, ROUNDS, 0x2000, 0);
    fp_regs_t r;
    seL4_Word bad = fp_set(0x3000, &r);
    seL4_Word l0 = loads(), s0 = saves(), f0 = seL4_HypDebugFastpathCount();
    for (seL4_Word i = 0; i < ROUNDS; i++) {
        seL4_SetMR(0, i);
        seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 1));
        bad += fp_mismatches(&r);
        bad += fp_set(0x3000 + i + 1, &r);
    }
    /* every switch between the two loads the other's registers and saves
     * the dirty ones; the fastpath does it for all but the first Call */
    CHECK(loads() - l0 >= 2 * ROUNDS - 1);
    CHECK(saves() - s0 >= 2 * ROUNDS - 1);
    CHECK(seL4_HypDebugFastpathCount() - f0 >= 2 * ROUNDS - 2);
    CHECK_EQ(bad, 0);
    CHECK_EQ(wait_for_helper(env, &h), 0);
}

static seL4_Word fp_yielder(seL4_Word rounds, seL4_Word seed, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    fp_regs_t r;
    seL4_Word bad = fp_set(seed, &r);
    for (seL4_Word i = 0; i < rounds; i++) {
        seL4_Yield();
        bad += fp_mismatches(&r);
        bad += fp_set(seed + i + 1, &r);
    }
    return bad + 1;
}

TEST(FPU0003, "FP registers survive seL4_Yield between threads of equal priority")
{
    helper_t a, b;
    create_helper(env, &a, 100);
    create_helper(env, &b, 100);
    seL4_Word l0 = loads();
    start_helper(env, &a, fp_yielder, 40, 0x4000, 0, 0);
    start_helper(env, &b, fp_yielder, 40, 0x5000, 0, 0);
    CHECK_EQ(wait_for_helper(env, &a), 1);
    CHECK_EQ(wait_for_helper(env, &b), 1);
    CHECK(loads() - l0 >= 80);
}

static volatile seL4_Word progress[2];

/* Count in the accumulator by adding 1.0 (exact, so the exception flags
 * stay as they are) with the other registers holding a pattern, until the other
 * thread has run in between at least three times, which only the timer
 * can make happen: neither thread makes a system call in the loop. */
static seL4_Word fp_counter(seL4_Word me, seL4_Word seed, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    fp_regs_t r;
    fp_pattern(&r, seed);
    r.f[TEST_FP_ONE] = 0x3ff0000000000000ull; /* 1.0 */
    r.f[TEST_FP_ACC] = 0;                     /* +0.0 */
    r.ctl = test_fp_ctl_round_nearest(r.ctl);
    fp_load(&r);
    seL4_Word count = 0, bad = 0, seen = 0, last = progress[!me];
    while (seen < 3 && count < 50000000 && progress[!me] != ~0ul) {
        test_fp_add_one();
        count++;
        progress[me] = count;
        if (progress[!me] != last) {
            last = progress[!me];
            seen++;
            r.f[TEST_FP_ACC] = double_bits(count);
            bad += fp_mismatches(&r);
        }
    }
    progress[me] = ~0ul; /* the other one stops waiting for us */
    return seen >= 1 && bad == 0 ? 1 : 2 + bad;
}

TEST(FPU0004, "a thread preempted by the timer in the middle of an FP loop keeps its state")
{
    progress[0] = progress[1] = 0;
    helper_t a, b;
    create_helper(env, &a, 100);
    create_helper(env, &b, 100);
    start_helper(env, &a, fp_counter, 0, 0x6000, 0, 0);
    start_helper(env, &b, fp_counter, 1, 0x7000, 0, 0);
    CHECK_EQ(wait_for_helper(env, &a), 1);
    CHECK_EQ(wait_for_helper(env, &b), 1);
}

static seL4_Word fp_touch(seL4_Word seed, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    fp_regs_t r;
    return fp_set(seed, &r) + 1;
}

static seL4_TCB_SetFlags_t set_flags(seL4_CPtr tcb, seL4_Word clear, seL4_Word set)
{
    return seL4_TCB_SetFlags(tcb, clear, set);
}

TEST(FPU0005, "with fpuDisabled an FP instruction is a user exception; clearing the flag lets it run")
{
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    helper_t h;
    create_helper_with_fault_ep(env, &h, 100, fep);
    seL4_TCB_SetFlags_t f = set_flags(h.tcb, 0, seL4_TCBFlag_fpuDisabled);
    CHECK_EQ(f.error, 0);
    CHECK_EQ(f.flags, seL4_TCBFlag_fpuDisabled);
    start_helper(env, &h, fp_touch, 0x8000, 0, 0, 0);
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
    CHECK_EQ(seL4_MessageInfo_get_length(info), seL4_UserException_Length);
    CHECK_EQ(seL4_GetMR(seL4_UserException_Number), TEST_FPU_DISABLED_NUMBER);
    seL4_Word ip = seL4_GetMR(seL4_UserException_FaultIP);
    /* the faulting instruction is the first of test_fp_load */
    CHECK(test_is_fp_load(ip));
    /* still disabled: replying restarts the instruction, which faults again */
    api_reply_recv(fep, seL4_MessageInfo_new(0, 0, 0, 0), NULL, test_reply);
    CHECK_EQ(seL4_GetMR(seL4_UserException_FaultIP), ip);
    f = set_flags(h.tcb, seL4_TCBFlag_fpuDisabled, 0);
    CHECK_EQ(f.error, 0);
    CHECK_EQ(f.flags, 0);
    api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EQ(wait_for_helper(env, &h), 1);
}

TEST(FPU0006, "SetFlags clears, then sets, keeps only known flags and replies with the flags in effect")
{
    seL4_CPtr t = make_object(env, seL4_TCBObject, 0);
    CHECK_EQ(set_flags(t, 0, 0).flags, 0); /* a new thread has its FPU enabled */
    CHECK_EQ(set_flags(t, 0, seL4_TCBFlag_fpuDisabled).flags, seL4_TCBFlag_fpuDisabled);
    CHECK_EQ(set_flags(t, 0, 0).flags, seL4_TCBFlag_fpuDisabled);
    CHECK_EQ(set_flags(t, seL4_TCBFlag_fpuDisabled, seL4_TCBFlag_fpuDisabled).flags, seL4_TCBFlag_fpuDisabled);
    CHECK_EQ(set_flags(t, ~0ul, 0).flags, 0);
    CHECK_EQ(set_flags(t, 0, ~0ul).flags, seL4_TCBFlag_MASK);
    CHECK_EQ(set_flags(t, seL4_TCBFlag_fpuDisabled, 0).flags, 0);
    seL4_Word a[1] = {0}, r[4];
    CHECK_EQ(seL4_hyp_invoke(t, TCBSetFlags, 0, 1, a, r), seL4_TruncatedMessage);
    CHECK_EQ(set_flags(t, 0, 0).flags, 0);
}

static seL4_Word fp_keep(seL4_Word ep, seL4_Word seed, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    fp_regs_t r;
    seL4_Word bad = fp_set(seed, &r);
    api_recv(ep, NULL, test_reply);
    /* woken while disabled: no FP here */
    api_reply_recv(ep, seL4_MessageInfo_new(0, 0, 0, 0), NULL, test_reply);
    /* enabled again */
    return bad + fp_mismatches(&r) + 1;
}

TEST(FPU0007, "a disabled thread keeps its FP registers; re-enabled, it finds them after others used the FPU")
{
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    helper_t h, other;
    create_helper(env, &h, 100);
    create_helper(env, &other, 100);
    start_helper(env, &h, fp_keep, ep, 0x9000, 0, 0);
    set_own_priority(99); /* the helper loads its registers and waits */
    set_own_priority(seL4_MaxPrio);
    CHECK_EQ(set_flags(h.tcb, 0, seL4_TCBFlag_fpuDisabled).flags, seL4_TCBFlag_fpuDisabled);
    seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 0));
    /* two other FP users in between */
    start_helper(env, &other, fp_touch, 0xa000, 0, 0, 0);
    CHECK_EQ(wait_for_helper(env, &other), 1);
    fp_regs_t mine;
    CHECK_EQ(fp_set(0xb000, &mine), 0);
    CHECK_EQ(set_flags(h.tcb, seL4_TCBFlag_fpuDisabled, 0).flags, 0);
    seL4_Send(ep, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EQ(wait_for_helper(env, &h), 1);
    CHECK_EQ(fp_mismatches(&mine), 0);
}

static seL4_Word fp_fault_then_wait(seL4_Word ep, seL4_Word seed, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    fp_regs_t r;
    seL4_Word bad = fp_set(seed, &r);
    test_illegal4(); /* a user exception */
    bad += fp_mismatches(&r);
    api_recv(ep, NULL, test_reply);
    return bad + fp_mismatches(&r) + 1;
}

TEST(FPU0008, "FP registers survive a fault and its handler, and ReadRegisters/WriteRegisters leave them alone")
{
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    helper_t h;
    create_helper_with_fault_ep(env, &h, 100, fep);
    start_helper(env, &h, fp_fault_then_wait, ep, 0xc000, 0, 0);
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
    CHECK_EQ(seL4_GetMR(seL4_UserException_Number), TEST_ILLEGAL_INSN_NUMBER);
    seL4_Word ip = seL4_GetMR(seL4_UserException_FaultIP);
    /* the handler uses the FPU itself */
    fp_regs_t mine;
    CHECK_EQ(fp_set(0xd000, &mine), 0);
    seL4_SetMR(0, ip + 4);
    api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, 1));
    /* the helper now waits on ep: stop it, read and write back its
     * integer registers, let it continue */
    set_own_priority(99);
    set_own_priority(seL4_MaxPrio);
    seL4_UserContext regs;
    CHECK_EQ(seL4_TCB_ReadRegisters(h.tcb, true, 0, sizeof regs / sizeof(seL4_Word), &regs), 0);
    CHECK_EQ(fp_set(0xe000, &mine), 0);
    CHECK_EQ(seL4_TCB_WriteRegisters(h.tcb, true, 0, sizeof regs / sizeof(seL4_Word), &regs), 0);
    set_own_priority(99);
    set_own_priority(seL4_MaxPrio);
    seL4_Send(ep, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EQ(wait_for_helper(env, &h), 1);
    CHECK_EQ(fp_mismatches(&mine), 0);
}

static seL4_Word fp_fill_and_wait(seL4_Word ep, seL4_Word seed, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    fp_regs_t r;
    fp_set(seed, &r);
    api_recv(ep, NULL, test_reply);
    return 0;
}

TEST(FPU0009, "deleting a TCB whose FP registers are live and unsaved: the next thread starts from the initial state")
{
    /* keep the driver out of the way: with its FPU disabled, switching
     * back to it leaves the helper's registers live and unsaved */
    fp_regs_t mine;
    CHECK_EQ(fp_set(0xf000, &mine), 0);
    CHECK_EQ(set_flags(seL4_CapInitThreadTCB, 0, seL4_TCBFlag_fpuDisabled).flags, seL4_TCBFlag_fpuDisabled);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    helper_t a, b;
    create_helper(env, &a, 100);
    start_helper(env, &a, fp_fill_and_wait, ep, 0x10000, 0, 0);
    set_own_priority(99);
    set_own_priority(seL4_MaxPrio);
    seL4_Word l0 = loads(), s0 = saves();
    destroy_helper(env, &a);
    create_helper(env, &b, 100);
    start_helper(env, &b, dump_initial, 0, 0, 0, 0);
    CHECK_EQ(wait_for_helper(env, &b), 1);
    /* the deleted thread's registers were dropped, never saved */
    CHECK_EQ(saves() - s0, 0);
    CHECK_EQ(loads() - l0, 1);
    CHECK_EQ(set_flags(seL4_CapInitThreadTCB, seL4_TCBFlag_fpuDisabled, 0).flags, 0);
    CHECK_EQ(fp_mismatches(&mine), 0);
}

static seL4_Word plain_server(seL4_Word ep, seL4_Word rounds, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    api_recv(ep, NULL, test_reply);
    for (seL4_Word i = 1; i < rounds; i++)
        api_reply_recv(ep, seL4_MessageInfo_new(0, 0, 0, 1), NULL, test_reply);
    api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, 1));
    return 1;
}

static seL4_Word plain_client(seL4_Word ep, seL4_Word rounds, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    for (seL4_Word i = 0; i < rounds; i++)
        seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 1));
    return 1;
}

TEST(FPU0010, "IPC between threads that never used the FPU loads and saves nothing and stays on the fastpath")
{
    enum { ROUNDS = 100 };
    /* the driver holds the registers, with unsaved changes */
    fp_regs_t mine;
    CHECK_EQ(fp_set(0x11000, &mine), 0);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    helper_t s, c;
    create_helper(env, &s, 100);
    create_helper(env, &c, 100);
    seL4_Word l0 = loads(), s0 = saves(), f0 = seL4_HypDebugFastpathCount();
    start_helper(env, &s, plain_server, ep, ROUNDS, 0, 0);
    start_helper(env, &c, plain_client, ep, ROUNDS, 0, 0);
    CHECK_EQ(wait_for_helper(env, &c), 1);
    CHECK_EQ(wait_for_helper(env, &s), 1);
    CHECK_EQ(loads() - l0, 0);
    CHECK_EQ(saves() - s0, 0);
    CHECK(seL4_HypDebugFastpathCount() - f0 >= 2 * ROUNDS - 2);
    CHECK_EQ(fp_mismatches(&mine), 0);
}

TEST(FPU0011, "an FP client calling a server that never used the FPU keeps its registers live: no loads or saves")
{
    enum { ROUNDS = 100 };
    set_own_priority(100);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    helper_t s;
    create_helper(env, &s, 100);
    start_helper(env, &s, plain_server, ep, ROUNDS, 0, 0);
    fp_regs_t mine;
    seL4_Word bad = fp_set(0x12000, &mine);
    seL4_Word l0 = loads(), s0 = saves(), f0 = seL4_HypDebugFastpathCount();
    for (seL4_Word i = 0; i < ROUNDS; i++) {
        seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 1));
        bad += fp_mismatches(&mine);
        bad += fp_set(0x12000 + i + 1, &mine);
    }
    CHECK_EQ(loads() - l0, 0);
    CHECK_EQ(saves() - s0, 0);
    /* with MCS a Call or reply that meets the end of either thread's
     * timeslice takes the slow path, which charges it and starts the next */
    CHECK(seL4_HypDebugFastpathCount() - f0 >= 2 * ROUNDS - (TEST_MCS ? 8 : 2));
    CHECK_EQ(bad, 0);
    CHECK_EQ(wait_for_helper(env, &s), 1);
}

static seL4_Word not_fp_illegal(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)a, (void)b, (void)c, (void)d;
    test_illegal4();
    return 1;
}

TEST(FPU0012, "a non-FP illegal instruction from a thread that never used the FPU is still its fault")
{
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    helper_t h;
    create_helper_with_fault_ep(env, &h, 100, fep);
    start_helper(env, &h, not_fp_illegal, 0, 0, 0, 0);
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
    CHECK_EQ(seL4_GetMR(seL4_UserException_Number), TEST_ILLEGAL_INSN_NUMBER);
    CHECK_EQ(*(volatile uint16_t *)seL4_GetMR(seL4_UserException_FaultIP), TEST_ILLEGAL4_HALFWORD);
    seL4_SetMR(0, seL4_GetMR(seL4_UserException_FaultIP) + 4);
    api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, 1));
    CHECK_EQ(wait_for_helper(env, &h), 1);
}

TEST(FPU0013, "after the address-space caches go stale, FP threads still switch with their registers, then take the "
              "fastpath again")
{
    enum { ROUNDS = 30 };
    set_own_priority(100);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    helper_t h;
    create_helper(env, &h, 100);
    start_helper(env, &h, fp_server, ep, ROUNDS, 0x13000, 0);
    fp_regs_t r;
    seL4_Word bad = fp_set(0x14000, &r), slow_rounds = 0;
    for (seL4_Word i = 0; i < ROUNDS; i++) {
        if (i % 3 == 0) {
            /* deleting a page-table cap makes every cached address-space
             * register value stale */
            seL4_CPtr pt = make_object(env, TEST_PAGE_TABLE_OBJECT, 0);
            CHECK_EQ(seL4_CNode_Delete(ROOT, pt, WB), 0);
        }
        seL4_Word f0 = seL4_HypDebugFastpathCount();
        seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 1));
        slow_rounds += seL4_HypDebugFastpathCount() - f0 < 2;
        bad += fp_mismatches(&r);
        bad += fp_set(0x14000 + i + 1, &r);
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(wait_for_helper(env, &h), 0);
    /* the stale rounds went (partly) through the slow path, the others not */
    CHECK(slow_rounds >= ROUNDS / 3 && slow_rounds < ROUNDS);
}
