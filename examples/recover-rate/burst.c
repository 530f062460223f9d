/* Crashes at once on every run: the monitor restarts it twice, then the
 * third crash within its restart_period (a minute) leaves it stopped. */
#include <microkit.h>

static volatile int *volatile unmapped = (volatile int *)0x10;

void init(void)
{
    microkit_dbg_puts("burst: started, crashing at once\n");
    *unmapped = 1;
}

void notified(microkit_channel ch) { (void)ch; }
