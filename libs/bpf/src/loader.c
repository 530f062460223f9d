/*
 * ELF loader for clang -target bpf objects (ELF64, little-endian,
 * EM_BPF, relocatable).
 *
 * Every field read from the file is bounds-checked before use; anything
 * the loader does not understand is rejected with the section, the byte
 * offset within it, and the reason.  All memory comes from the embedder's
 * allocator and is tracked in one list, so every failure path frees
 * everything with a single call.
 *
 * What is loaded:
 *   - programs: every executable section except .text; one program per
 *     global function in the section (or the whole section if it has
 *     none).  .text holds subprograms (its STT_FUNC symbols, or the whole
 *     section if it has none): each program gets the ones it calls,
 *     directly or through others, appended in .text order with their
 *     relocations applied, and nothing else (code no call reaches would
 *     be unreachable to the verifier).
 *   - maps: BTF-defined maps in .maps (type, key/value sizes, max_entries,
 *     map_flags read from the BTF that clang -g emits).
 *   - global data: .data*, .rodata*, .bss* become one-entry array maps
 *     (.rodata* read-only to programs).
 *   - relocations R_BPF_64_64 (LD_IMM64 of a map or a global variable)
 *     and R_BPF_64_32 (BPF-to-BPF calls).
 *
 * This file reads the ELF structure, sections, BTF and maps;
 * loader_prog.c links and relocates the programs.
 */
#include "loader_internal.h"

void *bpfl_alloc(struct bpf_object *o, uint64_t size)
{
	if (size > (1ULL << 40))
		return NULL;
	uint64_t total = sizeof(struct alloc_hdr) + bpf__align8(size);
	if (total > (size_t)-1)
		return NULL;
	struct alloc_hdr *h = o->a.alloc(o->a.actx, (size_t)total);
	if (!h)
		return NULL;
	h->next = o->allocs;
	h->size = total;
	o->allocs = h;
	bpf__memset(h + 1, 0, (size_t)(total - sizeof(*h)));
	return h + 1;
}

void bpf_object_free(struct bpf_object *o)
{
	if (!o)
		return;
	struct bpf_allocator a = o->a;
	struct alloc_hdr *h = o->allocs;
	while (h) {
		struct alloc_hdr *n = h->next;
		a.free(a.actx, h, (size_t)h->size);
		h = n;
	}
	a.free(a.actx, o, sizeof(*o));
}

/* Record the first error only. */
int bpfl_err(struct loader *L, int code, uint32_t shndx, uint64_t off, const char *fmt, uint64_t a1,
             uint64_t a2)
{
	struct bpf_load_error *e = L->err;
	if (e && e->code == 0) {
		e->code = code;
		e->offset = off;
		const char *name = "";
		if (shndx && shndx < L->shnum && L->shstr && L->sh[shndx].sh_name < L->shstr_size)
			name = L->shstr + L->sh[shndx].sh_name;
		bpf__strlcpy(e->section, name, sizeof(e->section));
		bpf__snprintf(e->reason, sizeof(e->reason), fmt, a1, a2);
	}
	return code;
}
static bool starts_with(const char *s, const char *p)
{
	while (*p)
		if (*s++ != *p++)
			return false;
	return true;
}

/* A string at offset off of a table of the given size, NUL-terminated
 * inside the table, or NULL. */
static const char *tstr(const char *tab, uint64_t size, uint64_t off)
{
	if (!tab || off >= size)
		return NULL;
	if (bpf__strnlen(tab + off, size - off) == size - off)
		return NULL;
	return tab + off;
}

const char *bpfl_sym_name(const struct loader *L, const elf_sym *s)
{
	const char *n = tstr(L->strtab, L->strtab_size, s->st_name);
	if ((!n || !*n) && (s->st_info & 0xf) == STT_SECTION && s->st_shndx < L->shnum && L->shstr)
		return L->shstr + L->sh[s->st_shndx].sh_name;
	return n ? n : "";
}

