/* BPFJIT, x86_64 hypOS: the eBPF library's x86_64 JIT in a user thread of
 * the port. The root task makes a code area of frames it retypes itself,
 * mapped twice through seL4 calls: writable and execute-never (hypOS's
 * seL4_X86_ExecuteNever attribute) for the compiler, read-only and
 * executable for the runner. It checks that the hardware enforces both
 * (a thread executing the writable view and one storing into the
 * executable view each get a VM fault), compiles verified programs into
 * the area and compares every native run with the interpreter's, and
 * prints BENCH lines: guest instructions per executed eBPF instruction
 * (the TSC counts retired instructions under QEMU -icount shift=0). */
#include "../kernel/framework.h"
#include "bench_arch.h"
#include "bench_gen.h"
#include "bench_progs.h"
#include "jit_internal.h"
#include <bpf/jit.h>
#include <string.h>

#define VIEW_W 0x60000000ul /* writable, execute-never */
#define VIEW_X 0x60400000ul /* read-only, executable (another 2 MiB table) */
#define AREA_PAGES 16
#define AREA_SIZE (AREA_PAGES * 4096ul)

static struct bpf_env env_;
static uint64_t ebpf_stack[BPF_STACK_SIZE / 8];
static uint8_t scratch[2 << 20] __attribute__((aligned(16)));
static struct bpf_jit_area area;

/* The writable view's frame caps (copies), for the writer below. */
static seL4_CPtr wcaps[AREA_PAGES];

/* The area's frames: retyped here, each mapped read-only (executable) at
 * VIEW_X and through a copy of its cap read-write, execute-never at
 * VIEW_W. The page tables come from a probe frame mapped and unmapped at
 * the start of each 2 MiB range first. */
static int make_views(env_t *env)
{
    seL4_CPtr vs = seL4_CapInitThreadVSpace;
    seL4_CPtr probe = map_new_frame(env, vs, VIEW_W, seL4_CanRead);
    CHECK_EQ(seL4_X86_Page_Unmap(probe), 0);
    for (seL4_Word i = 0; i < AREA_PAGES && env->failures == 0; i++) {
        seL4_CPtr f = map_new_frame(env, vs, VIEW_X + i * 4096, seL4_CanRead);
        seL4_CPtr w = alloc_slot(env);
        CHECK_EQ(seL4_CNode_Copy(ROOT, w, WB, ROOT, f, WB, seL4_AllRights), 0);
        CHECK_EQ(seL4_X86_Page_Map(w, vs, VIEW_W + i * 4096, seL4_ReadWrite, seL4_X86_ExecuteNever), 0);
        wcaps[i] = w;
    }
    return env->failures ? -1 : 0;
}

static seL4_Word exec_at(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    ((void (*)(void))a)();
    return 0;
}

static seL4_Word store_at(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    *(volatile uint8_t *)a = 0xc3;
    return 0;
}

/* Runs fn(addr) in a thread whose faults come here; returns the fault's
 * label and fills the VM fault's address, prefetch flag and error code. */
static seL4_Word fault_of(env_t *env, helper_fn_t fn, seL4_Word addr, seL4_Word *fault_addr, seL4_Word *prefetch,
                          seL4_Word *fsr)
{
    helper_t h;
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    create_helper_with_fault_ep(env, &h, 100, fep);
    start_helper(env, &h, fn, addr, 0, 0, 0);
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    *fault_addr = seL4_GetMR(seL4_VMFault_Addr);
    *prefetch = seL4_GetMR(seL4_VMFault_PrefetchFault);
    *fsr = seL4_GetMR(seL4_VMFault_FSR);
    destroy_helper(env, &h);
    return seL4_MessageInfo_get_label(info);
}

