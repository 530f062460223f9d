/* riscv64's object types for seL4_Untyped_Retype (the 1 GiB page), then
 * RISC-V's (4 KiB and 2 MiB pages, page tables; a VSpace root is a page
 * table), after the generic ones. */
#pragma once
#include <sel4/objecttype.h>

typedef enum _mode_object {
    seL4_RISCV_Giga_Page = seL4_NonArchObjectTypeCount,
    seL4_ModeObjectTypeCount
} seL4_ModeObjectType;

typedef enum _object {
    seL4_RISCV_4K_Page = seL4_ModeObjectTypeCount,
    seL4_RISCV_Mega_Page,
    seL4_RISCV_PageTableObject,
    seL4_ObjectTypeCount
} seL4_ArchObjectType;
typedef seL4_ArchObjectType seL4_RISCV_ObjectType;
typedef seL4_Word object_t;

#define seL4_RISCV_VSpaceObject seL4_RISCV_PageTableObject
