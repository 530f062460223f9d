/* A PD that crashes on every run. The monitor reloads it (the hypOS
 * restart policy: data, bss and stack as built) and restarts it, up to
 * max_restarts times. Its counter in .data starts from its initial value
 * on each run, which shows the reload. */
#include <microkit.h>

#define STEADY 0
__attribute__((section(".data"))) unsigned generation = 7;
static unsigned in_bss;
static volatile int *volatile unmapped = (volatile int *)0x10;

void init(void)
{
    generation++;
    in_bss++;
    microkit_dbg_puts("flaky: generation ");
    microkit_dbg_put32(generation);
    microkit_dbg_puts(", bss counter ");
    microkit_dbg_put32(in_bss);
    microkit_dbg_puts("\n");
    microkit_notify(STEADY);
    *unmapped = 1;
}

void notified(microkit_channel ch) { (void)ch; }
