/* The worker, a child of the supervisor: its first job goes wrong (a
 * write through a bad pointer); restarted, it does the job properly. Its
 * .data survives a restart (as in Microkit), so it counts its runs. */
#include <microkit.h>

#define SUPERVISOR 0
__attribute__((section(".data"))) unsigned runs = 0;
/* an address nothing is mapped at, hidden from the compiler's checks */
static volatile int *volatile unmapped = (volatile int *)0x10;

static void do_job(void)
{
    if (runs == 1) {
        microkit_dbg_puts("worker: doing the job... through a bad pointer\n");
        *unmapped = 1;
    }
    seL4_Word sum = 0;
    for (seL4_Word i = 1; i <= 100; i++)
        sum += i;
    microkit_dbg_puts("worker: job done: 1 + 2 + ... + 100 = ");
    microkit_dbg_put32((seL4_Uint32)sum);
    microkit_dbg_puts("\n");
    microkit_notify(SUPERVISOR);
}

void init(void)
{
    runs++;
    if (runs == 1) {
        microkit_dbg_puts("worker: ready, priority 120, waiting for a job\n");
        return;
    }
    microkit_dbg_puts("worker: restarted (run ");
    microkit_dbg_put32(runs);
    microkit_dbg_puts("), doing the job again\n");
    do_job();
}

void notified(microkit_channel ch)
{
    if (ch == SUPERVISOR)
        do_job();
}