/* ---- ELF structure ---- */
static int parse_elf(struct loader *L)
{
	elf_ehdr eh;
	if (L->size < sizeof(eh))
		return FAIL(L, 0, 0, "truncated ELF header (%lu bytes)", L->size);
	bpf__memcpy(&eh, L->img, sizeof(eh));
	if (eh.e_ident[0] != 0x7f || eh.e_ident[1] != 'E' || eh.e_ident[2] != 'L' ||
	    eh.e_ident[3] != 'F')
		return FAIL(L, 0, 0, "not an ELF file");
	if (eh.e_ident[4] != ELFCLASS64)
		return FAIL(L, 0, 4, "not ELF64");
	if (eh.e_ident[5] != ELFDATA2LSB)
		return FAIL(L, 0, 5, "not little-endian");
	if (eh.e_type != ET_REL)
		return FAIL(L, 0, 16, "not a relocatable object (e_type %lu)", (uint64_t)eh.e_type);
	if (eh.e_machine != EM_BPF)
		return FAIL(L, 0, 18, "e_machine %lu is not EM_BPF", (uint64_t)eh.e_machine);
	if (eh.e_shentsize != sizeof(elf_shdr))
		return FAIL(L, 0, 58, "bad e_shentsize %lu", (uint64_t)eh.e_shentsize);
	if (eh.e_shnum == 0 || eh.e_shnum > LOADER_MAX_SECTIONS)
		return FAIL(L, 0, 60, "bad section count %lu", (uint64_t)eh.e_shnum);
	if (!range_ok(eh.e_shoff, (uint64_t)eh.e_shnum * sizeof(elf_shdr), L->size))
		return FAIL(L, 0, 40, "section header table outside the file");
	if (eh.e_shstrndx == 0 || eh.e_shstrndx >= eh.e_shnum)
		return FAIL(L, 0, 62, "bad e_shstrndx %lu", (uint64_t)eh.e_shstrndx);
	L->shnum = eh.e_shnum;
	elf_shdr *sh = bpfl_alloc(L->obj, (uint64_t)L->shnum * sizeof(elf_shdr));
	if (!sh)
		return bpfl_err(L, -BPF_ENOMEM, 0, 0, "out of memory", 0, 0);
	bpf__memcpy(sh, L->img + eh.e_shoff, (size_t)L->shnum * sizeof(elf_shdr));
	L->sh = sh;

	/* Section contents inside the file, not overlapping each other or
	 * the headers. */
	for (uint32_t i = 1; i < L->shnum; i++) {
		const elf_shdr *s = &sh[i];
		if (s->sh_type == SHT_NOBITS || s->sh_type == SHT_NULL)
			continue;
		if (!range_ok(s->sh_offset, s->sh_size, L->size))
			return bpfl_err(L, -BPF_EINVAL, 0, eh.e_shoff + i * sizeof(elf_shdr),
			                "section %lu extends past end of file", i, 0);
		if (!s->sh_size)
			continue;
		if (s->sh_offset < sizeof(elf_ehdr) ||
		    (s->sh_offset < eh.e_shoff + (uint64_t)L->shnum * sizeof(elf_shdr) &&
		     eh.e_shoff < s->sh_offset + s->sh_size))
			return bpfl_err(L, -BPF_EINVAL, 0, eh.e_shoff + i * sizeof(elf_shdr),
			                "section %lu overlaps the ELF headers", i, 0);
		for (uint32_t j = 1; j < i; j++) {
			const elf_shdr *t = &sh[j];
			if (t->sh_type == SHT_NOBITS || t->sh_type == SHT_NULL || !t->sh_size)
				continue;
			if (s->sh_offset < t->sh_offset + t->sh_size &&
			    t->sh_offset < s->sh_offset + s->sh_size)
				return bpfl_err(L, -BPF_EINVAL, 0,
				                eh.e_shoff + i * sizeof(elf_shdr),
				                "section %lu overlaps section %lu", i, j);
		}
	}
	const elf_shdr *ss = &sh[eh.e_shstrndx];
	if (ss->sh_type != SHT_STRTAB || ss->sh_size == 0)
		return FAIL(L, 0, 62, "section name table is not a string table");
	L->shstr = (const char *)L->img + ss->sh_offset;
	L->shstr_size = ss->sh_size;
	if (L->shstr[L->shstr_size - 1] != 0)
		return FAIL(L, eh.e_shstrndx, ss->sh_size - 1,
		            "section name table not NUL-terminated");
	for (uint32_t i = 0; i < L->shnum; i++)
		if (sh[i].sh_name >= L->shstr_size)
			return bpfl_err(L, -BPF_EINVAL, 0, eh.e_shoff + i * sizeof(elf_shdr),
			                "section %lu name offset out of range", i, 0);

	/* The symbol table. */
	for (uint32_t i = 1; i < L->shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB)
			continue;
		if (L->symtab_idx)
			return FAIL(L, i, 0, "more than one symbol table");
		if (sh[i].sh_entsize != sizeof(elf_sym) || sh[i].sh_size % sizeof(elf_sym))
			return FAIL(L, i, 0, "bad symbol table entry size");
		if (sh[i].sh_size / sizeof(elf_sym) > (1U << 24))
			return FAIL(L, i, 0, "too many symbols");
		uint32_t link = sh[i].sh_link;
		if (link == 0 || link >= L->shnum || sh[link].sh_type != SHT_STRTAB)
			return FAIL(L, i, 0, "symbol table's string table index %lu invalid",
			            (uint64_t)link);
		L->symtab_idx = i;
		L->syms = L->img + sh[i].sh_offset;
		L->nsyms = (uint32_t)(sh[i].sh_size / sizeof(elf_sym));
		L->strtab = (const char *)L->img + sh[link].sh_offset;
		L->strtab_size = sh[link].sh_size;
	}
	if (!L->symtab_idx)
		return FAIL(L, 0, 0, "no symbol table");
	for (uint32_t i = 1; i < L->nsyms; i++) {
		elf_sym s;
		get_sym(L, i, &s);
		uint64_t off = (uint64_t)i * sizeof(elf_sym);
		if (s.st_name && !tstr(L->strtab, L->strtab_size, s.st_name))
			return FAIL(L, L->symtab_idx, off, "symbol %lu name out of range", i);
		if (s.st_shndx >= L->shnum && s.st_shndx < SHN_LORESERVE)
			return FAIL(L, L->symtab_idx, off, "symbol %lu section index %lu invalid",
			            i, (uint64_t)s.st_shndx);
		if (s.st_shndx == SHN_COMMON)
			return FAIL(L, L->symtab_idx, off, "common symbol '%s' not supported",
			            U(bpfl_sym_name(L, &s)));
	}
	return 0;
}

