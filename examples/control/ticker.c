/* A source of kernel trace events under steady load: while it is not
 * paused it signals the sink PD's notification one signal after another
 * whenever it gets the CPU (the lowest priority, like the worker), and
 * the kernel records each signal into the bpf PD's trace ring (the trace
 * hook "ticks"). It publishes how many signals it sent as a read-only
 * configuration value. It starts paused. When "paused" is set it stops,
 * asks the bpf PD to drain its rings (any notification does), publishes
 * "settled" and waits (taking no CPU) until the agent signals a change:
 * while settled, the programs' count must equal "signals" exactly. */
#include <hypos/pdconfig.h>
#include <microkit.h>

#define AGENT 0
#define SINK 1
#define BPF_PD 2

__attribute__((section(".data"))) seL4_Word ticker_config = 0;
__attribute__((section(".data"))) seL4_Word ticker_config_size = 0;

enum { K_PAUSED, K_SIGNALS, K_SETTLED };
static const struct pdconfig_key keys[] = {
    [K_PAUSED] = {"paused", 1, 0, 1, 1, 0},
    [K_SIGNALS] = {"signals", 0, 0, 0, 0, 0},
    [K_SETTLED] = {"settled", 0, 0, 0, 0, 0},
};

static void *cfg;
static uint64_t signals;

/* Signal until paused, then settle; returns to wait for the agent. */
static void run(void)
{
    pdconfig_publish(cfg, K_SETTLED, 0);
    while (!pdconfig_get(cfg, K_PAUSED)) {
        microkit_notify(SINK);
        pdconfig_publish(cfg, K_SIGNALS, (int64_t)++signals);
        pdconfig_applied(cfg);
    }
    /* the bpf PD has the higher priority: it has drained every record of
     * these signals when this returns */
    microkit_notify(BPF_PD);
    pdconfig_publish(cfg, K_SETTLED, 1);
    pdconfig_applied(cfg);
}

void init(void)
{
    cfg = (void *)ticker_config;
    if (pdconfig_declare(cfg, ticker_config_size, "ticker", keys, sizeof(keys) / sizeof(keys[0]))) {
        microkit_dbg_puts("ticker: configuration region too small\n");
        cfg = 0;
        return;
    }
    microkit_dbg_puts("ticker: ready (paused)\n");
    run();
}

void notified(microkit_channel ch)
{
    if (ch == AGENT && cfg)
        run();
}
