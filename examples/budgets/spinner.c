/* Spins for ever, counting its turns in the shared region (its own word,
 * chosen by its name), so the worker can tell that it ran. */
#include <microkit.h>

volatile seL4_Word *counters = (volatile seL4_Word *)1; /* set by the tool */

void init(void)
{
    unsigned slot = microkit_name[0] == 'g' ? 0 : 1;
    for (;;)
        counters[slot]++;
}

void notified(microkit_channel ch) { (void)ch; }
