/* Counts with the same loop as the two spinners for 300 ms while they run
 * with budgets: 'greedy' at a higher priority with 10% of the time, 'hog'
 * at the worker's priority with 5%. The counts say how the CPU was shared
 * (what slows QEMU down slows every PD alike). Without budgets 'greedy'
 * alone would starve the worker: it would never finish. */
#include <microkit.h>

volatile seL4_Word *counters = (volatile seL4_Word *)1; /* set by the tool */
static volatile seL4_Word mine;

#define WINDOW_TICKS (300 * 1000 * 10) /* 300 ms of the 10 MHz time CSR */

static uint64_t now_ticks(void)
{
    uint64_t t;
    __asm__ volatile("csrr %0, time" : "=r"(t));
    return t;
}

static void put_share(const char *who, seL4_Word n, seL4_Word total)
{
    microkit_dbg_puts(who);
    microkit_dbg_put32((seL4_Uint32)(n * 100 / total));
    microkit_dbg_puts("%");
}

void init(void)
{
    microkit_dbg_puts("worker: counting for 300 ms beside two spinners with budgets\n");
    seL4_Word g0 = counters[0], h0 = counters[1];
    uint64_t start = now_ticks();
    while (now_ticks() - start < WINDOW_TICKS)
        for (int i = 0; i < 4096; i++)
            mine++;
    seL4_Word g = counters[0] - g0, h = counters[1] - h0, w = mine, total = g + h + w;
    put_share("worker: shares of the counting: greedy ", g, total);
    put_share(", hog ", h, total);
    put_share(", worker ", w, total);
    microkit_dbg_puts("\n");
    /* 10%, 5% and 85% if the budgets hold */
    if (g && h && w > 4 * g && g > h && g < total / 5)
        microkit_dbg_puts("worker: the budgets held: greedy and hog ran, within their budgets\n");
    else
        microkit_dbg_puts("worker: the shares do not match the budgets\n");
    microkit_hypos_poweroff();
}

void notified(microkit_channel ch) { (void)ch; }
