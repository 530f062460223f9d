/*
 * riscv64 guest benchmark: guest instructions retired per executed eBPF
 * instruction, for the programs in ../bench_progs.h, run by the
 * freestanding library under QEMU virt with -icount shift=0 (instret then
 * counts retired instructions exactly).  Output goes to the 16550 UART.
 */
#include "../bench_progs.h"
#include "bpf/verifier.h"
#include "bench_gen.h"
#include "jit_internal.h"

#define UART0 ((volatile uint8_t *)0x10000000)

static void putc_(char c)
{
	while (!(UART0[5] & 0x20))
		;
	UART0[0] = (uint8_t)c;
}
static void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}
static void putu(uint64_t v)
{
	char b[24];
	int n = 0;
	do {
		b[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		putc_(b[--n]);
}
/* value / count with three decimals */
static void putratio(uint64_t v, uint64_t count)
{
	uint64_t milli = (v * 1000 + count / 2) / count;
	putu(milli / 1000);
	putc_('.');
	putc_((char)('0' + milli / 100 % 10));
	putc_((char)('0' + milli / 10 % 10));
	putc_((char)('0' + milli % 10));
}

static inline uint64_t instret(void)
{
	uint64_t v;
	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}

static uint64_t stack[BPF_STACK_SIZE / 8];
static struct bpf_env env;
static uint8_t buf[65536] __attribute__((aligned(8)));
static uint64_t hash_mem[(1024 * (8 + 8 + 16) + 4 * 1024) / 8 + 64];

/* The JIT's code buffer and scratch memory.  Bare metal without paging:
 * the buffer is written, made visible to instruction fetch with fence.i
 * and executed in place (in hypOS the system layer maps the frames
 * writable for the compiler and executable-only for the runner). */
static uint8_t jit_buf[16384] __attribute__((aligned(4096)));
static uint8_t jit_scratch[65536] __attribute__((aligned(16)));
static uint32_t jit_flags;
static struct bpf_jit_code jit_code;

/* Zba/Zbb detection: execute one instruction of each and see whether it
 * traps as illegal (probe_trap in start.S skips it and counts). */
extern volatile uint32_t probe_faulted;
extern void probe_trap(void);
static uint32_t detect_extensions(void)
{
	uint32_t flags = 0;
	uint64_t old;
	__asm__ volatile("csrr %0, stvec" : "=r"(old));
	__asm__ volatile("csrw stvec, %0" ::"r"((uintptr_t)probe_trap));
	probe_faulted = 0;
	/* add.uw a0, a0, zero */
	__asm__ volatile(".4byte 0x0805053b" ::: "a0", "t0", "t1", "memory");
	if (!probe_faulted)
		flags |= BPF_JIT_F_RV_ZBA;
	probe_faulted = 0;
	/* rev8 a0, a0 */
	__asm__ volatile(".4byte 0x6b855513" ::: "a0", "t0", "t1", "memory");
	if (!probe_faulted)
		flags |= BPF_JIT_F_RV_ZBB;
	__asm__ volatile("csrw stvec, %0" ::"r"(old));
	return flags;
}

/* The benchmark programs loop millions of times, more than the verifier
 * can prove; they are compiled through the library's internal entry that
 * skips it, as the interpreter runs them in verified mode unverified. */
static int jit_prepare(struct bpf_prog *prog)
{
	struct bpf_arena arena;
	struct bpf_allocator alloc;
	bpf_arena_init(&arena, jit_scratch, sizeof(jit_scratch));
	bpf_arena_allocator(&arena, &alloc);
	struct bpf_jit_opts o = {.alloc = &alloc, .flags = jit_flags};
	size_t len = 0;
	if (bpf__jit_emit_verified(BPF_JIT_ARCH_RISCV64, prog, &env, &o, jit_buf, sizeof(jit_buf),
	                           &len, 0))
		return 1;
	bpf_jit_sync_icache(jit_buf, len);
	return bpf_jit_attach(prog, &jit_code, BPF_JIT_ARCH_RISCV64, jit_buf, len, jit_flags) ? 1
	                                                                                      : 0;
}

static int bench(const char *name, const struct bpf_insn *insns, uint32_t len,
                 struct bpf_map *const *maps, uint32_t nmaps, void *ctx, uint64_t ctx_len, int runs,
                 int mode)
{
	struct bpf_prog prog;
	if (bpf_prog_init(&prog, insns, len, maps, nmaps, &env, 0))
		return 1;
	if (mode == BPF_MODE_JIT && jit_prepare(&prog))
		return 4;
	struct bpf_vm vm;
	bpf_vm_init(&vm, &env, stack, sizeof(stack));
	bpf_vm_set_mode(&vm, BPF_MODE_CHECKED, 1ULL << 40);
	uint64_t r0;
	if (bpf_vm_run(&vm, &prog, ctx, ctx_len, &r0))
		return 2;
	uint64_t count = vm.insn_count, t[16];
	bpf_vm_set_mode(&vm, mode, 1ULL << 40);
	for (int i = 0; i < runs; i++) {
		uint64_t a = instret();
		bpf_vm_run(&vm, &prog, ctx, ctx_len, &r0);
		t[i] = instret() - a;
	}
	for (int i = 1; i < runs; i++) /* insertion sort */
		for (int j = i; j > 0 && t[j] < t[j - 1]; j--) {
			uint64_t x = t[j];
			t[j] = t[j - 1];
			t[j - 1] = x;
		}
	puts_("BENCH ");
	puts_(name);
	puts_(" guest-insns/insn median=");
	putratio(t[runs / 2], count);
	puts_(" min=");
	putratio(t[0], count);
	puts_(" max=");
	putratio(t[runs - 1], count);
	puts_(" n=");
	putu((uint64_t)runs);
	puts_("\n");
	return 0;
}

/* Compile time in the guest: guest instructions per eBPF instruction of
 * a generated 1,000-instruction program, verifier included (bpf_jit_emit)
 * and emission alone (the three passes). */
static uint8_t compile_buf[65536] __attribute__((aligned(16)));
static uint8_t compile_scratch[1 << 20] __attribute__((aligned(16)));
static struct bpf_insn gen_insns[1024 + 32];
static int bench_compile(struct bpf_map *array_map)
{
	uint32_t n = bench_gen_prog(gen_insns, 1000);
	struct bpf_map *maps[] = {array_map};
	struct bpf_prog prog;
	if (bpf_prog_init(&prog, gen_insns, n, maps, 1, &env, 0))
		return 1;
	struct bpf_hook hook = {.name = "bench",
	                        .ctx_size = 64,
	                        .flags = BPF_HOOK_TAIL_CALLS | BPF_HOOK_CTX_WRITABLE};
	static const char *const names[2] = {"jit_compile_gen_1000_rv64", "jit_emit_gen_1000_rv64"};
	for (int what = 0; what < 2; what++) {
		uint64_t t[5];
		for (int i = 0; i < 5; i++) {
			struct bpf_arena arena;
			struct bpf_allocator alloc;
			bpf_arena_init(&arena, compile_scratch, sizeof(compile_scratch));
			bpf_arena_allocator(&arena, &alloc);
			struct bpf_jit_opts o = {
			        .hook = &hook, .alloc = &alloc, .flags = jit_flags};
			size_t len = 0;
			uint64_t a = instret();
			int rc = what ? bpf__jit_emit_verified(BPF_JIT_ARCH_RISCV64, &prog, &env,
			                                       &o, compile_buf, sizeof(compile_buf),
			                                       &len, 0)
			              : bpf_jit_emit(BPF_JIT_ARCH_RISCV64, &prog, &env, &o,
			                             compile_buf, sizeof(compile_buf), &len, 0);
			t[i] = instret() - a;
			if (rc)
				return 5;
		}
		for (int i = 1; i < 5; i++)
			for (int j = i; j > 0 && t[j] < t[j - 1]; j--) {
				uint64_t x = t[j];
				t[j] = t[j - 1];
				t[j - 1] = x;
			}
		puts_("BENCH ");
		puts_(names[what]);
		puts_(" guest-insns/insn median=");
		putratio(t[2], n);
		puts_(" min=");
		putratio(t[0], n);
		puts_(" max=");
		putratio(t[4], n);
		puts_(" n=5\n");
	}
	return 0;
}

int bench_main(void);
int bench_main(void)
{
	bpf_env_init(&env, 0, 0);
	int rc = 0;
	jit_flags = detect_extensions();
	puts_("# riscv64 JIT: Zba ");
	puts_(jit_flags & BPF_JIT_F_RV_ZBA ? "yes" : "no");
	puts_(", Zbb ");
	puts_(jit_flags & BPF_JIT_F_RV_ZBB ? "yes" : "no");
	puts_("\n");
	rc |= bench("bpf_loop_sum_rv64", bench_loop_sum, sizeof(bench_loop_sum) / 8, 0, 0, 0, 0, 3,
	            BPF_MODE_VERIFIED);
	uint32_t x = 1;
	for (uint32_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245 + 12345;
		buf[i] = (uint8_t)(x >> 16);
	}
	rc |= bench("bpf_checksum_64k_rv64", bench_checksum, sizeof(bench_checksum) / 8, 0, 0, buf,
	            sizeof(buf), 9, BPF_MODE_VERIFIED);
	struct bpf_map_def def = {BPF_MAP_TYPE_HASH, 4, 8, 1024, 0};
	static struct bpf_map map;
	if (bpf_map_mem_size(&def) > sizeof(hash_mem) ||
	    bpf_map_init(&map, &def, hash_mem, sizeof(hash_mem), "h"))
		return 3;
	for (uint32_t k = 0; k < 1024; k++) {
		uint64_t v = k * 3ULL;
		bpf_map_update(&map, &k, &v, BPF_ANY);
	}
	struct bpf_map *maps[] = {&map};
	rc |= bench("bpf_hash_lookup_rv64", bench_hash_lookup, sizeof(bench_hash_lookup) / 8, maps,
	            1, 0, 0, 5, BPF_MODE_VERIFIED);
	rc |= bench("bpf_insn_mix_rv64", bench_insn_mix, sizeof(bench_insn_mix) / 8, 0, 0, 0, 0, 3,
	            BPF_MODE_VERIFIED);
	rc |= bench("bpf_loop_sum_jit_rv64", bench_loop_sum, sizeof(bench_loop_sum) / 8, 0, 0, 0, 0,
	            3, BPF_MODE_JIT);
	rc |= bench("bpf_checksum_64k_jit_rv64", bench_checksum, sizeof(bench_checksum) / 8, 0, 0,
	            buf, sizeof(buf), 9, BPF_MODE_JIT);
	rc |= bench("bpf_hash_lookup_jit_rv64", bench_hash_lookup, sizeof(bench_hash_lookup) / 8,
	            maps, 1, 0, 0, 5, BPF_MODE_JIT);
	rc |= bench("bpf_insn_mix_jit_rv64", bench_insn_mix, sizeof(bench_insn_mix) / 8, 0, 0, 0, 0,
	            3, BPF_MODE_JIT);
	/* the base ISA only (no Zba/Zbb): ALU32 zero-extension and byte
	 * swaps take longer sequences */
	uint32_t detected = jit_flags;
	jit_flags = 0;
	rc |= bench("bpf_insn_mix_jit_rv64imac", bench_insn_mix, sizeof(bench_insn_mix) / 8, 0, 0,
	            0, 0, 3, BPF_MODE_JIT);
	jit_flags = detected;
	rc |= bench("bpf_loop_sum_checked_rv64", bench_loop_sum, sizeof(bench_loop_sum) / 8, 0, 0,
	            0, 0, 3, BPF_MODE_CHECKED);
	struct bpf_map_def adef = {BPF_MAP_TYPE_ARRAY, 4, 16, 4, 0};
	static uint64_t array_mem[64 / 8];
	static struct bpf_map amap;
	if (bpf_map_init(&amap, &adef, array_mem, sizeof(array_mem), "a"))
		return 3;
	rc |= bench_compile(&amap);
	return rc;
}
