/* Interrupt latency while a low-priority thread runs long kernel
 * operations (a root task). Under QEMU with -icount shift=0 and the RTC on
 * the virtual clock (-rtc clock=vm), one guest instruction is one
 * nanosecond of the clock the RTC alarm compares against, so a latency in
 * nanoseconds is a latency in guest instructions.
 *
 * A handler thread (priority 200) arms the goldfish RTC's alarm a
 * pseudo-random 2,000-50,000 ns ahead, notes the instruction count at
 * which it will fire (the count when it read the RTC's time, plus the
 * delay) and waits for the interrupt; the sample is the count when its
 * seL4_Wait returns minus that. Meanwhile a worker (priority 100) repeats
 * one operation: the alarm lands anywhere in it, including inside the
 * long system call. Without preemption points the worst sample is the
 * rest of that call; with them it is bounded by the work between two
 * points plus the kernel's entry, restart and switch.
 *
 * Operations (each at two sizes): revoke of N copies of a cap, delete of a
 * full N-slot CNode, retype of S MiB into 4 KiB frames (256 per call, the
 * untyped revoked and so cleared again each round), CancelBadgedSends
 * with W waiting senders. The BENCH figure counts the interrupts that
 * arrived while the worker was inside one of the long calls; a comment
 * line gives the worst of those that arrived between them (while it
 * refills), which the long calls do not cause.
 * Prints: BENCH preempt_<op>_<size> guest_instructions median= min= max= n= */
#include <sel4/sel4.h>
#include <stdio.h>
#include <stdlib.h>
#include "../common/bench.h"

#undef RTC_IRQ /* the benchmarks name the RTC themselves (bench.h) */
#define RTC_IRQ BENCH_RTC_IRQ
#define HANDLER_PRIO 200
#define WORKER_PRIO 100
#define SENDER_PRIO 50
#define MAX_SAMPLES 8192

#define bi bench_bi
#define rdinstret bench_rdinstret
#define fail bench_fail
#define retype bench_retype
#define retype_from bench_retype_from

static volatile uint32_t *rtc;
static seL4_CPtr irq, ntfn, done, worker_tcb;
static seL4_Word samples[MAX_SAMPLES];
static volatile int n_samples, worker_finished;
/* what the worker was doing when each sample was taken: 0 its own setup
 * between the long calls, otherwise which call */
static volatile int phase;
static int sample_phase[MAX_SAMPLES];


static void handler(void *arg)
{
    (void)arg;
    uint64_t rng = 0x9e3779b97f4a7c15ull;
    while (!worker_finished) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        seL4_Word delay = 2000 + (rng >> 33) % 48000;
        seL4_Word lo = rtc[0], hi = rtc[1];
        seL4_Word at = rdinstret() + delay;
        seL4_Word when = (hi << 32 | lo) + delay;
        rtc[0x0c / 4] = (uint32_t)(when >> 32); /* ALARM_HIGH, then ALARM_LOW arms it */
        rtc[0x08 / 4] = (uint32_t)when;
        seL4_Wait(ntfn, NULL);
        seL4_Word now = rdinstret();
        if (n_samples < MAX_SAMPLES) {
            sample_phase[n_samples] = phase;
            samples[n_samples++] = now > at ? now - at : 0;
        }
        rtc[0x1c / 4] = 1; /* CLEAR_INTERRUPT */
        if (seL4_IRQHandler_Ack(irq))
            fail("Ack");
    }
    seL4_Signal(done);
    seL4_Wait(done, NULL);
}

/* ---- the operations ---- */

static seL4_CPtr cnode_slot_ep, big_cn, op_ut, op_slot, store;
static seL4_Word op_size, op_radix;

static void fill(seL4_CPtr cn, seL4_Word radix, seL4_Word n, seL4_CPtr cap)
{
    for (seL4_Word i = 0; i < n; i++)
        if (seL4_CNode_Copy(cn, i, radix, seL4_CapInitThreadCNode, cap, seL4_WordBits, seL4_AllRights))
            fail("copy");
}

