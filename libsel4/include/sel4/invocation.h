/* Invocation labels (the label of a message to a kernel object), numbered
 * as seL4 15.0.0 and later number them (non-MCS, single core): the generic
 * methods here, then the architecture's (<sel4/arch/invocation.h>). */
#pragma once
#include <sel4/config.h>

enum invocation_label {
    InvalidInvocation = 0,
    UntypedRetype,
    TCBReadRegisters,
    TCBWriteRegisters,
    TCBCopyRegisters,
    TCBConfigure,
    TCBSetPriority,
    TCBSetMCPriority,
    TCBSetSchedParams,
#ifdef CONFIG_KERNEL_MCS
    TCBSetTimeoutEndpoint,
#endif
    TCBSetIPCBuffer,
    TCBSetSpace,
    TCBSuspend,
    TCBResume,
    TCBBindNotification,
    TCBUnbindNotification,
    TCBSetTLSBase,
    TCBSetFlags,
    CNodeRevoke,
    CNodeDelete,
    CNodeCancelBadgedSends,
    CNodeCopy,
    CNodeMint,
    CNodeMove,
    CNodeMutate,
    CNodeRotate,
#ifndef CONFIG_KERNEL_MCS
    CNodeSaveCaller,
#endif
    IRQIssueIRQHandler,
    IRQAckIRQ,
    IRQSetIRQHandler,
    IRQClearIRQHandler,
    DomainSetSet,
    DomainScheduleConfigure,
    DomainScheduleSetStart,
#ifdef CONFIG_KERNEL_MCS
    SchedControlConfigureFlags,
    SchedContextBind,
    SchedContextUnbind,
    SchedContextUnbindObject,
    SchedContextConsumed,
    SchedContextYieldTo,
#endif
    nInvocationLabels
};

#include <sel4/arch/invocation.h>
