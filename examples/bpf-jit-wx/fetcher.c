/* Compiles and runs a program from its code area, then calls the same
 * code through the writable view, which is mapped execute-never: the
 * monitor reports an instruction fetch fault at the view's address. */
#include "jit_wx.h"

void init(void)
{
    if (compile_and_run())
        return;
    microkit_dbg_puts("fetcher: calling the code through the writable view\n");
    union {
        seL4_Word addr;
        void (*fn)(void);
    } u = {.addr = jit_rw};
    u.fn();
    microkit_dbg_puts("fetcher: the writable view was executable\n");
}
