/* RISC-V constants common to riscv32 and riscv64: none beyond the riscv64 ones. */
#pragma once
#include <sel4/sel4_arch/constants.h>
