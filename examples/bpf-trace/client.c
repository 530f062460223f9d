/* Makes exactly CALLS calls to the server. */
#include <microkit.h>
#include "trace_example.h"

#define SERVER 0

void init(void)
{
    seL4_Word v = 0;
    for (int i = 0; i < CALLS; i++) {
        microkit_mr_set(0, v);
        microkit_ppcall(SERVER, microkit_msginfo_new(0, 1));
        v = microkit_mr_get(0);
    }
    microkit_dbg_puts("client: ");
    microkit_dbg_put32((uint32_t)v);
    microkit_dbg_puts(" calls answered\n");
}

void notified(microkit_channel ch) { (void)ch; }