/* ---- BTF ---- */
static const struct btf_type *btf_type(const struct loader *L, uint32_t id)
{
	if (id == 0 || id > L->btf_ntypes)
		return NULL;
	return (const struct btf_type *)(L->btf_types + L->btf_off[id]);
}

static uint32_t btf_kind(const struct btf_type *t)
{
	return (t->info >> 24) & 0x1f;
}
static uint32_t btf_vlen(const struct btf_type *t)
{
	return t->info & 0xffff;
}

static const char *btf_name(const struct loader *L, uint32_t off)
{
	const char *n = tstr(L->btf_str, L->btf_str_len, off);
	return n ? n : "";
}

static int parse_btf(struct loader *L, uint32_t shndx)
{
	const elf_shdr *s = &L->sh[shndx];
	struct btf_hdr h;
	if (s->sh_type != SHT_PROGBITS || s->sh_size < sizeof(h))
		return FAIL(L, shndx, 0, "truncated BTF header");
	const uint8_t *base = L->img + s->sh_offset;
	bpf__memcpy(&h, base, sizeof(h));
	if (h.magic != BTF_MAGIC)
		return FAIL(L, shndx, 0, "bad BTF magic 0x%lx", (uint64_t)h.magic);
	if (h.version != 1)
		return FAIL(L, shndx, 2, "unsupported BTF version %lu", (uint64_t)h.version);
	if (h.hdr_len < sizeof(h) || h.hdr_len > s->sh_size)
		return FAIL(L, shndx, 4, "bad BTF header length %lu", (uint64_t)h.hdr_len);
	uint64_t body = s->sh_size - h.hdr_len;
	if (!range_ok(h.type_off, h.type_len, body) || (h.type_off & 3) || (h.type_len & 3))
		return FAIL(L, shndx, 8, "BTF type section out of range");
	if (!range_ok(h.str_off, h.str_len, body) || h.str_len == 0)
		return FAIL(L, shndx, 16, "BTF string section out of range");
	L->btf_types = base + h.hdr_len + h.type_off;
	L->btf_types_len = h.type_len;
	L->btf_str = (const char *)base + h.hdr_len + h.str_off;
	L->btf_str_len = h.str_len;
	if (L->btf_str[h.str_len - 1] != 0)
		return FAIL(L, shndx, h.hdr_len + h.str_off + h.str_len - 1,
		            "BTF strings not NUL-terminated");

	/* First pass: count types and check each record's extent. */
	for (int pass = 0; pass < 2; pass++) {
		uint32_t off = 0, n = 0;
		while (off < L->btf_types_len) {
			uint64_t foff = h.hdr_len + h.type_off + off;
			if (L->btf_types_len - off < sizeof(struct btf_type))
				return FAIL(L, shndx, foff, "truncated BTF type");
			struct btf_type t;
			bpf__memcpy(&t, L->btf_types + off, sizeof(t));
			uint64_t extra;
			uint32_t vlen = btf_vlen(&t);
			switch (btf_kind(&t)) {
			case BTF_KIND_INT:
				extra = 4;
				break;
			case BTF_KIND_PTR:
			case BTF_KIND_FWD:
			case BTF_KIND_TYPEDEF:
			case BTF_KIND_VOLATILE:
			case BTF_KIND_CONST:
			case BTF_KIND_RESTRICT:
			case BTF_KIND_FUNC:
			case BTF_KIND_FLOAT:
			case BTF_KIND_TYPE_TAG:
				extra = 0;
				break;
			case BTF_KIND_ARRAY:
				extra = 12;
				break;
			case BTF_KIND_STRUCT:
			case BTF_KIND_UNION:
				extra = 12ULL * vlen;
				break;
			case BTF_KIND_ENUM:
				extra = 8ULL * vlen;
				break;
			case BTF_KIND_FUNC_PROTO:
				extra = 8ULL * vlen;
				break;
			case BTF_KIND_VAR:
				extra = 4;
				break;
			case BTF_KIND_DATASEC:
				extra = 12ULL * vlen;
				break;
			case BTF_KIND_DECL_TAG:
				extra = 4;
				break;
			case BTF_KIND_ENUM64:
				extra = 12ULL * vlen;
				break;
			default:
				return FAIL(L, shndx, foff, "unknown BTF kind %lu",
				            (uint64_t)btf_kind(&t));
			}
			if (extra > L->btf_types_len - off - sizeof(t))
				return FAIL(L, shndx, foff, "truncated BTF type");
			if (t.name_off >= L->btf_str_len)
				return FAIL(L, shndx, foff, "BTF name offset out of range");
			if (++n > BTF_MAX_TYPES)
				return FAIL(L, shndx, foff, "too many BTF types");
			if (pass == 1)
				L->btf_off[n] = off;
			off += (uint32_t)(sizeof(t) + extra);
		}
		if (pass == 0) {
			L->btf_ntypes = n;
			L->btf_off = bpfl_alloc(L->obj, 4ULL * (n + 1));
			if (!L->btf_off)
				return bpfl_err(L, -BPF_ENOMEM, shndx, 0, "out of memory", 0, 0);
		}
	}
	return 0;
}

