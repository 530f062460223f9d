/* Host unit tests decide when an "interrupt" is pending. */
#pragma once
#include <types.h>

extern bool host_interrupt_pending;
static inline bool arch_interrupt_pending(void) { return host_interrupt_pending; }
void arch_handle_pending_interrupt(void);
