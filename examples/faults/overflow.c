/* Recurses until the stack runs into the guard page below it: the
 * monitor reports a potential stack overflow. */
#include <microkit.h>

/* the limit is never reached within the stack; it keeps the compiler
 * from treating the recursion as infinite */
static volatile int limit = 1 << 30;

static int deep(volatile char *prev, int n)
{
    volatile char frame[512];
    frame[0] = (char)n;
    frame[511] = prev ? prev[0] : 0;
    if (n >= limit)
        return 0;
    return deep(frame, n + 1) + frame[0];
}

void init(void)
{
    microkit_dbg_puts("overflow: recursing\n");
    deep(0, 0);
}

void notified(microkit_channel ch) { (void)ch; }
