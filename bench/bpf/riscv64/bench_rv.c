/*
 * riscv64 guest benchmark: guest instructions retired per executed eBPF
 * instruction, for the programs in ../bench_progs.h, run by the
 * freestanding library under QEMU virt with -icount shift=0 (instret then
 * counts retired instructions exactly).  Output goes to the 16550 UART.
 */
#include "../bench_progs.h"

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

static int bench(const char *name, const struct bpf_insn *insns, uint32_t len,
                 struct bpf_map *const *maps, uint32_t nmaps, void *ctx, uint64_t ctx_len,
                 int runs, int mode)
{
	struct bpf_prog prog;
	if (bpf_prog_init(&prog, insns, len, maps, nmaps, &env, 0))
		return 1;
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

int bench_main(void);
int bench_main(void)
{
	bpf_env_init(&env, 0, 0);
	int rc = 0;
	rc |= bench("bpf_loop_sum_rv64", bench_loop_sum, sizeof(bench_loop_sum) / 8, 0, 0, 0, 0, 3,
	            BPF_MODE_VERIFIED);
	uint32_t x = 1;
	for (uint32_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245 + 12345;
		buf[i] = (uint8_t)(x >> 16);
	}
	rc |= bench("bpf_checksum_64k_rv64", bench_checksum, sizeof(bench_checksum) / 8, 0, 0, buf,
	            sizeof(buf), 9, BPF_MODE_VERIFIED);
	struct bpf_map_def def = { BPF_MAP_TYPE_HASH, 4, 8, 1024, 0 };
	static struct bpf_map map;
	if (bpf_map_mem_size(&def) > sizeof(hash_mem) ||
	    bpf_map_init(&map, &def, hash_mem, sizeof(hash_mem), "h"))
		return 3;
	for (uint32_t k = 0; k < 1024; k++) {
		uint64_t v = k * 3ULL;
		bpf_map_update(&map, &k, &v, BPF_ANY);
	}
	struct bpf_map *maps[] = { &map };
	rc |= bench("bpf_hash_lookup_rv64", bench_hash_lookup, sizeof(bench_hash_lookup) / 8, maps, 1,
	            0, 0, 5, BPF_MODE_VERIFIED);
	rc |= bench("bpf_insn_mix_rv64", bench_insn_mix, sizeof(bench_insn_mix) / 8, 0, 0, 0, 0, 3,
	            BPF_MODE_VERIFIED);
	rc |= bench("bpf_loop_sum_checked_rv64", bench_loop_sum, sizeof(bench_loop_sum) / 8, 0, 0, 0, 0,
	            3, BPF_MODE_CHECKED);
	return rc;
}
