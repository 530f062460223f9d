/* Executes an illegal instruction: the monitor reports a user exception
 * with its scause decoded. */
#include <microkit.h>

void init(void)
{
    microkit_dbg_puts("illegal: executing an all-zero instruction\n");
    __asm__ volatile(".word 0");
}

void notified(microkit_channel ch) { (void)ch; }
