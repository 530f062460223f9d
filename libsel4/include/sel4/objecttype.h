/* Object type numbers for seL4_Untyped_Retype (non-MCS); the architecture's
 * types continue the numbering in <sel4/arch/objecttype.h>. */
#pragma once

typedef enum api_object {
    seL4_UntypedObject = 0,
    seL4_TCBObject = 1,
    seL4_EndpointObject = 2,
    seL4_NotificationObject = 3,
    seL4_CapTableObject = 4,
    seL4_NonArchObjectTypeCount
} seL4_ObjectType;

#include <sel4/arch/objecttype.h>
