/* Malformed objects: every kind is rejected without a crash or a leak
 * (the ASan build of this file checks the "without a crash" part). */
#include <elf.h>

#include "test.h"

static void *base_obj(size_t *len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/hello.bpf.o", BPF_PROGS_DIR);
	void *buf = read_file(path, len);
	if (!buf) {
		printf("# cannot read %s\n", path);
		test_failed = 1;
	}
	return buf;
}

static int try_load(const void *buf, size_t len, struct bpf_load_error *e)
{
	struct bpf_object *o = NULL;
	int rc = bpf_object_load(&o, buf, len, &test_env, &test_alloc, e);
	if (rc == 0) {
		bpf_object_free(o);
	} else if (o) {
		printf("# object returned on failure\n");
		test_failed = 1;
	}
	if (test_alloc_live != 0) {
		printf("# leak: %ld allocations live\n", test_alloc_live);
		test_failed = 1;
		test_alloc_live = 0;
	}
	return rc;
}

static Elf64_Shdr *shdr(void *buf, int i)
{
	Elf64_Ehdr *eh = buf;
	return (Elf64_Shdr *)((char *)buf + eh->e_shoff) + i;
}

static int find_sec(void *buf, const char *name)
{
	Elf64_Ehdr *eh = buf;
	const char *strs = (char *)buf + shdr(buf, eh->e_shstrndx)->sh_offset;
	for (int i = 0; i < eh->e_shnum; i++)
		if (!strcmp(strs + shdr(buf, i)->sh_name, name))
			return i;
	return -1;
}

#define MUTATE(tname, desc, why, ...)                                                \
	TEST(ELF, tname, desc)                                                       \
	{                                                                            \
		size_t len;                                                          \
		uint8_t *buf = base_obj(&len);                                       \
		if (!buf)                                                            \
			return;                                                      \
		Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;                                  \
		(void)eh;                                                            \
		__VA_ARGS__;                                                         \
		struct bpf_load_error e;                                             \
		CHECK(try_load(buf, len, &e) < 0);                                   \
		if (!strstr(e.reason, why)) {                                        \
			printf("# reason \"%s\" lacks \"%s\"\n", e.reason, why);     \
			test_failed = 1;                                             \
		}                                                                    \
		printf("# [%s]+0x%" PRIx64 ": %s\n", e.section, e.offset, e.reason); \
		free(buf);                                                           \
	}

TEST(ELF, baseline, "the unmodified object loads")
{
	size_t len;
	void *buf = base_obj(&len);
	struct bpf_load_error e;
	CHECK_EQ(try_load(buf, len, &e), 0);
	free(buf);
}

MUTATE(bad_magic, "bad ELF magic", "not an ELF", buf[1] = 'X')
MUTATE(elf32, "ELFCLASS32 rejected", "ELF64", buf[EI_CLASS] = ELFCLASS32)
MUTATE(big_endian, "big-endian rejected", "little-endian", buf[EI_DATA] = ELFDATA2MSB)
MUTATE(machine, "wrong e_machine rejected", "EM_BPF", eh->e_machine = EM_X86_64)
MUTATE(exec_type, "executable type rejected", "relocatable", eh->e_type = ET_EXEC)
MUTATE(shoff_past_end, "section header table past the end", "section header table",
       eh->e_shoff = len - 8)
MUTATE(shoff_overflow, "section header offset that overflows", "section header table",
       eh->e_shoff = ~0ULL - 16)
MUTATE(shnum_huge, "absurd section count", "section count", eh->e_shnum = 60000)
MUTATE(shentsize, "wrong section header size", "e_shentsize", eh->e_shentsize = 32)
MUTATE(shstrndx, "section name table index out of range", "e_shstrndx",
       eh->e_shstrndx = eh->e_shnum)
MUTATE(sec_past_end, "section contents past the end of file", "past end of file",
       shdr(buf, find_sec(buf, "xdp"))->sh_size = len)
MUTATE(sec_overlap, "overlapping sections", "overlaps",
       shdr(buf, find_sec(buf, ".data"))->sh_offset = shdr(buf, find_sec(buf, "xdp"))->sh_offset)
MUTATE(sec_over_headers, "section overlapping the ELF header", "overlaps the ELF headers",
       shdr(buf, find_sec(buf, ".data"))->sh_offset = 0)
MUTATE(sec_name, "section name offset out of range", "name offset",
       shdr(buf, find_sec(buf, ".data"))->sh_name = 0x7fffffff)
MUTATE(code_size, "code size not a multiple of 8", "multiple of 8",
       shdr(buf, find_sec(buf, "xdp"))->sh_size -= 3)
MUTATE(sym_shndx, "symbol with invalid section index", "section index", {
	Elf64_Shdr *st = shdr(buf, find_sec(buf, ".symtab"));
	Elf64_Sym *s = (Elf64_Sym *)(buf + st->sh_offset);
	s[st->sh_size / sizeof(*s) - 1].st_shndx = 0x7000;
})
MUTATE(sym_name, "symbol name offset out of range", "name out of range", {
	Elf64_Shdr *st = shdr(buf, find_sec(buf, ".symtab"));
	Elf64_Sym *s = (Elf64_Sym *)(buf + st->sh_offset);
	s[1].st_name = 0x7fffffff;
})
MUTATE(symtab_entsize, "symbol table entry size wrong", "entry size",
       shdr(buf, find_sec(buf, ".symtab"))->sh_entsize = 16)
