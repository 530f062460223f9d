/* clang-built programs loaded from ELF and run end to end, and the
 * loader's precise rejections. */
#include "test.h"

struct test_ctx {
	uint64_t a, b;
	uint32_t n, flags;
	uint8_t data[64];
};

static struct bpf_object *load(const char *name, struct bpf_load_error *err)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", BPF_PROGS_DIR, name);
	size_t len;
	void *buf = read_file(path, &len);
	if (!buf) {
		printf("# cannot read %s\n", path);
		test_failed = 1;
		return NULL;
	}
	struct bpf_object *obj = NULL;
	struct bpf_load_error e;
	int rc = bpf_object_load(&obj, buf, len, &test_env, &test_alloc, err ? err : &e);
	free(buf);
	if (rc && !err) {
		printf("# load %s: [%s]+0x%" PRIx64 ": %s\n", name, e.section, e.offset, e.reason);
		test_failed = 1;
	}
	return obj;
}

static uint64_t stack[BPF_STACK_SIZE / 8];

static int run_obj(struct bpf_prog *p, void *ctx, size_t len, int mode, uint64_t *r0)
{
	struct bpf_vm vm;
	if (test_jit && mode == BPF_MODE_VERIFIED && !p->jit && !test_jit_prepare(p, len))
		test_jit_keep(p);
	bpf_vm_init(&vm, &test_env, stack, sizeof(stack));
	bpf_vm_set_mode(&vm, test_mode(mode), 10000000);
	int st = bpf_vm_run(&vm, p, ctx, len, r0);
	if (st)
		printf("# run %s: %s at pc %u addr 0x%" PRIx64 "\n", p->name, bpf_status_str(st),
		       vm.fault.pc, vm.fault.addr);
	return st;
}

TEST(LOADER, hello, "clang object: BTF maps, .data/.rodata/.bss, subprograms, printk, both modes")
{
	struct bpf_object *o = load("hello.bpf.o", NULL);
	if (!o)
		return;
	CHECK_EQ(bpf_object_prog_count(o), 2);
	CHECK_STR(bpf_object_license(o), "GPL");
	struct bpf_prog *p = bpf_object_prog(o, "tracepoint/hello");
	CHECK(p != NULL && p == bpf_object_prog(o, "hello"));
	struct bpf_map *counts = bpf_object_map(o, "counts"), *stats = bpf_object_map(o, "stats");
	struct bpf_map *data = bpf_object_map(o, ".data"), *bss = bpf_object_map(o, ".bss");
	struct bpf_map *rodata = bpf_object_map(o, ".rodata");
	CHECK(counts && stats && data && bss && rodata);
	if (!p || !counts || !stats || !data || !bss || !rodata) {
		bpf_object_free(o);
		return;
	}
	CHECK_EQ(counts->def.type, BPF_MAP_TYPE_HASH);
	CHECK_EQ(counts->def.key_size, 4);
	CHECK_EQ(counts->def.value_size, 8);
	CHECK_EQ(counts->def.max_entries, 64);
	CHECK_EQ(stats->def.type, BPF_MAP_TYPE_ARRAY);
	CHECK_EQ(stats->def.value_size, 16);
	CHECK(rodata->prog_readonly);
	uint32_t z = 0;
	CHECK_EQ(*(uint64_t *)bpf_map_lookup(data, &z), 100); /* total = 100 */
	CHECK_EQ(*(uint32_t *)bpf_map_lookup(rodata, &z), 3); /* scale = 3 */
	for (int i = 0; i < 4; i++) {
		struct test_ctx ctx = {.a = 10 + (uint64_t)i, .b = 4, .n = 7, .flags = 1};
		uint64_t r0;
		CHECK_EQ(run_obj(p, &ctx, sizeof(ctx), i & 1, &r0), BPF_OK);
		CHECK_EQ(r0, (10 + (uint64_t)i) * 3 + 4 + 16);
	}
	uint32_t key = 7;
	uint64_t *cnt = bpf_map_lookup(counts, &key);
	CHECK(cnt && *cnt == 4);
	uint32_t idx = 1;
	uint64_t *st = bpf_map_lookup(stats, &idx);
	CHECK(st && st[0] == 10 + 11 + 12 + 13 && (uint32_t)st[1] == 4);
	CHECK_EQ(*(uint64_t *)bpf_map_lookup(data, &z), 100 + 46);
	CHECK_EQ(*(uint32_t *)bpf_map_lookup(bss, &z), 4);
	CHECK(strstr(test_print_buf, "hello n=7 a=13 runs=4") != NULL);
	struct bpf_prog *x = bpf_object_prog(o, "xdp");
	struct test_ctx ctx = {.n = 5};
	uint64_t r0;
	CHECK(x && run_obj(x, &ctx, sizeof(ctx), BPF_MODE_CHECKED, &r0) == BPF_OK && r0 == 8);
	CHECK(bpf_object_prog(o, "nonexistent") == NULL);
	bpf_object_free(o);
	CHECK_EQ(test_alloc_live, 0);
}

