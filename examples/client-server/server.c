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
    microkit_mr_set(0, x * x);
    if (++calls == 4)
        microkit_deferred_notify(CLIENT);
    return microkit_msginfo_new(0, 1);
}
