/* The control agent's core: decodes a request, carries it out against the
 * hook regions (read-only), the bpf PD (through the control region and a
 * call) and the configuration regions, and encodes the response. It has
 * no Microkit in it, so the host tests and the fuzzer run it as it is;
 * main.c binds it to the PD. */
#pragma once
#include <hypos/bpfctl.h>
#include <hypos/control.h>
#include <hypos/control_sync.h>
#include <hypos/pdconfig.h>
#include <stddef.h>
#include <stdint.h>

#define AGENT_MAX_HOOKS 8
#define AGENT_MAX_CONFIGS 8
/* the largest message the agent takes (a request with a 48 KiB object) */
#define AGENT_MAX_REQUEST (56 * 1024)
/* the largest response it writes, prefix included */
#define AGENT_MAX_RESPONSE (24 * 1024)
/* map watches at a time (on the one connection) */
#define AGENT_MAX_WATCHES 4
/* The marker before the greeting on each connection */
#define AGENT_SYNC_LEN HYPOS_CONTROL_SYNC_LEN
#define AGENT_SYNC HYPOS_CONTROL_SYNC

struct agent_watch {
    uint32_t id; /* the MapWatchRequest's id; 0: slot free */
    char name[72];
    uint64_t interval_ns, next_ns;
    uint64_t digest; /* of the contents last sent */
    uint32_t updates;
};

struct agent {
    /* regions, as the PD maps them */
    const void *hook[AGENT_MAX_HOOKS];
    uint64_t hook_size[AGENT_MAX_HOOKS];
    void *config[AGENT_MAX_CONFIGS];
    uint64_t config_size[AGENT_MAX_CONFIGS];
    struct bpfctl *ctl;
    uint64_t ctl_size;
    /* the platform: call the bpf PD with an operation (BPFCTL_OP_*), tell
     * configuration region i's PD that a value changed */
    void (*bpf_call)(uint32_t op);
    void (*config_notify)(unsigned i);
    /* program ids: the id of each hook's live program, and the id an offer
     * in flight will have once the hook takes it */
    uint32_t next_id;
    uint32_t id[AGENT_MAX_HOOKS], id_seq[AGENT_MAX_HOOKS];
    uint32_t pending_id[AGENT_MAX_HOOKS], pending_seq[AGENT_MAX_HOOKS];
    /* signed bundles, version floors, measurement log, attestation
     * (libs/bundle): NULL when the system has no keyring built in, and
     * then plain objects are accepted and bundles refused */
    struct hb_control *sec;
    /* counters */
    uint64_t requests, errors, changes, rx_bytes, tx_bytes;
    /* guest instructions the PD spent serving the control channel, and
     * the driver's (as it publishes them), for the figures; 0 where the
     * counter cannot be read */
    uint64_t serve_insns, driver_insns;
    /* connections (the platform reports them when conn_events is set):
     * seen so far, messages cut off by a connection's end and their bytes */
    int conn_events;
    uint64_t connections, cut_messages, cut_bytes;
    /* map watches: the board's clock in nanoseconds (NULL: no clock, no
     * watches) and the watches of the current connection */
    uint64_t (*now_ns)(void);
    struct agent_watch watch[AGENT_MAX_WATCHES];
    unsigned nwatches;
};

/* The hart's instruction counter, or 0 where PDs cannot read it. */
static inline uint64_t agent_instret(void)
{
#if defined(HYPOS_USER_COUNTERS) && defined(__riscv)
    uint64_t v;
    __asm__ volatile("csrr %0, instret" : "=r"(v));
    return v;
#else
    return 0;
#endif
}

void agent_init(struct agent *a);

/* Handle one message (a request's bytes, without its length prefix) and
 * write the response, length prefix included, to out (AGENT_MAX_RESPONSE
 * bytes). Returns the response's length. */
uint32_t agent_handle(struct agent *a, const uint8_t *msg, uint32_t len, uint8_t *out);

/* The response for a message the framer refused (too long, or a
 * malformed length prefix). */
uint32_t agent_refuse_frame(struct agent *a, int too_large, uint32_t len, uint8_t *out);

/* A connection ended or began (connected), leaving cut_bytes bytes of
 * unfinished messages behind: its watches end. On a new connection the
 * greeting (AGENT_SYNC and a framed Response) is written to out and its
 * length returned; 0 otherwise. */
uint32_t agent_connection(struct agent *a, int connected, uint32_t cut_bytes, uint8_t *out);

/* Map watches: when the next one is due (0: none), and the next update
 * due at now whose contents changed (its length; 0: nothing to send).
 * Watches due but unchanged are set to look again an interval later. */
uint64_t agent_watch_deadline(const struct agent *a);
uint32_t agent_watch_poll(struct agent *a, uint64_t now, uint8_t *out);
