/* MCS IPC benchmark (a root task; make MCS=1): the round trip of a Call
 * and a ReplyRecv with a reply object, to a server with its own
 * scheduling context and to a passive server that runs on the SC the
 * Call lends it. Under QEMU with -icount shift=0 the counter counts
 * retired guest instructions exactly. Prints BENCH lines. */
#include <sel4/sel4.h>
#include <stdio.h>
#include "../common/bench.h"

#ifndef CONFIG_KERNEL_MCS
#error "bench/mcs measures the MCS configuration: make MCS=1"
#endif

#define ITER 10000
#define WARMUP 100
#define N (ITER + WARMUP)

static seL4_Word c_start[N], c_end[N], s_start[N], s_end[N], result[N];
static seL4_CPtr ep, reply, done, parking;


/* A system call with the reply object in a6; the counter is read right
 * before the trap into t0, which the kernel preserves (ReplyRecv and Call
 * do not read it). */
#define TIMED_ECALL_REPLY(sys, cap, info, rep, t)         \
    do {                                                  \
        register seL4_Word a0 asm("a0") = (cap);          \
        register seL4_Word a1 asm("a1") = (info);         \
        register seL4_Word a6 asm("a6") = (rep);          \
        register seL4_Word a7 asm("a7") = (sys);          \
        register seL4_Word t0 asm("t0");                  \
        asm volatile("rdinstret t0\n\tecall"              \
                     : "=&r"(t0), "+r"(a0), "+r"(a1)      \
                     : "r"(a6), "r"(a7)                   \
                     : "a2", "a3", "a4", "a5", "memory"); \
        (t) = t0;                                         \
    } while (0)

static void park(void)
{
    for (;;)
        seL4_Wait(parking, NULL);
}

/* The last ReplyRecv answers the last call and waits for ever: a passive
 * server has no time of its own to do anything after a reply. */
static void server(void *arg)
{
    (void)arg;
    seL4_Word info = seL4_MessageInfo_new(0, 0, 0, 0).words[0], t = 0;
    seL4_Recv(ep, NULL, reply);
    s_end[0] = bench_rdinstret();
    for (int i = 1; i <= N; i++) {
        TIMED_ECALL_REPLY(seL4_SysReplyRecv, ep, info, reply, t);
        s_start[i - 1] = t;
        if (i < N)
            s_end[i] = bench_rdinstret();
    }
}

static void client(void *arg)
{
    (void)arg;
    seL4_Word info = seL4_MessageInfo_new(0, 0, 0, 0).words[0], t;
    for (int i = 0; i < N; i++) {
        TIMED_ECALL_REPLY(seL4_SysCall, ep, info, 0, t);
        c_end[i] = bench_rdinstret();
        c_start[i] = t;
    }
    seL4_Signal(done);
    park();
}

static void run(bool passive)
{
    char name[64];
    const char *kind = passive ? "passive" : "active";
    ep = bench_retype(seL4_EndpointObject, 0);
    reply = bench_retype(seL4_ReplyObject, 0);
    done = bench_retype(seL4_NotificationObject, 0);
    /* the server runs to its Recv at once (it outranks the root task) */
    seL4_CPtr s = bench_spawn(0, server, NULL, 200, seL4_CapInitThreadVSpace);
    if (passive) {
        /* its own SC goes: from now on it runs on the client's */
        if (seL4_SchedContext_UnbindObject(bench_thread_sc[0], s))
            bench_fail("making the server passive");
    }
    seL4_CPtr c = bench_spawn(1, client, NULL, 200, seL4_CapInitThreadVSpace);
    seL4_Wait(done, NULL);
    seL4_TCB_Suspend(s);
    seL4_TCB_Suspend(c);
    for (int i = 0; i < N; i++)
        result[i] = s_end[i] - c_start[i];
    snprintf(name, sizeof name, "mcs_ipc_call_one_way_%s_len0", kind);
    bench_report(name, result, WARMUP, ITER);
    /* the last ReplyRecv never returns to record its start */
    for (int i = 0; i < N - 1; i++)
        result[i] = c_end[i] - s_start[i];
    snprintf(name, sizeof name, "mcs_ipc_reply_one_way_%s_len0", kind);
    bench_report(name, result, WARMUP, ITER - 1);
    for (int i = 0; i < N; i++)
        result[i] = c_end[i] - c_start[i];
    snprintf(name, sizeof name, "mcs_ipc_round_trip_%s_len0", kind);
    bench_report(name, result, WARMUP, ITER);
}

/* ---- budget expiry to the timeout handler running ---- */
#define TIMEOUTS 50
static volatile seL4_Word last_seen;

static void runaway(void *arg)
{
    (void)arg;
    for (;;)
        last_seen = bench_rdinstret();
}

/* The runaway thread spins writing the counter; its handler, waiting on
 * the timeout endpoint, reads the counter when the fault arrives: the
 * difference is the path from the last instruction the thread ran on its
 * budget (the timer interrupt, the charge, the fault message) to the
 * handler's first instruction. Replying resumes the thread for the next
 * period. */
static void timeout_latency(void)
{
    seL4_CPtr tep = bench_retype(seL4_EndpointObject, 0), rep = bench_retype(seL4_ReplyObject, 0);
    /* below the root task until it has its budget and handler */
    seL4_CPtr t = bench_spawn(2, runaway, NULL, 50, seL4_CapInitThreadVSpace);
    seL4_CPtr sc = bench_thread_sc[2];
    if (seL4_TCB_SetTimeoutEndpoint(t, tep) ||
        seL4_SchedControl_Configure(bench_bi->schedcontrol.start, sc, 500, 1000, 0, 7) ||
        seL4_TCB_SetPriority(t, seL4_CapInitThreadTCB, 150))
        bench_fail("timeout thread setup");
    seL4_Word badge;
    for (int i = 0; i < TIMEOUTS; i++) {
        seL4_MessageInfo_t info = seL4_Recv(tep, &badge, rep);
        seL4_Word now = bench_rdinstret();
        if (seL4_MessageInfo_get_label(info) != seL4_Fault_Timeout)
            bench_fail("timeout fault");
        result[i] = now - last_seen;
        seL4_Send(rep, seL4_MessageInfo_new(0, 0, 0, 0));
    }
    seL4_TCB_Suspend(t);
    bench_report("mcs_budget_expiry_to_timeout_handler", result, 0, TIMEOUTS);
}

int main(void)
{
    bench_init();
    /* below the threads it starts, so that each runs to its first block */
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 100);
    parking = bench_retype(seL4_NotificationObject, 0);
    run(false);
    run(true);
    timeout_latency();
    return 0;
}
