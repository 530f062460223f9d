/* Answers every call with an empty reply. */
#include <microkit.h>

void init(void) {}

void notified(microkit_channel ch) { (void)ch; }

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msg)
{
    (void)ch;
    (void)msg;
    return microkit_msginfo_new(0, 0);
}
