/* Console and power: COM1 for kernel output, ACPI soft-off to halt. */
#include <arch/cpu.h>
#include <arch/machine.h>
#include <arch/x86.h>

#define COM1 0x3f8
#define LSR_THR_EMPTY 0x20

void serial_init(void)
{
    outb(COM1 + 1, 0x00); /* no UART interrupts */
    outb(COM1 + 3, 0x80); /* DLAB: divisor follows */
    outb(COM1 + 0, 0x01); /* 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03); /* 8N1 */
    outb(COM1 + 2, 0xc7); /* FIFOs on and cleared */
    outb(COM1 + 4, 0x03); /* DTR, RTS */
}

void arch_putchar(char c)
{
    if (c == '\n')
        arch_putchar('\r');
    while (!(inb(COM1 + 5) & LSR_THR_EMPTY))
        ;
    outb(COM1, (uint8_t)c);
}

/* PCI configuration mechanism #1 (PCI Local Bus Specification 3.0 §3.2.2.3.2). */
static uint32_t pci_read32(unsigned bus, unsigned dev, unsigned fn, unsigned reg)
{
    outl(0xcf8, 0x80000000u | (bus << 16) | (dev << 11) | (fn << 8) | (reg & 0xfc));
    return inl(0xcfc);
}

/* Soft-off through the PIIX4 power management function (Intel 82371AB
 * datasheet §3.4, PMBA at config offset 0x40; ACPI 6.4 §4.8.3.2.1: writing
 * SLP_EN with the S5 sleep type to PM1a_CNT). QEMU's PC machine has it at
 * 00:01.3 and its S5 type is 0. Without it the isa-debug-exit port, if
 * present, ends QEMU; otherwise the CPU stops. */
NORETURN void arch_halt(void)
{
    asm volatile("cli");
    if (pci_read32(0, 1, 3, 0) == 0x71138086u) {
        uint32_t pmba = pci_read32(0, 1, 3, 0x40) & 0xffc0u;
        if (pmba) {
            outw((uint16_t)(pmba + 4), 1u << 13);
            /* the machine powers off asynchronously: give it time before
             * the fallback, which would end QEMU with a non-zero status */
            for (int i = 0; i < 10000000; i++)
                (void)inb(0x61);
        }
    }
    outb(0xf4, 0);
    for (;;)
        asm volatile("hlt");
}
