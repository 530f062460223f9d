/* A PD built like every PD (lp64d) but given fpu="false": its first
 * floating-point instruction is an illegal-instruction fault. */
#include <microkit.h>

void init(void)
{
    microkit_dbg_puts("nofpu: moving a value into an FP register with fpu=false\n");
    __asm__ volatile("fmv.d.x fa0, zero" ::: "fa0");
    microkit_dbg_puts("nofpu: the FPU worked, which it must not\n");
}

void notified(microkit_channel ch) { (void)ch; }
