/* The control agent PD: reads length-delimited requests from the control
 * channel (a byte queue pair shared with the virtio console driver PD),
 * handles each one (agent.c) and writes the response back. It is the only
 * PD with a channel to the bpf PD's control interface, so the only one
 * that can change what runs in a hook after boot.
 *
 * Configuration (setvar): rx_queue/rx_queue_size (bytes from the host),
 * tx_queue/tx_queue_size (bytes to the host), bpf_control/
 * bpf_control_size (the region shared with the bpf PD), agent_hookN/
 * agent_hookN_size (hook regions, read-only, N = 0..7), agent_configN/
 * agent_configN_size (configuration regions of PDs, N = 0..7),
 * agent_keyring/agent_keyring_size (public keys whose bundles are
 * accepted; without it plain objects are) and agent_device_key/
 * agent_device_key_size (the secret key attestations are signed with;
 * optional), both regions prefilled at build time, agent_rtc (the
 * board's goldfish real-time clock, a device region; optional: map
 * watches need it) and agent_boot_log/agent_boot_log_size (the boot
 * measurements the initialiser wrote, mapped read-only; optional): the
 * first entries of the log.
 * Channels: DRIVER (the virtio console driver), BPF_PD (pp="true" on this
 * end), CONFIG_BASE + N (the PD of configuration region N), CLOCK_IRQ (the
 * clock's alarm interrupt, with agent_rtc).
 *
 * Connections: when the driver reports that the host program connected or
 * went away (hypos/byteq.h, "Connections"), the agent drops what it had of
 * an unfinished message and any response not yet sent, ends the
 * connection's map watches, and greets a new connection (agent.h,
 * AGENT_SYNC) before it reads anything from it. */
#include "agent.h"
#include "frame.h"
#include <hypos/bootlog.h>
#include <hypos/byteq.h>
#include <microkit.h>

#define DRIVER 0
#define BPF_PD 1
#define CONFIG_BASE 2
#define CLOCK_IRQ 20

#define SETVAR(name) __attribute__((section(".data"))) seL4_Word name = 0
SETVAR(rx_queue);
SETVAR(rx_queue_size);
SETVAR(tx_queue);
SETVAR(tx_queue_size);
SETVAR(bpf_control);
SETVAR(bpf_control_size);
SETVAR(agent_hook0);
SETVAR(agent_hook0_size);
SETVAR(agent_hook1);
SETVAR(agent_hook1_size);
SETVAR(agent_hook2);
SETVAR(agent_hook2_size);
SETVAR(agent_hook3);
SETVAR(agent_hook3_size);
SETVAR(agent_hook4);
SETVAR(agent_hook4_size);
SETVAR(agent_hook5);
SETVAR(agent_hook5_size);
SETVAR(agent_hook6);
SETVAR(agent_hook6_size);
SETVAR(agent_hook7);
SETVAR(agent_hook7_size);
SETVAR(agent_config0);
SETVAR(agent_config0_size);
SETVAR(agent_config1);
SETVAR(agent_config1_size);
SETVAR(agent_config2);
SETVAR(agent_config2_size);
SETVAR(agent_config3);
SETVAR(agent_config3_size);
SETVAR(agent_config4);
SETVAR(agent_config4_size);
SETVAR(agent_config5);
SETVAR(agent_config5_size);
SETVAR(agent_config6);
SETVAR(agent_config6_size);
SETVAR(agent_config7);
SETVAR(agent_config7_size);
SETVAR(agent_keyring);
SETVAR(agent_keyring_size);
SETVAR(agent_device_key);
SETVAR(agent_device_key_size);
SETVAR(agent_rtc);
SETVAR(agent_boot_log);
SETVAR(agent_boot_log_size);

static const seL4_Word *const hook_vars[AGENT_MAX_HOOKS][2] = {
    {&agent_hook0, &agent_hook0_size}, {&agent_hook1, &agent_hook1_size}, {&agent_hook2, &agent_hook2_size},
    {&agent_hook3, &agent_hook3_size}, {&agent_hook4, &agent_hook4_size}, {&agent_hook5, &agent_hook5_size},
    {&agent_hook6, &agent_hook6_size}, {&agent_hook7, &agent_hook7_size}};
static const seL4_Word *const config_vars[AGENT_MAX_CONFIGS][2] = {
    {&agent_config0, &agent_config0_size}, {&agent_config1, &agent_config1_size}, {&agent_config2, &agent_config2_size},
    {&agent_config3, &agent_config3_size}, {&agent_config4, &agent_config4_size}, {&agent_config5, &agent_config5_size},
    {&agent_config6, &agent_config6_size}, {&agent_config7, &agent_config7_size}};

