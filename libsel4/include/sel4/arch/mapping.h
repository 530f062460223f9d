/* RISC-V mapping helpers (the Sv39 details are in <sel4/sel4_arch/mapping.h>). */
#pragma once
#include <sel4/sel4_arch/mapping.h>
