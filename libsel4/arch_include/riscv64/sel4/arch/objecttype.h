/* riscv64 Sv39 object types for seL4_Untyped_Retype (after the generic ones). */
#pragma once

typedef enum _mode_object {
    seL4_RISCV_Giga_Page = seL4_NonArchObjectTypeCount,
    seL4_RISCV_4K_Page,
    seL4_RISCV_Mega_Page,
    seL4_RISCV_PageTableObject,
    seL4_ObjectTypeCount
} seL4_RISCV_ObjectType;

#define seL4_ModeObjectTypeCount seL4_ObjectTypeCount
