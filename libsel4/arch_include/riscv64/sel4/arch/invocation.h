/* riscv64 invocation labels, numbered after the generic ones (sel4-api
 * numbering, non-MCS, non-SMP). nInvocationLabels counts every label. */
#pragma once

enum arch_invocation_label {
    RISCVPageTableMap = DomainScheduleSetStart + 1,
    RISCVPageTableUnmap,
    RISCVPageMap,
    RISCVPageUnmap,
    RISCVPageGetAddress,
    RISCVASIDControlMakePool,
    RISCVASIDPoolAssign,
    RISCVIRQIssueIRQHandlerTrigger,
    nInvocationLabels
};
