/* Calls two passive servers in a way that makes them fault inside
 * protected(): each call still returns (the monitor answers with label
 * MICROKIT_PPC_FAULTED_LABEL), and the restarted server answers again. */
#include <microkit.h>

#define FRAGILE 0
#define PHOENIX 1

static void call(const char *who, microkit_channel ch, seL4_Word label)
{
    microkit_mr_set(0, 41);
    microkit_msginfo answer = microkit_ppcall(ch, microkit_msginfo_new(label, 1));
    microkit_dbg_puts("client: ");
    microkit_dbg_puts(who);
    if (microkit_msginfo_get_label(answer) == MICROKIT_PPC_FAULTED_LABEL) {
        microkit_dbg_puts(" faulted during the call; the call returned with label 0xfa17\n");
        return;
    }
    microkit_dbg_puts(" answered ");
    microkit_dbg_put32((seL4_Uint32)microkit_mr_get(0));
    microkit_dbg_puts("\n");
}

void init(void)
{
    call("fragile", FRAGILE, 1);
    call("phoenix", PHOENIX, 1);
    call("phoenix", PHOENIX, 0);
    microkit_dbg_puts("client: done, on its own scheduling context\n");
    microkit_hypos_poweroff();
}

void notified(microkit_channel ch) { (void)ch; }
