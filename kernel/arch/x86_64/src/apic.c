/* Interrupt controllers and the kernel tick (Intel SDM Vol. 3A ch. 10,
 * "Advanced Programmable Interrupt Controller"; 82093AA I/O APIC
 * datasheet). The legacy 8259 PICs are moved out of the exception vectors
 * and masked; the local APIC timer is the periodic tick; device interrupts
 * come through the I/O APIC, one IRQ number per I/O APIC input pin. */
#include <arch/apic.h>
#include <arch/preempt.h>
#include <arch/interrupts.h>
#include <arch/x86.h>
#include <kernel/addr.h>
#include <kernel/printk.h>
#include <kernel/thread.h>
#include <object/irq.h>
#include <sel4/invocation.h>

#define LAPIC_EOI 0xb0
#define LAPIC_ICR_LOW 0x300
#define ICR_SELF (1u << 18) /* destination shorthand: this CPU */
#define LAPIC_SVR 0xf0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0
#define LVT_PERIODIC (1u << 17)
#define LVT_MASKED (1u << 16)

#define IOAPIC_REGSEL 0x00
#define IOAPIC_WINDOW 0x10
#define IOAPIC_VER 0x01
#define IOAPIC_REDIR(pin) (0x10 + 2 * (pin))
#define REDIR_MASKED (1u << 16)
#define REDIR_LEVEL (1u << 15)
#define REDIR_ACTIVE_LOW (1u << 13)

#define PIT_HZ 1193182u
#define CALIBRATE_MS 2u

static volatile uint32_t *lapic;
static volatile uint32_t *ioapic;
static word_t ioapic_pins;
static bool irq_enabled[IRQ_LIMIT + 1];
/* Edge-triggered lines: the I/O APIC drops an edge on a masked input
 * (82093AA datasheet §3.2.4), so they stay unmasked and the kernel holds
 * one edge that arrives between delivery and Ack, raising it again on Ack
 * (as a PLIC gateway holds a pending interrupt). */
static bool in_service[IRQ_LIMIT + 1], edge_pending[IRQ_LIMIT + 1];
word_t timer_ticks;
/* the calibration of the TSC and the local APIC timer (one-shot use) */
static word_t tsc_per_ms, lapic_per_ms;

static uint32_t lapic_read(word_t reg) { return lapic[reg / 4]; }
static void lapic_write(word_t reg, uint32_t v) { lapic[reg / 4] = v; }
static uint32_t ioapic_read(uint32_t reg)
{
    ioapic[IOAPIC_REGSEL / 4] = reg;
    return ioapic[IOAPIC_WINDOW / 4];
}
static void ioapic_write(uint32_t reg, uint32_t v)
{
    ioapic[IOAPIC_REGSEL / 4] = reg;
    ioapic[IOAPIC_WINDOW / 4] = v;
}

paddr_t lapic_paddr(void) { return rdmsr(MSR_APIC_BASE) & ~MASK(12) & MASK(52); }

/* Reinitialise both 8259s with their vectors at VECTOR_PIC_BASE (so a
 * spurious IRQ 7 or 15 cannot look like an exception) and mask every
 * line (8259A datasheet, ICW1-ICW4). */
static void pic_disable(void)
{
    outb(0x20, 0x11);
    outb(0xa0, 0x11);
    outb(0x21, VECTOR_PIC_BASE);
    outb(0xa1, VECTOR_PIC_BASE + 8);
    outb(0x21, 4);
    outb(0xa1, 2);
    outb(0x21, 1);
    outb(0xa1, 1);
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    /* The PIT's channel 0 (from the firmware, periodic) shares I/O APIC
     * input 2 with devices such as the HPET: a control word for mode 0
     * without a count holds its output low (8254 datasheet, mode 0). */
    outb(0x43, 0x30);
}

/* Count local APIC timer ticks over CALIBRATE_MS measured by PIT channel
 * 2 in mode 0, whose output shows in port 0x61 bit 5 (the gate is bit 0). */
static uint32_t lapic_ticks_per_ms(void)
{
    uint32_t count = PIT_HZ / 1000 * CALIBRATE_MS;
    outb(0x61, (uint8_t)((inb(0x61) & ~0x02) | 0x01));
    outb(0x43, 0xb0); /* channel 2, lo/hi byte, mode 0 */
    outb(0x42, (uint8_t)count);
    outb(0x42, (uint8_t)(count >> 8));
    lapic_write(LAPIC_TIMER_INITIAL, 0xffffffffu);
    while (!(inb(0x61) & 0x20))
        ;
    uint32_t elapsed = 0xffffffffu - lapic_read(LAPIC_TIMER_CURRENT);
    lapic_write(LAPIC_TIMER_INITIAL, 0);
    return elapsed / CALIBRATE_MS;
}

