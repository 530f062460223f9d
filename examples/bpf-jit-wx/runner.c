/* Compiles and runs a program from its code area, then stores into the
 * executable view, which has no write right: the monitor reports a store
 * fault at the view's address. */
#include "jit_wx.h"

void init(void)
{
    if (compile_and_run())
        return;
    microkit_dbg_puts("runner: storing into the executable view\n");
    *(volatile uint32_t *)jit_rx = 0x00000013; /* a RISC-V nop */
    microkit_dbg_puts("runner: the executable view was writable\n");
}
