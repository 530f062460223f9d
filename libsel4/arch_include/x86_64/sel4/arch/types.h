/* x86_64 object cap types and VM attributes. */
#pragma once
#include <sel4/config.h>
#include <sel4/macros.h>
#include <sel4/simple_types.h>
#include <sel4/sel4_arch/types.h>

typedef seL4_CPtr seL4_X86_Page;
typedef seL4_CPtr seL4_X86_PageTable;
typedef seL4_CPtr seL4_X86_PageDirectory;
typedef seL4_CPtr seL4_X86_PDPT;
typedef seL4_CPtr seL4_X64_PML4;
typedef seL4_CPtr seL4_X86_ASIDControl;
typedef seL4_CPtr seL4_X86_ASIDPool;
typedef seL4_CPtr seL4_X86_IOPortControl;
typedef seL4_CPtr seL4_X86_IOPort;

/* The frame's memory type through the page-table entry's bits (Intel SDM
 * Vol. 3A §11.12.3): bit 0 PWT, bit 1 PCD, bit 2 PAT; the kernel's PAT
 * makes PAT alone write-combining. */
typedef enum {
    seL4_X86_WriteBack = 0,
    seL4_X86_WriteThrough = 1,
    seL4_X86_CacheDisabled = 2,
    seL4_X86_Uncacheable = 3,
    seL4_X86_WriteCombining = 4,
    /* hypOS extension (seL4 maps every x86 frame executable): may be or-ed
     * with a memory type; the mapping's XD bit is set, so fetching an
     * instruction from it is a VM fault */
    seL4_X86_ExecuteNever = 8,
    seL4_X86_Default_VMAttributes = 0,
    SEL4_FORCE_LONG_ENUM(seL4_X86_VMAttributes),
} seL4_X86_VMAttributes;

typedef seL4_X86_VMAttributes seL4_VMAttributes;