/* Follow modifiers and typedefs. */
static const struct btf_type *btf_skip_mods(const struct loader *L, uint32_t id, uint32_t *out_id)
{
	for (int d = 0; d < BTF_MAX_DEPTH; d++) {
		const struct btf_type *t = btf_type(L, id);
		if (!t)
			return NULL;
		switch (btf_kind(t)) {
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			id = t->size_or_type;
			continue;
		default:
			if (out_id)
				*out_id = id;
			return t;
		}
	}
	return NULL;
}

/* Size in bytes of a type, or -1. */
static int64_t btf_size(const struct loader *L, uint32_t id, int depth)
{
	if (depth > BTF_MAX_DEPTH)
		return -1;
	const struct btf_type *t = btf_skip_mods(L, id, NULL);
	if (!t)
		return -1;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
	case BTF_KIND_DATASEC:
		return t->size_or_type;
	case BTF_KIND_PTR:
		return 8;
	case BTF_KIND_ARRAY: {
		uint32_t a[3];
		bpf__memcpy(a, t + 1, sizeof(a));
		int64_t es = btf_size(L, a[0], depth + 1);
		if (es < 0 || (a[2] && (uint64_t)es > (1ULL << 32) / a[2]))
			return -1;
		return es * (int64_t)a[2];
	}
	default:
		return -1;
	}
}

/* __uint(name, N) is "int (*name)[N]": a pointer to an array of N. */
static bool btf_uint_member(const struct loader *L, uint32_t type, uint32_t *val)
{
	const struct btf_type *p = btf_skip_mods(L, type, NULL);
	if (!p || btf_kind(p) != BTF_KIND_PTR)
		return false;
	const struct btf_type *a = btf_skip_mods(L, p->size_or_type, NULL);
	if (!a || btf_kind(a) != BTF_KIND_ARRAY)
		return false;
	uint32_t arr[3];
	bpf__memcpy(arr, a + 1, sizeof(arr));
	*val = arr[2];
	return true;
}

/* __type(name, T) is "T *name". */
static bool btf_type_member(const struct loader *L, uint32_t type, uint32_t *size)
{
	const struct btf_type *p = btf_skip_mods(L, type, NULL);
	if (!p || btf_kind(p) != BTF_KIND_PTR)
		return false;
	int64_t s = btf_size(L, p->size_or_type, 0);
	if (s < 0 || s > (int64_t)BPF_MAP_MAX_VALUE_SIZE)
		return false;
	*size = (uint32_t)s;
	return true;
}

/* Find the BTF VAR for a map symbol in the .maps DATASEC and read the
 * definition from its struct type. */
