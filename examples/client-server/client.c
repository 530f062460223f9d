/* Client: calls the server over a protected procedure call (channel 0)
 * and prints what it answers; the server notifies back when done. */
#include <microkit.h>

#define SERVER 0

static void put_num(seL4_Word x) { microkit_dbg_put32((seL4_Uint32)x); }

void init(void)
{
    /* a floating-point value held across the calls into the server, which
     * uses the F/D registers too */
    double sum = 0.5;
    for (seL4_Word n = 1; n <= 4; n++) {
        microkit_mr_set(0, n);
        microkit_msginfo reply = microkit_ppcall(SERVER, microkit_msginfo_new(7, 1));
        microkit_dbg_puts("client: square of ");
        put_num(n);
        microkit_dbg_puts(" is ");
        put_num(microkit_mr_get(0));
        microkit_dbg_puts(" (label ");
        put_num(microkit_msginfo_get_label(reply));
        microkit_dbg_puts(")\n");
        sum += (double)microkit_mr_get(0);
    }
    microkit_dbg_puts("client: sum of the squares plus one half, times two: ");
    put_num((seL4_Word)(sum * 2.0));
    microkit_dbg_puts("\n");
    /* a channel this PD does not have: debug builds say so and name it */
    microkit_notify(5);
}

void notified(microkit_channel ch)
{
    microkit_dbg_puts("client: notified on channel ");
    put_num(ch);
    microkit_dbg_puts(", done\n");
}
