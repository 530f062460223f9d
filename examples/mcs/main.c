/* MCS demo root task (build with make MCS=1): CPU time as capabilities.
 *   1. a passive server (no scheduling context of its own) answers calls
 *      on the time its client lends it with each Call;
 *   2. a thread with a 1 ms budget every 10 ms spins and measures the
 *      share of the CPU it actually got;
 *   3. a thread with a timeout endpoint spins until its budget runs out
 *      and its handler receives seL4's timeout fault.
 * Each part prints what it saw and whether that is what MCS promises. */
#include <sel4/sel4.h>
#include <hypos/thread.h>
#include <stdio.h>
#include <string.h>

#ifndef CONFIG_KERNEL_MCS
#error "examples/mcs needs the MCS configuration: make MCS=1"
#endif

#define IMAGE_BASE 0x10000ul /* where the image's frames start (user.ld) */
#define N_THREADS 4
#define STACK_SIZE 8192
#if defined(__riscv)
#define TICKS_PER_US 10 /* QEMU virt's 10 MHz time counter */
#else
#define TICKS_PER_US 1000 /* the TSC under QEMU's -icount shift=0: one per instruction, 1 GHz */
#endif

static seL4_BootInfo *bi;
static seL4_CPtr untyped, next_slot;
static int failures;

static char stacks[N_THREADS][STACK_SIZE] __attribute__((aligned(16)));
static seL4_IPCBuffer ipc_buffers[N_THREADS] __attribute__((aligned(4096)));
static char tls_blocks[N_THREADS][512] __attribute__((aligned(16)));
static hypos_thread_t threads[N_THREADS];

static void check(int ok, const char *what)
{
    printf("  %s: %s\n", ok ? "ok" : "FAILED", what);
    if (!ok)
        failures++;
}

static seL4_Word now(void)
{
#if defined(__riscv)
    seL4_Word t;
    __asm__ volatile("rdtime %0" : "=r"(t));
    return t;
#else
    return __builtin_ia32_rdtsc();
#endif
}

static seL4_CPtr make(seL4_Word type, seL4_Word size_bits)
{
    seL4_CPtr slot = next_slot++;
    int e = seL4_Untyped_Retype(untyped, type, size_bits, seL4_CapInitThreadCNode, 0, 0, slot, 1);
    if (e)
        printf("  retype of type %lu failed: %d\n", (unsigned long)type, e);
    return slot;
}

static seL4_CPtr frame_of(const void *p)
{
    return bi->userImageFrames.start + (((seL4_Word)p & ~0xffful) - IMAGE_BASE) / 4096;
}

/* A thread in this address space and CSpace; sc 0 makes it passive. */
static seL4_CPtr start_thread(int i, void (*fn)(void *), void *arg, seL4_Word prio, seL4_CPtr sc, seL4_CPtr fault_ep)
{
    seL4_CPtr tcb = make(seL4_TCBObject, 0);
    int e = seL4_TCB_Configure(tcb, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0, (seL4_Word)&ipc_buffers[i],
                               frame_of(&ipc_buffers[i]));
    if (!e)
        e = seL4_TCB_SetSchedParams(tcb, seL4_CapInitThreadTCB, prio, prio, sc, fault_ep);
    threads[i] = (hypos_thread_t){.fn = fn, .arg = arg, .ipc = &ipc_buffers[i]};
    if (!e)
        e = hypos_thread_start(tcb, &threads[i], &stacks[i][STACK_SIZE], tls_blocks[i]);
    if (e)
        printf("  thread %d: setup failed (%d)\n", i, e);
    return tcb;
}

static seL4_CPtr make_sc(seL4_Word budget_us, seL4_Word period_us, seL4_Word badge)
{
    seL4_CPtr sc = make(seL4_SchedContextObject, seL4_MinSchedContextBits);
    int e = seL4_SchedControl_Configure(bi->schedcontrol.start, sc, budget_us, period_us, 0, badge);
    if (e)
        printf("  SchedControl_Configure failed: %d\n", e);
    return sc;
}

/* ---- 1. a passive server ---- */
static seL4_CPtr ep, server_reply, done, parking;

/* A finished thread waits here for ever (not on the notification it
 * signalled, whose signal it would take back). */
static void park(void)
{
    for (;;)
        seL4_Wait(parking, NULL);
}

static void server(void *arg)
{
    (void)arg;
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge, server_reply);
    for (;;) {
        seL4_SetMR(0, seL4_GetMR(0) + 1);
        info = seL4_ReplyRecv(ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge, server_reply);
        (void)info;
    }
}

static seL4_Word calls_ok;
static void client(void *arg)
{
    (void)arg;
    for (seL4_Word i = 0; i < 1000; i++) {
        seL4_SetMR(0, i);
        seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 1));
        if (seL4_GetMR(0) == i + 1)
            calls_ok++;
    }
    seL4_Signal(done);
    park();
}

