/* A PD beside the crashing one: answers each notification from the
 * restarter, showing that it keeps running while the child restarts. */
#include <microkit.h>

#define RESTARTER 0
static unsigned answers;

void init(void) { microkit_dbg_puts("bystander: running\n"); }

void notified(microkit_channel ch)
{
    if (ch != RESTARTER)
        return;
    microkit_dbg_puts("bystander: still running, answer ");
    microkit_dbg_put32(++answers);
    microkit_dbg_puts("\n");
    microkit_notify(RESTARTER);
}
