/* The cost of a PD hook point in guest instructions (bench build, QEMU
 * -icount shift=0, where user mode reads instret):
 *  - bpfhook_run on a declared hook with no program attached;
 *  - bpfhook_run with the 21-instruction filter (filter.bpf.c) attached:
 *    the interpreter's entry, the program, its map lookup and the
 *    library's check for a new offer;
 *  - the same with the filter compiled to riscv64 code by the JIT;
 *  - what mapping and unmapping the code area's writable view costs per
 *    compilation (the view exists only while code is written:
 *    hypos:jit_write), over JIT_ROUNDS take-overs of the filter, and
 *    what a whole take-over costs (verification and compilation). */
#include <microkit.h>
#include <hypos/bpfhook.h>
#include "hook.h"
#include "../common/pd_bench.h"

#define BPF_PD 0
#define ROUNDS 64
__attribute__((section(".data"))) seL4_Word hook = 0;      /* set by the tool */
__attribute__((section(".data"))) seL4_Word hook_size = 0; /* set by the tool */
/* one region seen twice: writable for the JIT (mapped only while it
 * compiles), executable to run */
__attribute__((section(".data"))) seL4_Word jit_rw = 0;   /* set by the tool */
__attribute__((section(".data"))) seL4_Word jit_rx = 0;   /* set by the tool */
__attribute__((section(".data"))) seL4_Word jit_size = 0; /* set by the tool */
MICROKIT_HYPOS_FRAMES(jit_frames);                        /* set by the tool */
static uint8_t scratch_mem[1 << 20];
static struct bpf_arena scratch;

static const struct bpfhook_decl decl BPFHOOK_DECLARATION = {
    .name = "bench",
    .ctx_size = sizeof(struct bench_ctx),
    .nfields = 2,
    .fields = {{0, 4, BPF_FIELD_READ | BPF_FIELD_WRITE}, {4, 4, BPF_FIELD_READ}},
    .nhelpers = 1,
    .helpers = {BPF_FUNC_map_lookup_elem},
    .verdict_min = 0,
    .verdict_max = 1,
    .verdict_default = 1,
    .max_insns = 256,
};
static struct bpfhook h;
static seL4_Word samples[ROUNDS];

/* the writer: map and unmap the writable view, timed */
#define JIT_ROUNDS 8
static seL4_Word map_insns, unmap_insns;
static int view_open(void *ctx, size_t off, size_t len)
{
    seL4_Word t0 = instret();
    seL4_Error e = microkit_hypos_frames_map(ctx, off, len);
    map_insns += instret() - t0;
    return e == seL4_NoError ? 0 : -BPF_EFAULT;
}
static int view_close(void *ctx, size_t off, size_t len)
{
    seL4_Word t0 = instret();
    seL4_Error e = microkit_hypos_frames_unmap(ctx, off, len);
    unmap_insns += instret() - t0;
    return e == seL4_NoError ? 0 : -BPF_EFAULT;
}


static void measure(const char *name, int want_attached)
{
    int64_t verdict = 1;
    for (int i = 0; i < ROUNDS; i++) {
        struct bench_ctx c = {.byte = '7', .position = (unsigned)i};
        seL4_Word t0 = instret();
        verdict = bpfhook_run(&h, &c);
        samples[i] = instret() - t0;
    }
    if (bpfhook_attached(&h) != want_attached || verdict != (want_attached ? 0 : 1)) {
        microkit_dbg_puts("bpfhook bench: unexpected attachment or verdict\n");
        return;
    }
    report(name, samples, ROUNDS);
}

void init(void)
{
    if (bpfhook_declare(&h, (void *)hook, hook_size, &decl)) {
        microkit_dbg_puts("bpfhook bench: declaration refused\n");
        return;
    }
    measure("pdhook_run_no_program", 0);
    /* the bpf PD runs at a higher priority: it has verified and offered
     * the filter when microkit_notify returns */
    microkit_notify(BPF_PD);
    struct bench_ctx c = {.byte = '7'};
    bpfhook_run(&h, &c); /* takes the offer over */
    measure("pdhook_run_21_insn_filter", 1);

    /* again with native code: re-declared, so the bpf PD offers anew;
     * every take-over compiles between one map and one unmap */
    static seL4_Word map_samples[JIT_ROUNDS], unmap_samples[JIT_ROUNDS], both[JIT_ROUNDS], take[JIT_ROUNDS];
    struct bpf_jit_writer w = {view_open, view_close, (void *)microkit_hypos_frames_read(&jit_frames)};
    for (int r = 0; r < JIT_ROUNDS; r++) {
        bpfhook_declare(&h, (void *)hook, hook_size, &decl);
        bpf_arena_init(&scratch, scratch_mem, sizeof(scratch_mem));
        if (bpfhook_use_jit_writer(&h, (void *)jit_rw, (const void *)jit_rx, jit_size, &w, &scratch)) {
            microkit_dbg_puts("bpfhook bench: no JIT\n");
            return;
        }
        microkit_notify(BPF_PD);
        map_insns = unmap_insns = 0;
        seL4_Word t0 = instret();
        bpfhook_run(&h, &c);
        take[r] = instret() - t0;
        if (!bpfhook_native(&h)) {
            microkit_dbg_puts("bpfhook bench: the filter was not compiled\n");
            return;
        }
        map_samples[r] = map_insns;
        unmap_samples[r] = unmap_insns;
        both[r] = map_insns + unmap_insns;
    }
    report("pdhook_jit_view_map_4_frames", map_samples, JIT_ROUNDS);
    report("pdhook_jit_view_unmap_4_frames", unmap_samples, JIT_ROUNDS);
    report("pdhook_jit_view_map_unmap_per_compile", both, JIT_ROUNDS);
    /* the whole take-over: copy, verification, compilation, map, unmap */
    report("pdhook_take_over_21_insn_filter_jit", take, JIT_ROUNDS);
    measure("pdhook_run_21_insn_filter_jit", 1);
    microkit_dbg_puts("bpfhook bench done\n");
}

void notified(microkit_channel ch) { (void)ch; }
