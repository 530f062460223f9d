/* Child: crashes on its first two runs; its .data survives a restart
 * (as in Microkit), so the run counter tells the runs apart. */
#include <microkit.h>

#define PARENT 0
__attribute__((section(".data"))) unsigned runs = 0;
/* an address nothing is mapped at, hidden from the compiler's checks */
static volatile int *volatile unmapped = (volatile int *)0x10;

void init(void)
{
    runs++;
    microkit_dbg_puts("crasher: run ");
    microkit_dbg_put32(runs);
    microkit_dbg_puts("\n");
    if (runs < 3)
        *unmapped = 1;
    microkit_dbg_puts("crasher: survived\n");
    microkit_notify(PARENT);
}

void notified(microkit_channel ch) { (void)ch; }