static int btf_map_def(struct loader *L, const char *name, uint64_t sym_off,
                       struct bpf_map_def *def, int64_t *values_off)
{
	*values_off = -1;
	uint32_t sec = L->maps_shndx;
	if (!L->btf_ntypes)
		return FAIL(L, sec, sym_off, "map '%s': no BTF (compile with -g)", U(name));
	uint32_t var_type = 0;
	bool found = false;
	for (uint32_t id = 1; id <= L->btf_ntypes && !found; id++) {
		const struct btf_type *t = btf_type(L, id);
		if (btf_kind(t) != BTF_KIND_DATASEC ||
		    bpf__strcmp(btf_name(L, t->name_off), ".maps"))
			continue;
		const uint8_t *vs = (const uint8_t *)(t + 1);
		for (uint32_t k = 0; k < btf_vlen(t); k++) {
			uint32_t e[3];
			bpf__memcpy(e, vs + 12 * k, sizeof(e));
			const struct btf_type *v = btf_type(L, e[0]);
			if (v && btf_kind(v) == BTF_KIND_VAR &&
			    !bpf__strcmp(btf_name(L, v->name_off), name)) {
				var_type = v->size_or_type;
				found = true;
				break;
			}
		}
	}
	if (!found)
		return FAIL(L, sec, sym_off, "map '%s': no BTF variable in DATASEC .maps", U(name));
	const struct btf_type *st = btf_skip_mods(L, var_type, NULL);
	if (!st || btf_kind(st) != BTF_KIND_STRUCT)
		return FAIL(L, sec, sym_off, "map '%s': BTF definition is not a struct", U(name));
	bpf__memset(def, 0, sizeof(*def));
	bool have_type = false, have_max = false;
	const uint8_t *ms = (const uint8_t *)(st + 1);
	for (uint32_t k = 0; k < btf_vlen(st); k++) {
		uint32_t m[3];
		bpf__memcpy(m, ms + 12 * k, sizeof(m));
		const char *mn = btf_name(L, m[0]);
		uint32_t v = 0;
		bool ok;
		if (!bpf__strcmp(mn, "type")) {
			ok = btf_uint_member(L, m[1], &def->type);
			have_type = ok;
		} else if (!bpf__strcmp(mn, "max_entries")) {
			ok = btf_uint_member(L, m[1], &def->max_entries);
			have_max = ok;
		} else if (!bpf__strcmp(mn, "map_flags")) {
			ok = btf_uint_member(L, m[1], &def->flags);
		} else if (!bpf__strcmp(mn, "key_size")) {
			ok = btf_uint_member(L, m[1], &def->key_size);
		} else if (!bpf__strcmp(mn, "value_size")) {
			ok = btf_uint_member(L, m[1], &def->value_size);
		} else if (!bpf__strcmp(mn, "key")) {
			ok = btf_type_member(L, m[1], &def->key_size);
		} else if (!bpf__strcmp(mn, "value")) {
			ok = btf_type_member(L, m[1], &def->value_size);
		} else if (!bpf__strcmp(mn, "values")) {
			/* __array(values, ...): a flexible array of pointers
			 * initialised through relocations (prog arrays). */
			const struct btf_type *a = btf_skip_mods(L, m[1], NULL);
			uint32_t bits = (st->info >> 31) ? (m[2] & 0xffffff) : m[2];
			ok = a && btf_kind(a) == BTF_KIND_ARRAY && bits % 64 == 0;
			if (ok)
				*values_off = bits / 8;
		} else if (!bpf__strcmp(mn, "pinning")) {
			ok = btf_uint_member(L, m[1], &v);
			if (ok && v != 0)
				return FAIL(L, sec, sym_off, "map '%s': pinning is not supported",
				            U(name));
		} else {
			return FAIL(L, sec, sym_off, "map '%s': unsupported member '%s'", U(name),
			            U(mn));
		}
		if (!ok)
			return FAIL(L, sec, sym_off, "map '%s': malformed member '%s'", U(name),
			            U(mn));
	}
	if (!have_type)
		return FAIL(L, sec, sym_off, "map '%s': no type", U(name));
	if (!have_max)
		return FAIL(L, sec, sym_off, "map '%s': no max_entries", U(name));
	if (*values_off >= 0) {
		if (def->type != BPF_MAP_TYPE_PROG_ARRAY)
			return FAIL(
			        L, sec, sym_off,
			        "map '%s': 'values' initialiser only supported for program arrays",
			        U(name));
		/* as libbpf: the value of a prog array is a 4-byte id */
		if (!def->key_size)
			def->key_size = 4;
		if (!def->value_size)
			def->value_size = 4;
	}
	return 0;
}

static int add_map(struct loader *L, const struct bpf_map_def *def, const char *name, uint32_t sec,
                   uint64_t off, uint32_t *idx)
{
	struct bpf_object *o = L->obj;
	if (o->nmaps >= LOADER_MAX_MAPS)
		return FAIL(L, sec, off, "too many maps");
	size_t need = bpf_map_mem_size(def);
	if (!need)
		return FAIL(L, sec, off,
		            "map '%s': unsupported definition (type %lu, see docs/bpf.md)", U(name),
		            (uint64_t)def->type);
	if (L->map_bytes + need > LOADER_MAX_MAP_BYTES)
		return FAIL(L, sec, off, "map '%s': total map memory too large", U(name));
	L->map_bytes += need;
	struct bpf_map *m = bpfl_alloc(o, sizeof(*m));
	void *mem = m ? bpfl_alloc(o, need) : NULL;
	if (!mem)
		return bpfl_err(L, -BPF_ENOMEM, sec, off, "map '%s': out of memory", U(name), 0);
	if (bpf_map_init(m, def, mem, need, name))
		return FAIL(L, sec, off, "map '%s': bad definition", U(name));
	*idx = o->nmaps;
	o->maps[o->nmaps++] = m;
	return 0;
}

