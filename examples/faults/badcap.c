/* Signals through a capability address the PD's CSpace cannot resolve
 * (its high bits do not match the CNode's all-zero guard): the kernel
 * raises a cap fault, which the monitor reports with the lookup failure.
 * An address that resolves to an empty slot is an invocation error
 * instead, as in seL4. */
#include <microkit.h>

void init(void)
{
    microkit_dbg_puts("badcap: signalling cptr 0x10000000000, outside the CSpace\n");
    seL4_Signal(1ul << 40);
}

void notified(microkit_channel ch) { (void)ch; }
