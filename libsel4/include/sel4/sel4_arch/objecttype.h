/* riscv64 (Sv39) object types that only a 64-bit RISC-V has: the 1 GiB page. */
#pragma once
#include <sel4/objecttype.h>

typedef enum _mode_object {
    seL4_RISCV_Giga_Page = seL4_NonArchObjectTypeCount,
    seL4_ModeObjectTypeCount
} seL4_ModeObjectType;
