/* Prints the latency histogram and the fault counters once a second,
 * read straight from the trace hooks' regions (mapped read-only): no IPC
 * to the bpf PD beyond a notification that makes it drain the ring
 * first. Stops the machine once the client's calls and the crasher's
 * faults are all counted (or after ten seconds). Time comes from the
 * board's real-time clock (goldfish RTC: nanoseconds). */
#include <microkit.h>
#include <hypos/bpftrace.h>
#include "trace_example.h"

#define BPF_PD 1
#define EXPECTED_CRASHER_FAULTS 4

__attribute__((section(".data"))) struct bpftrace_config hypos_trace_config = {0}; /* written by the tool */
__attribute__((section(".data"))) seL4_Word rtc = 0;

static uint64_t now_ns(void)
{
    volatile uint32_t *r = (volatile uint32_t *)rtc;
    uint64_t lo = r[0]; /* reading the low word latches the high one */
    return (uint64_t)r[1] << 32 | lo;
}

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

static const struct bpftrace_config_hook *hook(const char *name)
{
    for (uint32_t i = 0; i < hypos_trace_config.n_hooks && i < BPFTRACE_MAX_TRACE_HOOKS; i++) {
        const char *a = hypos_trace_config.hooks[i].name, *b = name;
        while (*a && *a == *b)
            a++, b++;
        if (*a == *b)
            return &hypos_trace_config.hooks[i];
    }
    return 0;
}

static uint64_t elem(const struct bpfhook_map_view *v, uint32_t i)
{
    const uint64_t *p = bpfhook_array_elem(v, i);
    return p ? *p : 0;
}

/* one report; returns whether everything expected has been counted */
static int report(void)
{
    const struct bpftrace_config_hook *lat = hook("server_ipc"), *flt = hook("faults");
    struct bpfhook_map_view hist, counts, faults;
    if (!lat || !flt || bpfhook_map_view((const void *)lat->region, lat->region_size, "hist", &hist) ||
        bpfhook_map_view((const void *)lat->region, lat->region_size, "counts", &counts) ||
        bpfhook_map_view((const void *)flt->region, flt->region_size, "faults", &faults)) {
        microkit_dbg_puts("report: no programs attached\n");
        return 0;
    }
    microkit_dbg_puts("report: calls=");
    put_uint(elem(&counts, COUNT_CALLS));
    microkit_dbg_puts(" replies=");
    put_uint(elem(&counts, COUNT_REPLIES));
    microkit_dbg_puts(" matched=");
    put_uint(elem(&counts, COUNT_MATCHED));
    microkit_dbg_puts("\n");
    for (uint32_t b = 0; b < NBUCKETS; b++) {
        uint64_t n = elem(&hist, b);
        if (!n)
            continue;
        microkit_dbg_puts("report:   latency ");
        put_uint((1ull << b) * 100);
        microkit_dbg_puts("..");
        put_uint((2ull << b) * 100);
        microkit_dbg_puts(" ns: ");
        put_uint(n);
        microkit_dbg_puts("\n");
    }
    uint64_t crasher = 0;
    for (uint32_t p = 1; p <= hypos_trace_config.n_pds && p < MAX_PD_SLOTS; p++) {
        uint64_t n = elem(&faults, p);
        const char *name = hypos_trace_config.pd_names[p - 1];
        int is_crasher = name[0] == 'c' && name[1] == 'r';
        if (is_crasher)
            crasher = n;
        if (!n)
            continue;
        microkit_dbg_puts("report:   faults of ");
        microkit_dbg_puts(name);
        microkit_dbg_puts(": ");
        put_uint(n);
        microkit_dbg_puts("\n");
    }
    return elem(&counts, COUNT_MATCHED) == CALLS && crasher == EXPECTED_CRASHER_FAULTS;
}

void init(void)
{
    uint64_t next = now_ns() + 1000000000ull;
    for (int second = 1; second <= 10; second++) {
        while (now_ns() < next)
            ;
        next += 1000000000ull;
        microkit_notify(BPF_PD); /* the bpf PD (higher priority) drains the ring now */
        if (report()) {
            microkit_dbg_puts("report: all events counted\n");
            microkit_hypos_poweroff();
            return;
        }
    }
    microkit_dbg_puts("report: events missing after 10 s\n");
    microkit_hypos_poweroff();
}

void notified(microkit_channel ch) { (void)ch; }
