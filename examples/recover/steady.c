/* Runs beside the flaky PD and counts its starts: its own state is never
 * reset, so the count shows that it kept running through the restarts. */
#include <microkit.h>

#define FLAKY 0
static unsigned starts;

void init(void) { microkit_dbg_puts("steady: running\n"); }

void notified(microkit_channel ch)
{
    if (ch != FLAKY)
        return;
    microkit_dbg_puts("steady: flaky started ");
    microkit_dbg_put32(++starts);
    microkit_dbg_puts(" times\n");
}
