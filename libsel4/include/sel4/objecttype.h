/* Object type numbers for seL4_Untyped_Retype (riscv64 Sv39, non-MCS). */
#pragma once

typedef enum api_object {
    seL4_UntypedObject = 0,
    seL4_TCBObject = 1,
    seL4_EndpointObject = 2,
    seL4_NotificationObject = 3,
    seL4_CapTableObject = 4,
    seL4_NonArchObjectTypeCount
} seL4_ObjectType;

typedef enum _mode_object {
    seL4_RISCV_Giga_Page = seL4_NonArchObjectTypeCount,
    seL4_RISCV_4K_Page,
    seL4_RISCV_Mega_Page,
    seL4_RISCV_PageTableObject,
    seL4_ObjectTypeCount
} seL4_RISCV_ObjectType;

#define seL4_ModeObjectTypeCount seL4_ObjectTypeCount
