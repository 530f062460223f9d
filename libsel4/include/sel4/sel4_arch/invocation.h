/* riscv64 has no methods of its own beyond the RISC-V ones. */
#pragma once
#include <sel4/invocation.h>

enum sel4_arch_invocation_label {
    nSeL4ArchInvocationLabels = nInvocationLabels
};
