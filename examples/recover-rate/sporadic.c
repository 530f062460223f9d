/* Works about 0.2 s, then crashes, on each of its first three runs. Its
 * policy allows one restart per 50 ms, so the monitor restarts it every
 * time. The run count lives in a memory region, which a restart leaves as
 * it is (the program's .data and .bss are reloaded). The time comes from
 * the time CSR, which debug and benchmark builds let PDs read. */
#include <microkit.h>

__attribute__((section(".data"))) seL4_Word log_vaddr = 0;
static volatile int *volatile unmapped = (volatile int *)0x10;

static seL4_Word now(void)
{
    seL4_Word t;
    __asm__ volatile("rdtime %0" : "=r"(t));
    return t;
}

void init(void)
{
    volatile seL4_Word *runs = (volatile seL4_Word *)log_vaddr;
    ++*runs;
    microkit_dbg_puts("sporadic: run ");
    microkit_dbg_put32((seL4_Uint32)*runs);
    if (*runs > 3) {
        microkit_dbg_puts(", no crash this time\n");
        return;
    }
    microkit_dbg_puts(", working for 0.2 s, then crashing\n");
    /* the board's timer counts at 10 MHz */
    for (seL4_Word start = now(); now() - start < 2000000;)
        ;
    *unmapped = 1;
}

void notified(microkit_channel ch) { (void)ch; }