/* The same algorithm as progs/algo.bpf.c, natively. */
static int64_t algo_native(struct test_ctx *ctx, uint32_t *crc_out)
{
	int32_t arr[16];
	for (int i = 0; i < 16; i++)
		arr[i] = (int32_t)((ctx->a * (uint64_t)(i + 7)) % 23) - 11;
	for (int i = 1; i < 16; i++) {
		int32_t x = arr[i];
		int j = i - 1;
		while (j >= 0 && arr[j] > x) {
			arr[j + 1] = arr[j];
			j--;
		}
		arr[j + 1] = x;
	}
	int64_t acc = 0;
	for (int i = 0; i < 16; i++) {
		switch (i & 3) {
		case 0:
			acc += arr[i];
			break;
		case 1:
			acc -= arr[i] * 3;
			break;
		case 2:
			acc ^= arr[i];
			break;
		default:
			acc = acc * 2 + arr[i];
			break;
		}
	}
	uint32_t crc = 0xffffffff;
	for (uint32_t i = 0; i < ctx->n && i < 64; i++) {
		crc ^= ctx->data[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
	}
	*crc_out = ~crc;
	return acc;
}

static void algo_test(const char *file)
{
	struct bpf_object *o = load(file, NULL);
	if (!o)
		return;
	struct bpf_prog *p = bpf_object_prog(o, "algo");
	struct bpf_map *recent = bpf_object_map(o, "recent");
	CHECK(p && recent && recent->def.type == BPF_MAP_TYPE_LRU_HASH);
	for (uint64_t seed = 1; seed < 40 && p; seed++) {
		struct test_ctx ctx = {
		        .a = seed * 2654435761u, .b = seed, .n = (uint32_t)(seed % 65)};
		for (int i = 0; i < 64; i++)
			ctx.data[i] = (uint8_t)(seed * 31 + (uint64_t)i * 7);
		struct test_ctx native = ctx;
		uint32_t crc;
		int64_t acc = algo_native(&native, &crc);
		uint64_t r0;
		CHECK_EQ(run_obj(p, &ctx, sizeof(ctx), (int)(seed & 1), &r0), BPF_OK);
		CHECK_EQ((uint32_t)r0, crc);
		CHECK_EQ(ctx.a, (uint64_t)acc);
	}
	/* LRU with 8 entries keeps the last 8 keys */
	CHECK_EQ(bpf_map_count(recent), 8);
	uint64_t k = 39, old = 31;
	CHECK(bpf_map_lookup(recent, &k) != NULL);
	CHECK(bpf_map_lookup(recent, &old) == NULL);
	bpf_object_free(o);
	CHECK_EQ(test_alloc_live, 0);
}

TEST(LOADER, algo, "clang-compiled sort, switch and CRC32 match native results")
{
	algo_test("algo.bpf.o");
}

TEST(LOADER, algo_v3, "the same program built with -mcpu=v3 (JMP32/ALU32) matches too")
{
	algo_test("algo.v3.bpf.o");
}

TEST(LOADER, multi,
     "two programs in one section, static subprogram, string literals, 4-argument printk")
{
	struct bpf_object *o = load("multi.bpf.o", NULL);
	if (!o)
		return;
	CHECK_EQ(bpf_object_prog_count(o), 2);
	CHECK_STR(bpf_object_license(o), "Dual BSD/GPL");
	struct bpf_prog *first = bpf_object_prog(o, "tp/multi"),
	                *second = bpf_object_prog(o, "second_prog");
	struct bpf_map *data = bpf_object_map(o, ".data"), *bss = bpf_object_map(o, ".bss");
	CHECK(first && second && data && bss && first != second);
	CHECK(bpf_object_map(o, ".rodata.str1.1") != NULL);
	if (!first || !second || !data || !bss) {
		bpf_object_free(o);
		return;
	}
	CHECK_STR(first->name, "first");
	uint64_t r0;
	for (uint32_t n = 0; n < 4; n++) {
		struct test_ctx ctx = {.a = 10, .b = 20, .n = n};
		CHECK_EQ(run_obj(first, &ctx, sizeof(ctx), (int)(n & 1), &r0), BPF_OK);
		uint64_t b = 2 + 10 * (n + 1);
		uint64_t want[4] = {1, b, 3, 1 + b + 3};
		CHECK_EQ(r0, want[n]);
	}
	struct test_ctx ctx = {.a = 10, .b = 20, .n = 3};
	CHECK_EQ(run_obj(second, &ctx, sizeof(ctx), BPF_MODE_CHECKED, &r0), BPF_OK);
	CHECK_EQ(r0, 10); /* pick(4) = g_a */
	CHECK_STR(test_print_buf, "four 10 20 3 args");
	uint32_t z = 0;
	uint32_t *hits = bpf_map_lookup(bss, &z);
	CHECK(hits && hits[0] == 4 && hits[1] == 1);
	uint64_t *g = bpf_map_lookup(data, &z);
	CHECK(g && g[0] == 1 && g[1] == 42 && g[2] == 3);
	bpf_object_free(o);
	CHECK_EQ(test_alloc_live, 0);
}

TEST(LOADER, subprogs_linked,
     "each program gets exactly the .text subprograms it reaches (transitively), and verifies")
{
	struct bpf_object *o = load("subprogs.bpf.o", NULL);
	if (!o)
		return;
	struct bpf_prog *a = bpf_object_prog(o, "prog_a"), *b = bpf_object_prog(o, "prog_b"),
	                *c = bpf_object_prog(o, "prog_c");
	CHECK(a && b && c);
	if (!a || !b || !c) {
		bpf_object_free(o);
		return;
	}
	/* prog_a: 4 insns + mix (5) + scale (4), reached through mix's
	 * pc-relative call; prog_b: 8 + flip (3) + weigh (4); prog_c: 3.
	 * never_called (3) is in none of them. */
	CHECK_EQ(a->len, 4 + 5 + 4);
	CHECK_EQ(b->len, 8 + 3 + 4);
	CHECK_EQ(c->len, 3);
	struct test_ctx ctx = {.a = 5, .b = 0x30, .n = 0x0f, .flags = 0x1ff};
	for (int mode = 0; mode < 2; mode++) {
		uint64_t r0;
		CHECK_EQ(run_obj(a, &ctx, sizeof(ctx), mode, &r0), BPF_OK);
		CHECK_EQ(r0, 5 * 3 + 1 + (0x30 ^ 0x11));
		CHECK_EQ(run_obj(b, &ctx, sizeof(ctx), mode, &r0), BPF_OK);
		CHECK_EQ(r0, (0x0f ^ 0x5a) + 0xff * 2);
		CHECK_EQ(run_obj(c, &ctx, sizeof(ctx), mode, &r0), BPF_OK);
		CHECK_EQ(r0, 12);
	}
	/* all three pass the verifier (appending all of .text made each
	 * fail with UNREACHABLE) */
	struct bpf_hook hook = {.name = "tp", .ctx_size = sizeof(ctx)};
	struct bpf_prog *all[] = {a, b, c};
	for (int i = 0; i < 3; i++) {
		struct bpf_verifier_result res;
		struct bpf_verifier_opts opts = {.alloc = &test_alloc};
		int rc = bpf_verify(all[i], &test_env, &hook, &opts, &res);
		if (rc)
			printf("# %s: [%s] at %u: %s\n", all[i]->name, bpf_vrule_name(res.rule),
			       res.insn, res.msg);
		CHECK_EQ(rc, 0);
	}
	bpf_object_free(o);
	CHECK_EQ(test_alloc_live, 0);
}

TEST(LOADER, tailcall, "clang tail-call programs: dispatch, miss, and the 33-call chain limit")
{
	struct bpf_object *o = load("tailcall.bpf.o", NULL);
	if (!o)
		return;
	struct bpf_prog *entry = bpf_object_prog(o, "tc/entry"),
	                *target = bpf_object_prog(o, "target"),
	                *chain = bpf_object_prog(o, "chain");
	struct bpf_map *jumps = bpf_object_map(o, "jumps");
	CHECK(entry && target && chain && jumps);
	if (entry && target && chain && jumps) {
		CHECK_EQ(bpf_prog_array_set(jumps, 1, target), 0);
		CHECK_EQ(bpf_prog_array_set(jumps, 2, chain), 0);
		for (int mode = 0; mode < 2; mode++) {
			struct test_ctx ctx = {.n = 1, .flags = 5};
			uint64_t r0;
			CHECK_EQ(run_obj(entry, &ctx, sizeof(ctx), mode, &r0), BPF_OK);
			CHECK_EQ(r0, 2005);
			ctx.n = 3; /* empty slot */
			CHECK_EQ(run_obj(entry, &ctx, sizeof(ctx), mode, &r0), BPF_OK);
			CHECK_EQ(r0, 1000);
			ctx.n = 2;
			CHECK_EQ(run_obj(entry, &ctx, sizeof(ctx), mode, &r0), BPF_OK);
			CHECK_EQ(r0, 3000 + BPF_MAX_TAIL_CALLS);
		}
	}
	bpf_object_free(o);
}

static int ev_collect(void *c, const void *d, uint32_t len)
{
	uint64_t *acc = c;
	uint32_t seq, kind;
	uint64_t value;
	memcpy(&seq, d, 4);
	memcpy(&kind, (const uint8_t *)d + 4, 4);
	memcpy(&value, (const uint8_t *)d + 8, 8);
	if (len != 16)
		acc[0] = 999;
	acc[1 + acc[0] % 8] = ((uint64_t)seq << 40) | ((uint64_t)kind << 32) | value;
	acc[0]++;
	return 0;
}

TEST(LOADER, ringbuf, "clang ring-buffer producer and the C consumer")
{
	struct bpf_object *o = load("ringbuf.bpf.o", NULL);
	if (!o)
		return;
	struct bpf_prog *p = bpf_object_prog(o, "produce");
	struct bpf_map *ev = bpf_object_map(o, "events");
	CHECK(p && ev && ev->def.type == BPF_MAP_TYPE_RINGBUF && ev->def.max_entries == 4096);
	if (p && ev) {
		struct test_ctx ctx = {.a = 100, .b = 55, .n = 4};
		uint64_t r0;
		CHECK_EQ(run_obj(p, &ctx, sizeof(ctx), BPF_MODE_CHECKED, &r0), BPF_OK);
		/* 4 reserved (2 discarded) + 1 output = 5; 5 records * 24 bytes in the ring */
		CHECK_EQ(r0 & 0xff, 5);
		CHECK_EQ(r0 >> 8, 5 * 24);
		uint64_t acc[9] = {0};
		CHECK_EQ(bpf_ringbuf_consume(ev, ev_collect, acc), 3);
		CHECK_EQ(acc[1], (0ULL << 40) | (1ULL << 32) | 100);
		CHECK_EQ(acc[2], (2ULL << 40) | (1ULL << 32) | 102);
		CHECK_EQ(acc[3], (4ULL << 40) | (2ULL << 32) | 55);
		/* fill the ring: it must refuse, not overwrite */
		ctx.n = 8;
		for (int i = 0; i < 60; i++)
			CHECK_EQ(run_obj(p, &ctx, sizeof(ctx), BPF_MODE_VERIFIED, &r0), BPF_OK);
		CHECK(bpf_ringbuf_query(ev, BPF_RB_AVAIL_DATA) <= 4096);
		CHECK_EQ(r0 & 0xff, 0);
	}
	bpf_object_free(o);
}

#define LOAD_REJECT(tname, file, sec, why)                                           \
	TEST(LOADER, tname, "rejects " file ": " why)                                \
	{                                                                            \
		struct bpf_load_error e;                                             \
		struct bpf_object *o = load(file, &e);                               \
		CHECK(o == NULL);                                                    \
		CHECK(e.code < 0);                                                   \
		CHECK_STR(e.section, sec);                                           \
		if (!strstr(e.reason, why)) {                                        \
			printf("# reason \"%s\" lacks \"%s\"\n", e.reason, why);     \
			test_failed = 1;                                             \
		}                                                                    \
		printf("# [%s]+0x%" PRIx64 ": %s\n", e.section, e.offset, e.reason); \
		CHECK_EQ(test_alloc_live, 0);                                        \
		bpf_object_free(o);                                                  \
	}
LOAD_REJECT(extern, "bad_extern.bpf.o", "xdp", "unresolved external symbol 'LINUX_KERNEL_VERSION'")
LOAD_REJECT(maptype, "bad_maptype.bpf.o", ".maps", "map 'pc': unsupported definition (type 6")
LOAD_REJECT(member, "bad_member.bpf.o", ".maps", "unsupported member 'numa_node'")
LOAD_REJECT(core, "bad_core.bpf.o", ".BTF.ext", "CO-RE")
LOAD_REJECT(legacy, "bad_legacy.bpf.o", "maps", "legacy 'maps' section")
LOAD_REJECT(funcptr, "bad_funcptr.bpf.o", "xdp", "function pointer")
LOAD_REJECT(huge, "bad_huge.bpf.o", ".maps", "map 'huge'")

TEST(LOADER, reject_offset, "a rejection names the instruction's byte offset in its section")
{
	struct bpf_load_error e;
	struct bpf_object *o = load("bad_extern.bpf.o", &e);
	CHECK(o == NULL);
	/* the LD_IMM64 of the extern is the first instruction */
	CHECK_EQ(e.offset, 0);
	o = load("bad_funcptr.bpf.o", &e);
	CHECK(o == NULL);
	CHECK_EQ(e.offset % 8, 0);
	CHECK(e.offset > 0);
}

TEST(LOADER, missing_helper, "a program calling a helper the environment lacks is rejected at load")
{
	CHECK_EQ(bpf_env_unregister_helper(&test_env, BPF_FUNC_ringbuf_query), 0);
	struct bpf_load_error e;
	struct bpf_object *o = load("ringbuf.bpf.o", &e);
	CHECK(o == NULL);
	CHECK_STR(e.section, "tracepoint/ring");
	CHECK(strstr(e.reason, "unknown helper id") != NULL);
	CHECK_EQ(test_alloc_live, 0);
}

TEST(LOADER, prog_array_values, "a program array initialised with 'values' is filled at load")
{
	struct bpf_object *o = load("tailinit.bpf.o", NULL);
	if (!o)
		return;
	struct bpf_prog *d = bpf_object_prog(o, "tc/main");
	CHECK(d != NULL);
	uint64_t want[4] = {7, 111, 7, 222};
	for (uint32_t n = 0; n < 4 && d; n++) {
		struct test_ctx ctx = {.n = n};
		uint64_t r0;
		CHECK_EQ(run_obj(d, &ctx, sizeof(ctx), (int)(n & 1), &r0), BPF_OK);
		CHECK_EQ(r0, want[n]);
	}
	bpf_object_free(o);
	CHECK_EQ(test_alloc_live, 0);
}

/* ---- subprogram linking: damaged .text functions are rejected ---- */
#include <elf.h>

static Elf64_Shdr *sub_shdr(uint8_t *buf, const char *name)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	Elf64_Shdr *sh = (Elf64_Shdr *)(buf + eh->e_shoff);
	const char *strs = (char *)buf + sh[eh->e_shstrndx].sh_offset;
	for (int i = 0; i < eh->e_shnum; i++)
		if (!strcmp(strs + sh[i].sh_name, name))
			return &sh[i];
	return NULL;
}

