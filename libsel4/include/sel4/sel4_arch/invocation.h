/* riscv64 invocation labels: defined with the generic ones. */
#pragma once
#include <sel4/invocation.h>
