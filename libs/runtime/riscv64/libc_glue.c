/* picolibc's stdio on riscv64: every stream writes through
 * seL4_DebugPutChar (dropped where the kernel has no console). */
#include <sel4/sel4.h>
#include <stdio.h>

static int debug_putc(char c, FILE *f)
{
    (void)f;
#ifdef CONFIG_PRINTING
    seL4_DebugPutChar(c);
#endif
    return (unsigned char)c;
}

static FILE debug_stream = FDEV_SETUP_STREAM(debug_putc, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdout = &debug_stream;
FILE *const stderr = &debug_stream;
FILE *const stdin = &debug_stream;