static Elf64_Sym *sub_sym(uint8_t *buf, const char *name)
{
	Elf64_Shdr *st = sub_shdr(buf, ".symtab"), *ss = sub_shdr(buf, ".strtab");
	Elf64_Sym *s = (Elf64_Sym *)(buf + st->sh_offset);
	for (size_t i = 0; i < st->sh_size / sizeof(*s); i++)
		if (!strcmp((char *)buf + ss->sh_offset + s[i].st_name, name))
			return &s[i];
	return NULL;
}

/* mutate subprogs.bpf.o with fn, load it, expect a rejection naming why */
static void sub_damaged(void (*fn)(uint8_t *buf), const char *why)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/subprogs.bpf.o", BPF_PROGS_DIR);
	size_t len;
	uint8_t *buf = read_file(path, &len);
	if (!buf) {
		test_failed = 1;
		return;
	}
	fn(buf);
	struct bpf_object *o = NULL;
	struct bpf_load_error e;
	CHECK(bpf_object_load(&o, buf, len, &test_env, &test_alloc, &e) < 0);
	CHECK(o == NULL);
	if (!strstr(e.reason, why)) {
		printf("# reason \"%s\" lacks \"%s\"\n", e.reason, why);
		test_failed = 1;
	}
	printf("# [%s]+0x%" PRIx64 ": %s\n", e.section, e.offset, e.reason);
	CHECK_EQ(test_alloc_live, 0);
	free(buf);
}