static void passive_server(void)
{
    printf("1. a passive server runs on its client's time\n");
    ep = make(seL4_EndpointObject, 0);
    server_reply = make(seL4_ReplyObject, 0);
    done = make(seL4_NotificationObject, 0);
    /* the server starts with an SC to reach its first Recv, then gives
     * it up: from then on it only runs on time lent by Calls */
    seL4_CPtr server_sc = make_sc(1000, 1000, 0);
    seL4_CPtr server_tcb = start_thread(0, server, NULL, 200, server_sc, 0);
    int e = seL4_SchedContext_UnbindObject(server_sc, server_tcb);
    check(e == 0, "the server, blocked in Recv, gives its own SC up");
    seL4_CPtr client_sc = make_sc(5000, 10000, 1);
    start_thread(1, client, NULL, 100, client_sc, 0);
    seL4_Wait(done, NULL);
    printf("  1000 calls, %lu answered correctly\n", (unsigned long)calls_ok);
    check(calls_ok == 1000, "every call was answered on the client's SC");
    seL4_SchedContext_Consumed_t c = seL4_SchedContext_Consumed(client_sc);
    printf("  the client's SC was charged %lu us\n", (unsigned long)c.consumed);
    check(c.error == 0 && c.consumed > 0, "the client's SC paid for the calls and the answers");
}

/* ---- 2. a budget of 1 ms every 10 ms ---- */
static volatile seL4_Word ran_ticks, span_ticks;
static seL4_CPtr spun;

/* Spins for WINDOW of time counting what it ran: consecutive reads closer
 * than 20 us mean it ran in between. */
#define WINDOW (200 * 1000 * TICKS_PER_US)
static void spinner(void *arg)
{
    (void)arg;
    seL4_Word start = now(), last = start, ran = 0;
    for (;;) {
        seL4_Word t = now();
        if (t - start >= WINDOW)
            break;
        if (t - last < 5 * TICKS_PER_US)
            ran += t - last;
        last = t;
    }
    ran_ticks = ran;
    span_ticks = WINDOW;
    seL4_Signal(spun);
    park();
}

static void budget_share(void)
{
    printf("2. a thread with a 1 ms budget every 10 ms gets 10%% of the CPU\n");
    spun = make(seL4_NotificationObject, 0);
    seL4_CPtr sc = make_sc(1000, 10000, 2);
    start_thread(2, spinner, NULL, 150, sc, 0);
    seL4_Wait(spun, NULL);
    seL4_SchedContext_Consumed_t c = seL4_SchedContext_Consumed(sc);
    printf("  its SC was charged %lu us\n", (unsigned long)c.consumed);
    seL4_Word permille = ran_ticks * 1000 / span_ticks;
    printf("  ran %lu us in %lu us: %lu.%lu%%\n", (unsigned long)(ran_ticks / TICKS_PER_US),
           (unsigned long)(span_ticks / TICKS_PER_US), (unsigned long)(permille / 10), (unsigned long)(permille % 10));
    check(permille >= 95 && permille <= 105, "the share is 10% +- 0.5 points");
}

/* ---- 3. a timeout fault ---- */
static void runaway(void *arg)
{
    (void)arg;
    for (;;)
        ;
}

static void timeout_fault(void)
{
    printf("3. a thread that overruns its budget gets a timeout fault\n");
    seL4_CPtr tep = make(seL4_EndpointObject, 0), reply = make(seL4_ReplyObject, 0);
    seL4_CPtr sc = make_sc(2000, 20000, 0x5ca1ab1e);
    seL4_CPtr tcb = start_thread(3, runaway, NULL, 150, 0, 0);
    int e = seL4_TCB_SetTimeoutEndpoint(tcb, tep);
    if (!e)
        e = seL4_SchedContext_Bind(sc, tcb);
    check(e == 0, "the runaway thread has an SC and a timeout endpoint");
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(tep, &badge, reply);
    seL4_Word data = seL4_GetMR(seL4_Timeout_Data), used = seL4_GetMR(seL4_Timeout_Consumed);
    printf("  fault label %lu, SC badge %#lx, consumed %lu us\n", (unsigned long)seL4_MessageInfo_get_label(info),
           (unsigned long)data, (unsigned long)used);
    check(seL4_MessageInfo_get_label(info) == seL4_Fault_Timeout && data == 0x5ca1ab1e,
          "the handler got a timeout fault naming the SC");
    check(used >= 1900 && used <= 2500, "the thread had used its 2 ms budget");
    seL4_TCB_Suspend(tcb);
}

int main(void)
{
    bi = seL4_GetBootInfo();
    next_slot = bi->empty.start;
    seL4_Word best = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++)
        if (!bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits > best) {
            best = bi->untypedList[i].sizeBits;
            untyped = bi->untyped.start + i;
        }
    printf("hypOS MCS demo: scheduling contexts, passive servers, budgets, timeout faults\n");
    /* below every thread it starts, so that each runs as soon as it can */
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50);
    parking = make(seL4_NotificationObject, 0);
    passive_server();
    budget_share();
    timeout_fault();
#ifdef CONFIG_DEBUG_BUILD
    check(seL4_HypDebugCheckInvariants() == 0, "the kernel's invariants hold");
#endif
    printf("MCS demo: %s\n", failures ? "FAILED" : "all as MCS promises");
    return failures ? 1 : 0;
}
