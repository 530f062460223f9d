/* A client with a budget of 500 us every 20 ms calls the passive server,
 * whose answer takes 4 ms of CPU time. The server runs on the client's
 * budget, so the call takes at least 7 periods of 20 ms; on time of its
 * own it would take about 4 ms. Then it notifies the server and waits for
 * its notification back. */
#include "timing.h"
#include <microkit.h>

#define SERVER 0

static void put_ms(uint64_t ticks) { microkit_dbg_put32((seL4_Uint32)(ticks / (1000 * TICKS_PER_US))); }

void init(void)
{
    microkit_dbg_puts("client: calling the passive server\n");
    uint64_t t0 = now_ticks();
    microkit_msginfo r = microkit_ppcall(SERVER, microkit_msginfo_new(0, 0));
    uint64_t took = now_ticks() - t0, work_us = microkit_mr_get(0);
    microkit_dbg_puts("client: the call did ");
    put_ms(work_us * TICKS_PER_US);
    microkit_dbg_puts(" ms of work and took ");
    put_ms(took);
    microkit_dbg_puts(" ms\n");
    if (microkit_msginfo_get_label(r) == 0 && took >= 5 * work_us * TICKS_PER_US)
        microkit_dbg_puts("client: the server ran on the client's budget\n");
    else
        microkit_dbg_puts("client: the server did not run on the client's budget\n");
    microkit_notify(SERVER);
}

void notified(microkit_channel ch)
{
    if (ch != SERVER)
        return;
    microkit_dbg_puts("client: the passive server answered the notification; done\n");
    microkit_hypos_poweroff();
}
