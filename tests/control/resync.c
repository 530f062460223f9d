/* Connections that end badly, against a running agent: each case sends
 * something and hangs up (half a message, half a length prefix, a message
 * over the limit cut short, garbage before the greeting, garbage between
 * messages, a request whose response is never read), then a new
 * connection must be greeted and served, and the agent's count of
 * unfinished messages must show what it dropped.
 *   resync SOCKET cases SEED    the cases; "resync: N cases, agent serving"
 *   resync SOCKET half          greeted, sends half a message, then waits
 *                               to be killed
 *   resync SOCKET bench N       N status requests on one connection: the
 *                               agent's and the driver's guest instructions
 *                               per request
 *   resync SOCKET watch B N     a watch of map "state" (examples/control,
 *                               the worker paused) while B bursts of N
 *                               events are asked for on the same connection
 *                               (the worker's "burst"): every burst must be
 *                               pushed, the last values exact; prints the
 *                               updates and their latency
 * Exits 1 when a case fails. */
#define _GNU_SOURCE
#include "../../tools/hyposctl/client.h"
#include <pb_encode.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *sock;
static uint64_t rng;
static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)rng;
}

static hypos_control_Request req;
static hypos_control_Response resp;

static size_t prefix(uint32_t len, uint8_t *out)
{
    size_t n = 0;
    do {
        uint8_t b = len & 0x7f;
        len >>= 7;
        out[n++] = (uint8_t)(len ? b | 0x80 : b);
    } while (len);
    return n;
}

/* A framed status request with id. */
static size_t status_request(uint32_t id, uint8_t *out)
{
    memset(&req, 0, sizeof(req));
    req.id = id;
    req.which_op = hypos_control_Request_status_tag;
    uint8_t body[64];
    pb_ostream_t os = pb_ostream_from_buffer(body, sizeof(body));
    if (!pb_encode(&os, hypos_control_Request_fields, &req))
        exit(2);
    size_t n = prefix((uint32_t)os.bytes_written, out);
    memcpy(out + n, body, os.bytes_written);
    return n + os.bytes_written;
}

/* A new, greeted connection asks for the status. 0 and the counters. */
static int status(hypos_control_SystemStatus *st, uint64_t *connection, size_t *skipped)
{
    struct client c;
    if (client_open(&c, sock, 10000))
        return -1;
    memset(&req, 0, sizeof(req));
    req.which_op = hypos_control_Request_status_tag;
    int rc = client_call(&c, &req, &resp);
    client_close(&c);
    if (rc || resp.status != hypos_control_Status_OK || resp.which_result != hypos_control_Response_system_tag)
        return -1;
    *st = resp.result.system;
    if (connection)
        *connection = c.connection;
    if (skipped)
        *skipped = c.skipped;
    return 0;
}

static int failed, cases;

/* Run one case: open (greeted or raw), let body send, hang up; then a
 * new connection must be served. cut: unfinished messages the case must
 * add (-1: any number). */
static void run_case(const char *name, int greeted, int cut, void (*body)(struct client *))
{
    hypos_control_SystemStatus before, after;
    cases++;
    if (status(&before, NULL, NULL)) {
        printf("resync: %s: no status before the case\n", name);
        failed++;
        return;
    }
    struct client c;
    if ((greeted ? client_open : client_open_raw)(&c, sock, 10000)) {
        printf("resync: %s: cannot connect\n", name);
        failed++;
        return;
    }
    body(&c);
    client_close(&c);
    uint64_t connection;
    size_t skipped;
    if (status(&after, &connection, &skipped)) {
        printf("resync: %s: the next connection was not served\n", name);
        failed++;
        return;
    }
    /* status() itself is one connection: it adds nothing unfinished */
    uint64_t added = after.cut_messages - before.cut_messages;
    if (cut >= 0 && added != (uint64_t)cut) {
        printf("resync: %s: %" PRIu64 " unfinished messages dropped, expected %d\n", name, added, cut);
        failed++;
        return;
    }
    printf("resync: %s: next connection served (connection %" PRIu64 ", %" PRIu64
           " unfinished dropped, %zu stale bytes before its greeting)\n",
           name, connection, added, skipped);
}

static void send_or_die(struct client *c, const void *p, size_t n)
{
    if (client_send_raw(c, p, n))
        exit(1);
}

static void half_message(struct client *c)
{
    uint8_t buf[400];
    size_t n = prefix(300, buf);
    for (size_t i = 0; i < 150; i++)
        buf[n + i] = (uint8_t)next();
    send_or_die(c, buf, n + 150);
    usleep(50000); /* let it arrive before the hang-up */
}

static void half_prefix(struct client *c)
{
    send_or_die(c, "\x80\x80", 2);
    usleep(50000);
}

