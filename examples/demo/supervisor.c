/* The supervisor: passes the client's request on to its child, the
 * worker, and receives the worker's faults in fault(): it restarts the
 * worker at its entry (0x200000), the rest of the system never stops. */
#include <microkit.h>

#define WORKER 0
#define CLIENT 1

static void put_hex(seL4_Word x)
{
    microkit_dbg_puts("0x");
    int shift = 60;
    while (shift > 0 && !((x >> shift) & 0xf))
        shift -= 4;
    for (; shift >= 0; shift -= 4)
        microkit_dbg_putc("0123456789abcdef"[(x >> shift) & 0xf]);
}

void init(void) { microkit_dbg_puts("supervisor: ready, priority 150, watching its child 'worker'\n"); }

void notified(microkit_channel ch)
{
    if (ch == CLIENT) {
        microkit_dbg_puts("supervisor: the client wants a job done; passing it to the worker\n");
        microkit_notify(WORKER);
    } else if (ch == WORKER) {
        microkit_dbg_puts("supervisor: the worker is done; telling the client\n");
        microkit_notify(CLIENT);
    }
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply)
{
    (void)reply;
    microkit_dbg_puts("supervisor: child ");
    microkit_dbg_put32(child);
    if (microkit_msginfo_get_label(msginfo) == seL4_Fault_VMFault) {
        microkit_dbg_puts(" faulted: VM fault at address ");
        put_hex(microkit_mr_get(seL4_VMFault_Addr));
    } else {
        microkit_dbg_puts(" faulted: fault label ");
        microkit_dbg_put32((seL4_Uint32)microkit_msginfo_get_label(msginfo));
    }
    microkit_dbg_puts("; restarting it\n");
    microkit_pd_restart(child, 0x200000);
    return seL4_False; /* restarted, not resumed where it faulted */
}
