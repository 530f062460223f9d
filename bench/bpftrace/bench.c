/* The bpf PD's part of a traced event, in guest instructions (bench
 * build, QEMU -icount shift=0, where user mode reads instret): the PD
 * writes BATCH call records into a ring as the kernel does, then drains
 * it with the bpf PD's consumer (bpftrace_drain), dispatching each record
 * by its cookie to the hook's program (count.bpf.c: a hash-map update
 * keyed by the caller, 20 instructions) through the PD hook library, as
 * native code and interpreted, and an empty program as native code (the
 * consumer's own part). Printed per record. The kernel's part
 * (writing the record) and the notification that wakes the bpf PD once
 * per threshold records are measured by the kernel's benchmarks. */
#include <microkit.h>
#include <hypos/bpftrace.h>
#include "../common/pd_bench.h"

#define ROUNDS 64
#define BATCH 32
#define RING_BYTES 4096
#define CALLERS 8
__attribute__((section(".data"))) seL4_Word obj = 0;       /* set by the tool */
__attribute__((section(".data"))) seL4_Word obj_size = 0;  /* set by the tool */
__attribute__((section(".data"))) seL4_Word hook = 0;      /* set by the tool */
__attribute__((section(".data"))) seL4_Word hook_size = 0; /* set by the tool */
__attribute__((section(".data"))) seL4_Word jit_rw = 0;    /* set by the tool */
__attribute__((section(".data"))) seL4_Word jit_rx = 0;    /* set by the tool */
__attribute__((section(".data"))) seL4_Word jit_size = 0;  /* set by the tool */

static uint8_t arena_mem[1 << 20] __attribute__((aligned(16)));
static struct bpf_arena arena;
static struct bpf_allocator alloc;
static struct bpf_env env;
static struct bpfhook hooks[1];
static uint64_t ring_mem[RING_BYTES / 8];
static seL4_Word samples[ROUNDS];
static uint64_t fake_time;


/* the bpf PD's dispatch (system/bpf/trace.c) */
static uint64_t records, unclaimed;
static void dispatch(const struct trace_record *rec, void *arg)
{
    (void)arg;
    uint32_t h = TRACE_COOKIE_HOOK(rec->h.object);
    records++;
    if (h < 1)
        bpfhook_run(&hooks[h], (void *)rec);
    else
        unclaimed++;
}

/* what the kernel does for each traced call */
static void kernel_writes(struct trace_ring *r, uint32_t i)
{
    struct trace_record *slot = (struct trace_record *)r + 1 + r->head % r->capacity;
    slot->h.type = TRACE_IPC_CALL;
    slot->h.length = sizeof(struct trace_ipc);
    slot->h.object = TRACE_COOKIE(0, 1);
    slot->h.time = fake_time++;
    slot->u.ipc.sender = 1 + i % CALLERS;
    slot->u.ipc.receiver = 100;
    slot->u.ipc.length = 1;
    __atomic_store_n(&r->head, r->head + 1, __ATOMIC_RELEASE);
}

static int measure(const char *name)
{
    struct trace_ring *r = (struct trace_ring *)ring_mem;
    for (int round = -1; round < ROUNDS; round++) {
        for (uint32_t i = 0; i < BATCH; i++)
            kernel_writes(r, i);
        seL4_Word t0 = instret();
        int64_t n = bpftrace_drain(r, RING_BYTES, dispatch, 0, UINT64_MAX);
        seL4_Word t = instret() - t0;
        if (n != BATCH)
            return -1;
        if (round >= 0) /* the first round fills the hash map */
            samples[round] = t / BATCH;
    }
    report(name, samples, ROUNDS);
    return 0;
}

static struct bpf_prog *prog_in(struct bpf_object *o, const char *section)
{
    for (uint32_t i = 0; i < bpf_object_prog_count(o); i++) {
        struct bpf_prog *p = bpf_object_prog_at(o, i);
        const char *a = p->section ? p->section : "", *b = section;
        while (*a && *a == *b)
            a++, b++;
        if (*a == *b)
            return p;
    }
    return 0;
}

static int attach(int jit, const char *section)
{
    struct bpfhook_decl d;
    if (bpftrace_decl("bench", 1u << TRACE_IPC_CALL, 0, &d) || bpfhook_declare(&hooks[0], (void *)hook, hook_size, &d))
        return -1;
    if (jit && bpfhook_use_jit(&hooks[0], (void *)jit_rw, (const void *)jit_rx, jit_size, &arena))
        return -2;
    struct bpf_object *o;
    struct bpf_load_error err;
    if (bpf_object_load(&o, (const void *)obj, obj_size, &env, &alloc, &err))
        return -3;
    char msg[BPFHOOK_MESSAGE_LEN];
    struct bpf_prog *prog = prog_in(o, section);
    if (!prog || bpfhook_offer((void *)hook, hook_size, prog, &env, &alloc, msg, sizeof(msg))) {
        microkit_dbg_puts(msg);
        return -4;
    }
    if (!bpfhook_poll(&hooks[0]) || bpfhook_native(&hooks[0]) != jit)
        return -5;
    return 0;
}

void init(void)
{
    bpf_arena_init(&arena, arena_mem, sizeof(arena_mem));
    bpf_arena_allocator(&arena, &alloc);
    bpf_env_init(&env, NULL, NULL);
    bpfhook_register_helpers(&env);
    struct trace_ring *r = (struct trace_ring *)ring_mem;
    r->capacity = RING_BYTES / sizeof(struct trace_record) - 1;
    /* the hook declared, no program: the ring loop, the dispatch and
     * bpfhook_run's check for an offer */
    struct bpfhook_decl d;
    if (bpftrace_decl("bench", 1u << TRACE_IPC_CALL, 0, &d) ||
        bpfhook_declare(&hooks[0], (void *)hook, hook_size, &d) || measure("trace_dispatch_no_program_per_record")) {
        microkit_dbg_puts("bpftrace bench: dispatch without a program failed\n");
        return;
    }
    int rc = attach(1, "trace/bench_empty");
    if (rc || measure("trace_dispatch_empty_program_jit_per_record")) {
        microkit_dbg_puts("bpftrace bench: empty program failed\n");
        return;
    }
    rc = attach(1, "trace/bench");
    if (rc || measure("trace_dispatch_hash_update_jit_per_record")) {
        microkit_dbg_puts("bpftrace bench: native run failed\n");
        return;
    }
    /* the native program counted every call of every caller */
    struct bpfhook_map_view v;
    uint64_t cursor = 0, sum = 0, keys = 0;
    const void *k, *val;
    if (bpfhook_map_view((const void *)hook, hook_size, "calls", &v))
        return;
    while (!bpfhook_hash_next(&v, &cursor, &k, &val)) {
        keys++;
        sum += *(const uint64_t *)val;
    }
    if (keys != CALLERS || sum != (ROUNDS + 1) * BATCH) {
        microkit_dbg_puts("bpftrace bench: the hash map's counts are wrong\n");
        return;
    }
    rc = attach(0, "trace/bench");
    if (rc || measure("trace_dispatch_hash_update_interp_per_record")) {
        microkit_dbg_puts("bpftrace bench: interpreted run failed\n");
        return;
    }
    const struct bpfhook_shared *s = (const struct bpfhook_shared *)hook;
    if (s->faults || unclaimed || records != 4ull * (ROUNDS + 1) * BATCH) {
        microkit_dbg_puts("bpftrace bench: records lost or programs faulted\n");
        return;
    }
    microkit_dbg_puts("bpftrace bench done\n");
}

void notified(microkit_channel ch) { (void)ch; }