bool bpfl_is_data_section(const char *n)
{
	return starts_with(n, ".data") || starts_with(n, ".rodata") || starts_with(n, ".bss");
}

static bool is_metadata_section(const char *n)
{
	return starts_with(n, ".BTF") || starts_with(n, ".debug") || starts_with(n, ".rel.BTF") ||
	       starts_with(n, ".rel.debug") || starts_with(n, ".llvm") ||
	       starts_with(n, ".comment") || starts_with(n, ".note") ||
	       starts_with(n, ".eh_frame") || starts_with(n, ".rel.eh_frame") ||
	       !bpf__strcmp(n, "version");
}

static int create_maps(struct loader *L)
{
	struct bpf_object *o = L->obj;
	o->maps = bpfl_alloc(o, sizeof(struct bpf_map *) * LOADER_MAX_MAPS);
	L->sec_map = bpfl_alloc(o, 4ULL * L->shnum);
	if (!o->maps || !L->sec_map)
		return bpfl_err(L, -BPF_ENOMEM, 0, 0, "out of memory", 0, 0);
	/* BTF-defined maps: one per symbol in .maps. */
	if (L->maps_shndx) {
		for (uint32_t i = 1; i < L->nsyms; i++) {
			elf_sym s;
			get_sym(L, i, &s);
			if (s.st_shndx != L->maps_shndx || (s.st_info & 0xf) == STT_SECTION)
				continue;
			const char *name = bpfl_sym_name(L, &s);
			if ((s.st_info & 0xf) != STT_OBJECT || !*name)
				return FAIL(L, L->maps_shndx, s.st_value,
				            "unexpected symbol in .maps");
			struct bpf_map_def def;
			uint32_t idx;
			int64_t voff;
			int rc = btf_map_def(L, name, s.st_value, &def, &voff);
			if (!rc)
				rc = add_map(L, &def, name, L->maps_shndx, s.st_value, &idx);
			if (rc)
				return rc;
			if (voff >= 0) {
				L->inits[L->ninits].map = idx;
				L->inits[L->ninits].start = s.st_value + (uint64_t)voff;
				L->inits[L->ninits].end =
				        s.st_value + (uint64_t)voff + 8ULL * def.max_entries;
				L->ninits++;
			}
		}
	}
	/* Global data: one single-entry array per section. */
	for (uint32_t i = 1; i < L->shnum; i++) {
		const elf_shdr *s = &L->sh[i];
		const char *n = sec_name(L, i);
		if (!bpfl_is_data_section(n) || !(s->sh_flags & SHF_ALLOC))
			continue;
		if (s->sh_type != SHT_PROGBITS && s->sh_type != SHT_NOBITS)
			return FAIL(L, i, 0, "data section of unexpected type %lu",
			            (uint64_t)s->sh_type);
		if (s->sh_size == 0)
			continue;
		if (s->sh_size > BPF_MAP_MAX_VALUE_SIZE)
			return FAIL(L, i, 0, "global data section too large (%lu bytes)",
			            s->sh_size);
		struct bpf_map_def def = {BPF_MAP_TYPE_ARRAY, 4, (uint32_t)s->sh_size, 1,
		                          starts_with(n, ".rodata") ? BPF_F_RDONLY_PROG : 0};
		uint32_t idx;
		int rc = add_map(L, &def, n, i, 0, &idx);
		if (rc)
			return rc;
		if (s->sh_type == SHT_PROGBITS)
			bpf__memcpy(o->maps[idx]->data, L->img + s->sh_offset, s->sh_size);
		L->sec_map[i] = idx + 1;
	}
	return 0;
}

