/* The higher-priority side of the Microkit benchmarks: an empty
 * protected() and a notified() that records how long the notification
 * took to arrive. */
#include <microkit.h>
#include "shared.h"

__attribute__((section(".data"))) seL4_Word shared_vaddr = 0;

void init(void) {}

void notified(microkit_channel ch)
{
    seL4_Word now;
    __asm__ volatile("csrr %0, instret" : "=r"(now));
    volatile struct shared *sh = (volatile struct shared *)shared_vaddr;
    (void)ch;
    if (sh->index < ROUNDS)
        sh->latency[sh->index] = now - sh->sent;
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    return msginfo;
}
