/* A passive server: a call with label 1 makes it fault (a store to
 * address 0) inside protected(), on its caller's scheduling context; any
 * other call gets its first word plus one back. */
#include <microkit.h>

void init(void)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": init\n");
}

void notified(microkit_channel ch) { (void)ch; }

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    if (microkit_msginfo_get_label(msginfo) == 1)
        *(volatile int *)0 = 1;
    microkit_mr_set(0, microkit_mr_get(0) + 1);
    return microkit_msginfo_new(0, 1);
}
