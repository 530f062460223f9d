/* IPC benchmark (a root task). Under QEMU with -icount shift=0, the
 * counter (bench_arch.h) counts retired guest instructions exactly, so each figure below is the
 * number of instructions from one thread's counter read just before its
 * trap to the other thread's read just after its trap returns.
 * Prints: BENCH <name> guest_instructions median= min= max= n= */
#include <hypos/trace.h>
#include <sel4/sel4.h>
#include <stdio.h>
#include <stdlib.h>
#include "../common/bench.h"

#define ITER 10000
#define WARMUP 100
#define N (ITER + WARMUP)

static seL4_Word c_start[N], c_end[N], s_start[N], s_end[N];
static seL4_Word result[N];

#define rdinstret bench_rdinstret

#define TIMED_ECALL BENCH_TIMED_SYSCALL

static void report(const char *name, seL4_Word *v) { bench_report(name, v, WARMUP, ITER); }
static int cmp_words(const void *a, const void *b)
{
    seL4_Word x = *(const seL4_Word *)a, y = *(const seL4_Word *)b;
    return x < y ? -1 : x > y;
}
static void report_quiet(seL4_Word *v) { qsort(v + WARMUP, ITER, sizeof(v[0]), cmp_words); }
#define retype bench_retype
#define spawn(i, fn, arg, prio) bench_spawn(i, fn, arg, prio, seL4_CapInitThreadVSpace)
#define spawn_in(i, fn, arg, prio, vs) bench_spawn(i, fn, arg, prio, vs)

static seL4_CPtr ep, done;
static seL4_Word msg_len;
/* The trace ring of a traced run (its records are dropped unread). */
static volatile hypos_trace_ring_t *drain;
/* Set by a traced run: a hook on each new endpoint, feeding ring 0. */
static bool trace_endpoints;
/* Which side writes an FP register before each of its IPCs (so its FP
 * state is Dirty at every switch): bit 0 the client, bit 1 the server.
 * The one FP instruction, bench_dirty_fp, is the arch's (bench_arch.h);
 * an arch whose kernel keeps no per-thread FP state yet sets
 * BENCH_FPU_VARIANTS to 0 and the FP variants are not run. */
static seL4_Word fpu_users;
#define FP_CLIENT 1
#define FP_SERVER 2
#define dirty_fp(i) bench_dirty_fp(i)

/* One body for the plain and the FP variant, so that the plain loop has
 * no instruction more than it had before the variants existed. */
static inline __attribute__((always_inline)) void server_loop(bool fp)
{
    seL4_Word info = seL4_MessageInfo_new(0, 0, 0, msg_len).words[0], t = 0;
    seL4_Recv(ep, NULL);
    s_end[0] = rdinstret();
    for (int i = 1; i < N; i++) {
        if (fp)
            dirty_fp(i);
        TIMED_ECALL(seL4_SysReplyRecv, ep, info, t);
        s_end[i] = rdinstret();
        s_start[i - 1] = t;
    }
    TIMED_ECALL(seL4_SysReply, 0, info, t);
    s_start[N - 1] = t;
    seL4_Signal(done);
    seL4_Wait(done, NULL);
}

static inline __attribute__((always_inline)) void client_loop(bool fp)
{
    seL4_Word info = seL4_MessageInfo_new(0, 0, 0, msg_len).words[0], t;
    for (int i = 0; i < N; i++) {
        if (fp)
            dirty_fp(i);
        TIMED_ECALL(seL4_SysCall, ep, info, t);
        c_end[i] = rdinstret();
        c_start[i] = t;
        if (drain) /* a traced run: consume the records, outside the measurement */
            drain->tail = drain->head;
    }
    seL4_Signal(done);
    seL4_Wait(done, NULL);
}

static void server(void *arg) { (void)arg, server_loop(false); }
static void client(void *arg) { (void)arg, client_loop(false); }
static void server_fp(void *arg) { (void)arg, server_loop(true); }
static void client_fp(void *arg) { (void)arg, client_loop(true); }

static seL4_CPtr server_vspace;