/* Map index for a symbol in .maps, or -1. */
static int check_sections(struct loader *L)
{
	for (uint32_t i = 1; i < L->shnum; i++) {
		const elf_shdr *s = &L->sh[i];
		const char *n = sec_name(L, i);
		if (!bpf__strcmp(n, ".text") && (s->sh_flags & SHF_EXECINSTR)) {
			if (s->sh_size % 8)
				return FAIL(L, i, 0, ".text size not a multiple of 8");
			L->text_shndx = i;
		} else if (!bpf__strcmp(n, ".maps")) {
			if (s->sh_type != SHT_PROGBITS && s->sh_type != SHT_NOBITS)
				return FAIL(L, i, 0, ".maps has unexpected type");
			L->maps_shndx = i;
		} else if (!bpf__strcmp(n, "maps") && s->sh_size) {
			return FAIL(L, i, 0,
			            "legacy 'maps' section not supported: use BTF-defined maps in "
			            ".maps");
		} else if (!bpf__strcmp(n, ".BTF")) {
			int rc = parse_btf(L, i);
			if (rc)
				return rc;
		}
	}
	for (uint32_t i = 1; i < L->shnum; i++) {
		const elf_shdr *s = &L->sh[i];
		const char *n = sec_name(L, i);
		switch (s->sh_type) {
		case SHT_NULL:
		case SHT_SYMTAB:
		case SHT_STRTAB:
			continue;
		case SHT_REL:
		case SHT_RELA: {
			if (s->sh_info == 0 || s->sh_info >= L->shnum)
				return FAIL(L, i, 0, "relocation target section %lu invalid",
				            (uint64_t)s->sh_info);
			const elf_shdr *t = &L->sh[s->sh_info];
			const char *tn = sec_name(L, s->sh_info);
			if (is_metadata_section(tn) || is_metadata_section(n) ||
			    !(t->sh_flags & SHF_ALLOC))
				continue; /* debug info / BTF line info: not loaded */
			if (s->sh_info == L->maps_shndx && L->maps_shndx)
				continue; /* prog-array initialisers: apply_map_inits */
			if (!(t->sh_flags & SHF_EXECINSTR))
				return FAIL(L, i, 0, "relocations against '%s' not supported",
				            U(tn));
			continue;
		}
		default:
			break;
		}
		if ((s->sh_flags & SHF_EXECINSTR) && s->sh_type != SHT_PROGBITS && s->sh_size)
			return FAIL(L, i, 0, "executable section of type %lu",
			            (uint64_t)s->sh_type);
		if (!(s->sh_flags & SHF_ALLOC) || s->sh_flags & SHF_EXECINSTR)
			continue;
		if (bpfl_is_data_section(n) || i == L->maps_shndx || !bpf__strcmp(n, "license") ||
		    !bpf__strcmp(n, "version") || s->sh_size == 0)
			continue;
		return FAIL(L, i, 0, "unsupported allocated section");
	}
	return 0;
}

static int check_btf_ext(struct loader *L)
{
	for (uint32_t i = 1; i < L->shnum; i++) {
		if (bpf__strcmp(sec_name(L, i), ".BTF.ext"))
			continue;
		const elf_shdr *s = &L->sh[i];
		uint8_t h[32];
		if (s->sh_type != SHT_PROGBITS || s->sh_size < 24)
			return FAIL(L, i, 0, "truncated .BTF.ext header");
		bpf__memset(h, 0, sizeof(h));
		bpf__memcpy(h, L->img + s->sh_offset, s->sh_size < 32 ? s->sh_size : 32);
		uint16_t magic;
		uint32_t hdr_len, core_len = 0;
		bpf__memcpy(&magic, h, 2);
		bpf__memcpy(&hdr_len, h + 4, 4);
		if (magic != BTF_MAGIC)
			return FAIL(L, i, 0, "bad .BTF.ext magic");
		if (hdr_len >= 32 && s->sh_size >= 32)
			bpf__memcpy(&core_len, h + 28, 4);
		if (core_len)
			return FAIL(L, i, 28, "CO-RE relocations are not supported");
	}
	return 0;
}

/* Fill program arrays declared with a 'values' initialiser:
 * R_BPF_64_ABS64 relocations in .maps, one per initialised slot, against
 * the function symbol of a program of this object. */
