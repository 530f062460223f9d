/* A passive server with a restart policy: each start notifies the client
 * (channel 1); a notification on channel 1 makes it crash. */
#include <microkit.h>

#define CALLS 0
#define CONTROL 1
static seL4_Word answered; /* reloaded (zero) by a restart */

void init(void)
{
    microkit_dbg_puts("server: init() on its own scheduling context\n");
    microkit_notify(CONTROL);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    (void)msginfo;
    microkit_mr_set(0, ++answered);
    return microkit_msginfo_new(0, 1);
}

void notified(microkit_channel ch)
{
    if (ch != CONTROL)
        return;
    microkit_dbg_puts("server: crashing on purpose, on its notification's scheduling context\n");
    *(volatile int *)0 = 1;
}
