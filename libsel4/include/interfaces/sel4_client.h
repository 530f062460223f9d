/* The invocation stubs, under the name of seL4's generated header. */
#pragma once
#include <sel4/client.h>
#include <sel4/irq_client.h>
#include <sel4/arch_client.h>
