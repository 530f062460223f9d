/* Minimal ELF64 reader for the boot image: program headers only. */
#include <kernel/elf.h>
#include <arch/registers.h>

#define ET_EXEC 2
#define PT_LOAD 1
#define PF_X 1
#define PF_W 2

typedef struct {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} elf64_ehdr_t;

typedef struct {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
} elf64_phdr_t;

const char *elf_read(const void *blob, word_t size, vptr_t user_top, elf_image_t *out)
{
    const uint8_t *b = blob;
    *out = (elf_image_t){0};
    if (size < sizeof(elf64_ehdr_t))
        return "shorter than an ELF header";
    elf64_ehdr_t eh;
    __builtin_memcpy(&eh, b, sizeof(eh));
    if (eh.ident[0] != 0x7f || eh.ident[1] != 'E' || eh.ident[2] != 'L' || eh.ident[3] != 'F')
        return "not an ELF file";
    if (eh.ident[4] != 2 || eh.ident[5] != 1)
        return "not a 64-bit little-endian ELF";
    if (eh.machine != ARCH_ELF_MACHINE || eh.type != ET_EXEC)
        return "not a " ARCH_ELF_MACHINE_NAME " executable";
    if (eh.phentsize != sizeof(elf64_phdr_t) || eh.phoff > size ||
        (word_t)eh.phnum * sizeof(elf64_phdr_t) > size - eh.phoff)
        return "program headers outside the file";

    out->lo = ~0ull;
    for (word_t i = 0; i < eh.phnum; i++) {
        elf64_phdr_t ph;
        __builtin_memcpy(&ph, b + eh.phoff + i * sizeof(ph), sizeof(ph));
        if (ph.type != PT_LOAD || ph.memsz == 0)
            continue;
        if (out->n_seg == ELF_MAX_SEGMENTS)
            return "too many loadable segments";
        if (ph.filesz > ph.memsz || ph.offset > size || ph.filesz > size - ph.offset)
            return "segment data outside the file";
        if (ph.vaddr < 0x1000 || ph.vaddr >= user_top || ph.memsz > user_top - ph.vaddr)
            return "segment outside the user address range";
        out->seg[out->n_seg++] =
            (elf_segment_t){ph.vaddr, ph.memsz, ph.filesz, ph.offset, (ph.flags & PF_W) != 0, (ph.flags & PF_X) != 0};
        if (ph.vaddr < out->lo)
            out->lo = ph.vaddr;
        if (ph.vaddr + ph.memsz > out->hi)
            out->hi = ph.vaddr + ph.memsz;
    }
    if (out->n_seg == 0)
        return "no loadable segment";
    out->lo = ROUND_DOWN(out->lo, 12);
    out->hi = ROUND_UP(out->hi, 12);
    if (eh.entry < out->lo || eh.entry >= out->hi)
        return "entry point outside the image";
    out->entry = eh.entry;
    return NULL;
}