TEST(BPFJIT0001, "a code area's two views: what the writable one stores the executable one reads; executing the "
                 "writable view and storing into the executable one are VM faults")
{
    if (make_views(env))
        return;
    volatile uint64_t *w = (volatile uint64_t *)VIEW_W, *x = (volatile uint64_t *)VIEW_X;
    w[AREA_SIZE / 8 - 1] = 0x1122334455667788ull;
    CHECK_EQ(x[AREA_SIZE / 8 - 1], 0x1122334455667788ull);
    /* a ret instruction in both views: only the executable one may run it */
    *(volatile uint8_t *)VIEW_W = 0xc3;
    CHECK_EQ(exec_at(VIEW_X, 0, 0, 0), 0);
    seL4_Word addr, prefetch, fsr;
    CHECK_EQ(fault_of(env, exec_at, VIEW_W, &addr, &prefetch, &fsr), seL4_Fault_VMFault);
    CHECK_EQ(addr, VIEW_W);
    CHECK_EQ(prefetch, 1);
    CHECK_EQ(fsr & 0x11, 0x11); /* present, instruction fetch (SDM Vol. 3A §4.7) */
    CHECK_EQ(fault_of(env, store_at, VIEW_X + 8, &addr, &prefetch, &fsr), seL4_Fault_VMFault);
    CHECK_EQ(addr, VIEW_X + 8);
    CHECK_EQ(prefetch, 0);
    CHECK_EQ(fsr & 0x13, 0x03); /* present, write, not a fetch */
    CHECK_EQ(bpf_jit_area_init(&area, (void *)VIEW_W, (const void *)VIEW_X, AREA_SIZE, 0), 0);
}

/* ---- known programs, native against interpreted ------------------------ */

#define I(c, d, s, o, i) ((struct bpf_insn){(uint8_t)(c), BPF_REGS(d, s), (int16_t)(o), (int32_t)(i)})
/* division and remainder by zero, signed INT64_MIN / -1 (RFC 9669 §4.1) */
static const struct bpf_insn p_div[] = {
    I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 100),
    I(BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, 0),
    I(BPF_ALU64 | BPF_DIV | BPF_X, 0, 1, 0, 0),
    I(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 7),
    I(BPF_ALU64 | BPF_MOD | BPF_X, 2, 1, 0, 0),
    I(BPF_ALU64 | BPF_ADD | BPF_X, 0, 2, 0, 0),
    I(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 1),
    I(BPF_ALU64 | BPF_LSH | BPF_K, 3, 0, 0, 63),
    I(BPF_ALU64 | BPF_MOV | BPF_K, 4, 0, 0, -1),
    I(BPF_ALU64 | BPF_DIV | BPF_X, 3, 4, 1, 0),
    I(BPF_ALU64 | BPF_XOR | BPF_X, 0, 3, 0, 0),
    I(BPF_ALU | BPF_MOV | BPF_K, 5, 0, 0, -7),
    I(BPF_ALU | BPF_MOD | BPF_K, 5, 0, 1, 3),
    I(BPF_ALU64 | BPF_ADD | BPF_X, 0, 5, 0, 0),
    I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
};
/* byte swaps and a signed 32-bit jump */
static const struct bpf_insn p_swap[] = {
    I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0x12345678),
    I(BPF_ALU | BPF_END | BPF_TO_BE, 0, 0, 0, 32),
    I(BPF_ALU64 | BPF_MOV | BPF_X, 1, 0, 0, 0),
    I(BPF_ALU | BPF_END | BPF_TO_BE, 1, 0, 0, 16),
    I(BPF_JMP32 | BPF_JSGT | BPF_K, 0, 0, 1, 0),
    I(BPF_ALU64 | BPF_ADD | BPF_K, 0, 0, 0, 1),
    I(BPF_ALU64 | BPF_LSH | BPF_K, 1, 0, 0, 32),
    I(BPF_ALU64 | BPF_OR | BPF_X, 0, 1, 0, 0),
    I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
};
/* atomics on the stack: add, fetch-add, exchange, compare-exchange */
static const struct bpf_insn p_atomic[] = {
    I(BPF_ST | BPF_MEM | BPF_DW, 10, 0, -8, 5),
    I(BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, 3),
    I(BPF_STX | BPF_ATOMIC | BPF_DW, 10, 1, -8, BPF_ADD),
    I(BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, 10),
    I(BPF_STX | BPF_ATOMIC | BPF_DW, 10, 1, -8, BPF_ADD | BPF_FETCH),
    I(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 77),
    I(BPF_STX | BPF_ATOMIC | BPF_DW, 10, 2, -8, BPF_XCHG),
    I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 77),
    I(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 99),
    I(BPF_STX | BPF_ATOMIC | BPF_DW, 10, 3, -8, BPF_CMPXCHG),
    I(BPF_LDX | BPF_MEM | BPF_DW, 4, 10, -8, 0),
    I(BPF_ALU64 | BPF_ADD | BPF_X, 0, 1, 0, 0),
    I(BPF_ALU64 | BPF_ADD | BPF_X, 0, 2, 0, 0),
    I(BPF_ALU64 | BPF_ADD | BPF_X, 0, 4, 0, 0),
    I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
};
/* a BPF-to-BPF call: f(20) = 2 * 20, plus 1 */
static const struct bpf_insn p_call[] = {
    I(BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, 20), I(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL_LOCAL, 0, 2),
    I(BPF_ALU64 | BPF_ADD | BPF_K, 0, 0, 0, 1),  I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
    I(BPF_ALU64 | BPF_MOV | BPF_X, 0, 1, 0, 0),  I(BPF_ALU64 | BPF_MUL | BPF_K, 0, 0, 0, 2),
    I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
};

