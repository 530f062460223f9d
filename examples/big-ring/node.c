/* One node of the generated 63-PD ring (tests/tools/gen_big.py): the
 * first node sends a token round the ring of notifications; each node
 * reports it, writes its name into the region it shares with the next
 * node, and calls the next node once over PPC (when it is allowed to). */
#include <microkit.h>

#define FROM_PREV 0
#define TO_NEXT 1
__attribute__((section(".data"))) seL4_Word next_region = 0;
__attribute__((section(".data"))) seL4_Word prev_region = 0;

void init(void)
{
    volatile char *next = (volatile char *)next_region;
    for (int i = 0; microkit_name[i]; i++)
        next[i] = microkit_name[i];
    if (microkit_name[2] == '0' && microkit_name[3] == '0')
        microkit_notify(TO_NEXT);
}

void notified(microkit_channel ch)
{
    if (ch != FROM_PREV)
        return;
    const volatile char *prev = (const volatile char *)prev_region;
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": token from ");
    for (int i = 0; prev[i] && i < 8; i++)
        microkit_dbg_putc(prev[i]);
    if (microkit_pps & (1ull << TO_NEXT)) {
        microkit_mr_set(0, 1);
        microkit_ppcall(TO_NEXT, microkit_msginfo_new(0, 1));
        microkit_dbg_puts(", called next: ");
        microkit_dbg_put32((seL4_Uint32)microkit_mr_get(0));
    }
    microkit_dbg_puts("\n");
    if (microkit_name[2] != '0' || microkit_name[3] != '0')
        microkit_notify(TO_NEXT);
    else
        microkit_dbg_puts("big-ring: the token went round all nodes\n");
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)msginfo;
    microkit_mr_set(0, microkit_mr_get(0) + 41 + ch);
    return microkit_msginfo_new(0, 1);
}
