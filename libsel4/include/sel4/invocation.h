/* Invocation labels (the label of a message to a kernel object), numbered
 * as seL4 15.0.0 and later number them for non-MCS, single-core riscv64:
 * the generic methods, then riscv64's (none of its own), then RISC-V's.
 * <sel4/sel4_arch/invocation.h> and <sel4/arch/invocation.h> name this
 * header, so that each can be included on its own. */
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

/* riscv64: no methods beyond the RISC-V ones */
enum sel4_arch_invocation_label { nSeL4ArchInvocationLabels = nInvocationLabels };

/* RISC-V: VSpace objects, ASIDs and the IRQ trigger variant */
enum arch_invocation_label {
    RISCVPageTableMap = nSeL4ArchInvocationLabels,
    RISCVPageTableUnmap,
    RISCVPageMap,
    RISCVPageUnmap,
    RISCVPageGetAddress,
    RISCVASIDControlMakePool,
    RISCVASIDPoolAssign,
    RISCVIRQIssueIRQHandlerTrigger,
    nArchInvocationLabels
};