static void revoke_round(void)
{
    fill(big_cn, 14, op_size, cnode_slot_ep);
    phase = 1;
    int e = seL4_CNode_Revoke(seL4_CapInitThreadCNode, cnode_slot_ep, seL4_WordBits);
    phase = 0;
    if (e)
        fail("revoke");
}

static void delete_round(void)
{
    phase = 2;
    int e = seL4_Untyped_Retype(op_ut, seL4_CapTableObject, op_radix, seL4_CapInitThreadCNode, 0, 0, op_slot, 1);
    phase = 0;
    if (e)
        fail("retype CNode");
    fill(op_slot, op_radix, op_size, cnode_slot_ep);
    phase = 1;
    e = seL4_CNode_Delete(seL4_CapInitThreadCNode, op_slot, seL4_WordBits);
    phase = 0;
    if (e)
        fail("delete");
}

static void retype_round(void)
{
    seL4_Word frames = op_size >> 12;
    for (seL4_Word k = 0; k < frames; k += 256) {
        phase = k == 0 ? 1 : 2; /* the first call clears the whole untyped */
        int e =
            seL4_Untyped_Retype(op_ut, seL4_RISCV_4K_Page, 0, seL4_CapInitThreadCNode, big_cn, seL4_WordBits, k, 256);
        phase = 0;
        if (e)
            fail("retype frames");
    }
    phase = 3;
    int e = seL4_CNode_Revoke(seL4_CapInitThreadCNode, op_ut, seL4_WordBits);
    phase = 0;
    if (e)
        fail("revoke frames");
}

extern char send_forever[];
asm(".text\n.balign 4\n.globl send_forever\nsend_forever:\n  ecall\n  j send_forever\n");

static void let_senders_block(void)
{
    seL4_TCB_SetPriority(worker_tcb, seL4_CapInitThreadTCB, SENDER_PRIO - 10);
    seL4_TCB_SetPriority(worker_tcb, seL4_CapInitThreadTCB, WORKER_PRIO);
}

static void cancel_round(void)
{
    phase = 1;
    int e = seL4_CNode_CancelBadgedSends(seL4_CapInitThreadCNode, op_slot, seL4_WordBits);
    phase = 0;
    if (e)
        fail("cancel");
    let_senders_block();
}

static void (*round_fn)(void);
static int rounds;

static void worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < rounds; i++)
        round_fn();
    worker_finished = 1;
    seL4_Signal(done);
    seL4_Wait(done, NULL);
}

static void run(const char *name, void (*fn)(void), int n_rounds)
{
    round_fn = fn;
    rounds = n_rounds;
    n_samples = 0;
    worker_finished = 0;
    seL4_CPtr h = bench_spawn(0, handler, NULL, HANDLER_PRIO, seL4_CapInitThreadVSpace);
    worker_tcb = bench_spawn(1, worker, NULL, WORKER_PRIO, seL4_CapInitThreadVSpace);
    seL4_Wait(done, NULL);
    seL4_Wait(done, NULL);
    seL4_TCB_Suspend(h);
    seL4_TCB_Suspend(worker_tcb);
    rtc[0x14 / 4] = 1; /* CLEAR_ALARM */
    rtc[0x1c / 4] = 1;
    seL4_IRQHandler_Ack(irq);
    /* the worst sample of each phase, then all of them sorted */
    seL4_Word worst[4] = {0, 0, 0, 0};
    int count[4] = {0, 0, 0, 0};
    for (int i = 0; i < n_samples; i++) {
        int p = sample_phase[i] & 3;
        count[p]++;
        if (samples[i] > worst[p])
            worst[p] = samples[i];
    }
    printf("# %s: worst (samples) between calls %lu (%d), in the long call %lu (%d)", name, (unsigned long)worst[0],
           count[0], (unsigned long)worst[1], count[1]);
    for (int p = 2; p < 4; p++)
        if (count[p])
            printf(", in call kind %d %lu (%d)", p, (unsigned long)worst[p], count[p]);
    printf("\n");
    /* the figure: interrupts that arrived during the long calls */
    int n = 0;
    for (int i = 0; i < n_samples; i++)
        if (sample_phase[i])
            samples[n++] = samples[i];
    bench_report(name, samples, 0, n);
}

