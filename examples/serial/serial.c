/* A serial driver PD: owns the 16550 UART of QEMU's virt board (a device
 * memory region at its physical address, mapped uncached) and its
 * interrupt (PLIC source 10). Each receive interrupt arrives through
 * notified(); the driver drains the receive FIFO, echoes each character
 * and acknowledges the interrupt. */
#include <microkit.h>

#define UART_IRQ 0
#define RBR 0 /* receive buffer (read) */
#define THR 0 /* transmit holding (write) */
#define IER 1 /* interrupt enable: bit 0 = data ready */
#define LSR 5 /* line status: bit 0 data ready, bit 5 transmitter empty */

__attribute__((section(".data"))) seL4_Word uart_base = 0; /* set by the tool */
static unsigned received;

static volatile unsigned char *reg(int r) { return (volatile unsigned char *)uart_base + r; }

static void uart_putc(char c)
{
    while (!(*reg(LSR) & 0x20))
        ;
    *reg(THR) = (unsigned char)c;
}

static void uart_puts(const char *s)
{
    while (*s)
        uart_putc(*s++);
}

void init(void)
{
    *reg(IER) = 1;
    uart_puts("serial: driver ready, type something\n");
}

void notified(microkit_channel ch)
{
    if (ch != UART_IRQ)
        return;
    while (*reg(LSR) & 1) {
        char c = (char)*reg(RBR);
        received++;
        uart_puts("serial: echo '");
        uart_putc(c == '\n' || c == '\r' ? '.' : c);
        uart_puts("'\n");
    }
    microkit_irq_ack(UART_IRQ);
}
