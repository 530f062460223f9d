/* Reading program images (ELF64, RISC-V executables) and patching their
 * variables before they are laid into frames. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

typedef struct elf_segment {
    uint64_t vaddr, memsz, filesz;
    uint64_t offset; /* of its bytes in the file */
    uint8_t *data;   /* filesz bytes, a private copy that patches go into */
    int perms;       /* PERM_R/W/X */
} elf_segment_t;

typedef struct elf_file {
    const char *path;
    uint64_t entry;
    elf_segment_t *segs;
    int n_segs;
    uint8_t *image; /* the whole file */
    uint64_t size;
} elf_file_t;

/* NULL and a reason in *why when the file is not a loadable riscv64 ELF. */
elf_file_t *elf_load(const char *path, const char **why);
void elf_free(elf_file_t *e);
/* Finds a symbol; false when absent. */
bool elf_symbol(const elf_file_t *e, const char *name, uint64_t *vaddr, uint64_t *size);
/* The file bytes of a section; false when there is no such section (or it
 * has no bytes in the file). */
bool elf_section(const elf_file_t *e, const char *name, const uint8_t **data, uint64_t *size);
/* True when [vaddr, vaddr + n) has file bytes a patch can go into. */
bool elf_file_backed(const elf_file_t *e, uint64_t vaddr, uint64_t n);
/* The file offset of [vaddr, vaddr + n) when a segment holds it in the file. */
bool elf_file_offset(const elf_file_t *e, uint64_t vaddr, uint64_t n, uint64_t *offset);
/* Writes bytes at a virtual address inside a segment's file data; false
 * when the range is not file-backed. */
bool elf_patch(elf_file_t *e, uint64_t vaddr, const void *bytes, uint64_t n);
