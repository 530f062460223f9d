/* Faults on every run (a write to an unmapped address); the monitor
 * restarts it three times (hypos:max_restarts), so it faults four times. */
#include <microkit.h>

static volatile int *volatile unmapped = (volatile int *)0x10;

void init(void) { *unmapped = 1; }

void notified(microkit_channel ch) { (void)ch; }
