/* riscv64's invocation labels (none of its own), then RISC-V's, after
 * the generic ones; nArchInvocationLabels counts every label. */
#pragma once
#include <sel4/invocation.h>

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
