/* RISC-V object types: 4 KiB and 2 MiB pages, page tables (a VSpace root
 * is a page table). */
#pragma once
#include <sel4/sel4_arch/objecttype.h>

typedef enum _object {
    seL4_RISCV_4K_Page = seL4_ModeObjectTypeCount,
    seL4_RISCV_Mega_Page,
    seL4_RISCV_PageTableObject,
    seL4_ObjectTypeCount
} seL4_ArchObjectType;
typedef seL4_ArchObjectType seL4_RISCV_ObjectType;
typedef seL4_Word object_t;

#define seL4_RISCV_VSpaceObject seL4_RISCV_PageTableObject
