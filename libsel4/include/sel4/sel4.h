/* The seL4 user API: #include <sel4/sel4.h> as on seL4. Everything is
 * inline in headers; the runtime (libs/runtime) provides the IPC buffer
 * variable and seL4_GetBootInfo. */
#pragma once
#include <sel4/config.h>
#include <sel4/macros.h>
#include <sel4/types.h>
#include <sel4/functions.h>
#include <sel4/syscalls.h>
#include <sel4/bootinfo.h>
#include <sel4/client.h>
#include <sel4/faults.h>
#include <sel4/arch/mapping.h>
#include <sel4/arch_client.h>
#include <sel4/irq_client.h>
#include <sel4/virtual_client.h>
#include <sel4/assert.h>
#include <sel4/debug_assert.h>
#include <sel4/deprecated.h>