static void over_limit_cut(struct client *c)
{
    static uint8_t buf[70000];
    size_t n = prefix(60000, buf);
    for (size_t i = 0; i < 2000; i++)
        buf[n + i] = (uint8_t)next();
    send_or_die(c, buf, n + 2000);
    /* the agent refuses it as soon as it has the length */
    if (client_recv(c, &resp) || resp.status != hypos_control_Status_TOO_LARGE) {
        printf("resync: over the limit: no TOO_LARGE answer\n");
        failed++;
    }
}

static void garbage_before_greeting(struct client *c)
{
    uint8_t buf[500];
    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)next();
    send_or_die(c, buf, sizeof(buf));
    usleep(50000);
}

static void request_then_partial_prefix(struct client *c)
{
    uint8_t buf[80];
    size_t n = status_request(4242, buf);
    buf[n++] = 0x85; /* a prefix that goes on */
    send_or_die(c, buf, n);
    if (client_recv(c, &resp) || resp.id != 4242 || resp.status != hypos_control_Status_OK) {
        printf("resync: request then partial prefix: the whole request was not answered\n");
        failed++;
    }
}

static void garbage_between_messages(struct client *c)
{
    uint8_t buf[200];
    size_t n = status_request(4343, buf);
    for (int i = 0; i < 7; i++)
        buf[n++] = (uint8_t)(next() | 0x80); /* a length prefix that never ends... */
    buf[n++] = 0x7f;                         /* ...until here: 127 bytes wanted */
    n += status_request(4344, buf + n);      /* swallowed by them */
    send_or_die(c, buf, n);
    usleep(50000);
}

static void unread_response(struct client *c)
{
    uint8_t buf[80];
    size_t n = status_request(4545, buf);
    send_or_die(c, buf, n);
    /* hang up at once: the response goes nowhere, or to no one */
}

static void many_halves(struct client *c)
{
    uint8_t buf[2100];
    uint32_t len = 1 + next() % 2000;
    size_t n = prefix(len, buf);
    uint32_t part = next() % len;
    for (uint32_t i = 0; i < part; i++)
        buf[n + i] = (uint8_t)next();
    send_or_die(c, buf, n + part);
    usleep(20000);
}

