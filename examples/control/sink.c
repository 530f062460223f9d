/* The PD the ticker signals: its notification is the kernel object the
 * trace hook "ticks" observes. It does nothing with the signals. */
#include <microkit.h>

void init(void) {}

void notified(microkit_channel ch) { (void)ch; }
