/*
 * The ELF loader's programs: one per global function of an executable
 * section (or the whole section), linked with the .text subprograms it
 * reaches, relocations applied (maps, global data, BPF-to-BPF calls),
 * then validated (bpf_prog_init).
 */
#include "loader_internal.h"

static int64_t map_for_sym(struct loader *L, const elf_sym *s)
{
	const char *name = bpfl_sym_name(L, s);
	for (uint32_t i = 0; i < L->obj->nmaps; i++)
		if (!bpf__strcmp(L->obj->maps[i]->name, name) &&
		    !bpfl_is_data_section(L->obj->maps[i]->name))
			return i;
	return -1;
}

/* The .text function holding instruction t of .text, or -1. */
static int64_t text_fn_of(const struct loader *L, int64_t t)
{
	uint32_t lo = 0, hi = L->ntext_fns;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (t < (int64_t)L->text_fns[mid].start)
			hi = mid;
		else if (t >= (int64_t)L->text_fns[mid].end)
			lo = mid + 1;
		else
			return mid;
	}
	return -1;
}

/* Where instruction t of .text is in the program being linked (-1: not
 * in a function, or not linked). */
static int64_t text_pc(const struct loader *L, int64_t t)
{
	int64_t f = text_fn_of(L, t);
	if (f < 0 || !L->fn_base[f])
		return -1;
	return (int64_t)L->fn_base[f] - 1 + (t - L->text_fns[f].start);
}

/* .text's functions from its STT_FUNC symbols (aliases at one address
 * count once); the whole section is one function if it has none. */
static int find_text_fns(struct loader *L)
{
	if (!L->text_shndx)
		return 0;
	uint32_t ntext = (uint32_t)(L->sh[L->text_shndx].sh_size / 8), n = 0;
	for (uint32_t k = 1; k < L->nsyms; k++) {
		elf_sym sym;
		get_sym(L, k, &sym);
		n += sym.st_shndx == L->text_shndx && (sym.st_info & 0xf) == STT_FUNC;
	}
	L->text_fns = bpfl_alloc(L->obj, sizeof(struct text_fn) * (n ? n : 1));
	L->fn_base = bpfl_alloc(L->obj, sizeof(uint32_t) * (n ? n : 1));
	L->fn_need = bpfl_alloc(L->obj, n ? n : 1);
	if (!L->text_fns || !L->fn_base || !L->fn_need)
		return bpfl_err(L, -BPF_ENOMEM, L->text_shndx, 0, "out of memory", 0, 0);
	for (uint32_t k = 1; k < L->nsyms; k++) {
		elf_sym sym;
		get_sym(L, k, &sym);
		if (sym.st_shndx != L->text_shndx || (sym.st_info & 0xf) != STT_FUNC)
			continue;
		if (sym.st_value % 8 || sym.st_size % 8 || sym.st_size == 0 ||
		    !range_ok(sym.st_value, sym.st_size, L->sh[L->text_shndx].sh_size))
			return FAIL(L, L->text_shndx, sym.st_value,
			            "function '%s' has a bad extent", U(bpfl_sym_name(L, &sym)));
		struct text_fn f = {(uint32_t)(sym.st_value / 8),
		                    (uint32_t)((sym.st_value + sym.st_size) / 8)};
		uint32_t i = L->ntext_fns;
		while (i > 0 && L->text_fns[i - 1].start > f.start) {
			L->text_fns[i] = L->text_fns[i - 1];
			i--;
		}
		if (i > 0 && L->text_fns[i - 1].start == f.start) {
			if (L->text_fns[i - 1].end != f.end)
				return FAIL(L, L->text_shndx, sym.st_value,
				            "functions overlap in .text");
			for (; i < L->ntext_fns; i++) /* alias: undo the shift */
				L->text_fns[i] = L->text_fns[i + 1];
			continue;
		}
		L->text_fns[i] = f;
		L->ntext_fns++;
	}
	for (uint32_t i = 1; i < L->ntext_fns; i++)
		if (L->text_fns[i].start < L->text_fns[i - 1].end)
			return FAIL(L, L->text_shndx, 8ULL * L->text_fns[i].start,
			            "functions overlap in .text");
	if (!L->ntext_fns && ntext) {
		L->text_fns[0].start = 0;
		L->text_fns[0].end = ntext;
		L->ntext_fns = 1;
	}
	L->text_relocated = bpfl_alloc(L->obj, ntext ? ntext : 1);
	if (!L->text_relocated)
		return bpfl_err(L, -BPF_ENOMEM, L->text_shndx, 0, "out of memory", 0, 0);
	bpf__memset(L->text_relocated, 0, ntext);
	for (uint32_t r = 1; r < L->shnum; r++) {
		const elf_shdr *rs = &L->sh[r];
		if (rs->sh_type != SHT_REL || rs->sh_info != L->text_shndx ||
		    rs->sh_size % sizeof(elf_rel))
			continue;
		for (uint64_t k = 0; k < rs->sh_size / sizeof(elf_rel); k++) {
			elf_rel rel;
			bpf__memcpy(&rel, L->img + rs->sh_offset + k * sizeof(elf_rel),
			            sizeof(rel));
			if (rel.r_offset / 8 < ntext)
				L->text_relocated[rel.r_offset / 8] = 1;
		}
	}
	return 0;
}

