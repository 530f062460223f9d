/* A serial driver PD with a hook point: every received byte goes through
 * the hook "rx_filter" before it is echoed. The driver declares the hook
 * (context layout, helpers, verdicts) in a region it shares with the bpf
 * PD and tells the bpf PD; verified programs then run here, in the
 * driver's own address space, without IPC. The hook lets programs
 * signal one channel of the driver, the one to the statistics PD. */
#include <microkit.h>
#include <hypos/bpfhook.h>
#include "rx_filter.h"

#define UART_IRQ 0
#define BPF_PD 1
#define RBR 0 /* receive buffer (read) */
#define THR 0 /* transmit holding (write) */
#define IER 1 /* interrupt enable: bit 0 = data ready */
#define LSR 5 /* line status: bit 0 data ready, bit 5 transmitter empty */

__attribute__((section(".data"))) seL4_Word uart_base = 0;    /* set by the tool */
__attribute__((section(".data"))) seL4_Word rx_hook = 0;      /* set by the tool */
__attribute__((section(".data"))) seL4_Word rx_hook_size = 0; /* set by the tool */
/* native code for the hook's programs: one region seen twice, writable
 * for the JIT (mapped only while it compiles: hypos:jit_write) and
 * executable (not writable) to run */
__attribute__((section(".data"))) seL4_Word jit_rw = 0;   /* set by the tool */
__attribute__((section(".data"))) seL4_Word jit_rx = 0;   /* set by the tool */
__attribute__((section(".data"))) seL4_Word jit_size = 0; /* set by the tool */
MICROKIT_HYPOS_FRAMES(jit_frames);                        /* set by the tool */
static uint8_t jit_scratch_mem[512 * 1024];               /* the JIT verifies before it compiles */
static struct bpf_arena jit_scratch;

static const struct bpfhook_decl rx_decl BPFHOOK_DECLARATION = {
    .name = "rx_filter",
    .ctx_size = sizeof(struct rx_ctx),
    .nfields = 2,
    .fields = {{0, 4, BPF_FIELD_READ | BPF_FIELD_WRITE}, {4, 4, BPF_FIELD_READ}},
    .nhelpers = 4,
    .helpers = {BPF_FUNC_map_lookup_elem, BPF_FUNC_map_update_elem, BPF_FUNC_trace_printk, BPFHOOK_FUNC_pd_notify},
    .notify_channels = 1u << STATS_CHANNEL,
    .verdict_min = RX_DROP,
    .verdict_max = RX_PASS,
    .verdict_default = RX_PASS,
    .max_insns = 512,
};
static struct bpfhook rx;
static unsigned received;
static int attached_reported;

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

static void print_len(const char *s, size_t len)
{
    while (len--)
        uart_putc(*s++);
}

static void notify_channel(unsigned ch) { microkit_notify(ch); }

/* the JIT's writer: map the writable view while it compiles, unmap after */
static int jit_view_open(void *ctx, size_t off, size_t len)
{
    return microkit_hypos_frames_map(ctx, off, len) == seL4_NoError ? 0 : -BPF_EFAULT;
}
static int jit_view_close(void *ctx, size_t off, size_t len)
{
    return microkit_hypos_frames_unmap(ctx, off, len) == seL4_NoError ? 0 : -BPF_EFAULT;
}

static char printable(unsigned c) { return c == '\n' || c == '\r' ? '.' : (char)c; }

void init(void)
{
    bpfhook_set_platform(print_len, 0, notify_channel);
    *reg(IER) = 1;
    bpf_arena_init(&jit_scratch, jit_scratch_mem, sizeof(jit_scratch_mem));
    const struct bpf_jit_writer jit_writer = {jit_view_open, jit_view_close,
                                              (void *)microkit_hypos_frames_read(&jit_frames)};
    if (bpfhook_declare(&rx, (void *)rx_hook, rx_hook_size, &rx_decl) ||
        bpfhook_use_jit_writer(&rx, (void *)jit_rw, (const void *)jit_rx, jit_size, &jit_writer, &jit_scratch))
        uart_puts("serial: hook rx_filter could not be declared\n");
    microkit_notify(BPF_PD);
    uart_puts("serial: driver ready, type something\n");
}

void notified(microkit_channel ch)
{
    if (ch != UART_IRQ)
        return;
    while (*reg(LSR) & 1) {
        unsigned in = *reg(RBR);
        struct rx_ctx c = {.byte = in, .position = received++};
        int64_t verdict = bpfhook_run(&rx, &c);
        if (bpfhook_attached(&rx) && !attached_reported) {
            attached_reported = 1;
            uart_puts(bpfhook_native(&rx) ? "serial: a program is attached to rx_filter (native code)\n"
                                          : "serial: a program is attached to rx_filter (interpreted)\n");
        }
        if (verdict == RX_DROP) {
            uart_puts("serial: dropped '");
            uart_putc(printable(in));
        } else {
            uart_puts("serial: echo '");
            uart_putc(printable(c.byte));
        }
        uart_puts("'\n");
    }
    microkit_irq_ack(UART_IRQ);
}