static int apply_map_inits(struct loader *L)
{
	struct bpf_object *o = L->obj;
	for (uint32_t r = 1; r < L->shnum; r++) {
		const elf_shdr *rs = &L->sh[r];
		if (rs->sh_type != SHT_REL || !L->maps_shndx || rs->sh_info != L->maps_shndx)
			continue;
		if (rs->sh_link != L->symtab_idx || rs->sh_entsize != sizeof(elf_rel) ||
		    rs->sh_size % sizeof(elf_rel))
			return FAIL(L, r, 0, "malformed relocation section");
		for (uint64_t k = 0; k < rs->sh_size / sizeof(elf_rel); k++) {
			elf_rel rel;
			uint64_t roff = k * sizeof(elf_rel);
			bpf__memcpy(&rel, L->img + rs->sh_offset + roff, sizeof(rel));
			uint32_t type = (uint32_t)rel.r_info, symi = (uint32_t)(rel.r_info >> 32);
			if (type != R_BPF_64_ABS64)
				return FAIL(L, L->maps_shndx, rel.r_offset,
				            "unsupported relocation type %lu in .maps",
				            (uint64_t)type);
			uint32_t i;
			for (i = 0; i < L->ninits; i++)
				if (rel.r_offset >= L->inits[i].start &&
				    rel.r_offset < L->inits[i].end &&
				    (rel.r_offset - L->inits[i].start) % 8 == 0)
					break;
			if (i == L->ninits)
				return FAIL(L, L->maps_shndx, rel.r_offset,
				            "relocation in .maps outside a 'values' initialiser");
			if (symi == 0 || symi >= L->nsyms)
				return FAIL(L, r, roff, "relocation symbol index %lu invalid",
				            (uint64_t)symi);
			elf_sym s;
			get_sym(L, symi, &s);
			const char *fn = bpfl_sym_name(L, &s);
			struct bpf_prog *p = NULL;
			if ((s.st_info & 0xf) == STT_FUNC && s.st_shndx < L->shnum)
				for (uint32_t k2 = 0; k2 < o->nprogs && !p; k2++)
					if (!bpf__strcmp(o->progs[k2].name, fn) &&
					    !bpf__strcmp(o->progs[k2].section,
					                 sec_name(L, s.st_shndx)))
						p = &o->progs[k2];
			if (!p)
				return FAIL(L, L->maps_shndx, rel.r_offset,
				            "'values' entry '%s' is not a program of this object",
				            U(fn));
			uint32_t slot = (uint32_t)((rel.r_offset - L->inits[i].start) / 8);
			bpf_prog_array_set(o->maps[L->inits[i].map], slot, p);
		}
	}
	return 0;
}

int bpf_object_load(struct bpf_object **out, const void *data, size_t size,
                    const struct bpf_env *env, const struct bpf_allocator *a,
                    struct bpf_load_error *err)
{
	struct loader L;
	if (err)
		bpf__memset(err, 0, sizeof(*err));
	bpf__memset(&L, 0, sizeof(L));
	L.err = err;
	if (!out || !data || !a || !a->alloc || !a->free)
		return bpfl_err(&L, -BPF_EINVAL, 0, 0, "bad arguments", 0, 0);
	*out = NULL;
	struct bpf_object *o = a->alloc(a->actx, sizeof(*o));
	if (!o)
		return bpfl_err(&L, -BPF_ENOMEM, 0, 0, "out of memory", 0, 0);
	bpf__memset(o, 0, sizeof(*o));
	o->a = *a;
	L.obj = o;
	L.img = data;
	L.size = size;
	L.env = env;
	int rc = parse_elf(&L);
	if (!rc)
		rc = check_sections(&L);
	if (!rc)
		rc = check_btf_ext(&L);
	if (!rc)
		rc = create_maps(&L);
	if (!rc)
		rc = bpfl_load_progs(&L);
	if (!rc)
		rc = apply_map_inits(&L);
	if (!rc) {
		for (uint32_t i = 1; i < L.shnum; i++) {
			if (bpf__strcmp(sec_name(&L, i), "license") ||
			    L.sh[i].sh_type != SHT_PROGBITS)
				continue;
			uint64_t n = L.sh[i].sh_size < sizeof(o->license) - 1
			                     ? L.sh[i].sh_size
			                     : sizeof(o->license) - 1;
			bpf__memcpy(o->license, L.img + L.sh[i].sh_offset, n);
			o->license[n] = 0;
		}
	}
	if (!rc && o->nprogs == 0)
		rc = FAIL(&L, 0, 0, "no programs in object");
	if (rc) {
		bpf_object_free(o);
		return rc;
	}
	*out = o;
	return 0;
}

uint32_t bpf_object_prog_count(const struct bpf_object *o)
{
	return o ? o->nprogs : 0;
}

struct bpf_prog *bpf_object_prog_at(struct bpf_object *o, uint32_t i)
{
	return o && i < o->nprogs ? &o->progs[i] : NULL;
}

struct bpf_prog *bpf_object_prog(struct bpf_object *o, const char *name)
{
	if (!o || !name)
		return NULL;
	for (uint32_t i = 0; i < o->nprogs; i++)
		if (!bpf__strcmp(o->progs[i].section, name))
			return &o->progs[i];
	for (uint32_t i = 0; i < o->nprogs; i++)
		if (!bpf__strcmp(o->progs[i].name, name))
			return &o->progs[i];
	return NULL;
}

uint32_t bpf_object_map_count(const struct bpf_object *o)
{
	return o ? o->nmaps : 0;
}

struct bpf_map *bpf_object_map_at(struct bpf_object *o, uint32_t i)
{
	return o && i < o->nmaps ? o->maps[i] : NULL;
}

struct bpf_map *bpf_object_map(struct bpf_object *o, const char *name)
{
	if (!o || !name)
		return NULL;
	for (uint32_t i = 0; i < o->nmaps; i++)
		if (!bpf__strcmp(o->maps[i]->name, name))
			return o->maps[i];
	return NULL;
}

const char *bpf_object_license(const struct bpf_object *o)
{
	return o ? o->license : "";
}
