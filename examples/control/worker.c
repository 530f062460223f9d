/* A PD under steady load: it produces events one after another for as
 * long as it is given the CPU (it has the lowest priority, so it runs
 * whenever the rest of the system waits) and runs the hook "event" on
 * each. Whatever program the control agent attaches, replaces or
 * detaches, the worker counts which one handled each event (the verdict
 * is the program's version; 0 means no program ran) and publishes the
 * counts as read-only configuration values. Four values are configurable:
 * "paused" (stop producing), "kind" (passed to the programs), "crash"
 * (fault on purpose: the monitor restarts the worker, and the bpf PD
 * offers the program the control agent installed again) and "burst":
 * while paused the worker still produces events until it has produced
 * that many in pauses all told (since it started), so a test can cause an
 * exact number of events (set it to the total so far plus N).
 *
 * It also measures each switch between programs: the guest instructions
 * spent in the one bpfhook_run that takes a new program over, beyond
 * what a run costs (instret, readable in user mode in debug and bench
 * kernels). */
#include <hypos/bpfhook.h>
#include <hypos/pdconfig.h>
#include <microkit.h>
#include "event.h"

#define BPF_PD 1

__attribute__((section(".data"))) seL4_Word event_hook = 0;      /* set by the tool */
__attribute__((section(".data"))) seL4_Word event_hook_size = 0; /* set by the tool */
__attribute__((section(".data"))) seL4_Word worker_config = 0;
__attribute__((section(".data"))) seL4_Word worker_config_size = 0;

static const struct bpfhook_decl event_decl BPFHOOK_DECLARATION = {
    .name = "event",
    .ctx_size = sizeof(struct event_ctx),
    .nfields = 3,
    .fields = {{0, 8, BPF_FIELD_READ}, {8, 4, BPF_FIELD_READ}, {12, 4, BPF_FIELD_READ}},
    .nhelpers = 2,
    .helpers = {BPF_FUNC_map_lookup_elem, BPF_FUNC_map_update_elem},
    .verdict_min = 0,
    .verdict_max = 255,
    .verdict_default = VERDICT_NONE,
    .max_insns = 2048,
};

enum {
    K_PAUSED,
    K_KIND,
    K_EVENTS,
    K_UNHANDLED,
    K_BY_V1,
    K_BY_V2,
    K_BY_OTHER,
    K_SWITCHES,
    K_RUN_INSNS,
    K_SWITCH_MIN,
    K_SWITCH_MEDIAN,
    K_SWITCH_MAX,
    K_PREPARE_MEDIAN,
    K_LAST_PREPARE,
    K_LAST_SWITCH,
    K_CRASH,
    K_BURST
};
static const struct pdconfig_key keys[] = {
    [K_PAUSED] = {"paused", 0, 0, 1, 1, 0},
    [K_KIND] = {"kind", 7, 0, 1000, 1, 0},
    [K_EVENTS] = {"events", 0, 0, 0, 0, 0},
    [K_UNHANDLED] = {"unhandled", 0, 0, 0, 0, 0},
    [K_BY_V1] = {"by_v1", 0, 0, 0, 0, 0},
    [K_BY_V2] = {"by_v2", 0, 0, 0, 0, 0},
    [K_BY_OTHER] = {"by_other", 0, 0, 0, 0, 0},
    [K_SWITCHES] = {"switches", 0, 0, 0, 0, 0},
    [K_RUN_INSNS] = {"run_insns_min", 0, 0, 0, 0, 0},
    [K_SWITCH_MIN] = {"switch_insns_min", 0, 0, 0, 0, 0},
    [K_SWITCH_MEDIAN] = {"switch_insns_median", 0, 0, 0, 0, 0},
    [K_SWITCH_MAX] = {"switch_insns_max", 0, 0, 0, 0, 0},
    [K_PREPARE_MEDIAN] = {"prepare_insns_median", 0, 0, 0, 0, 0},
    [K_LAST_PREPARE] = {"last_prepare_insns", 0, 0, 0, 0, 0},
    [K_LAST_SWITCH] = {"last_switch_insns", 0, 0, 0, 0, 0},
    [K_CRASH] = {"crash", 0, 0, 1, 1, 0},
    [K_BURST] = {"burst", 0, 0, 1000000000, 1, 0},
};

/* The extra instructions of the last switches (a ring), summarised when
 * the worker is paused: the counter is the hart's, so a run during which
 * another PD or the kernel ran counts their instructions too; the minimum
 * and the median show the switch itself, the maximum such disturbances. */
#define SAMPLES 2048
static uint64_t samples[SAMPLES], prepare_samples[SAMPLES], sorted[SAMPLES];
static uint32_t nsamples;

static void sort_samples(const uint64_t *from, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint64_t v = from[i];
        uint32_t j = i;
        for (; j > 0 && sorted[j - 1] > v; j--)
            sorted[j] = sorted[j - 1];
        sorted[j] = v;
    }
}

