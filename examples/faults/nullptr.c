/* Writes through a null pointer: the monitor reports a VM fault. */
#include <microkit.h>

static volatile int *volatile null_pointer;

void init(void)
{
    microkit_dbg_puts("nullptr: writing to address 0\n");
    *null_pointer = 42;
}

void notified(microkit_channel ch) { (void)ch; }