static struct bpf_insn gen[1100];
static uint8_t ctx_a[64], ctx_b[64];
static uint64_t array_mem[64 / 8 + 8];
static struct bpf_map amap;

/* Verify and compile p into the area, run it natively and interpreted
 * (verified mode) from the same context, and compare status, R0 and the
 * context. */
static void compare(env_t *env, const char *name, const struct bpf_insn *insns, uint32_t n, struct bpf_map *const *maps,
                    uint32_t nmaps, const struct bpf_hook *hook)
{
    static struct bpf_prog prog;
    static struct bpf_jit_code code;
    struct bpf_arena arena;
    struct bpf_allocator alloc;
    bpf_arena_init(&arena, scratch, sizeof(scratch));
    bpf_arena_allocator(&arena, &alloc);
    CHECK_EQ(bpf_prog_init(&prog, insns, n, maps, nmaps, &env_, NULL), 0);
    struct bpf_jit_opts jo = {.hook = hook, .alloc = &alloc};
    struct bpf_verifier_result res;
    bpf_jit_area_reset(&area);
    int rc = bpf_jit_area_compile(&area, &prog, &env_, &jo, &code, &res);
    if (rc)
        printf("# %s: not compiled (%d), verifier rule %s at %u\n", name, rc, bpf_vrule_name(res.rule), res.insn);
    CHECK_EQ(rc, 0);
    CHECK(code.entry == (const void *)VIEW_X);
    for (uint32_t i = 0; i < sizeof ctx_a; i++)
        ctx_a[i] = ctx_b[i] = (uint8_t)(i * 7 + 3);
    struct bpf_vm vm;
    bpf_vm_init(&vm, &env_, ebpf_stack, sizeof(ebpf_stack));
    uint64_t r_jit = 0, r_int = 0;
    bpf_vm_set_mode(&vm, BPF_MODE_JIT, 0);
    int s_jit = bpf_vm_run(&vm, &prog, ctx_a, hook->ctx_size, &r_jit);
    bpf_vm_set_mode(&vm, BPF_MODE_VERIFIED, 0);
    int s_int = bpf_vm_run(&vm, &prog, ctx_b, hook->ctx_size, &r_int);
    CHECK_EQ(s_jit, BPF_OK);
    CHECK_EQ(s_jit, s_int);
    CHECK_EQ(r_jit, r_int);
    CHECK(!memcmp(ctx_a, ctx_b, sizeof ctx_a));
    printf("# %s: %u instructions, %zu bytes of x86_64 code, R0 0x%llx native and interpreted\n", name, n, code.size,
           (unsigned long long)r_jit);
    bpf_jit_detach(&prog);
}

/* Strict W^X: a writer that maps the pages of the writable view that
 * [off, off + len) touches only while the area writes code, and unmaps
 * them again; it counts the guest instructions both take. */
