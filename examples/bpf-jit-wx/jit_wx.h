/* Shared by the PDs of this example: compile a verified program into
 * the PD's code area (one region seen at jit_rw, writable and never
 * executable, and at jit_rx, executable and read-only) and run it
 * natively. The writable view is mapped only while code is written: the
 * area's writer maps it with the caps the tool gave the PD (jit_frames,
 * hypos:jit_write) and unmaps it before the code is attached. */
#ifndef JIT_WX_H
#define JIT_WX_H

#include <microkit.h>
#include <bpf/jit.h>

__attribute__((section(".data"))) seL4_Word jit_rw = 0;   /* set by the tool */
__attribute__((section(".data"))) seL4_Word jit_rx = 0;   /* set by the tool */
__attribute__((section(".data"))) seL4_Word jit_size = 0; /* set by the tool */
MICROKIT_HYPOS_FRAMES(jit_frames);                        /* set by the tool, read-only */

static uint8_t scratch_mem[256 * 1024]; /* the verifier runs before the compiler */
static uint64_t ebpf_stack[BPF_STACK_SIZE / 8];
static struct bpf_env env;
static struct bpf_prog prog;
static struct bpf_jit_code code;
static struct bpf_jit_area area;

#define INSN(c, d, s, o, i) ((struct bpf_insn){(uint8_t)(c), BPF_REGS(d, s), (int16_t)(o), (int32_t)(i)})
/* r0 = 12 + the sum of i * i for i = 0..4 = 42, in a bounded loop */
static const struct bpf_insn insns[] = {
    INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0), INSN(BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, 0),
    INSN(BPF_ALU64 | BPF_MOV | BPF_X, 2, 1, 0, 0), INSN(BPF_ALU64 | BPF_MUL | BPF_X, 2, 1, 0, 0),
    INSN(BPF_ALU64 | BPF_ADD | BPF_X, 0, 2, 0, 0), INSN(BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, 1),
    INSN(BPF_JMP | BPF_JLT | BPF_K, 1, 0, -5, 5),  INSN(BPF_ALU64 | BPF_ADD | BPF_K, 0, 0, 0, 12),
    INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
};

static void put_hex(seL4_Word v)
{
    char s[19] = "0x";
    for (int i = 0; i < 16; i++)
        s[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
    s[18] = 0;
    microkit_dbg_puts(s);
}

static void put_dec(uint64_t v)
{
    char s[21];
    int n = 20;
    s[n] = 0;
    do
        s[--n] = (char)('0' + v % 10);
    while (v /= 10);
    microkit_dbg_puts(s + n);
}

/* Retired instructions, where the kernel lets user mode read the counter
 * (debug and bench builds); 0 elsewhere. */
static inline seL4_Word instret(void)
{
    seL4_Word v = 0;
#ifdef HYPOS_USER_COUNTERS
    __asm__ volatile("csrr %0, instret" : "=r"(v));
#endif
    return v;
}

/* The writer: map the frames of the writable view that [off, off + len)
 * touches, unmap them again. It counts the guest instructions both
 * take (the system calls included). */
static uint64_t view_open_insns, view_close_insns;

static int view_open(void *ctx, size_t off, size_t len)
{
    seL4_Word t0 = instret();
    seL4_Error e = microkit_hypos_frames_map(ctx, off, len);
    view_open_insns += instret() - t0;
    return e == seL4_NoError ? 0 : -BPF_EFAULT;
}

static int view_close(void *ctx, size_t off, size_t len)
{
    seL4_Word t0 = instret();
    seL4_Error e = microkit_hypos_frames_unmap(ctx, off, len);
    view_close_insns += instret() - t0;
    return e == seL4_NoError ? 0 : -BPF_EFAULT;
}

static struct bpf_jit_writer view_writer(void)
{
    return (struct bpf_jit_writer){view_open, view_close, (void *)microkit_hypos_frames_read(&jit_frames)};
}

/* Returns 0 when the program ran natively from the executable view. */
__attribute__((unused)) static int compile_and_run(void)
{
    struct bpf_arena arena;
    struct bpf_allocator alloc;
    bpf_arena_init(&arena, scratch_mem, sizeof(scratch_mem));
    bpf_arena_allocator(&arena, &alloc);
    bpf_env_init(&env, NULL, NULL);
    microkit_dbg_puts(microkit_name);
    struct bpf_jit_writer w = view_writer();
    if (bpf_jit_area_init_writer(&area, (void *)jit_rw, (const void *)jit_rx, jit_size, 0, &w)) {
        microkit_dbg_puts(": the two views of the code region are not one memory\n");
        return -1;
    }
    const struct bpf_hook hook = {.name = "wx", .ctx_size = 0};
    struct bpf_jit_opts jo = {.hook = &hook, .alloc = &alloc};
    struct bpf_verifier_result res;
    int rc = bpf_prog_init(&prog, insns, sizeof(insns) / sizeof(insns[0]), NULL, 0, &env, NULL);
    if (!rc)
        rc = bpf_jit_area_compile(&area, &prog, &env, &jo, &code, &res);
    if (rc) {
        microkit_dbg_puts(": not compiled\n");
        return -1;
    }
    struct bpf_vm vm;
    bpf_vm_init(&vm, &env, ebpf_stack, sizeof(ebpf_stack));
    bpf_vm_set_mode(&vm, BPF_MODE_JIT, 0);
    uint64_t r0 = 0;
    rc = bpf_vm_run(&vm, &prog, NULL, 0, &r0);
    microkit_dbg_puts(": native code at ");
    put_hex((seL4_Word)code.entry);
    microkit_dbg_puts(rc == BPF_OK && r0 == 42 ? " returned 42 (" : " went wrong (");
    put_dec(code.size);
    microkit_dbg_puts(" bytes); writable view mapped ");
    put_dec(area.opens);
    microkit_dbg_puts(" and unmapped ");
    put_dec(area.closes);
    microkit_dbg_puts(" times\n");
    return code.entry == (const void *)jit_rx && rc == BPF_OK && r0 == 42 ? 0 : -1;
}

void notified(microkit_channel ch) { (void)ch; }

#endif