static void summarise(void *cfg)
{
    uint32_t n = nsamples < SAMPLES ? nsamples : SAMPLES;
    if (!n)
        return;
    sort_samples(prepare_samples, n);
    pdconfig_publish(cfg, K_PREPARE_MEDIAN, (int64_t)sorted[n / 2]);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t v = samples[i];
        uint32_t j = i;
        for (; j > 0 && sorted[j - 1] > v; j--)
            sorted[j] = sorted[j - 1];
        sorted[j] = v;
    }
    pdconfig_publish(cfg, K_SWITCH_MIN, (int64_t)sorted[0]);
    pdconfig_publish(cfg, K_SWITCH_MEDIAN, (int64_t)sorted[n / 2]);
    pdconfig_publish(cfg, K_SWITCH_MAX, (int64_t)sorted[n - 1]);
}

static struct bpfhook hook;
/* an address nothing is mapped at, hidden from the compiler's checks */
static volatile int *volatile unmapped = (volatile int *)0x10;

static inline uint64_t instret(void)
{
#if defined(HYPOS_USER_COUNTERS)
    uint64_t v;
    __asm__ volatile("csrr %0, instret" : "=r"(v));
    return v;
#else
    return 0;
#endif
}

static void produce(void *cfg)
{
    uint64_t events = 0, unhandled = 0, by[3] = {0, 0, 0}, switches = 0, run_min = UINT64_MAX;
    uint32_t seen_seq = __atomic_load_n(&hook.shared->live_seq, __ATOMIC_ACQUIRE);
    int summarised = 0;
    uint64_t bursted = 0; /* events produced while paused */
    for (;;) {
        if (pdconfig_get(cfg, K_CRASH)) {
            /* a fault on purpose: the monitor reloads and restarts the
             * worker (its restart policy), which declares its hook again */
            microkit_dbg_puts("worker: crashing on purpose\n");
            *unmapped = 1;
        }
        if (pdconfig_get(cfg, K_PAUSED)) {
            int64_t burst = pdconfig_get(cfg, K_BURST);
            if (burst <= 0 || bursted >= (uint64_t)burst) {
                if (!summarised)
                    summarise(cfg);
                summarised = 1;
                pdconfig_applied(cfg);
                continue;
            }
            bursted++;
        }
        summarised = 0;
        struct event_ctx c = {.seq = ++events, .kind = (unsigned)pdconfig_get(cfg, K_KIND)};
        c.value = (unsigned)(c.seq * 2654435761u);
        uint64_t t0 = instret();
        int64_t verdict = bpfhook_run(&hook, &c);
        uint64_t spent = instret() - t0;
        static uint64_t prev_spent;
        uint32_t seq = __atomic_load_n(&hook.shared->live_seq, __ATOMIC_ACQUIRE);
        if (seq != seen_seq) { /* this run took a change over */
            seen_seq = seq;
            switches++;
            if (run_min != UINT64_MAX && verdict != VERDICT_NONE) {
                prepare_samples[nsamples % SAMPLES] = prev_spent > run_min ? prev_spent - run_min : 0;
                samples[nsamples++ % SAMPLES] = spent > run_min ? spent - run_min : 0;
                pdconfig_publish(cfg, K_LAST_PREPARE, (int64_t)prev_spent);
                pdconfig_publish(cfg, K_LAST_SWITCH, (int64_t)spent);
            }
        } else if (verdict != VERDICT_NONE && spent < run_min) {
            run_min = spent; /* an ordinary run: the switch's baseline */
        }
        prev_spent = spent;
        if (verdict == VERDICT_NONE)
            unhandled++;
        else if (verdict == 1 || verdict == 2)
            by[verdict - 1]++;
        else
            by[2]++;
        pdconfig_publish(cfg, K_EVENTS, (int64_t)events);
        pdconfig_publish(cfg, K_UNHANDLED, (int64_t)unhandled);
        pdconfig_publish(cfg, K_BY_V1, (int64_t)by[0]);
        pdconfig_publish(cfg, K_BY_V2, (int64_t)by[1]);
        pdconfig_publish(cfg, K_BY_OTHER, (int64_t)by[2]);
        pdconfig_publish(cfg, K_SWITCHES, (int64_t)switches);
        pdconfig_publish(cfg, K_RUN_INSNS, run_min == UINT64_MAX ? 0 : (int64_t)run_min);
        pdconfig_applied(cfg);
    }
}

void init(void)
{
    void *cfg = (void *)worker_config;
    if (pdconfig_declare(cfg, worker_config_size, "worker", keys, sizeof(keys) / sizeof(keys[0]))) {
        microkit_dbg_puts("worker: configuration region too small\n");
        return;
    }
    if (bpfhook_declare(&hook, (void *)event_hook, event_hook_size, &event_decl)) {
        microkit_dbg_puts("worker: hook 'event' could not be declared\n");
        return;
    }
    microkit_notify(BPF_PD);
    microkit_dbg_puts("worker: producing events\n");
    produce(cfg); /* never returns: the worker is all load */
}

void notified(microkit_channel ch) { (void)ch; /* configuration changes are read where they are used */ }
