/* The traced server: answers every call with its argument plus one. */
#include <microkit.h>

void init(void) {}

void notified(microkit_channel ch) { (void)ch; }

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msg)
{
    (void)ch;
    (void)msg;
    microkit_mr_set(0, microkit_mr_get(0) + 1);
    return microkit_msginfo_new(0, 1);
}
