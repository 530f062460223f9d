/* Parent: receives its child's faults through fault() and restarts the
 * child at its entry point (0x200000, where Microkit programs start). */
#include <microkit.h>

/* Written by the tool (setvar_id): the child's id and the channel to the
 * bystander. In .data with a value no id has, so an unpatched program
 * shows it. */
__attribute__((section(".data"))) seL4_Word crasher_id = ~0ull;
__attribute__((section(".data"))) seL4_Word bystander_channel = ~0ull;
static unsigned restarts;

void init(void)
{
    microkit_dbg_puts("restarter: watching child ");
    microkit_dbg_put32((seL4_Uint32)crasher_id);
    microkit_dbg_puts(", bystander on channel ");
    microkit_dbg_put32((seL4_Uint32)bystander_channel);
    microkit_dbg_puts("\n");
}

void notified(microkit_channel ch)
{
    if (ch == crasher_id)
        microkit_dbg_puts("restarter: child says it finished\n");
    if (ch == bystander_channel)
        microkit_dbg_puts("restarter: bystander answered\n");
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply)
{
    (void)reply;
    microkit_dbg_puts("restarter: child ");
    microkit_dbg_put32(child);
    microkit_dbg_puts(" faulted (fault label ");
    microkit_dbg_put32((seL4_Uint32)microkit_msginfo_get_label(msginfo));
    /* the label's number differs between the kernel configurations (MCS
     * numbers the timeout fault 5 and VM faults 6): name it as well */
    microkit_dbg_puts(microkit_msginfo_get_label(msginfo) == seL4_Fault_VMFault ? ", a VM fault" : "");
    microkit_dbg_puts("), restart ");
    microkit_dbg_put32(++restarts);
    microkit_dbg_puts("\n");
    microkit_pd_restart(child, 0x200000);
    /* the rest of the system is unaffected: ask another PD to show it */
    microkit_notify((microkit_channel)bystander_channel);
    return seL4_False; /* restarted, not resumed */
}