/* Mark (fn_need) the .text functions that the code [start, start+8n) of
 * section shndx calls.  A call with a relocation names its target by
 * symbol (+ imm); one without is pc-relative inside its section.  Bad
 * relocations are left for apply_relocs to report. */
static int mark_text_calls(struct loader *L, uint32_t shndx, uint64_t start, uint32_t n)
{
	const uint8_t *code = L->img + L->sh[shndx].sh_offset;
	for (uint32_t r = 1; r < L->shnum; r++) {
		const elf_shdr *rs = &L->sh[r];
		if (rs->sh_type != SHT_REL || rs->sh_info != shndx ||
		    rs->sh_link != L->symtab_idx || rs->sh_entsize != sizeof(elf_rel) ||
		    rs->sh_size % sizeof(elf_rel))
			continue;
		for (uint64_t k = 0; k < rs->sh_size / sizeof(elf_rel); k++) {
			elf_rel rel;
			bpf__memcpy(&rel, L->img + rs->sh_offset + k * sizeof(elf_rel),
			            sizeof(rel));
			uint32_t type = (uint32_t)rel.r_info, symi = (uint32_t)(rel.r_info >> 32);
			if (rel.r_offset < start || rel.r_offset >= start + 8ULL * n ||
			    rel.r_offset % 8 || type != R_BPF_64_32 || symi == 0 ||
			    symi >= L->nsyms)
				continue;
			elf_sym s;
			get_sym(L, symi, &s);
			if (s.st_shndx != L->text_shndx || !L->text_shndx)
				continue;
			struct bpf_insn in;
			bpf__memcpy(&in, code + rel.r_offset, sizeof(in));
			int64_t f = text_fn_of(L, (int64_t)(s.st_value / 8) + in.imm + 1);
			if (f < 0)
				return FAIL(L, shndx, rel.r_offset,
				            "call target outside the functions of .text");
			if (!L->fn_need[f])
				L->fn_need[f] = 1;
		}
	}
	if (shndx != L->text_shndx)
		return 0;
	/* pc-relative calls inside .text (no relocation: a relocated call's
	 * imm is relative to its symbol, and its target is marked above) */
	for (uint32_t i = 0; i < n; i++) {
		struct bpf_insn in;
		uint64_t off = start + 8ULL * i;
		bpf__memcpy(&in, code + off, sizeof(in));
		if (in.code == (BPF_LD | BPF_IMM | BPF_DW)) {
			i++;
			continue;
		}
		if (in.code != (BPF_JMP | BPF_CALL) || BPF_INSN_SRC(&in) != BPF_PSEUDO_CALL_LOCAL ||
		    L->text_relocated[off / 8])
			continue;
		int64_t f = text_fn_of(L, (int64_t)(off / 8) + in.imm + 1);
		if (f < 0)
			return FAIL(L, shndx, off, "call target outside the functions of .text");
		if (!L->fn_need[f])
			L->fn_need[f] = 1;
	}
	return 0;
}

