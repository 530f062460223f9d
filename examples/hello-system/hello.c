/* One protection domain that greets the world from init(). */
#include <microkit.h>

void init(void)
{
    microkit_dbg_puts("hello, world! from protection domain '");
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts("'\n");
}

void notified(microkit_channel ch) { (void)ch; }
