/* ELF64 reader for program images (System V gABI, ELF-64 object format:
 * file header, program headers of type PT_LOAD, section headers for the
 * symbol table). Only little-endian RISC-V executables are accepted. */
#include "elf.h"
#include "sdf.h"
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef EM_RISCV
#define EM_RISCV 243
#endif

elf_file_t *elf_load(const char *path, const char **why)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *why = "cannot be opened";
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *img = malloc(sz > 0 ? (size_t)sz : 1);
    if (sz < 0 || fread(img, 1, (size_t)sz, f) != (size_t)sz) {
        fclose(f);
        *why = "cannot be read";
        return NULL;
    }
    fclose(f);
    Elf64_Ehdr eh;
    if ((size_t)sz < sizeof eh || memcmp(img, ELFMAG, SELFMAG)) {
        *why = "is not an ELF file";
        return NULL;
    }
    memcpy(&eh, img, sizeof eh);
    if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_RISCV) {
        *why = "is not a 64-bit little-endian RISC-V ELF file";
        return NULL;
    }
    if (eh.e_type != ET_EXEC) {
        *why = "is not an executable (link it, statically)";
        return NULL;
    }
    if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phoff + (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > (uint64_t)sz) {
        *why = "has a damaged program header table";
        return NULL;
    }
    elf_file_t *e = calloc(1, sizeof *e);
    e->path = path;
    e->entry = eh.e_entry;
    e->image = img;
    e->size = (uint64_t)sz;
    for (int i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, img + eh.e_phoff + (uint64_t)i * sizeof ph, sizeof ph);
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (ph.p_filesz > ph.p_memsz || ph.p_offset + ph.p_filesz > (uint64_t)sz) {
            *why = "has a segment outside the file";
            return NULL;
        }
        e->segs = realloc(e->segs, sizeof *e->segs * (size_t)(e->n_segs + 1));
        elf_segment_t *s = &e->segs[e->n_segs++];
        s->vaddr = ph.p_vaddr;
        s->memsz = ph.p_memsz;
        s->filesz = ph.p_filesz;
        s->offset = ph.p_offset;
        s->data = malloc(ph.p_filesz ? ph.p_filesz : 1);
        memcpy(s->data, img + ph.p_offset, ph.p_filesz);
        s->perms = ((ph.p_flags & PF_R) ? PERM_R : 0) | ((ph.p_flags & PF_W) ? PERM_W : 0) |
                   ((ph.p_flags & PF_X) ? PERM_X : 0);
    }
    if (!e->n_segs) {
        *why = "has no loadable segment";
        return NULL;
    }
    return e;
}

bool elf_symbol(const elf_file_t *e, const char *name, uint64_t *vaddr, uint64_t *size)
{
    Elf64_Ehdr eh;
    memcpy(&eh, e->image, sizeof eh);
    if (!eh.e_shoff || eh.e_shentsize != sizeof(Elf64_Shdr) ||
        eh.e_shoff + (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr) > e->size)
        return false;
    for (int i = 0; i < eh.e_shnum; i++) {
        Elf64_Shdr sh, strh;
        memcpy(&sh, e->image + eh.e_shoff + (uint64_t)i * sizeof sh, sizeof sh);
        if (sh.sh_type != SHT_SYMTAB || sh.sh_link >= eh.e_shnum || sh.sh_offset + sh.sh_size > e->size)
            continue;
        memcpy(&strh, e->image + eh.e_shoff + (uint64_t)sh.sh_link * sizeof strh, sizeof strh);
        if (strh.sh_offset + strh.sh_size > e->size)
            continue;
        const char *strs = (const char *)e->image + strh.sh_offset;
        for (uint64_t k = 0; k + sizeof(Elf64_Sym) <= sh.sh_size; k += sizeof(Elf64_Sym)) {
            Elf64_Sym sym;
            memcpy(&sym, e->image + sh.sh_offset + k, sizeof sym);
            if (sym.st_name >= strh.sh_size || sym.st_shndx == SHN_UNDEF)
                continue;
            const char *n = strs + sym.st_name;
            if (strnlen(n, strh.sh_size - sym.st_name) < strh.sh_size - sym.st_name && !strcmp(n, name)) {
                *vaddr = sym.st_value;
                *size = sym.st_size;
                return true;
            }
        }
    }
    return false;
}

bool elf_section(const elf_file_t *e, const char *name, const uint8_t **data, uint64_t *size)
{
    Elf64_Ehdr eh;
    memcpy(&eh, e->image, sizeof eh);
    if (!eh.e_shoff || eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shstrndx >= eh.e_shnum ||
        eh.e_shoff + (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr) > e->size)
        return false;
    Elf64_Shdr strh;
    memcpy(&strh, e->image + eh.e_shoff + (uint64_t)eh.e_shstrndx * sizeof strh, sizeof strh);
    if (strh.sh_offset + strh.sh_size > e->size || strh.sh_offset + strh.sh_size < strh.sh_offset)
        return false;
    const char *strs = (const char *)e->image + strh.sh_offset;
    for (int i = 0; i < eh.e_shnum; i++) {
        Elf64_Shdr sh;
        memcpy(&sh, e->image + eh.e_shoff + (uint64_t)i * sizeof sh, sizeof sh);
        if (sh.sh_name >= strh.sh_size || sh.sh_type == SHT_NOBITS ||
            strnlen(strs + sh.sh_name, strh.sh_size - sh.sh_name) == strh.sh_size - sh.sh_name ||
            strcmp(strs + sh.sh_name, name))
            continue;
        if (sh.sh_offset + sh.sh_size > e->size || sh.sh_offset + sh.sh_size < sh.sh_offset || !sh.sh_size)
            return false;
        *data = e->image + sh.sh_offset;
        *size = sh.sh_size;
        return true;
    }
    return false;
}

bool elf_patch(elf_file_t *e, uint64_t vaddr, const void *bytes, uint64_t n)
{
    for (int i = 0; i < e->n_segs; i++) {
        elf_segment_t *s = &e->segs[i];
        if (vaddr >= s->vaddr && vaddr + n <= s->vaddr + s->filesz) {
            memcpy(s->data + (vaddr - s->vaddr), bytes, n);
            return true;
        }
    }
    return false;
}

bool elf_file_offset(const elf_file_t *e, uint64_t vaddr, uint64_t n, uint64_t *offset)
{
    for (int i = 0; i < e->n_segs; i++) {
        const elf_segment_t *s = &e->segs[i];
        if (vaddr >= s->vaddr && vaddr + n <= s->vaddr + s->filesz) {
            *offset = s->offset + (vaddr - s->vaddr);
            return true;
        }
    }
    return false;
}

bool elf_file_backed(const elf_file_t *e, uint64_t vaddr, uint64_t n)
{
    for (int i = 0; i < e->n_segs; i++)
        if (vaddr >= e->segs[i].vaddr && vaddr + n <= e->segs[i].vaddr + e->segs[i].filesz)
            return true;
    return false;
}

void elf_free(elf_file_t *e)
{
    if (!e)
        return;
    for (int i = 0; i < e->n_segs; i++)
        free(e->segs[i].data);
    free(e->segs);
    free(e->image);
    free(e);
}
