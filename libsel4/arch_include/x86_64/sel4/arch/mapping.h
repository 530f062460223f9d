/* x86 mapping helpers (the 4-level details are in <sel4/sel4_arch/mapping.h>). */
#pragma once
#include <sel4/sel4_arch/mapping.h>