MUTATE(reloc_sym, "relocation symbol index out of range", "symbol index", {
	Elf64_Shdr *rs = shdr(buf, find_sec(buf, ".reltracepoint/hello"));
	Elf64_Rel *r = (Elf64_Rel *)(buf + rs->sh_offset);
	r[0].r_info = ELF64_R_INFO(100000, ELF64_R_TYPE(r[0].r_info));
})
MUTATE(reloc_misaligned, "relocation offset not on an instruction", "instruction-aligned", {
	Elf64_Shdr *rs = shdr(buf, find_sec(buf, ".reltracepoint/hello"));
	Elf64_Rel *r = (Elf64_Rel *)(buf + rs->sh_offset);
	r[0].r_offset += 4;
})
MUTATE(reloc_type, "unknown relocation type", "relocation type", {
	Elf64_Shdr *rs = shdr(buf, find_sec(buf, ".reltracepoint/hello"));
	Elf64_Rel *r = (Elf64_Rel *)(buf + rs->sh_offset);
	r[0].r_info = ELF64_R_INFO(ELF64_R_SYM(r[0].r_info), 77);
})
MUTATE(reloc_target, "relocation section with bad target", "target section",
       shdr(buf, find_sec(buf, ".reltracepoint/hello"))->sh_info = 9999)
MUTATE(reloc_not_lddw, "map relocation on a non-LD_IMM64 instruction", "not LD_IMM64", {
	Elf64_Shdr *rs = shdr(buf, find_sec(buf, ".reltracepoint/hello"));
	Elf64_Rel *r = (Elf64_Rel *)(buf + rs->sh_offset);
	Elf64_Shdr *code = shdr(buf, find_sec(buf, "tracepoint/hello"));
	uint8_t *insn = buf + code->sh_offset + r[0].r_offset;
	if (ELF64_R_TYPE(r[0].r_info) == 1)
		insn[0] = 0xb7;
})
MUTATE(btf_magic, "bad BTF magic", "BTF magic", {
	Elf64_Shdr *b = shdr(buf, find_sec(buf, ".BTF"));
	buf[b->sh_offset] ^= 0xff;
})
MUTATE(btf_types_oob, "BTF type section out of range", "BTF type section", {
	Elf64_Shdr *b = shdr(buf, find_sec(buf, ".BTF"));
	uint32_t big = 0x7ffffff0;
	memcpy(buf + b->sh_offset + 12, &big, 4);
})
MUTATE(btf_kind, "unknown BTF kind", "unknown BTF kind", {
	Elf64_Shdr *b = shdr(buf, find_sec(buf, ".BTF"));
	uint32_t hdr_len, type_off, info;
	memcpy(&hdr_len, buf + b->sh_offset + 4, 4);
	memcpy(&type_off, buf + b->sh_offset + 8, 4);
	uint8_t *t = buf + b->sh_offset + hdr_len + type_off;
	memcpy(&info, t + 4, 4);
	info = (info & ~(0x1fU << 24)) | (30U << 24);
	memcpy(t + 4, &info, 4);
})
MUTATE(btf_strings, "BTF strings not terminated", "not NUL-terminated", {
	Elf64_Shdr *b = shdr(buf, find_sec(buf, ".BTF"));
	uint32_t hdr_len, str_off, str_len;
	memcpy(&hdr_len, buf + b->sh_offset + 4, 4);
	memcpy(&str_off, buf + b->sh_offset + 16, 4);
	memcpy(&str_len, buf + b->sh_offset + 20, 4);
	buf[b->sh_offset + hdr_len + str_off + str_len - 1] = 'x';
})
MUTATE(no_btf, "BTF-defined maps without BTF", "no BTF", {
	Elf64_Ehdr *h = (Elf64_Ehdr *)buf;
	const char *strs = (char *)buf + shdr(buf, h->e_shstrndx)->sh_offset;
	char *n = (char *)strs + shdr(buf, find_sec(buf, ".BTF"))->sh_name;
	n[1] = 'X'; /* ".XTF": no longer BTF, and not allocated */
})
MUTATE(bad_insn, "a program with an invalid instruction names the offset", "unknown opcode", {
	Elf64_Shdr *code = shdr(buf, find_sec(buf, "xdp"));
	buf[code->sh_offset] = 0xff;
})

