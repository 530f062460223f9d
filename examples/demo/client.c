/* The client: calls the server with messages of 0, 3, 6 and 5 words, asks
 * the supervisor for a job over a notification channel, and when told the
 * job is done, ends the demonstration by powering the machine off. */
#include <microkit.h>
#include "demo.h"

#define SERVER 0
#define SUPERVISOR 1

static void sum_of(seL4_Word n, seL4_Word first)
{
    for (seL4_Word i = 0; i < n; i++)
        microkit_mr_set(i, first * (i + 1));
    microkit_msginfo reply = microkit_ppcall(SERVER, microkit_msginfo_new(DEMO_SUM, n));
    microkit_dbg_puts("client: sum of ");
    microkit_dbg_put32((seL4_Uint32)n);
    microkit_dbg_puts(" words = ");
    microkit_dbg_put32((seL4_Uint32)microkit_mr_get(0));
    microkit_dbg_puts(microkit_msginfo_get_label(reply) == DEMO_OK ? "\n" : " (error)\n");
}

void init(void)
{
    microkit_dbg_puts("client: ready, priority 100; calling the server\n");
    sum_of(0, 0);
    sum_of(3, 1);  /* 1 + 2 + 3 */
    sum_of(6, 10); /* 10 + ... + 60: two of the words go through the IPC buffer */
    for (seL4_Word i = 0; i < 5; i++)
        microkit_mr_set(i, i + 1);
    microkit_msginfo reply = microkit_ppcall(SERVER, microkit_msginfo_new(DEMO_REVERSE, 5));
    microkit_dbg_puts("client: reversed:");
    for (seL4_Word i = 0; i < microkit_msginfo_get_count(reply); i++) {
        microkit_dbg_puts(" ");
        microkit_dbg_put32((seL4_Uint32)microkit_mr_get(i));
    }
    microkit_dbg_puts("\nclient: asking the supervisor for a job\n");
    microkit_notify(SUPERVISOR);
}

void notified(microkit_channel ch)
{
    if (ch != SUPERVISOR)
        return;
    microkit_dbg_puts("client: the job is done; end of the demo, powering off\n");
    microkit_hypos_poweroff();
}