void arch_init_interrupts(void)
{
    pic_disable();
    lapic = oref_ptr(lapic_paddr());
    lapic_write(LAPIC_SVR, 0x100 | VECTOR_SPURIOUS); /* software enable */
    lapic_write(LAPIC_TIMER_DIVIDE, 0x3);            /* divide by 16 */
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VECTOR_TIMER);
    uint32_t per_ms = lapic_ticks_per_ms();
    lapic_per_ms = per_ms;
    lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VECTOR_TIMER);
    lapic_write(LAPIC_TIMER_INITIAL, per_ms * TIMER_TICK_US / 1000);
    debug_printf("  timer     local APIC, %u ticks/ms (divide 16), tick %u us\n", per_ms, TIMER_TICK_US);

    ioapic = oref_ptr(IOAPIC_PADDR);
    ioapic_pins = ((ioapic_read(IOAPIC_VER) >> 16) & 0xff) + 1;
    if (ioapic_pins > IRQ_LIMIT)
        ioapic_pins = IRQ_LIMIT;
    for (word_t pin = 0; pin < ioapic_pins; pin++)
        ioapic_write(IOAPIC_REDIR(pin), REDIR_MASKED | (uint32_t)(VECTOR_IRQ_BASE + pin));
    debug_printf("  I/O APIC  %016lx, pins 0-%lu\n", (word_t)IOAPIC_PADDR, ioapic_pins - 1);
}

void lapic_eoi(void) { lapic_write(LAPIC_EOI, 0); }

/* One-shot use (the MCS scheduler): time is the TSC, calibrated against
 * PIT channel 2 as the local APIC timer is; a deadline arms the local APIC
 * timer in one-shot mode (SDM Vol. 3A §10.5.4) for the ticks it is away. */
static bool lapic_one_shot;

static word_t tsc_ticks_per_ms(void)
{
    uint32_t count = PIT_HZ / 1000 * CALIBRATE_MS;
    outb(0x61, (uint8_t)((inb(0x61) & ~0x02) | 0x01));
    outb(0x43, 0xb0);
    outb(0x42, (uint8_t)count);
    outb(0x42, (uint8_t)(count >> 8));
    word_t start = rdtsc();
    while (!(inb(0x61) & 0x20))
        ;
    return (rdtsc() - start) / CALIBRATE_MS;
}

word_t timer_hz(void)
{
    if (!tsc_per_ms)
        tsc_per_ms = tsc_ticks_per_ms();
    return tsc_per_ms * 1000;
}

word_t timer_now(void) { return rdtsc(); }

void timer_set_deadline(word_t when)
{
    if (!lapic_one_shot) {
        lapic_write(LAPIC_LVT_TIMER, VECTOR_TIMER); /* one-shot, unmasked */
        lapic_one_shot = true;
    }
    if (when == ~0ul) {
        lapic_write(LAPIC_TIMER_INITIAL, 0); /* stops the count */
        return;
    }
    word_t now = rdtsc(), delta = when > now ? when - now : 1;
    word_t count = delta * lapic_per_ms / (tsc_per_ms ? tsc_per_ms : timer_hz() / 1000);
    lapic_write(LAPIC_TIMER_INITIAL, (uint32_t)(count > 0xffffffffu ? 0xffffffffu : count ? count : 1));
}

#define LAPIC_IRR 0x200

bool arch_interrupt_pending(void)
{
    for (word_t i = 1; i < 8; i++) /* IRR 0 is vectors 0-31: never interrupts */
        if (lapic_read(LAPIC_IRR + 0x10 * i))
            return true;
    return false;
}

/* ---- the generic kernel's interrupt controller. IRQ n arrives at CPU
 * vector VECTOR_IRQ_BASE + n, from one of:
 * - an I/O APIC input: IRQControl_Get(n) routes pin n with the default
 *   trigger of its kind (pins 0-15 ISA lines, edge and active high; 16 and
 *   up PCI lines, level and active low: ACPI 6.4 §5.2.12.5, no overrides
 *   read), X86IRQIssueIRQHandlerIOAPIC any pin with the trigger and
 *   polarity it names;
 * - an MSI (X86IRQIssueIRQHandlerMSI): the device writes the vector to
 *   the local APIC (address 0xfee00000, data VECTOR_IRQ_BASE + n), so
 *   there is nothing to route or mask. */

enum { SOURCE_NONE, SOURCE_PIN, SOURCE_MSI };
static uint8_t source[IRQ_LIMIT + 1];
static uint8_t irq_pin[IRQ_LIMIT + 1];
static bool irq_level[IRQ_LIMIT + 1], irq_active_low[IRQ_LIMIT + 1];
static uint8_t pin_irq[IRQ_LIMIT + 1]; /* 0: the pin is free */

static bool is_level(word_t irq) { return source[irq] == SOURCE_PIN && irq_level[irq]; }

word_t arch_irq_max(void) { return ioapic_pins ? ioapic_pins - 1 : 0; }

/* IssueIRQHandler(irq, index, depth); seL4's x86 methods
 * GetIOAPIC(index, depth, ioapic, pin, level, polarity, vector) and
 * GetMSI(index, depth, bus, device, function, handle, vector), where the
 * vector is the IRQ number. */
irq_issue_method_t arch_irq_issue_method(word_t label)
{
    switch (label) {
    case IRQIssueIRQHandler:
        return (irq_issue_method_t){3, 0, 1, 2};
    case X86IRQIssueIRQHandlerIOAPIC:
    case X86IRQIssueIRQHandlerMSI:
        return (irq_issue_method_t){7, 6, 0, 1};
    default:
        return (irq_issue_method_t){0, 0, 0, 0};
    }
}