/* Apply the relocations of section shndx that fall into
 * [start, start + n*8) to insns[base ...]. */
static int apply_relocs(struct loader *L, uint32_t shndx, uint64_t start, uint32_t n,
                        struct bpf_insn *insns, uint32_t base, uint32_t total, uint8_t *relocated)
{
	for (uint32_t r = 1; r < L->shnum; r++) {
		const elf_shdr *rs = &L->sh[r];
		if ((rs->sh_type != SHT_REL && rs->sh_type != SHT_RELA) || rs->sh_info != shndx)
			continue;
		if (rs->sh_type == SHT_RELA)
			return FAIL(L, r, 0, "RELA relocations are not used by BPF");
		if (rs->sh_link != L->symtab_idx)
			return FAIL(L, r, 0, "relocation section not linked to the symbol table");
		if (rs->sh_entsize != sizeof(elf_rel) || rs->sh_size % sizeof(elf_rel))
			return FAIL(L, r, 0, "bad relocation entry size");
		for (uint64_t k = 0; k < rs->sh_size / sizeof(elf_rel); k++) {
			elf_rel rel;
			uint64_t roff = k * sizeof(elf_rel);
			bpf__memcpy(&rel, L->img + rs->sh_offset + roff, sizeof(rel));
			uint32_t type = (uint32_t)rel.r_info, symi = (uint32_t)(rel.r_info >> 32);
			if (rel.r_offset < start || rel.r_offset >= start + 8ULL * n)
				continue;
			if (rel.r_offset % 8)
				return FAIL(L, r, roff,
				            "relocation offset 0x%lx not instruction-aligned",
				            rel.r_offset);
			if (symi == 0 || symi >= L->nsyms)
				return FAIL(L, r, roff, "relocation symbol index %lu invalid",
				            (uint64_t)symi);
			elf_sym s;
			get_sym(L, symi, &s);
			uint32_t pc = base + (uint32_t)((rel.r_offset - start) / 8);
			struct bpf_insn *in = &insns[pc];
			const char *sn = bpfl_sym_name(L, &s);
			if (relocated[pc])
				return FAIL(L, r, roff, "two relocations for one instruction");
			relocated[pc] = 1;
			uint64_t soff = rel.r_offset; /* error offset within shndx */
			if (s.st_shndx == SHN_UNDEF)
				return FAIL(L, shndx, soff,
				            "unresolved external symbol '%s' (extern/kconfig/ksym "
				            "not supported)",
				            U(sn));
			if (s.st_shndx >= L->shnum)
				return FAIL(L, shndx, soff,
				            "relocation against special symbol '%s'", U(sn));
			switch (type) {
			case R_BPF_64_64: {
				if (in->code != (BPF_LD | BPF_IMM | BPF_DW) || pc + 1 >= total)
					return FAIL(L, shndx, soff,
					            "R_BPF_64_64 on an instruction that is not "
					            "LD_IMM64");
				if (BPF_INSN_SRC(in) != 0)
					return FAIL(L, shndx, soff,
					            "LD_IMM64 already has a pseudo source");
				if (s.st_shndx == L->maps_shndx && L->maps_shndx) {
					int64_t mi = map_for_sym(L, &s);
					if (mi < 0 || in->imm != 0)
						return FAIL(L, shndx, soff,
						            "reference to unknown map '%s'", U(sn));
					in->regs = BPF_REGS(BPF_INSN_DST(in), BPF_PSEUDO_MAP_IDX);
					in->imm = (int32_t)mi;
					in[1].imm = 0;
				} else if (L->sec_map[s.st_shndx]) {
					/* libbpf convention: offset = symbol value
					 * + the addend clang left in imm. */
					uint32_t mi = L->sec_map[s.st_shndx] - 1;
					uint64_t off = s.st_value + (uint64_t)(uint32_t)in->imm;
					if (off >= L->obj->maps[mi]->def.value_size)
						return FAIL(L, shndx, soff,
						            "global variable offset %lu outside "
						            "its section",
						            off);
					in->regs = BPF_REGS(BPF_INSN_DST(in),
					                    BPF_PSEUDO_MAP_IDX_VALUE);
					in->imm = (int32_t)mi;
					in[1].imm = (int32_t)off;
				} else if ((L->sh[s.st_shndx].sh_flags & SHF_EXECINSTR)) {
					return FAIL(L, shndx, soff,
					            "function pointer to '%s' not supported",
					            U(sn));
				} else {
					return FAIL(L, shndx, soff,
					            "LD_IMM64 relocation against section '%s' not "
					            "supported",
					            U(sec_name(L, s.st_shndx)));
				}
				break;
			}
			case R_BPF_64_32: {
				if (in->code != (BPF_JMP | BPF_CALL) ||
				    BPF_INSN_SRC(in) != BPF_PSEUDO_CALL_LOCAL)
					return FAIL(L, shndx, soff,
					            "R_BPF_64_32 on an instruction that is not a "
					            "local call");
				if (s.st_value % 8)
					return FAIL(L, shndx, soff,
					            "call target '%s' not instruction-aligned",
					            U(sn));
				int64_t tgt = (int64_t)(s.st_value / 8) + in->imm + 1;
				int64_t abs_pc;
				if (s.st_shndx == L->text_shndx && L->text_shndx) {
					abs_pc = text_pc(L, tgt);
					if (abs_pc < 0)
						return FAIL(L, shndx, soff,
						            "call target outside the functions of "
						            ".text");
				} else if (s.st_shndx == shndx) {
					/* Within the same section: the target must lie in
					 * the code being loaded. */
					if (tgt < (int64_t)(start / 8) ||
					    tgt >= (int64_t)(start / 8 + n))
						return FAIL(
						        L, shndx, soff,
						        "call to '%s' crosses a function boundary",
						        U(sn));
					abs_pc = base + (tgt - (int64_t)(start / 8));
				} else {
					return FAIL(L, shndx, soff,
					            "call into section '%s' not supported",
					            U(sec_name(L, s.st_shndx)));
				}
				in->imm = (int32_t)(abs_pc - (int64_t)pc - 1);
				break;
			}
			case R_BPF_NONE:
				break;
			default:
				return FAIL(L, shndx, soff, "unsupported relocation type %lu",
				            (uint64_t)type);
			}
		}
	}
	return 0;
}

