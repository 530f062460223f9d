/* riscv64 uses the RISC-V system call sequences (<sel4/arch/syscalls.h>). */
#pragma once
#include <sel4/arch/syscalls.h>
