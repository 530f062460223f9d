/* Runs after the faulting PDs (lower priority): the system is still up. */
#include <microkit.h>

void init(void) { microkit_dbg_puts("survivor: still running after the faults\n"); }

void notified(microkit_channel ch) { (void)ch; }
