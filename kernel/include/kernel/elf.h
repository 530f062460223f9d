/* Reading the root task's ELF image (ELF-64 Object File Format v1.5). */
#pragma once
#include <types.h>

#define ELF_MAX_SEGMENTS 16

typedef struct elf_segment {
    vptr_t vaddr;
    word_t memsz, filesz, offset;
    bool writable, exec;
} elf_segment_t;

typedef struct elf_image {
    vptr_t entry, lo, hi; /* hi: end of the last segment, page aligned */
    elf_segment_t seg[ELF_MAX_SEGMENTS];
    word_t n_seg;
} elf_image_t;

/* Validate a static executable for this architecture wholly inside [blob, blob+size)
 * whose segments lie below user_top. Returns NULL or the reason. */
const char *elf_read(const void *blob, word_t size, vptr_t user_top, elf_image_t *out);
