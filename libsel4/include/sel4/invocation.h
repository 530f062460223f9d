/* Invocation labels (the label of a message to a kernel object), numbered
 * as seL4 15.0.0 and later number them for non-MCS, single-core riscv64:
 * the generic methods here, then the RISC-V ones (<sel4/arch/invocation.h>). */
#pragma once

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
    CNodeSaveCaller,
    IRQIssueIRQHandler,
    IRQAckIRQ,
    IRQSetIRQHandler,
    IRQClearIRQHandler,
    DomainSetSet,
    DomainScheduleConfigure,
    DomainScheduleSetStart,
    nInvocationLabels
};

#include <sel4/sel4_arch/invocation.h>
#include <sel4/arch/invocation.h>