/* Local calls without relocations are pc-relative: they must stay inside
 * the code that was copied. */
static int check_local_calls(struct loader *L, uint32_t shndx, uint64_t start,
                             const struct bpf_insn *insns, uint32_t base, uint32_t n,
                             const uint8_t *relocated)
{
	for (uint32_t i = 0; i < n; i++) {
		const struct bpf_insn *in = &insns[base + i];
		if (relocated[base + i])
			continue;
		if (in->code == (BPF_LD | BPF_IMM | BPF_DW)) {
			i++;
			continue;
		}
		if (in->code != (BPF_JMP | BPF_CALL) || BPF_INSN_SRC(in) != BPF_PSEUDO_CALL_LOCAL)
			continue;
		int64_t t = (int64_t)base + i + in->imm + 1;
		if (t < (int64_t)base || t >= (int64_t)(base + n))
			return FAIL(L, shndx, start + 8ULL * i, "local call leaves its function");
	}
	return 0;
}

static char *dupstr(struct bpf_object *o, const char *s)
{
	size_t n = bpf__strnlen(s, 255);
	char *d = bpfl_alloc(o, n + 1);
	if (d)
		bpf__memcpy(d, s, n);
	return d;
}

/* Calls inside a linked .text function without a relocation are
 * pc-relative within .text: point them at where their target landed.
 * Jumps must stay inside the function (the others are not copied next
 * to it). */
