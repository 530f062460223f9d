#pragma once
#include <sel4/types.h>
#include <sel4/bootinfo_types.h>
/* the architecture's extra boot info chunk types (x86: the memory map) */
#include <sel4/arch/bootinfo.h>

/* Where the runtime keeps the pointer the kernel passed in a0. */
LIBSEL4_BEGIN_DECLS
void seL4_InitBootInfo(seL4_BootInfo *bi);
seL4_BootInfo *seL4_GetBootInfo(void);
LIBSEL4_END_DECLS

/* Kinds of chunk in the extra boot info (seL4_BootInfoHeader.id). */
typedef enum {
    SEL4_BOOTINFO_HEADER_PADDING = 0,
    SEL4_BOOTINFO_HEADER_X86_VBE = 1,
    SEL4_BOOTINFO_HEADER_X86_MBMMAP = 2,
    SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP = 3,
    SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER = 4,
    SEL4_BOOTINFO_HEADER_X86_TSC_FREQ = 5,
    SEL4_BOOTINFO_HEADER_FDT = 6,
    SEL4_BOOTINFO_HEADER_NUM,
    SEL4_FORCE_LONG_ENUM(seL4_BootInfoID)
} seL4_BootInfoID;
