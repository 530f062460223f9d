/* Object type numbers for seL4_Untyped_Retype: the generic types, then
 * riscv64's (the 1 GiB page), then RISC-V's (4 KiB and 2 MiB pages, page
 * tables; a VSpace root is a page table). <sel4/sel4_arch/objecttype.h>
 * and <sel4/arch/objecttype.h> name this header. */
#pragma once
#include <sel4/config.h>
#include <sel4/simple_types.h>

typedef enum api_object {
    seL4_UntypedObject = 0,
    seL4_TCBObject = 1,
    seL4_EndpointObject = 2,
    seL4_NotificationObject = 3,
    seL4_CapTableObject = 4,
#ifdef CONFIG_KERNEL_MCS
    seL4_SchedContextObject = 5,
    seL4_ReplyObject = 6,
#endif
    seL4_NonArchObjectTypeCount
} seL4_ObjectType;
typedef seL4_ObjectType api_object_t;

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
