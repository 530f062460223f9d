/* Microkit-level costs in guest instructions (run under QEMU -icount
 * shift=0 in a bench build, where user mode may read instret):
 *  - boot: instret when the last PD's init() starts (since hart reset,
 *    firmware included);
 *  - microkit_ppcall round trip to a higher-priority PD whose protected()
 *    returns at once;
 *  - microkit_notify in this PD to notified() running in the
 *    higher-priority server. */
#include <microkit.h>
#include "shared.h"
#include "../common/pd_bench.h"

#define SERVER 0
#define PASSIVE_SERVER 1
__attribute__((section(".data"))) seL4_Word shared_vaddr = 0;

static seL4_Word samples[ROUNDS];

void init(void)
{
    seL4_Word boot = instret();
    report("microkit_boot_to_last_init", &boot, 1);
    for (int i = 0; i < ROUNDS; i++) {
        seL4_Word t0 = instret();
        microkit_ppcall(SERVER, microkit_msginfo_new(0, 0));
        samples[i] = instret() - t0;
    }
    report("microkit_ppcall_roundtrip", samples, ROUNDS);
    volatile struct shared *sh = (volatile struct shared *)shared_vaddr;
    for (int i = 0; i < ROUNDS; i++) {
        sh->index = (seL4_Word)i;
        sh->sent = instret();
        microkit_notify(SERVER);
    }
    for (int i = 0; i < ROUNDS; i++)
        samples[i] = sh->latency[i];
    report("microkit_notify_to_notified", samples, ROUNDS);
#ifdef BENCH_PASSIVE_SERVER
    /* MCS: the same to a passive server (channel 1): a call lends it the
     * client's SC, a notification its own SC bound to its notification */
    for (int i = 0; i < ROUNDS; i++) {
        seL4_Word t0 = instret();
        microkit_ppcall(PASSIVE_SERVER, microkit_msginfo_new(0, 0));
        samples[i] = instret() - t0;
    }
    report("microkit_ppcall_roundtrip_passive", samples, ROUNDS);
    for (int i = 0; i < ROUNDS; i++) {
        sh->index = (seL4_Word)i;
        sh->sent = instret();
        microkit_notify(PASSIVE_SERVER);
    }
    for (int i = 0; i < ROUNDS; i++)
        samples[i] = sh->latency[i];
    report("microkit_notify_to_notified_passive", samples, ROUNDS);
#endif
    microkit_dbg_puts("microkit bench done\n");
}

void notified(microkit_channel ch) { (void)ch; }