static int link_text_fn(struct loader *L, uint32_t f, struct bpf_insn *insns,
                        const uint8_t *relocated)
{
	uint32_t base = L->fn_base[f] - 1, n = L->text_fns[f].end - L->text_fns[f].start;
	for (uint32_t i = 0; i < n; i++) {
		struct bpf_insn *in = &insns[base + i];
		uint64_t off = 8ULL * (L->text_fns[f].start + i);
		uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
		if (in->code == (BPF_LD | BPF_IMM | BPF_DW)) {
			i++;
			continue;
		}
		if (cls != BPF_JMP && cls != BPF_JMP32)
			continue;
		if (op == BPF_CALL) {
			if (BPF_INSN_SRC(in) != BPF_PSEUDO_CALL_LOCAL || relocated[base + i])
				continue;
			int64_t t = text_pc(L, (int64_t)(L->text_fns[f].start + i) + in->imm + 1);
			if (t < 0)
				return FAIL(L, L->text_shndx, off,
				            "call target outside the functions of .text");
			in->imm = (int32_t)(t - (int64_t)(base + i) - 1);
			continue;
		}
		if (op == BPF_EXIT)
			continue;
		int64_t d = cls == BPF_JMP32 && op == BPF_JA ? in->imm : in->off;
		int64_t t = (int64_t)i + d + 1;
		if (t < 0 || t >= (int64_t)n)
			return FAIL(L, L->text_shndx, off, "jump leaves its function in .text");
	}
	return 0;
}

