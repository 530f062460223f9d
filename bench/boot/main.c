/* Boot cost: guest instructions from the kernel's first instruction to the
 * root task's first instruction. Under QEMU with -icount shift=0 the
 * instret counter counts retired guest instructions exactly. */
#include <sel4/sel4.h>
#include <stdio.h>

extern seL4_Word __hypos_boot_instret, __hypos_start_instret;

int main(void)
{
    seL4_Word n = __hypos_start_instret - __hypos_boot_instret;
    printf("BENCH boot_kernel_entry_to_root_task guest_instructions median=%lu min=%lu max=%lu n=1\n", (unsigned long)n,
           (unsigned long)n, (unsigned long)n);
    return 0;
}
