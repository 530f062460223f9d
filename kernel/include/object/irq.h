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
/* An IRQControl method that issues a handler, as the architecture
 * defines it: its number of arguments (0: label is no such method) and
 * which of them are the IRQ number, the slot's index and its depth. */
typedef struct irq_issue_method {
    word_t nargs;
    uint8_t irq_arg, index_arg, depth_arg;
} irq_issue_method_t;
irq_issue_method_t arch_irq_issue_method(word_t label);
/* The method's own arguments (trigger mode, controller input, ...),
 * checked after the generic ones, and applied when the handler is issued
 * (before the IRQ is enabled). */
syscall_error_t arch_irq_issue_check(const invocation_t *inv, word_t irq);
void arch_irq_issue(const invocation_t *inv, word_t irq);
word_t arch_irq_max(void); /* highest valid IRQ number, 0 if none */
void arch_irq_set_enabled(word_t irq, bool enabled);
word_t arch_irq_claim(void); /* 0: nothing pending */
void arch_irq_complete(word_t irq);

/* Tracing (kernel/include/trace/trace.h): the line's hook. */
word_t irq_trace_hook(word_t irq);
void irq_set_trace_hook(word_t irq, word_t hook);