static int bench(long n)
{
    hypos_control_SystemStatus a, b;
    struct client c;
    if (client_open(&c, sock, 10000))
        return 2;
    memset(&req, 0, sizeof(req));
    req.which_op = hypos_control_Request_status_tag;
    if (client_call(&c, &req, &resp))
        return 1;
    a = resp.result.system;
    for (long i = 0; i < n; i++) {
        memset(&req, 0, sizeof(req));
        req.which_op = hypos_control_Request_status_tag;
        if (client_call(&c, &req, &resp))
            return 1;
    }
    b = resp.result.system;
    client_close(&c);
    /* the counters of the last response exclude that request itself */
    printf("resync bench: %ld status requests on one connection: agent %" PRIu64 ", driver %" PRIu64
           " guest instructions per request\n",
           n, (b.agent_insns - a.agent_insns) / (uint64_t)n, (b.driver_insns - a.driver_insns) / (uint64_t)n);
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t config_value(const hypos_control_ConfigValues *c, const char *key)
{
    for (pb_size_t i = 0; i < c->values_count; i++)
        if (!strcmp(c->values[i].key, key))
            return c->values[i].value;
    return -1;
}

static uint64_t map_value(const hypos_control_MapContents *m, uint32_t key)
{
    for (pb_size_t i = 0; i < m->entries_count; i++) {
        const hypos_control_MapEntry *e = &m->entries[i];
        uint32_t k = 0;
        uint64_t v = 0;
        memcpy(&k, e->key.bytes, e->key.size < 4 ? e->key.size : 4);
        memcpy(&v, e->value.bytes, e->value.size < 8 ? e->value.size : 8);
        if (k == key)
            return v;
    }
    return UINT64_MAX;
}

static int watch(long bursts, long size)
{
    struct client c;
    if (client_open(&c, sock, 10000))
        return 2;
    memset(&req, 0, sizeof(req));
    req.which_op = hypos_control_Request_config_get_tag;
    strcpy(req.op.config_get.pd, "worker");
    if (client_call(&c, &req, &resp) || resp.status != hypos_control_Status_OK)
        return 1;
    int64_t burst0 = config_value(&resp.result.config, "burst"), events0 = config_value(&resp.result.config, "events");
    if (config_value(&resp.result.config, "paused") != 1) {
        printf("resync watch: pause the worker first\n");
        return 1;
    }
    memset(&req, 0, sizeof(req));
    req.which_op = hypos_control_Request_map_watch_tag;
    strcpy(req.op.map_watch.name, "state");
    req.op.map_watch.interval_ms = 20;
    if (client_call(&c, &req, &resp) || resp.status != hypos_control_Status_OK) {
        printf("resync watch: refused: %s\n", resp.reason);
        return 1;
    }
    uint32_t watch_id = resp.id;
    uint64_t handled0 = map_value(&resp.result.map, 0), handled = handled0, last = map_value(&resp.result.map, 1);
    long updates = 0, seen_bursts = 0;
    double worst = 0, total = 0;
    for (long b = 1; b <= bursts; b++) {
        memset(&req, 0, sizeof(req));
        req.which_op = hypos_control_Request_config_set_tag;
        strcpy(req.op.config_set.pd, "worker");
        strcpy(req.op.config_set.key, "burst");
        snprintf(req.op.config_set.value, sizeof(req.op.config_set.value), "%lld", (long long)(burst0 + b * size));
        if (client_send(&c, &req))
            return 1;
        uint32_t set_id = req.id;
        double asked = now();
        uint64_t want = handled0 + (uint64_t)(b * size);
        int set_answered = 0;
        while (!set_answered || handled != want) {
            if (now() - asked > 5) {
                printf("resync watch: burst %ld: no update to %" PRIu64 " within 5 s (last %" PRIu64 ")\n", b, want,
                       handled);
                return 1;
            }
            c.timeout_ms = 5000;
            if (client_recv(&c, &resp))
                return 1;
            if (resp.id == set_id) {
                set_answered = 1;
                continue;
            }
            if (resp.id != watch_id || resp.status != hypos_control_Status_OK)
                continue;
            updates++;
            handled = map_value(&resp.result.map, 0);
            last = map_value(&resp.result.map, 1);
            if (resp.result.map.update != (uint32_t)updates) {
                printf("resync watch: update numbered %u, expected %ld\n", resp.result.map.update, updates);
                return 1;
            }
        }
        double latency = now() - asked;
        total += latency;
        worst = latency > worst ? latency : worst;
        seen_bursts++;
    }
    memset(&req, 0, sizeof(req));
    req.which_op = hypos_control_Request_map_unwatch_tag;
    req.op.map_unwatch.watch_id = watch_id;
    if (client_call(&c, &req, &resp) || resp.status != hypos_control_Status_OK)
        return 1;
    client_close(&c);
    uint64_t want_last = (uint64_t)events0 + (uint64_t)(bursts * size);
    int exact = handled == handled0 + (uint64_t)(bursts * size) && last == want_last;
    printf("resync watch: %ld bursts of %ld events, %ld updates pushed, every burst seen; handled %" PRIu64
           " -> %" PRIu64 ", last sequence %" PRIu64 " -> %" PRIu64
           "%s; burst asked to its last value pushed: mean %.1f ms, worst "
           "%.1f ms\n",
           bursts, size, updates, handled0, handled, (uint64_t)events0, last, exact ? " (exact)" : " (WRONG)",
           total / (double)seen_bursts * 1e3, worst * 1e3);
    return exact && seen_bursts == bursts ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: resync SOCKET cases SEED | half | bench N\n");
        return 2;
    }
    sock = argv[1];
    rng = (argc > 3 && !strcmp(argv[2], "cases") ? (uint64_t)atoll(argv[3]) : 1) * 0x9e3779b97f4a7c15ULL + 1;
    if (!strcmp(argv[2], "watch"))
        return watch(argc > 3 ? atol(argv[3]) : 5, argc > 4 ? atol(argv[4]) : 100);
    if (!strcmp(argv[2], "bench"))
        return bench(argc > 3 ? atol(argv[3]) : 100);
    if (!strcmp(argv[2], "half")) {
        struct client c;
        if (client_open(&c, sock, 10000))
            return 2;
        uint8_t buf[600];
        size_t n = prefix(500, buf);
        memset(buf + n, 0x2a, 250);
        if (client_send_raw(&c, buf, n + 250))
            return 1;
        printf("resync: half a message sent, waiting to be killed\n");
        fflush(stdout);
        for (;;)
            pause();
    }
    if (strcmp(argv[2], "cases"))
        return 2;
    run_case("half a message", 1, 1, half_message);
    run_case("half a length prefix", 1, 1, half_prefix);
    run_case("a message over the limit, cut short while skipped", 1, 1, over_limit_cut);
    run_case("garbage before the greeting", 0, -1, garbage_before_greeting);
    run_case("a request, then half a length prefix", 1, 1, request_then_partial_prefix);
    run_case("garbage between two requests", 1, 1, garbage_between_messages);
    run_case("a request whose response is never read", 1, -1, unread_response); /* cut if it was not read yet */
    for (int i = 0; i < 40; i++)
        run_case("half a message of random size", 1, -1, many_halves);
    printf("resync: %d cases, %d failed%s\n", cases, failed, failed ? "" : ", agent serving");
    return failed ? 1 : 0;
}
