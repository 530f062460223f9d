/* A traced IPC end to end, in guest instructions (bench build, QEMU
 * -icount shift=0; instret counts everything the hart runs: the client,
 * the kernel, the servers and the bpf PD). Batches of 32 empty calls to
 * the traced server (each recorded by the kernel; the 32nd record wakes
 * the bpf PD, which drains the ring and runs count.bpf.c on each) and to
 * the plain one; printed per call, and their difference. */
#include <microkit.h>
#include <hypos/bpfhook.h>
#include "../common/pd_bench.h"

#define TRACED 0
#define PLAIN 1
#define BPF_PD 2
#define ROUNDS 64
#define BATCH 32                                           /* the ring's threshold */
__attribute__((section(".data"))) seL4_Word hook = 0;      /* set by the tool */
__attribute__((section(".data"))) seL4_Word hook_size = 0; /* set by the tool */
static seL4_Word traced[ROUNDS], plain[ROUNDS], diff[ROUNDS];


static seL4_Word batch(microkit_channel ch)
{
    seL4_Word t0 = instret();
    for (int i = 0; i < BATCH; i++)
        microkit_ppcall(ch, microkit_msginfo_new(0, 0));
    return (instret() - t0) / BATCH;
}

void init(void)
{
    /* warm up both paths (and the hash map's one element) */
    batch(TRACED);
    batch(PLAIN);
    for (int r = 0; r < ROUNDS; r++) {
        traced[r] = batch(TRACED);
        plain[r] = batch(PLAIN);
        diff[r] = traced[r] > plain[r] ? traced[r] - plain[r] : 0;
    }
    /* every call was counted by the program: read its map */
    struct bpfhook_map_view v;
    uint64_t cursor = 0, sum = 0;
    const void *k, *val;
    if (bpfhook_map_view((const void *)hook, hook_size, "calls", &v)) {
        microkit_dbg_puts("bpftrace ipc bench: no program ran\n");
        return;
    }
    while (!bpfhook_hash_next(&v, &cursor, &k, &val))
        sum += *(const uint64_t *)val;
    if (sum != (ROUNDS + 1) * BATCH) {
        microkit_dbg_puts("bpftrace ipc bench: calls counted: ");
        put_u(sum);
        microkit_dbg_puts("\n");
        return;
    }
    report("traced_ppcall_round_trip", traced, ROUNDS);
    report("plain_ppcall_round_trip", plain, ROUNDS);
    report("trace_per_traced_ipc_end_to_end", diff, ROUNDS);
}

void notified(microkit_channel ch) { (void)ch; }
