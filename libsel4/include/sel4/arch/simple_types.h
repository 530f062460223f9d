/* riscv64: the word types are in <sel4/simple_types.h>. */
#pragma once
#include <sel4/simple_types.h>
