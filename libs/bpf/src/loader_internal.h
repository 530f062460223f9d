/*
 * The ELF loader's private interface (loader.c: ELF, sections, BTF and
 * maps; loader_prog.c: programs, their subprograms and relocations).
 */
#ifndef BPF_LOADER_INTERNAL_H
#define BPF_LOADER_INTERNAL_H

#include "internal.h"

/* ---- ELF definitions (from the ELF-64 object file format) ---- */
#define EI_NIDENT 16
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_REL 1
#define EM_BPF 247

#define SHT_NULL 0
#define SHT_PROGBITS 1
#define SHT_SYMTAB 2
#define SHT_STRTAB 3
#define SHT_RELA 4
#define SHT_NOBITS 8
#define SHT_REL 9
#define SHF_WRITE 0x1
#define SHF_ALLOC 0x2
#define SHF_EXECINSTR 0x4
#define SHN_UNDEF 0
#define SHN_LORESERVE 0xff00
#define SHN_ABS 0xfff1
#define SHN_COMMON 0xfff2
#define STT_NOTYPE 0
#define STT_OBJECT 1
#define STT_FUNC 2
#define STT_SECTION 3
#define STB_LOCAL 0
#define STB_GLOBAL 1
#define STB_WEAK 2

/* BPF relocation types (LLVM's BPF ELF ABI). */
#define R_BPF_NONE 0
#define R_BPF_64_64 1
#define R_BPF_64_ABS64 2
#define R_BPF_64_ABS32 3
#define R_BPF_64_NODYLD32 4
#define R_BPF_64_32 10

typedef struct {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} elf_ehdr;

typedef struct {
	uint32_t sh_name, sh_type;
	uint64_t sh_flags, sh_addr, sh_offset, sh_size;
	uint32_t sh_link, sh_info;
	uint64_t sh_addralign, sh_entsize;
} elf_shdr;

typedef struct {
	uint32_t st_name;
	uint8_t st_info, st_other;
	uint16_t st_shndx;
	uint64_t st_value, st_size;
} elf_sym;

typedef struct {
	uint64_t r_offset, r_info;
} elf_rel;

/* ---- BTF (Linux Documentation/bpf/btf.rst) ---- */
#define BTF_MAGIC 0xeB9F
#define BTF_KIND_INT 1
#define BTF_KIND_PTR 2
#define BTF_KIND_ARRAY 3
#define BTF_KIND_STRUCT 4
#define BTF_KIND_UNION 5
#define BTF_KIND_ENUM 6
#define BTF_KIND_FWD 7
#define BTF_KIND_TYPEDEF 8
#define BTF_KIND_VOLATILE 9
#define BTF_KIND_CONST 10
#define BTF_KIND_RESTRICT 11
#define BTF_KIND_FUNC 12
#define BTF_KIND_FUNC_PROTO 13
#define BTF_KIND_VAR 14
#define BTF_KIND_DATASEC 15
#define BTF_KIND_FLOAT 16
#define BTF_KIND_DECL_TAG 17
#define BTF_KIND_TYPE_TAG 18
#define BTF_KIND_ENUM64 19

struct btf_hdr {
	uint16_t magic;
	uint8_t version, flags;
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
};

/* Packed: the BTF section may sit at any file offset, so records are
 * read with unaligned-safe accesses. */
struct btf_type {
	uint32_t name_off, info, size_or_type;
} __attribute__((packed));

#define BTF_MAX_TYPES (1U << 20)
#define BTF_MAX_DEPTH 32
#define LOADER_MAX_SECTIONS 4096
#define LOADER_MAX_MAPS 256
#define LOADER_MAX_PROGS 256
#define LOADER_MAX_MAP_BYTES (256ULL << 20)

/* ---- the loaded object ---- */
struct alloc_hdr {
	struct alloc_hdr *next;
	uint64_t size;
};

struct bpf_object {
	struct bpf_allocator a;
	struct alloc_hdr *allocs;
	uint32_t nmaps, nprogs;
	struct bpf_map **maps; /* shared map table of every program */
	struct bpf_prog *progs;
	char license[64];
};

/* Loader working state (on the C stack; nothing here outlives the load). */
struct loader {
	const uint8_t *img;
	uint64_t size;
	const elf_shdr *sh; /* copied, aligned */
	uint32_t shnum;
	const char *shstr;
	uint64_t shstr_size;
	uint32_t symtab_idx;
	const uint8_t *syms;
	uint32_t nsyms;
	const char *strtab;
	uint64_t strtab_size;
	/* BTF */
	const uint8_t *btf_types;
	uint32_t btf_types_len;
	const char *btf_str;
	uint32_t btf_str_len;
	uint32_t *btf_off; /* type id -> offset in btf_types */
	uint32_t btf_ntypes;
	/* section index -> map index + 1 (global data sections) */
	uint32_t *sec_map;
	uint32_t maps_shndx;
	uint32_t text_shndx;
	/* .text functions, sorted, in instructions: [start, end) */
	struct text_fn {
		uint32_t start, end;
	} * text_fns;
	uint32_t ntext_fns;
	/* per program being loaded: where each .text function landed in it
	 * (0: not linked), and scratch for the closure */
	uint32_t *fn_base;
	uint8_t *fn_need;
	uint8_t *text_relocated; /* .text instructions with a relocation */
	/* prog-array maps with a static 'values' initialiser: byte range of
	 * the initialiser inside .maps (filled by R_BPF_64_ABS64 relocations
	 * against program functions, applied after the programs load). */
	struct {
		uint32_t map;
		uint64_t start, end;
	} inits[LOADER_MAX_MAPS];
	uint32_t ninits;
	const struct bpf_env *env;
	struct bpf_object *obj;
	struct bpf_load_error *err;
	uint64_t map_bytes;
};


/* Allocation tracked in the object (zeroed; freed with it). */
void *bpfl_alloc(struct bpf_object *o, uint64_t size);
/* Record the first error only; returns code. */
int bpfl_err(struct loader *L, int code, uint32_t shndx, uint64_t off, const char *fmt, uint64_t a1,
             uint64_t a2);
#define FAIL(L, sec, off, ...) FAIL_(L, sec, off, __VA_ARGS__, 0, 0, 0)
#define FAIL_(L, sec, off, fmt, a1, a2, ...) \
	bpfl_err(L, -BPF_EINVAL, sec, off, fmt, (uint64_t)(a1), (uint64_t)(a2))
#define U(x) ((uint64_t)(uintptr_t)(x))

static inline bool range_ok(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static inline const char *sec_name(const struct loader *L, uint32_t i)
{
	return L->shstr + L->sh[i].sh_name;
}

static inline void get_sym(const struct loader *L, uint32_t i, elf_sym *s)
{
	bpf__memcpy(s, L->syms + (uint64_t)i * sizeof(elf_sym), sizeof(*s));
}

const char *bpfl_sym_name(const struct loader *L, const elf_sym *s);
bool bpfl_is_data_section(const char *n);
/* Every program of the object (loader_prog.c). */
int bpfl_load_progs(struct loader *L);

#endif
