/* x86_64 invocation labels after the generic ones (seL4's numbering
 * without VT-x and IOMMU, non-MCS, non-SMP): x86_64's own (the PDPT),
 * then x86's; nArchInvocationLabels counts every label. */
#pragma once
#include <sel4/invocation.h>

enum sel4_arch_invocation_label { X86PDPTMap = nInvocationLabels, X86PDPTUnmap, nSeL4ArchInvocationLabels };

enum arch_invocation_label {
    X86PageDirectoryMap = nSeL4ArchInvocationLabels,
    X86PageDirectoryUnmap,
    X86PageTableMap,
    X86PageTableUnmap,
    X86PageMap,
    X86PageUnmap,
    X86PageGetAddress,
    X86ASIDControlMakePool,
    X86ASIDPoolAssign,
    X86IOPortControlIssue,
    X86IOPortIn8,
    X86IOPortIn16,
    X86IOPortIn32,
    X86IOPortOut8,
    X86IOPortOut16,
    X86IOPortOut32,
    X86IRQIssueIRQHandlerIOAPIC,
    X86IRQIssueIRQHandlerMSI,
    nArchInvocationLabels
};
