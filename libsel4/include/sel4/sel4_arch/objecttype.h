/* riscv64 object types: defined with the generic ones. */
#pragma once
#include <sel4/objecttype.h>
