/* A PD that never gives the CPU back: it only leaves it when its domain's
 * slot ends. */
#include <microkit.h>

static volatile unsigned long spins;

void init(void)
{
    microkit_dbg_puts("busy: spinning forever at priority 200\n");
    for (;;)
        spins++;
}

void notified(microkit_channel ch) { (void)ch; }
