/* Interrupts as capabilities (seL4 manual ch. 9 "Interrupts"): IRQControl
 * issues one IRQHandler cap per interrupt line; a handler names a
 * notification that the kernel signals when the line fires. The line then
 * stays masked until the handler acknowledges it. */
#pragma once
#include <api/invocation.h>

/* IRQ numbers above this are never valid, whatever the controller has. */
#define IRQ_LIMIT 255

syscall_error_t decode_irq_control_invocation(invocation_t *inv);
syscall_error_t decode_irq_handler_invocation(invocation_t *inv);
/* The last IRQHandler cap of irq is being deleted: unbind and disable. */
void irq_handler_finalise(word_t irq);
/* A device interrupt was claimed from the controller (irq != 0). */
void handle_interrupt(word_t irq);

/* The interrupt controller, implemented by the architecture. */
/* Arguments of an IRQControl method that issues a handler (irq first,
 * index and depth last), or 0 if label is not one. */
word_t arch_irq_control_args(word_t label);
word_t arch_irq_max(void); /* highest valid IRQ number, 0 if none */
void arch_irq_set_enabled(word_t irq, bool enabled);
word_t arch_irq_claim(void); /* 0: nothing pending */
void arch_irq_complete(word_t irq);
