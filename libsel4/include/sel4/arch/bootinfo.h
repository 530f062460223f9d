/* RISC-V boot info: the generic layout; the device tree comes as an extra boot info chunk. */
#pragma once
#include <sel4/bootinfo_types.h>
