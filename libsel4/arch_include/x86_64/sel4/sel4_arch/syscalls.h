/* x86_64 system calls (<sel4/arch/syscalls.h>). */
#pragma once
#include <sel4/arch/syscalls.h>
