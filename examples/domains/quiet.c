/* A PD of low priority in another domain than 'busy': it runs in its own
 * slots whatever 'busy' does. It counts how many of its slots it has seen
 * (a jump of the clock is time in other domains' slots). */
#include <microkit.h>

static unsigned long now(void)
{
    unsigned long t;
    __asm__ volatile("rdtime %0" : "=r"(t));
    return t;
}

void init(void)
{
    microkit_dbg_puts("quiet: ran at priority 10 beside a busy priority 200 PD\n");
    /* three slots of its own: two jumps of more than 5 ms (QEMU virt's
     * time runs at 10 MHz) while it keeps reading the clock */
    unsigned long last = now(), jumps = 0;
    while (jumps < 2) {
        unsigned long t = now();
        if (t - last > 50000)
            jumps++;
        last = t;
    }
    microkit_dbg_puts("quiet: ran again in later slots of its domain\n");
}

void notified(microkit_channel ch) { (void)ch; }