static void fn_bad_size(uint8_t *buf)
{
	sub_sym(buf, "mix")->st_size = 12;
}
static void fn_overlap(uint8_t *buf)
{
	sub_sym(buf, "scale")->st_value = sub_sym(buf, "mix")->st_value + 8;
}
static void fn_jump_out(uint8_t *buf)
{
	/* the last instruction of flip (exit) becomes a jump into scale */
	Elf64_Sym *f = sub_sym(buf, "flip");
	struct bpf_insn *in = (struct bpf_insn *)(buf + sub_shdr(buf, ".text")->sh_offset +
	                                          f->st_value + f->st_size - 8);
	*in = JA(1);
}
static void fn_call_out(uint8_t *buf)
{
	/* mix's pc-relative call to scale now points past .text */
	Elf64_Sym *m = sub_sym(buf, "mix");
	struct bpf_insn *in =
	        (struct bpf_insn *)(buf + sub_shdr(buf, ".text")->sh_offset + m->st_value + 8);
	in->imm = 1000;
}

TEST(LOADER, subprogs_damaged,
     "bad .text function extents, overlaps, jumps and calls out of functions are rejected")
{
	sub_damaged(fn_bad_size, "bad extent");
	sub_damaged(fn_overlap, "overlap");
	sub_damaged(fn_jump_out, "jump leaves its function");
	sub_damaged(fn_call_out, "call target outside the functions of .text");
}
