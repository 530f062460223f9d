/* The server: answers protected procedure calls from the client.
 * Label SUM: the sum of the message's words, in one word.
 * Label REVERSE: the message's words in reverse order.
 * Messages may be longer than the four words that travel in registers;
 * microkit_mr_get/set reach the others in the IPC buffer all the same. */
#include <microkit.h>
#include "demo.h"

void init(void) { microkit_dbg_puts("server: ready, priority 200, waiting for calls\n"); }

void notified(microkit_channel ch) { (void)ch; }

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    seL4_Word n = microkit_msginfo_get_count(msginfo);
    (void)ch;
    switch (microkit_msginfo_get_label(msginfo)) {
    case DEMO_SUM: {
        seL4_Word sum = 0;
        for (seL4_Word i = 0; i < n; i++)
            sum += microkit_mr_get(i);
        microkit_dbg_puts("server: summed ");
        microkit_dbg_put32((seL4_Uint32)n);
        microkit_dbg_puts(" words\n");
        microkit_mr_set(0, sum);
        return microkit_msginfo_new(DEMO_OK, 1);
    }
    case DEMO_REVERSE:
        for (seL4_Word i = 0; i < n / 2; i++) {
            seL4_Word t = microkit_mr_get(i);
            microkit_mr_set(i, microkit_mr_get(n - 1 - i));
            microkit_mr_set(n - 1 - i, t);
        }
        microkit_dbg_puts("server: reversed ");
        microkit_dbg_put32((seL4_Uint32)n);
        microkit_dbg_puts(" words\n");
        return microkit_msginfo_new(DEMO_OK, n);
    default:
        return microkit_msginfo_new(DEMO_UNKNOWN, 0);
    }
}