static void ipc_pair(seL4_Word len, const char *suffix)
{
    char name[64];
    const char *as = server_vspace == seL4_CapInitThreadVSpace ? "intra" : "inter";
    static const char *const fpu_suffix[] = {"", "_fpu_client", "_fpu_server", "_fpu_both"};
    msg_len = len;
    ep = retype(seL4_EndpointObject, 0);
    done = retype(seL4_NotificationObject, 0);
    if (trace_endpoints && hypOS_TraceControl_Hook(hypOS_CapTraceControl, ep, 0, HYPOS_TRACE_EV_ENDPOINT, 1).error)
        bench_fail("hooking the endpoint");
    /* server first, so it is waiting when the client calls */
    seL4_CPtr s = spawn_in(0, fpu_users & FP_SERVER ? server_fp : server, NULL, 200, server_vspace);
    seL4_CPtr c = spawn(1, fpu_users & FP_CLIENT ? client_fp : client, NULL, 200);
    seL4_Wait(done, NULL);
    seL4_Wait(done, NULL);
    seL4_TCB_Suspend(s);
    seL4_TCB_Suspend(c);
    for (int i = 0; i < N; i++)
        result[i] = s_end[i] - c_start[i];
    snprintf(name, sizeof name, "ipc_call_one_way_%s_as_len%s%s", as, suffix, fpu_suffix[fpu_users]);
    report(name, result);
    for (int i = 0; i < N; i++)
        result[i] = c_end[i] - s_start[i];
    snprintf(name, sizeof name, "ipc_replyrecv_one_way_%s_as_len%s%s", as, suffix, fpu_suffix[fpu_users]);
    report(name, result);
    for (int i = 0; i < N; i++)
        result[i] = c_end[i] - c_start[i];
    snprintf(name, sizeof name, "ipc_round_trip_%s_as_len%s%s", as, suffix, fpu_suffix[fpu_users]);
    report(name, result);
}

static seL4_Word median_of(seL4_Word *v)
{
    report_quiet(v);
    return v[WARMUP + ITER / 2];
}

/* Kernel trace events: the same exchange on an endpoint with a trace hook
 * recording Call, Reply and the server's wait (three records per round
 * trip) into a ring the client empties between calls. The record's cost
 * is the difference to the plain round trip, per record. */
#define TRACE_RING_VA 0x61000000ul
static void traced_ipc(void)
{
    seL4_CPtr frame = retype(TEST_FRAME_4K, 0);
    while (test_page_map(frame, seL4_CapInitThreadVSpace, TRACE_RING_VA, seL4_ReadWrite) == seL4_FailedLookup) {
        seL4_Word type = test_paging_object_for(seL4_MappingFailedLookupLevel());
        test_paging_map(retype(type, 0), type, seL4_CapInitThreadVSpace, TRACE_RING_VA);
    }
    if (hypOS_TraceControl_SetRing(hypOS_CapTraceControl, 0, frame, seL4_CapNull, 0))
        bench_fail("setting up the trace ring");
    server_vspace = seL4_CapInitThreadVSpace;
    ipc_pair(0, "0_untraced_again");
    for (int i = 0; i < N; i++)
        result[i] = c_end[i] - c_start[i];
    seL4_Word plain = median_of(result);
    drain = (volatile hypos_trace_ring_t *)TRACE_RING_VA;
    trace_endpoints = true;
    ipc_pair(0, "0_traced");
    trace_endpoints = false;
    for (int i = 0; i < N; i++)
        result[i] = c_end[i] - c_start[i];
    seL4_Word traced = median_of(result);
    if (drain->dropped || drain->head < 3ul * (N - 1))
        bench_fail("the traced run lost records");
    printf("BENCH trace_record_on_ipc guest_instructions median=%lu min=%lu max=%lu n=%d\n",
           (unsigned long)((traced - plain) / 3), (unsigned long)((traced - plain) / 3),
           (unsigned long)((traced - plain) / 3), ITER);
    drain = NULL;
    hypOS_TraceControl_ClearRing(hypOS_CapTraceControl, 0);
}

static seL4_CPtr ntfn;
static void waiter(void *arg)
{
    (void)arg;
    for (int i = 0; i < N; i++) {
        seL4_Wait(ntfn, NULL);
        s_end[i] = rdinstret();
    }
    seL4_Signal(done);
    seL4_Wait(done, NULL);
}

static void signaller(void *arg)
{
    (void)arg;
    seL4_Word t, info = seL4_MessageInfo_new(0, 0, 0, 0).words[0];
    for (int i = 0; i < N; i++) {
        TIMED_ECALL(seL4_SysSend, ntfn, info, t);
        c_start[i] = t;
    }
    seL4_Signal(done);
    seL4_Wait(done, NULL);
}

static void signal_wake(void)
{
    ntfn = retype(seL4_NotificationObject, 0);
    done = retype(seL4_NotificationObject, 0);
    seL4_CPtr w = spawn(2, waiter, NULL, 210);
    seL4_CPtr s = spawn(3, signaller, NULL, 200);
    seL4_Wait(done, NULL);
    seL4_Wait(done, NULL);
    seL4_TCB_Suspend(w);
    seL4_TCB_Suspend(s);
    for (int i = 0; i < N; i++)
        result[i] = s_end[i] - c_start[i];
    report("notification_signal_to_higher_prio_wake", result);
}

/* Page fault round trip: the faulting load, the fault message to the pager,
 * its Page_Map and Reply, and the retried load, as the faulter sees it. */
