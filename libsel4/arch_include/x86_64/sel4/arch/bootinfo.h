/* x86 boot info: the generic layout, and the extra boot info chunk the
 * kernel passes on x86 (id SEL4_BOOTINFO_HEADER_X86_MBMMAP): the memory
 * map the multiboot loader gave it (Multiboot Specification 0.6.96
 * §3.3), as a byte count followed by the loader's entries, at most
 * SEL4_MULTIBOOT_MAX_MMAP_ENTRIES of them. Each entry's size field counts
 * the bytes after itself (20 for these entries). */
#pragma once
#include <sel4/bootinfo_types.h>

#define SEL4_MULTIBOOT_MAX_MMAP_ENTRIES 50
#define SEL4_MULTIBOOT_RAM_REGION_TYPE 1

typedef struct seL4_X86_mb_mmap {
    seL4_Uint32 size;      /* bytes after this field */
    seL4_Uint64 base_addr; /* physical start of the region */
    seL4_Uint64 length;    /* bytes */
    seL4_Uint32 type;      /* SEL4_MULTIBOOT_RAM_REGION_TYPE: RAM */
} SEL4_PACKED seL4_X86_mb_mmap_t;

typedef struct seL4_X86_BootInfo_mmap {
    seL4_BootInfoHeader header;
    seL4_Uint32 mmap_length; /* bytes of mmap[] in use */
    seL4_X86_mb_mmap_t mmap[SEL4_MULTIBOOT_MAX_MMAP_ENTRIES];
} SEL4_PACKED seL4_X86_BootInfo_mmap_t;
