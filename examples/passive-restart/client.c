/* Calls the passive server, makes it crash, and calls it again once the
 * monitor has restarted it (its start is announced on channel 1). */
#include <microkit.h>

#define SERVER 0
#define CONTROL 1
static int starts;

static void call(const char *when)
{
    microkit_ppcall(SERVER, microkit_msginfo_new(0, 0));
    microkit_dbg_puts("client: ");
    microkit_dbg_puts(when);
    microkit_dbg_puts(" the server answered call ");
    microkit_dbg_put32((seL4_Uint32)microkit_mr_get(0));
    microkit_dbg_puts("\n");
}

void init(void) {}

void notified(microkit_channel ch)
{
    if (ch != CONTROL)
        return;
    if (++starts == 1) {
        call("before the restart,");
        microkit_notify(CONTROL);
        return;
    }
    call("after the restart,");
    microkit_hypos_poweroff();
}
