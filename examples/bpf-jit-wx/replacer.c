/* A PD hook point whose programs run as native code from a code area with
 * a writable view that exists only while code is written: the first
 * program and its replacement (the path the control plane's replace
 * takes: offer, then the hook's next run takes it over and compiles it)
 * are each compiled between one map and one unmap of the view. Then the
 * PD stores through the former writable view: the monitor reports the
 * fault, as nothing is mapped there any more. */
#include "jit_wx.h"
#include <hypos/bpfhook.h>

__attribute__((section(".data"))) seL4_Word hook_region = 0; /* set by the tool */
__attribute__((section(".data"))) seL4_Word hook_size = 0;   /* set by the tool */

static const struct bpfhook_decl decl = {
    .name = "wx",
    .ctx_size = 8,
    .nfields = 1,
    .fields = {{0, 8, BPF_FIELD_READ}},
    .verdict_min = 0,
    .verdict_max = 100,
    .verdict_default = 0,
    .max_insns = 64,
};
static struct bpfhook hook;
static struct bpf_arena jit_scratch;
static uint8_t offer_scratch[256 * 1024];
static struct bpf_env offer_env;

/* r0 = 36 + (ctx->value & 7): the replacement returns 43 for 7 */
static const struct bpf_insn insns_b[] = {
    INSN(BPF_LDX | BPF_MEM | BPF_DW, 2, 1, 0, 0),   INSN(BPF_ALU64 | BPF_AND | BPF_K, 2, 0, 0, 7),
    INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 36), INSN(BPF_ALU64 | BPF_ADD | BPF_X, 0, 2, 0, 0),
    INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
};

static int offer(const struct bpf_insn *code_insns, uint32_t n)
{
    static struct bpf_prog p;
    struct bpf_arena arena;
    struct bpf_allocator alloc;
    char msg[128];
    bpf_arena_init(&arena, offer_scratch, sizeof(offer_scratch));
    bpf_arena_allocator(&arena, &alloc);
    if (bpf_prog_init(&p, code_insns, n, NULL, 0, &offer_env, NULL))
        return -1;
    int rc = bpfhook_offer((void *)hook_region, hook_size, &p, &offer_env, &alloc, msg, sizeof(msg));
    if (rc) {
        microkit_dbg_puts("replacer: offer refused: ");
        microkit_dbg_puts(msg);
        microkit_dbg_puts("\n");
    }
    return rc;
}

/* One run of the hook (taking a pending offer over first); prints what
 * ran and what the view's map and unmap cost for that compilation. */
static int64_t run_once(const char *what)
{
    uint64_t ctx = 7;
    uint32_t opens = hook.jit_area.opens, closes = hook.jit_area.closes;
    view_open_insns = view_close_insns = 0;
    int64_t verdict = bpfhook_run(&hook, &ctx);
    microkit_dbg_puts("replacer: ");
    microkit_dbg_puts(what);
    microkit_dbg_puts(bpfhook_native(&hook) ? " runs as native code, verdict " : " is interpreted, verdict ");
    put_dec((uint64_t)verdict);
    microkit_dbg_puts("; writable view mapped ");
    put_dec(hook.jit_area.opens - opens);
    microkit_dbg_puts(" and unmapped ");
    put_dec(hook.jit_area.closes - closes);
    microkit_dbg_puts(" times for it; map ");
    put_dec(view_open_insns);
    microkit_dbg_puts(" + unmap ");
    put_dec(view_close_insns);
    microkit_dbg_puts(" guest instructions (");
    put_dec(microkit_hypos_frames_read(&jit_frames)->n_frames);
    microkit_dbg_puts(" frames)\n");
    return verdict;
}

void init(void)
{
    static uint8_t jit_scratch_mem[512 * 1024];
    bpf_arena_init(&jit_scratch, jit_scratch_mem, sizeof(jit_scratch_mem));
    bpf_env_init(&offer_env, NULL, NULL);
    bpfhook_register_helpers(&offer_env);
    struct bpf_jit_writer w = view_writer();
    if (bpfhook_declare(&hook, (void *)hook_region, hook_size, &decl) ||
        bpfhook_use_jit_writer(&hook, (void *)jit_rw, (const void *)jit_rx, jit_size, &w, &jit_scratch)) {
        microkit_dbg_puts("replacer: hook not declared\n");
        return;
    }
    if (offer(insns, sizeof(insns) / sizeof(insns[0])) || run_once("first program") != 42)
        return;
    if (offer(insns_b, sizeof(insns_b) / sizeof(insns_b[0])) || run_once("replacement") != 43)
        return;
    microkit_dbg_puts("replacer: storing through the former writable view\n");
    *(volatile uint32_t *)jit_rw = 0x00000013; /* a RISC-V nop */
    microkit_dbg_puts("replacer: the writable view was still mapped\n");
}