static struct agent agent;
/* signed bundles and the measurement log (libs/bundle) */
#define LOG_ENTRIES 256
static struct hb_control security;
static struct hb_mlog_entry log_ring[LOG_ENTRIES];
static uint8_t log_chains[LOG_ENTRIES][HB_SHA256_BYTES];
/* the boot measurements, decoded from the read-only boot log region */
static struct hb_mlog_entry boot_entries[HB_BOOTLOG_MAX];

/* Starts the log with the boot measurements; 0 when the region is
 * malformed (the reason printed). */
static int start_boot_log(void)
{
    struct hb_result res;
    uint32_t n;
    if (hb_bootlog_read((const void *)agent_boot_log, agent_boot_log_size, boot_entries, HB_BOOTLOG_MAX, &n, &res) !=
            HB_OK ||
        hb_mlog_set_boot(&security.log, boot_entries, n) != 0) {
        microkit_dbg_puts("agent: boot measurements malformed, no changes accepted: ");
        microkit_dbg_puts(res.status != HB_OK ? res.reason : "out of order");
        microkit_dbg_puts("\n");
        return 0;
    }
    microkit_dbg_puts("agent: the log starts with the boot measurements\n");
    return 1;
}
static struct framer framer;
static uint8_t request_buf[AGENT_MAX_REQUEST];
static struct byteq *rx, *tx;
static uint32_t rx_cap, tx_cap;
/* bytes taken from rx but not yet framed, and a response not yet sent */
static uint8_t in_buf[2048];
static size_t in_len, in_used;
static uint8_t out_buf[AGENT_MAX_RESPONSE];
static uint32_t out_len, out_sent;

/* connection events seen (byteq_event) */
static uint32_t event_seen;

/* The goldfish RTC (QEMU virt): nanoseconds, and an alarm interrupt. */
#define RTC_TIME_LOW 0x00
#define RTC_TIME_HIGH 0x04
#define RTC_ALARM_LOW 0x08
#define RTC_ALARM_HIGH 0x0c
#define RTC_IRQ_ENABLED 0x10
#define RTC_CLEAR_ALARM 0x14
#define RTC_CLEAR_INTERRUPT 0x1c
static volatile uint32_t *rtc;

static uint64_t rtc_now(void)
{
    uint64_t lo = rtc[RTC_TIME_LOW / 4]; /* reading the low word latches the high one */
    return (uint64_t)rtc[RTC_TIME_HIGH / 4] << 32 | lo;
}

/* An alarm at the next watch's time, or none: also none while a response
 * waits for room (the driver's notification brings the agent back, and a
 * watch already due would make the alarm fire again and again). */
static uint64_t alarm_at;
static void set_alarm(void)
{
    if (!rtc)
        return;
    uint64_t when = out_sent < out_len ? 0 : agent_watch_deadline(&agent);
    if (when == alarm_at)
        return;
    alarm_at = when;
    if (!when) {
        rtc[RTC_CLEAR_ALARM / 4] = 1;
        return;
    }
    rtc[RTC_ALARM_HIGH / 4] = (uint32_t)(when >> 32);
    rtc[RTC_ALARM_LOW / 4] = (uint32_t)when; /* arms it; a time passed fires at once */
}

static void call_bpf(uint32_t op) { microkit_ppcall(BPF_PD, microkit_msginfo_new(op, 0)); }

static void notify_config(unsigned i) { microkit_notify(CONFIG_BASE + i); }

/* Send what is left of the current response; 1 when it is all out. */
static int flush(void)
{
    if (out_sent < out_len) {
        uint32_t n = byteq_put(tx, tx_cap, out_buf + out_sent, out_len - out_sent);
        out_sent += n;
        if (n)
            microkit_notify(DRIVER);
        if (out_sent < out_len) {
            byteq_set_waiting(&tx->producer_waiting);
            /* room may have appeared between the put and the flag */
            n = byteq_put(tx, tx_cap, out_buf + out_sent, out_len - out_sent);
            out_sent += n;
            if (n)
                microkit_notify(DRIVER);
        }
    }
    return out_sent == out_len;
}

/* A connection event from the driver: forget the connection before
 * (its unread bytes, the message under way, the response not yet sent,
 * its watches), tell the driver, and greet a new one. */
static void check_connection(void)
{
    uint32_t mark, state;
    if (!byteq_event(rx, &event_seen, &mark, &state))
        return;
    uint32_t cut = byteq_skip_to(rx, mark) + (uint32_t)(in_len - in_used) + frame_pending(&framer);
    in_len = in_used = 0;
    frame_init(&framer, request_buf, sizeof(request_buf));
    agent.conn_events = (state & BYTEQ_EVENTS) != 0;
    out_len = agent_connection(&agent, (state & BYTEQ_CONNECTED) != 0, cut, out_buf);
    out_sent = 0;
    byteq_ack_event(tx, event_seen);
    microkit_notify(DRIVER);
}