static int load_prog(struct loader *L, uint32_t shndx, uint64_t start, uint64_t size,
                     const char *fname)
{
	struct bpf_object *o = L->obj;
	const elf_shdr *s = &L->sh[shndx];
	const char *sname = sec_name(L, shndx);
	if (o->nprogs >= LOADER_MAX_PROGS)
		return FAIL(L, shndx, start, "too many programs");
	if (size == 0 || size % 8 || start % 8 || !range_ok(start, size, s->sh_size))
		return FAIL(L, shndx, start, "function '%s' has a bad extent", U(fname));
	uint32_t n = (uint32_t)(size / 8);
	/* The .text functions this program reaches, transitively. */
	bpf__memset(L->fn_need, 0, L->ntext_fns);
	bpf__memset(L->fn_base, 0, L->ntext_fns * sizeof(uint32_t));
	int rc = mark_text_calls(L, shndx, start, n);
	for (bool again = true; !rc && again;) {
		again = false;
		for (uint32_t f = 0; f < L->ntext_fns && !rc; f++) {
			if (L->fn_need[f] != 1)
				continue;
			L->fn_need[f] = 2;
			again = true;
			rc = mark_text_calls(L, L->text_shndx, 8ULL * L->text_fns[f].start,
			                     L->text_fns[f].end - L->text_fns[f].start);
		}
	}
	if (rc)
		return rc;
	uint64_t total = n;
	for (uint32_t f = 0; f < L->ntext_fns; f++) {
		if (!L->fn_need[f])
			continue;
		L->fn_base[f] = (uint32_t)total + 1;
		total += L->text_fns[f].end - L->text_fns[f].start;
		if (total > BPF_MAX_INSNS)
			return FAIL(L, shndx, start, "program too large");
	}
	struct bpf_insn *insns = bpfl_alloc(o, total * sizeof(struct bpf_insn));
	uint8_t *relocated = bpfl_alloc(o, total);
	if (!insns || !relocated)
		return bpfl_err(L, -BPF_ENOMEM, shndx, start, "out of memory", 0, 0);
	bpf__memcpy(insns, L->img + s->sh_offset + start, size);
	for (uint32_t f = 0; f < L->ntext_fns; f++)
		if (L->fn_base[f])
			bpf__memcpy(insns + L->fn_base[f] - 1,
			            L->img + L->sh[L->text_shndx].sh_offset +
			                    8ULL * L->text_fns[f].start,
			            8ULL * (L->text_fns[f].end - L->text_fns[f].start));
	rc = apply_relocs(L, shndx, start, n, insns, 0, (uint32_t)total, relocated);
	if (!rc)
		rc = check_local_calls(L, shndx, start, insns, 0, n, relocated);
	for (uint32_t f = 0; f < L->ntext_fns && !rc; f++) {
		if (!L->fn_base[f])
			continue;
		rc = apply_relocs(L, L->text_shndx, 8ULL * L->text_fns[f].start,
		                  L->text_fns[f].end - L->text_fns[f].start, insns,
		                  L->fn_base[f] - 1, (uint32_t)total, relocated);
		if (!rc)
			rc = link_text_fn(L, f, insns, relocated);
	}
	if (rc)
		return rc;
	struct bpf_prog *p = &o->progs[o->nprogs];
	struct bpf_prog_error pe = {0, NULL};
	if (bpf_prog_init(p, insns, (uint32_t)total, o->maps, o->nmaps, L->env, &pe)) {
		uint64_t off = start + 8ULL * pe.insn;
		uint32_t esec = shndx;
		for (uint32_t f = 0; f < L->ntext_fns && pe.insn >= n; f++) {
			uint32_t b = L->fn_base[f];
			if (b && pe.insn >= b - 1 &&
			    pe.insn < b - 1 + L->text_fns[f].end - L->text_fns[f].start) {
				esec = L->text_shndx;
				off = 8ULL * (L->text_fns[f].start + pe.insn - (b - 1));
			}
		}
		return FAIL(L, esec, off, "program '%s': %s", U(fname), U(pe.reason));
	}
	p->name = dupstr(o, fname);
	p->section = dupstr(o, sname);
	if (!p->name || !p->section)
		return bpfl_err(L, -BPF_ENOMEM, shndx, start, "out of memory", 0, 0);
	o->nprogs++;
	return 0;
}

int bpfl_load_progs(struct loader *L)
{
	struct bpf_object *o = L->obj;
	o->progs = bpfl_alloc(o, sizeof(struct bpf_prog) * LOADER_MAX_PROGS);
	if (!o->progs)
		return bpfl_err(L, -BPF_ENOMEM, 0, 0, "out of memory", 0, 0);
	int frc = find_text_fns(L);
	if (frc)
		return frc;
	for (uint32_t i = 1; i < L->shnum; i++) {
		const elf_shdr *s = &L->sh[i];
		if (s->sh_type != SHT_PROGBITS || !(s->sh_flags & SHF_EXECINSTR) ||
		    i == L->text_shndx || s->sh_size == 0)
			continue;
		if (s->sh_size % 8)
			return FAIL(L, i, 0, "code size %lu not a multiple of 8", s->sh_size);
		uint32_t found = 0;
		for (uint32_t k = 1; k < L->nsyms; k++) {
			elf_sym sym;
			get_sym(L, k, &sym);
			uint8_t bind = sym.st_info >> 4, type = sym.st_info & 0xf;
			if (sym.st_shndx != i || type != STT_FUNC ||
			    (bind != STB_GLOBAL && bind != STB_WEAK))
				continue;
			int rc = load_prog(L, i, sym.st_value, sym.st_size, bpfl_sym_name(L, &sym));
			if (rc)
				return rc;
			found++;
		}
		if (!found) {
			int rc = load_prog(L, i, 0, s->sh_size, sec_name(L, i));
			if (rc)
				return rc;
		}
	}
	return 0;
}