int main(void)
{
    bench_init();
    /* the largest untyped first: 64 MiB for the retypes, aligned */
    seL4_CPtr ut64 = retype(seL4_UntypedObject, 26);
    rtc = bench_map_rtc();
    ntfn = retype(seL4_NotificationObject, 0);
    done = retype(seL4_NotificationObject, 0);
    irq = bench_slot();
    if (seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, seL4_CapInitThreadCNode, irq, seL4_WordBits) ||
        seL4_IRQHandler_SetNotification(irq, ntfn))
        fail("IRQ handler setup");
    cnode_slot_ep = retype(seL4_EndpointObject, 0);
    big_cn = retype(seL4_CapTableObject, 14);
    char name[64];

    static const seL4_Word caps[2] = {4096, 16384};
    for (int s = 0; s < 2; s++) {
        op_size = caps[s];
        snprintf(name, sizeof name, "preempt_revoke_%lu_caps", (unsigned long)op_size);
        run(name, revoke_round, s ? 5 : 20);
    }
    for (int s = 0; s < 2; s++) {
        op_size = caps[s];
        op_radix = s ? 14 : 12;
        op_ut = retype(seL4_UntypedObject, op_radix + 5);
        op_slot = bench_slot();
        snprintf(name, sizeof name, "preempt_delete_cnode_%lu_slots", (unsigned long)op_size);
        run(name, delete_round, s ? 5 : 20);
    }
    static const seL4_Word mib[2] = {16, 64};
    for (int s = 0; s < 2; s++) {
        op_size = mib[s] << 20;
        op_ut = s ? ut64 : retype(seL4_UntypedObject, 24);
        snprintf(name, sizeof name, "preempt_retype_%lu_mib_frames", (unsigned long)mib[s]);
        run(name, retype_round, s ? 3 : 10);
    }
    static const seL4_Word waiters[2] = {250, 1000};
    store = retype(seL4_CapTableObject, 10);
    seL4_CPtr ep = retype(seL4_EndpointObject, 0);
    op_slot = bench_slot();
    if (seL4_CNode_Mint(seL4_CapInitThreadCNode, op_slot, seL4_WordBits, seL4_CapInitThreadCNode, ep, seL4_WordBits,
                        seL4_AllRights, 1))
        fail("mint");
    seL4_Word made = 0;
    for (int s = 0; s < 2; s++) {
        seL4_CPtr tmp = bench_slot();
        for (; made < waiters[s]; made++) {
            if (seL4_Untyped_Retype(ut64, seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, tmp, 1) ||
                seL4_TCB_Configure(tmp, 0, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0, 0, 0) ||
                seL4_TCB_SetPriority(tmp, seL4_CapInitThreadTCB, SENDER_PRIO))
                fail("sender setup");
            seL4_UserContext r = {0};
            r.pc = (seL4_Word)send_forever;
            r.a0 = op_slot;
            r.a1 = seL4_MessageInfo_new(0, 0, 0, 0).words[0];
            r.a7 = (seL4_Word)seL4_SysSend;
            if (seL4_TCB_WriteRegisters(tmp, true, 0, sizeof r / sizeof(seL4_Word), &r) ||
                seL4_CNode_Move(store, made, 10, seL4_CapInitThreadCNode, tmp, seL4_WordBits))
                fail("sender start");
        }
        /* the root task outranks them: let them block in their Send */
        seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, SENDER_PRIO - 10);
        seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, seL4_MaxPrio);
        snprintf(name, sizeof name, "preempt_cancel_badged_sends_%lu_waiters", (unsigned long)waiters[s]);
        run(name, cancel_round, s ? 40 : 120);
    }
    return 0;
}
