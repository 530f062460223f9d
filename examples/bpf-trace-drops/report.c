/* Runs last (lowest priority): reads what the program counted and the
 * ring's drop count, both mapped read-only, and checks that every event
 * is either counted or dropped. */
#include <microkit.h>
#include <hypos/bpftrace.h>

__attribute__((section(".data"))) struct bpftrace_config hypos_trace_config = {0}; /* written by the tool */

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

void init(void)
{
    const struct bpftrace_config_hook *h = &hypos_trace_config.hooks[0];
    const struct trace_ring *ring = (const struct trace_ring *)0x3000000;
    struct bpfhook_map_view v;
    if (hypos_trace_config.n_hooks != 1 || bpfhook_map_view((const void *)h->region, h->region_size, "seen", &v)) {
        microkit_dbg_puts("report: no program ran\n");
        microkit_hypos_poweroff();
        return;
    }
    uint64_t calls = *(const uint64_t *)bpfhook_array_elem(&v, 0),
             replies = *(const uint64_t *)bpfhook_array_elem(&v, 1),
             damaged = *(const uint64_t *)bpfhook_array_elem(&v, 2);
    microkit_dbg_puts("report: counted ");
    put_uint(calls);
    microkit_dbg_puts(" calls, ");
    put_uint(replies);
    microkit_dbg_puts(" replies, ");
    put_uint(damaged);
    microkit_dbg_puts(" damaged; ring: ");
    put_uint(ring->head);
    microkit_dbg_puts(" written, ");
    put_uint(ring->tail);
    microkit_dbg_puts(" read, ");
    put_uint(ring->dropped);
    microkit_dbg_puts(" dropped\n");
    if (calls + replies + ring->dropped == 400 && !damaged && ring->tail == ring->head)
        microkit_dbg_puts("report: every event counted or dropped\n");
    microkit_hypos_poweroff();
}

void notified(microkit_channel ch) { (void)ch; }