static uint64_t writer_insns;
static int writer_open(void *ctx, size_t off, size_t len)
{
    (void)ctx;
    uint64_t t0 = bench_rdinstret();
    for (size_t p = off / 4096; p < (off + len + 4095) / 4096; p++)
        if (seL4_X86_Page_Map(wcaps[p], seL4_CapInitThreadVSpace, VIEW_W + p * 4096, seL4_ReadWrite,
                              seL4_X86_ExecuteNever))
            return -BPF_EFAULT;
    writer_insns += bench_rdinstret() - t0;
    return 0;
}
static int writer_close(void *ctx, size_t off, size_t len)
{
    (void)ctx;
    uint64_t t0 = bench_rdinstret();
    for (size_t p = off / 4096; p < (off + len + 4095) / 4096; p++)
        if (seL4_X86_Page_Unmap(wcaps[p]))
            return -BPF_EFAULT;
    writer_insns += bench_rdinstret() - t0;
    return 0;
}

TEST(BPFJIT0004, "strict W^X: with a writer the writable view exists only while a program is compiled; the "
                 "program runs natively and a store through the former writable view is a VM fault")
{
    if (make_views(env)) {
        CHECK(0);
        return;
    }
    for (int i = 0; i < AREA_PAGES; i++)
        CHECK_EQ(seL4_X86_Page_Unmap(wcaps[i]), 0);
    bpf_env_init(&env_, NULL, NULL);
    struct bpf_jit_writer w = {writer_open, writer_close, NULL};
    CHECK_EQ(bpf_jit_area_init_writer(&area, (void *)VIEW_W, (const void *)VIEW_X, AREA_SIZE, 0, &w), 0);
    struct bpf_hook plain = {.name = "x86", .ctx_size = 0};
    uint64_t before = writer_insns;
    compare(env, "bpf-to-bpf call, view mapped only while compiling", p_call, sizeof p_call / sizeof p_call[0], NULL, 0,
            &plain);
    CHECK_EQ(area.opens, 2);
    CHECK_EQ(area.closes, 2);
    printf("BENCH jit_view_map_unmap_16_pages_x86_64 instructions median=%llu min=%llu max=%llu n=1\n",
           (unsigned long long)(writer_insns - before), (unsigned long long)(writer_insns - before),
           (unsigned long long)(writer_insns - before));
    seL4_Word addr, prefetch, fsr;
    CHECK_EQ(fault_of(env, store_at, VIEW_W, &addr, &prefetch, &fsr), seL4_Fault_VMFault);
    CHECK_EQ(addr, VIEW_W);
    CHECK_EQ(fsr & 0x03, 0x02); /* not present, write */
}

TEST(BPFJIT0002, "verified programs (division edge cases, byte swaps, atomics, BPF-to-BPF calls, generated "
                 "programs with context reads, branches and map lookups) run natively from the executable view "
                 "with the interpreter's results")
{
    if (make_views(env) || bpf_jit_area_init(&area, (void *)VIEW_W, (const void *)VIEW_X, AREA_SIZE, 0)) {
        CHECK(0);
        return;
    }
    bpf_env_init(&env_, NULL, NULL);
    struct bpf_hook plain = {.name = "x86", .ctx_size = 0};
    compare(env, "division", p_div, sizeof p_div / sizeof p_div[0], NULL, 0, &plain);
    compare(env, "byte swaps", p_swap, sizeof p_swap / sizeof p_swap[0], NULL, 0, &plain);
    compare(env, "atomics", p_atomic, sizeof p_atomic / sizeof p_atomic[0], NULL, 0, &plain);
    compare(env, "bpf-to-bpf call", p_call, sizeof p_call / sizeof p_call[0], NULL, 0, &plain);
    struct bpf_map_def adef = {BPF_MAP_TYPE_ARRAY, 4, 16, 4, 0};
    CHECK_EQ(bpf_map_init(&amap, &adef, array_mem, sizeof array_mem, "a"), 0);
    struct bpf_map *maps[] = {&amap};
    struct bpf_hook hook = {.name = "gen", .ctx_size = 64, .flags = BPF_HOOK_TAIL_CALLS | BPF_HOOK_CTX_WRITABLE};
    static const uint32_t sizes[] = {40, 200, 1000};
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        uint32_t n = bench_gen_prog(gen, sizes[i]);
        compare(env, "generated", gen, n, maps, 1, &hook);
    }
}

/* ---- benchmarks ----------------------------------------------------------- */

static uint8_t buf[65536] __attribute__((aligned(8)));

