/* PLIC driver (RISC-V PLIC specification 1.0.0, ch. 3-8). The kernel owns
 * the PLIC: it is reached through the kernel's physical-memory window and
 * never handed out as device untyped. One hart: every source is routed to
 * hart 0's supervisor context only. */
#include <arch/plic.h>
#include <sel4/invocation.h>
#include <kernel/addr.h>
#include <kernel/printk.h>

#define PRIORITY(src) (4 * (src))
#define ENABLE(ctx, src) (0x2000 + 0x80 * (ctx) + 4 * ((src) / 32))
#define THRESHOLD(ctx) (0x200000 + 0x1000 * (ctx))
#define CLAIM(ctx) (0x200004 + 0x1000 * (ctx))

/* On QEMU virt (and the usual PLIC wiring) hart h has context 2h for
 * M-mode and 2h+1 for S-mode; its interrupts-extended property lists
 * them in that order. */
#define S_CONTEXT_HART0 1

static volatile uint8_t *plic;
static word_t max_irq;

static inline volatile uint32_t *reg(word_t off) { return (volatile uint32_t *)(plic + off); }

void plic_init(paddr_t base, word_t size)
{
    if (!size || size < THRESHOLD(S_CONTEXT_HART0 + 1))
        return;
    plic = oref_ptr(base);
    /* The number of sources is not in fdt_info_t; the priority registers
     * of unimplemented sources are hardwired to zero (spec ch. 4), so a
     * source exists when a non-zero priority sticks. */
    for (word_t s = 1; s <= PLIC_SOURCES_SUPPORTED; s++) {
        *reg(PRIORITY(s)) = 1;
        if (*reg(PRIORITY(s)) == 0)
            break;
        max_irq = s;
    }
    for (word_t s = 0; s <= PLIC_SOURCES_SUPPORTED; s += 32)
        *reg(ENABLE(S_CONTEXT_HART0, s)) = 0;
    *reg(THRESHOLD(S_CONTEXT_HART0)) = 0;
    /* drop any claim left over from firmware */
    for (word_t i = 0; i <= max_irq; i++) {
        word_t c = *reg(CLAIM(S_CONTEXT_HART0));
        if (!c)
            break;
        *reg(CLAIM(S_CONTEXT_HART0)) = (uint32_t)c;
    }
    debug_printf("  PLIC      %016lx, sources 1-%lu\n", base, max_irq);
}

word_t arch_irq_max(void) { return max_irq; }

void arch_irq_set_enabled(word_t irq, bool enabled)
{
    if (!plic || irq == 0 || irq > max_irq)
        return;
    volatile uint32_t *en = reg(ENABLE(S_CONTEXT_HART0, irq));
    if (enabled)
        *en |= 1u << (irq % 32);
    else
        *en &= ~(1u << (irq % 32));
}

word_t arch_irq_claim(void) { return plic ? *reg(CLAIM(S_CONTEXT_HART0)) : 0; }

void arch_irq_complete(word_t irq)
{
    /* A completion for a source not enabled for this context is ignored
     * (spec ch. 9), so callers complete before they disable. */
    if (plic && irq && irq <= max_irq)
        *reg(CLAIM(S_CONTEXT_HART0)) = (uint32_t)irq;
}

/* IssueIRQHandler(irq, index, depth) and RISCVIRQIssueIRQHandlerTrigger
 * (irq, trigger, index, depth). The PLIC's gateways take either trigger,
 * so it is accepted and otherwise ignored: nothing to check or set. */
irq_issue_method_t arch_irq_issue_method(word_t label)
{
    if (label == IRQIssueIRQHandler)
        return (irq_issue_method_t){3, 0, 1, 2};
    if (label == RISCVIRQIssueIRQHandlerTrigger)
        return (irq_issue_method_t){4, 0, 2, 3};
    return (irq_issue_method_t){0, 0, 0, 0};
}

syscall_error_t arch_irq_issue_check(const invocation_t *inv, word_t irq)
{
    (void)inv, (void)irq;
    return NO_ERROR;
}

void arch_irq_issue(const invocation_t *inv, word_t irq) { (void)inv, (void)irq; }
