/* Object type numbers for seL4_Untyped_Retype: the generic types, then
 * (<sel4/sel4_arch/objecttype.h>, <sel4/arch/objecttype.h>) riscv64's. */
#pragma once
#include <sel4/config.h>

typedef enum api_object {
    seL4_UntypedObject = 0,
    seL4_TCBObject = 1,
    seL4_EndpointObject = 2,
    seL4_NotificationObject = 3,
    seL4_CapTableObject = 4,
    /* an MCS configuration adds seL4_SchedContextObject and seL4_ReplyObject here */
    seL4_NonArchObjectTypeCount
} seL4_ObjectType;
typedef seL4_ObjectType api_object_t;

#include <sel4/sel4_arch/objecttype.h>
#include <sel4/arch/objecttype.h>