static void put_ratio(uint64_t v, uint64_t count)
{
    uint64_t milli = (v * 1000 + count / 2) / count;
    printf("%llu.%03llu", (unsigned long long)(milli / 1000), (unsigned long long)(milli % 1000));
}

/* Guest instructions per executed eBPF instruction of one benchmark
 * program, in mode (the count from a checked-mode run). The benchmark
 * programs loop more often than the verifier can prove, so, as on
 * riscv64, they are compiled through the library's entry that skips it. */
static void bench(env_t *env, const char *name, const struct bpf_insn *insns, uint32_t n, void *ctx, uint64_t ctx_len,
                  int mode, int runs)
{
    static struct bpf_prog prog;
    static struct bpf_jit_code code;
    CHECK_EQ(bpf_prog_init(&prog, insns, n, NULL, 0, &env_, NULL), 0);
    if (mode == BPF_MODE_JIT) {
        struct bpf_arena arena;
        struct bpf_allocator alloc;
        bpf_arena_init(&arena, scratch, sizeof(scratch));
        bpf_arena_allocator(&arena, &alloc);
        struct bpf_jit_opts o = {.alloc = &alloc};
        size_t len = 0;
        CHECK_EQ(bpf__jit_emit_verified(BPF_JIT_ARCH_X86_64, &prog, &env_, &o, (void *)VIEW_W, AREA_SIZE, &len, 0), 0);
        CHECK_EQ(bpf_jit_attach(&prog, &code, BPF_JIT_ARCH_X86_64, (const void *)VIEW_X, len, 0), 0);
    }
    struct bpf_vm vm;
    bpf_vm_init(&vm, &env_, ebpf_stack, sizeof(ebpf_stack));
    bpf_vm_set_mode(&vm, BPF_MODE_CHECKED, 1ull << 40);
    uint64_t r0 = 0, want = 0;
    CHECK_EQ(bpf_vm_run(&vm, &prog, ctx, ctx_len, &want), BPF_OK);
    uint64_t count = vm.insn_count, t[8];
    bpf_vm_set_mode(&vm, mode, 1ull << 40);
    for (int i = 0; i < runs; i++) {
        uint64_t a = bench_rdinstret();
        bpf_vm_run(&vm, &prog, ctx, ctx_len, &r0);
        t[i] = bench_rdinstret() - a;
        CHECK_EQ(r0, want);
    }
    for (int i = 1; i < runs; i++)
        for (int j = i; j > 0 && t[j] < t[j - 1]; j--) {
            uint64_t x = t[j];
            t[j] = t[j - 1];
            t[j - 1] = x;
        }
    printf("BENCH %s guest-insns/insn median=", name);
    put_ratio(t[runs / 2], count);
    printf(" min=");
    put_ratio(t[0], count);
    printf(" max=");
    put_ratio(t[runs - 1], count);
    printf(" n=%d\n", runs);
    bpf_jit_detach(&prog);
}

TEST(BPFJIT0003, "benchmarks: guest instructions per eBPF instruction of the loop sum and the checksum, "
                 "interpreted and native (BENCH lines; meaningful under -icount shift=0)")
{
    if (make_views(env)) {
        CHECK(0);
        return;
    }
    bpf_env_init(&env_, NULL, NULL);
    uint32_t x = 1;
    for (uint32_t i = 0; i < sizeof(buf); i++) {
        x = x * 1103515245 + 12345;
        buf[i] = (uint8_t)(x >> 16);
    }
    uint32_t nsum = sizeof bench_loop_sum / sizeof bench_loop_sum[0];
    uint32_t nck = sizeof bench_checksum / sizeof bench_checksum[0];
    bench(env, "bpf_loop_sum_x86_64", bench_loop_sum, nsum, NULL, 0, BPF_MODE_VERIFIED, 1);
    bench(env, "bpf_checksum_64k_x86_64", bench_checksum, nck, buf, sizeof buf, BPF_MODE_VERIFIED, 3);
    bench(env, "bpf_loop_sum_jit_x86_64", bench_loop_sum, nsum, NULL, 0, BPF_MODE_JIT, 3);
    bench(env, "bpf_checksum_64k_jit_x86_64", bench_checksum, nck, buf, sizeof buf, BPF_MODE_JIT, 5);
}
