/* RISC-V shares the generic kernel/user layouts. */
#pragma once
#include <sel4/shared_types.h>
