/* A PD that never gives the CPU back: it only leaves it when its domain's
 * slot ends. It counts in the page it shares with 'quiet'. */
#include <microkit.h>

__attribute__((section(".data"))) seL4_Word count_vaddr = 0; /* set by the tool (setvar_vaddr) */

void init(void)
{
    volatile seL4_Word *count = (volatile seL4_Word *)count_vaddr;
    microkit_dbg_puts("busy: spinning forever at priority 200\n");
    for (;;)
        (*count)++;
}

void notified(microkit_channel ch) { (void)ch; }
