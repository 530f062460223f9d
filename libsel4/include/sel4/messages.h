/* Where things are in a message: the words of a capability fault and of
 * the lookup-failure description after seL4_FailedLookup (seL4 manual
 * sec. 3.4 and 6.2). The other fault layouts are architecture specific
 * (<sel4/sel4_arch/constants.h>). */
#pragma once
#include <sel4/macros.h>
#include <sel4/sel4_arch/constants.h>

typedef enum {
    seL4_CapFault_IP = 0,
    seL4_CapFault_Addr,
    seL4_CapFault_InRecvPhase,
    seL4_CapFault_LookupFailureType,
    seL4_CapFault_BitsLeft,
    seL4_CapFault_DepthMismatch_BitsFound,
    seL4_CapFault_GuardMismatch_GuardFound = seL4_CapFault_DepthMismatch_BitsFound,
    seL4_CapFault_GuardMismatch_BitsFound,
    seL4_CapFault_Length,
    SEL4_FORCE_LONG_ENUM(seL4_CapFault_Msg),
} seL4_CapFault_Msg;