syscall_error_t arch_irq_issue_check(const invocation_t *inv, word_t irq)
{
    switch (inv->label) {
    case IRQIssueIRQHandler:
        if (pin_irq[irq])
            return err_simple(seL4_RevokeFirst, "this I/O APIC input has a handler under another IRQ");
        return NO_ERROR;
    case X86IRQIssueIRQHandlerIOAPIC: {
        word_t ioapic_index = inv_arg(inv, 2), pin = inv_arg(inv, 3);
        if (ioapic_index != 0)
            return err_range(0, 0, "there is one I/O APIC");
        if (pin >= ioapic_pins)
            return err_range(0, ioapic_pins - 1, "no such I/O APIC input");
        if (inv_arg(inv, 4) > 1 || inv_arg(inv, 5) > 1)
            return err_range(0, 1, "level and polarity are 0 or 1");
        if (pin_irq[pin])
            return err_simple(seL4_RevokeFirst, "this I/O APIC input has a handler");
        return NO_ERROR;
    }
    default: /* MSI: PCI bus 0-255, device 0-31, function 0-7 */
        if (inv_arg(inv, 2) > 255 || inv_arg(inv, 3) > 31 || inv_arg(inv, 4) > 7)
            return err_range(0, 255, "PCI bus, device or function out of range");
        return NO_ERROR;
    }
}

void arch_irq_issue(const invocation_t *inv, word_t irq)
{
    switch (inv->label) {
    case IRQIssueIRQHandler:
        source[irq] = SOURCE_PIN;
        irq_pin[irq] = (uint8_t)irq;
        irq_level[irq] = irq_active_low[irq] = irq >= 16;
        break;
    case X86IRQIssueIRQHandlerIOAPIC:
        source[irq] = SOURCE_PIN;
        irq_pin[irq] = (uint8_t)inv_arg(inv, 3);
        irq_level[irq] = inv_arg(inv, 4);
        irq_active_low[irq] = inv_arg(inv, 5);
        break;
    default:
        source[irq] = SOURCE_MSI;
        return;
    }
    pin_irq[irq_pin[irq]] = (uint8_t)irq;
}

static void pin_program(word_t irq, bool masked)
{
    if (source[irq] != SOURCE_PIN)
        return;
    uint32_t lo = (uint32_t)(VECTOR_IRQ_BASE + irq) | (masked ? REDIR_MASKED : 0);
    if (irq_level[irq])
        lo |= REDIR_LEVEL;
    if (irq_active_low[irq])
        lo |= REDIR_ACTIVE_LOW;
    word_t pin = irq_pin[irq];
    ioapic_write(IOAPIC_REDIR(pin) + 1, 0); /* destination: local APIC 0 */
    ioapic_write(IOAPIC_REDIR(pin), lo);
}

void arch_irq_set_enabled(word_t irq, bool enabled)
{
    if (irq == 0 || irq > arch_irq_max())
        return;
    irq_enabled[irq] = enabled;
    in_service[irq] = edge_pending[irq] = false;
    pin_program(irq, !enabled);
    if (!enabled) {
        /* the handler is gone: its input is free again */
        if (source[irq] == SOURCE_PIN) {
            ioapic_write(IOAPIC_REDIR(irq_pin[irq]), REDIR_MASKED | (uint32_t)(VECTOR_IRQ_BASE + irq_pin[irq]));
            pin_irq[irq_pin[irq]] = 0;
        }
        source[irq] = SOURCE_NONE;
    }
}

/* A vector arrived: end it at the local APIC and hold the IRQ until the
 * handler acknowledges (a level-triggered pin is masked, an edge that comes
 * meanwhile is kept for later). Returns the IRQ, 0 if none. */
word_t x86_irq_claim(word_t vector)
{
    word_t irq = vector - VECTOR_IRQ_BASE;
    if (irq == 0 || irq > arch_irq_max() || !irq_enabled[irq]) {
        lapic_eoi();
        return 0;
    }
    if (is_level(irq)) {
        /* masked before the EOI: the EOI lets the I/O APIC send a line
         * that is still raised again (82093AA datasheet §3.2.4, Remote
         * IRR), which must wait for Ack */
        pin_program(irq, true);
        lapic_eoi();
        return irq;
    }
    lapic_eoi();
    if (in_service[irq]) {
        edge_pending[irq] = true;
        return 0;
    }
    in_service[irq] = true;
    return irq;
}

void arch_irq_complete(word_t irq)
{
    if (!irq || irq > arch_irq_max() || !irq_enabled[irq])
        return;
    if (is_level(irq)) {
        pin_program(irq, false); /* still asserted: the I/O APIC sends it again */
        return;
    }
    in_service[irq] = false;
    if (edge_pending[irq]) {
        /* the held edge arrives as soon as interrupts are taken again */
        edge_pending[irq] = false;
        lapic_write(LAPIC_ICR_LOW, ICR_SELF | (uint32_t)(VECTOR_IRQ_BASE + irq));
    }
}
