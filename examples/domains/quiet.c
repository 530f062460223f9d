/* A PD of low priority in another domain than 'busy': it runs in its own
 * slots whatever 'busy' does. While it runs 'busy' cannot, so when the
 * count 'busy' keeps has moved between two of its reads, a slot of 'busy'
 * came in between; after two such slots it reports. */
#include <microkit.h>

__attribute__((section(".data"))) seL4_Word count_vaddr = 0; /* set by the tool (setvar_vaddr) */

void init(void)
{
    volatile seL4_Word *count = (volatile seL4_Word *)count_vaddr;
    microkit_dbg_puts("quiet: ran at priority 10 beside a busy priority 200 PD\n");
    seL4_Word seen = *count, moves = 0;
    while (moves < 2) {
        seL4_Word now = *count;
        if (now != seen)
            moves++;
        seen = now;
    }
    microkit_dbg_puts("quiet: ran again, after two slots of 'busy'\n");
}

void notified(microkit_channel ch) { (void)ch; }