TEST(ELF, truncations, "every truncated prefix of a valid object is rejected without crash or leak")
{
	size_t len;
	uint8_t *buf = base_obj(&len);
	if (!buf)
		return;
	int accepted = 0;
	for (size_t n = 0; n < len; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		memcpy(copy, buf, n);
		struct bpf_load_error e;
		if (try_load(copy, n, &e) == 0)
			accepted++;
		free(copy);
	}
	/* trailing bytes after the last section may be cut safely; nothing
	 * before the section header table can be */
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	CHECK(accepted <= (int)(len - (eh->e_shoff + eh->e_shnum * sizeof(Elf64_Shdr))));
	printf("# %zu prefixes tried, %d accepted\n", len, accepted);
	free(buf);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

TEST(ELF, corruption,
     "3000 randomly corrupted objects: no crash, no leak; survivors run in checked mode")
{
	size_t len;
	uint8_t *buf = base_obj(&len);
	if (!buf)
		return;
	uint8_t *copy = malloc(len);
	int loaded = 0, ran = 0;
	for (int iter = 0; iter < 3000; iter++) {
		memcpy(copy, buf, len);
		int flips = 1 + (int)(rng() % 8);
		for (int f = 0; f < flips; f++) {
			size_t pos = rng() % len;
			switch (rng() % 3) {
			case 0:
				copy[pos] ^= (uint8_t)(1u << (rng() % 8));
				break;
			case 1:
				copy[pos] = (uint8_t)rng();
				break;
			default:
				copy[pos] = (rng() & 1) ? 0xff : 0;
				break;
			}
		}
		struct bpf_object *o = NULL;
		struct bpf_load_error e;
		if (bpf_object_load(&o, copy, len, &test_env, &test_alloc, &e) == 0) {
			loaded++;
			/* Whatever loaded must be safe to run checked. */
			for (uint32_t i = 0; i < bpf_object_prog_count(o); i++) {
				static uint64_t stack[BPF_STACK_SIZE / 8];
				uint8_t ctx[88] = {0};
				struct bpf_vm vm;
				bpf_vm_init(&vm, &test_env, stack, sizeof(stack));
				bpf_vm_set_mode(&vm, BPF_MODE_CHECKED, 100000);
				uint64_t r0;
				bpf_vm_run(&vm, bpf_object_prog_at(o, i), ctx, sizeof(ctx), &r0);
				ran++;
			}
			bpf_object_free(o);
		}
		if (test_alloc_live) {
			printf("# leak at iteration %d\n", iter);
			test_failed = 1;
			test_alloc_live = 0;
		}
	}
	printf("# 3000 mutants: %d loaded, %d program runs\n", loaded, ran);
	free(copy);
	free(buf);
}

TEST(ELF, alloc_failure, "allocation failure at every step is reported as -ENOMEM with no leak")
{
	size_t len;
	uint8_t *buf = base_obj(&len);
	if (!buf)
		return;
	int enomem = 0;
	for (long k = 0; k < 200; k++) {
		test_alloc_fail_after = k;
		struct bpf_load_error e;
		int rc = try_load(buf, len, &e);
		if (rc == 0)
			break;
		CHECK_EQ(rc, -BPF_ENOMEM);
		enomem++;
	}
	test_alloc_fail_after = -1;
	CHECK(enomem > 5);
	printf("# %d allocation points failed cleanly\n", enomem);
	free(buf);
}

TEST(ELF, bad_args, "NULL arguments and an empty buffer are rejected")
{
	struct bpf_object *o;
	struct bpf_load_error e;
	CHECK(bpf_object_load(&o, NULL, 0, &test_env, &test_alloc, &e) < 0);
	CHECK(bpf_object_load(&o, "", 0, &test_env, &test_alloc, &e) < 0);
	CHECK(strstr(e.reason, "truncated") != NULL);
	CHECK(bpf_object_load(NULL, "", 0, &test_env, &test_alloc, &e) < 0);
	struct bpf_allocator none = {NULL, NULL, NULL};
	CHECK(bpf_object_load(&o, "", 0, &test_env, &none, &e) < 0);
	CHECK_EQ(test_alloc_live, 0);
}

TEST(ELF, unaligned_sections, "sections at odd file offsets load (no alignment assumptions)")
{
	size_t len;
	uint8_t *buf = base_obj(&len);
	if (!buf)
		return;
	/* Move .BTF and the program's code to odd offsets at the end. */
	int secs[2] = {find_sec(buf, ".BTF"), find_sec(buf, "tracepoint/hello")};
	size_t extra = 1;
	for (int i = 0; i < 2; i++)
		extra += shdr(buf, secs[i])->sh_size + 3;
	uint8_t *big = calloc(1, len + extra);
	memcpy(big, buf, len);
	size_t pos = len + 1;
	for (int i = 0; i < 2; i++) {
		Elf64_Shdr *s = shdr(big, secs[i]);
		memcpy(big + pos, buf + s->sh_offset, s->sh_size);
		s->sh_offset = pos;
		pos += s->sh_size + 3;
	}
	struct bpf_load_error e;
	struct bpf_object *o = NULL;
	int rc = bpf_object_load(&o, big, len + extra, &test_env, &test_alloc, &e);
	if (rc)
		printf("# [%s]+0x%" PRIx64 ": %s\n", e.section, e.offset, e.reason);
	CHECK_EQ(rc, 0);
	if (!rc) {
		CHECK(bpf_object_map(o, "counts") != NULL);
		CHECK(bpf_object_prog(o, "hello") != NULL);
		bpf_object_free(o);
	}
	CHECK_EQ(test_alloc_live, 0);
	free(big);
	free(buf);
}
