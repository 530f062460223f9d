/* Reads the receive filter's counters straight from the hook region,
 * which it maps read-only: no IPC to the driver or the bpf PD. */
#include <microkit.h>
#include <hypos/bpfhook.h>
#include "rx_filter.h"

#define SERIAL_PD 0 /* the filter program signals it through the driver's channel */
__attribute__((section(".data"))) seL4_Word rx_hook = 0;      /* set by the tool */
__attribute__((section(".data"))) seL4_Word rx_hook_size = 0; /* set by the tool */

static void put_uint(uint64_t v)
{
    char buf[21];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        microkit_dbg_putc(buf[--n]);
}

void init(void) {}

void notified(microkit_channel ch)
{
    if (ch != SERIAL_PD)
        return;
    struct bpfhook_map_view v;
    if (bpfhook_map_view((const void *)rx_hook, rx_hook_size, "classes", &v)) {
        microkit_dbg_puts("stats: no counters yet\n");
        return;
    }
    static const char *const names[NCLASSES] = {"digits", "lower", "upper", "other"};
    microkit_dbg_puts("stats:");
    for (uint32_t i = 0; i < NCLASSES; i++) {
        const uint64_t *n = bpfhook_array_elem(&v, i);
        microkit_dbg_puts(" ");
        microkit_dbg_puts(names[i]);
        microkit_dbg_puts("=");
        put_uint(n ? *n : 0);
    }
    microkit_dbg_puts("\n");
}
