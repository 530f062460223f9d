/* Server: answers protected procedure calls with the square of the
 * argument; after the fourth call it notifies the client. */
#include <microkit.h>

#define CLIENT 1
static int calls;

void init(void) { microkit_dbg_puts("server: ready\n"); }

void notified(microkit_channel ch) { (void)ch; }

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    seL4_Word x = microkit_mr_get(0);
    if (ch != CLIENT || microkit_msginfo_get_label(msginfo) != 7)
        return microkit_msginfo_new(1, 0);
    /* in floating point: PDs are built for lp64d and the kernel keeps each
     * PD's F/D registers apart */
    double d = (double)x;
    microkit_mr_set(0, (seL4_Word)(d * d));
    if (++calls == 4)
        microkit_deferred_notify(CLIENT);
    return microkit_msginfo_new(0, 1);
}