#define FAULT_VA 0x60000000ul
#define FAULT_ITER 2000
static seL4_CPtr sync_ep;

static void faulter(void *arg)
{
    (void)arg;
    for (int i = 0; i < FAULT_ITER; i++) {
        seL4_Word t0, t1;
        BENCH_TIMED_LOAD(FAULT_VA, t0, t1);
        result[i] = t1 - t0;
        seL4_Call(sync_ep, seL4_MessageInfo_new(0, 0, 0, 0)); /* let the pager unmap */
    }
    seL4_Signal(done);
    seL4_Wait(done, NULL);
}

static void pagefault_round_trip(void)
{
    seL4_CPtr fep = retype(seL4_EndpointObject, 0), frame = retype(TEST_FRAME_4K, 0);
    sync_ep = retype(seL4_EndpointObject, 0);
    done = retype(seL4_NotificationObject, 0);
    /* the page table for FAULT_VA exists before the measurement */
    while (test_page_map(frame, seL4_CapInitThreadVSpace, FAULT_VA, seL4_ReadWrite) == seL4_FailedLookup) {
        seL4_Word type = test_paging_object_for(seL4_MappingFailedLookupLevel());
        test_paging_map(retype(type, 0), type, seL4_CapInitThreadVSpace, FAULT_VA);
    }
    test_page_unmap(frame);
    seL4_CPtr t = spawn(2, faulter, NULL, 200);
    seL4_TCB_SetSpace(t, fep, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0);
    for (int i = 0; i < FAULT_ITER; i++) {
        seL4_Recv(fep, NULL);
        test_page_map(frame, seL4_CapInitThreadVSpace, FAULT_VA, seL4_ReadWrite);
        seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
        seL4_Recv(sync_ep, NULL);
        test_page_unmap(frame);
        seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    }
    seL4_Wait(done, NULL);
    seL4_TCB_Suspend(t);
    bench_report("pagefault_round_trip_with_map", result, 0, FAULT_ITER);
}

/* VM fault round trip: the faulter's load faults, the handler's ReplyRecv
 * answers without mapping anything, the load runs again and faults again.
 * The handler's counter read before its ReplyRecv to the read after it
 * returns with the next fault spans one whole round trip: the reply, the
 * faulter resumed at the load, the page fault and its delivery. */
#define VMFAULT_ITER 2000
static void refaulter(void *arg)
{
    (void)arg;
    seL4_Word t0, t1;
    BENCH_TIMED_LOAD(FAULT_VA, t0, t1);
    (void)t0, (void)t1;
    seL4_Signal(done);
    seL4_Wait(done, NULL);
}

static void vm_fault_round_trip(void)
{
    seL4_CPtr fep = retype(seL4_EndpointObject, 0), frame = retype(TEST_FRAME_4K, 0);
    done = retype(seL4_NotificationObject, 0);
    seL4_CPtr t = spawn(2, refaulter, NULL, 200);
    seL4_TCB_SetSpace(t, fep, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0);
    seL4_Word info = seL4_MessageInfo_new(0, 0, 0, 0).words[0], start;
    seL4_Recv(fep, NULL);
    for (int i = 0; i < VMFAULT_ITER; i++) {
        TIMED_ECALL(seL4_SysReplyRecv, fep, info, start);
        result[i] = rdinstret() - start;
    }
    /* the page at last: the faulter finishes */
    test_page_map(frame, seL4_CapInitThreadVSpace, FAULT_VA, seL4_ReadWrite);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_Wait(done, NULL);
    seL4_TCB_Suspend(t);
    test_page_unmap(frame);
    bench_report("vm_fault_round_trip", result, 0, VMFAULT_ITER);
}

int main(void)
{
    bench_init();
    seL4_Word a = rdinstret(), b = rdinstret();
    printf("# counter read overhead: %lu instructions (not subtracted)\n", (unsigned long)(b - a));
    printf("# len5: one MR more than the registers hold, so the slow path runs\n");
    server_vspace = seL4_CapInitThreadVSpace;
    ipc_pair(0, "0");
    ipc_pair(4, "4");
    ipc_pair(5, "5");
    server_vspace = bench_second_vspace();
    ipc_pair(0, "0");
    ipc_pair(4, "4");
    ipc_pair(5, "5");
    signal_wake();
    pagefault_round_trip();
    vm_fault_round_trip();
    traced_ipc();
#if BENCH_FPU_VARIANTS
    /* FPU users, last: the fastpath switching F/D state (or not) */
    server_vspace = seL4_CapInitThreadVSpace;
    for (fpu_users = FP_CLIENT; fpu_users <= (FP_CLIENT | FP_SERVER); fpu_users++)
        ipc_pair(0, "0");
    fpu_users = FP_CLIENT | FP_SERVER;
    ipc_pair(5, "5");
#endif
    return 0;
}
