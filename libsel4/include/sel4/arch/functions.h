/* RISC-V: the IPC buffer accessors are the generic ones. */
#pragma once
#include <sel4/functions.h>
