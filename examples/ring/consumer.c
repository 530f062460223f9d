/* Consumer: on each notification drains the shared ring and notifies the
 * producer. */
#include <microkit.h>
#include "ring.h"

#define PRODUCER 3
__attribute__((section(".data"))) seL4_Word ring_vaddr = 0;

void init(void) { microkit_dbg_puts("consumer: waiting\n"); }

void notified(microkit_channel ch)
{
    if (ch != PRODUCER)
        return;
    volatile struct ring *r = (volatile struct ring *)ring_vaddr;
    while (r->tail != r->head) {
        microkit_dbg_puts("consumer: got ");
        microkit_dbg_put32((seL4_Uint32)r->slot[r->tail % RING_SLOTS]);
        microkit_dbg_puts("\n");
        r->tail++;
    }
    microkit_notify(PRODUCER);
}
