/* Compiles and runs a program from its code area, then maps the writable
 * view again (as the compiler does) and calls the code through it: the
 * view is execute-never, so the monitor reports an instruction fetch
 * fault at its address. */
#include "jit_wx.h"

void init(void)
{
    if (compile_and_run())
        return;
    microkit_dbg_puts("fetcher: calling the code through the writable view\n");
    if (microkit_hypos_frames_map(microkit_hypos_frames_read(&jit_frames), 0, jit_size) != seL4_NoError) {
        microkit_dbg_puts("fetcher: could not map the writable view\n");
        return;
    }
    union {
        seL4_Word addr;
        void (*fn)(void);
    } u = {.addr = jit_rw};
    u.fn();
    microkit_dbg_puts("fetcher: the writable view was executable\n");
}
