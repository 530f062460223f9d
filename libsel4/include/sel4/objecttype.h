/* Object type numbers for seL4_Untyped_Retype: the generic types, then
 * the architecture's (<sel4/arch/objecttype.h>). */
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

#include <sel4/arch/objecttype.h>
