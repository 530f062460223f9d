/* Makes 200 calls to the server before anything below it runs. */
#include <microkit.h>

#define SERVER 0

void init(void)
{
    for (int i = 0; i < 200; i++)
        microkit_ppcall(SERVER, microkit_msginfo_new(0, 0));
    microkit_dbg_puts("client: 200 calls made\n");
}

void notified(microkit_channel ch) { (void)ch; }
