/* A passive server: after init() it has no time of its own. A protected
 * procedure call runs on the caller's scheduling context; a notification
 * runs on the server's own SC, which the monitor bound to the server's
 * notification when the server became passive. */
#include "timing.h"
#include <microkit.h>

#define CLIENT 1
/* CPU time one call takes: several times the client's budget of 500 us */
#define WORK_US 4000

void init(void) { microkit_dbg_puts("server: init() on its own scheduling context, then passive\n"); }

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)msginfo;
    if (ch != CLIENT)
        return microkit_msginfo_new(1, 0);
    run_for(WORK_US);
    microkit_mr_set(0, WORK_US);
    return microkit_msginfo_new(0, 1);
}

void notified(microkit_channel ch)
{
    if (ch != CLIENT)
        return;
    microkit_dbg_puts("server: notified while passive, running on its notification's scheduling context\n");
    microkit_notify(CLIENT);
}