/* Handle requests until the input runs out or a response cannot be sent
 * whole yet (then wait for the driver to make room: one response at a
 * time keeps the order). Watch updates go out between responses. */
static void serve(void)
{
    for (;;) {
        check_connection();
        if (!flush())
            return;
        if (agent.nwatches) {
            out_len = agent_watch_poll(&agent, rtc_now(), out_buf);
            out_sent = 0;
            if (out_len)
                continue;
        }
        if (in_used == in_len) {
            in_len = byteq_get(rx, rx_cap, in_buf, sizeof(in_buf));
            in_used = 0;
            if (in_len && byteq_take_waiting(&rx->producer_waiting))
                microkit_notify(DRIVER); /* it holds bytes for the room just made */
            if (!in_len)
                return;
            agent.rx_bytes += in_len;
        }
        uint32_t len;
        enum frame_event ev = frame_feed(&framer, in_buf, in_len, &in_used, &len);
        if (ev == FRAME_MESSAGE)
            out_len = agent_handle(&agent, request_buf, len, out_buf);
        else if (ev == FRAME_TOO_LARGE || ev == FRAME_BAD_PREFIX)
            out_len = agent_refuse_frame(&agent, ev == FRAME_TOO_LARGE, len, out_buf);
        else
            continue;
        out_sent = 0;
    }
}

void init(void)
{
    agent_init(&agent);
    for (int h = 0; h < AGENT_MAX_HOOKS; h++) {
        agent.hook[h] = (const void *)*hook_vars[h][0];
        agent.hook_size[h] = *hook_vars[h][1];
    }
    for (int c = 0; c < AGENT_MAX_CONFIGS; c++) {
        agent.config[c] = (void *)*config_vars[c][0];
        agent.config_size[c] = *config_vars[c][1];
    }
    agent.ctl = (struct bpfctl *)bpf_control;
    agent.ctl_size = bpf_control_size;
    agent.bpf_call = bpf_control ? call_bpf : 0;
    agent.config_notify = notify_config;
    if (agent_keyring) {
        struct hb_result res;
        if (hb_control_init(&security, (const void *)agent_keyring, agent_keyring_size, (const void *)agent_device_key,
                            agent_device_key_size, log_ring, log_chains, LOG_ENTRIES, &res) != HB_OK) {
            /* refuse everything rather than fall back to unsigned objects */
            microkit_dbg_puts("agent: keyring or device key malformed, no changes accepted: ");
            microkit_dbg_puts(res.reason);
            microkit_dbg_puts("\n");
            agent.bpf_call = 0;
        } else {
            agent.sec = &security;
            microkit_dbg_puts("agent: signed bundles only\n");
            /* refuse changes rather than log them without what they started from */
            if (agent_boot_log && !start_boot_log())
                agent.bpf_call = 0;
        }
    }
    rx = (struct byteq *)rx_queue;
    tx = (struct byteq *)tx_queue;
    rx_cap = byteq_capacity(rx_queue_size);
    tx_cap = byteq_capacity(tx_queue_size);
    frame_init(&framer, request_buf, sizeof(request_buf));
    if (!rx || !tx || !rx_cap || !tx_cap) {
        microkit_dbg_puts("agent: no control channel (rx_queue, tx_queue)\n");
        rx = tx = 0;
        return;
    }
    if (agent_rtc) {
        rtc = (volatile uint32_t *)agent_rtc;
        agent.now_ns = rtc_now;
        rtc[RTC_CLEAR_ALARM / 4] = 1;
        rtc[RTC_CLEAR_INTERRUPT / 4] = 1;
        rtc[RTC_IRQ_ENABLED / 4] = 1;
    }
    agent.conn_events = (__atomic_load_n(&rx->event_state, __ATOMIC_ACQUIRE) & BYTEQ_EVENTS) != 0;
    microkit_dbg_puts("agent: ready\n");
}

void notified(microkit_channel ch)
{
    if (!rx)
        return;
    if (ch == CLOCK_IRQ && rtc) {
        rtc[RTC_CLEAR_INTERRUPT / 4] = 1;
        microkit_irq_ack(CLOCK_IRQ);
        alarm_at = 0; /* it fired: set_alarm sets the next one */
    } else if (ch != DRIVER) {
        return;
    }
    uint64_t t0 = agent_instret();
    /* the driver says whether it reports connections once it knows its port */
    agent.conn_events = (__atomic_load_n(&rx->event_state, __ATOMIC_ACQUIRE) & BYTEQ_EVENTS) != 0;
    serve();
    set_alarm();
    agent.serve_insns += agent_instret() - t0;
    agent.driver_insns = __atomic_load_n(&rx->driver_insns, __ATOMIC_RELAXED);
}
