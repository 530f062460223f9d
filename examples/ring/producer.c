/* Producer: writes messages into a ring in a shared memory region and
 * notifies the consumer, which notifies back when it has read them. */
#include <microkit.h>
#include "ring.h"

#define CONSUMER 0
__attribute__((section(".data"))) seL4_Word ring_vaddr = 0; /* set by the tool (setvar_vaddr) */
static unsigned sent;

static void send_batch(void)
{
    volatile struct ring *r = (volatile struct ring *)ring_vaddr;
    for (int i = 0; i < 3 && sent < 9; i++, sent++) {
        r->slot[r->head % RING_SLOTS] = 100 + sent;
        r->head++;
    }
    microkit_notify(CONSUMER);
}

void init(void)
{
    microkit_dbg_puts("producer: ring mapped by the tool\n");
    send_batch();
}

void notified(microkit_channel ch)
{
    if (ch != CONSUMER)
        return;
    if (sent < 9)
        send_batch();
    else
        microkit_dbg_puts("producer: all 9 messages consumed\n");
}
