/* Host unit tests of the control agent's core (system/agent): framing and
 * every request, against a real hook region and the real libraries
 * (harness.c), under ASan and UBSan. One TAP line per check and
 * "# agent: N passed, M failed".
 *   test_agent <directory of count.bpf.o and count_v2.bpf.o> */
#define _GNU_SOURCE
#include "harness.h"
#include "../../system/agent/frame.h"
#include "../../libs/bpfhook/tests/progs/byte_hook.h"
#include <control.pb.h>
#include <pb_decode.h>
#include <pb_encode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;
#define CHECK(name, cond, ...)                                         \
    do {                                                               \
        if (cond) {                                                    \
            printf("ok %d AGENT_%s\n", passed + failed + 1, name);     \
            passed++;                                                  \
        } else {                                                       \
            printf("not ok %d AGENT_%s: ", passed + failed + 1, name); \
            printf(__VA_ARGS__);                                       \
            printf("\n");                                              \
            failed++;                                                  \
        }                                                              \
    } while (0)

static hypos_control_Request req;
static hypos_control_Response resp;
static uint8_t out[AGENT_MAX_RESPONSE];

/* Decode a framed response from out. */
static int decode_out(const uint8_t *buf, uint32_t len)
{
    size_t used = 0;
    uint32_t body;
    static uint8_t frame[AGENT_MAX_RESPONSE];
    struct framer f;
    frame_init(&f, frame, sizeof(frame));
    if (frame_feed(&f, buf, len, &used, &body) != FRAME_MESSAGE || used != len)
        return -1;
    memset(&resp, 0, sizeof(resp));
    pb_istream_t is = pb_istream_from_buffer(frame, body);
    return pb_decode(&is, hypos_control_Response_fields, &resp) ? 0 : -1;
}

static int send_raw(const uint8_t *msg, uint32_t len)
{
    uint32_t n = agent_handle(&H.agent, msg, len, out);
    return decode_out(out, n);
}

static int send_req(void)
{
    static uint8_t buf[AGENT_MAX_REQUEST];
    pb_ostream_t os = pb_ostream_from_buffer(buf, sizeof(buf));
    if (!pb_encode(&os, hypos_control_Request_fields, &req))
        return -1;
    return send_raw(buf, (uint32_t)os.bytes_written);
}

static void new_req(pb_size_t op)
{
    memset(&req, 0, sizeof(req));
    req.which_op = op;
    req.id = 77;
}

static size_t read_file(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

static const char *dir;
static void set_object(hypos_control_LoadRequest_object_t *o, const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    o->size = (pb_size_t)read_file(path, o->bytes, sizeof(o->bytes));
}

static void test_framing(void)
{
    uint8_t buf[64], store[16];
    struct framer f;
    frame_init(&f, store, sizeof(store));
    /* two messages and a zero-length one, fed a byte at a time */
    uint8_t stream[] = {3, 'a', 'b', 'c', 0, 2, 'x', 'y'};
    int got = 0, ok = 1;
    for (size_t i = 0; i < sizeof(stream); i++) {
        size_t used = 0;
        uint32_t len;
        while (used < 1) {
            enum frame_event ev = frame_feed(&f, stream + i, 1, &used, &len);
            if (ev == FRAME_MESSAGE) {
                ok &= (got == 0 && len == 3 && !memcmp(store, "abc", 3)) || (got == 1 && len == 0) ||
                      (got == 2 && len == 2 && !memcmp(store, "xy", 2));
                got++;
            }
        }
    }
    CHECK("frame_bytewise", ok && got == 3, "got %d", got);
    /* too long: reported once, skipped, the next message read normally */
    size_t n = frame_prefix(40, buf);
    memset(buf + n, 'z', 40);
    buf[n + 40] = 1;
    buf[n + 41] = 'k';
    size_t used = 0;
    uint32_t len;
    enum frame_event e1 = frame_feed(&f, buf, n + 42, &used, &len);
    uint32_t big = len;
    enum frame_event e2 = frame_feed(&f, buf, n + 42, &used, &len);
    CHECK("frame_too_large_skipped",
          e1 == FRAME_TOO_LARGE && big == 40 && e2 == FRAME_MESSAGE && len == 1 && store[0] == 'k' && used == n + 42,
          "events %d %d len %u", e1, e2, len);
    /* a prefix that never ends */
    uint8_t bad[] = {0x80, 0x80, 0x80, 0x80, 0x81, 1, 'q'};
    used = 0;
    e1 = frame_feed(&f, bad, sizeof(bad), &used, &len);
    e2 = frame_feed(&f, bad, sizeof(bad), &used, &len);
    CHECK("frame_bad_prefix_then_next", e1 == FRAME_BAD_PREFIX && e2 == FRAME_MESSAGE && len == 1 && store[0] == 'q',
          "events %d %d", e1, e2);
    uint8_t p[5];
    CHECK("frame_prefix_sizes",
          frame_prefix(0, p) == 1 && frame_prefix(127, p) == 1 && frame_prefix(128, p) == 2 &&
              frame_prefix(UINT32_MAX, p) == 5,
          "sizes");
}

static uint32_t list_id(void)
{
    new_req(hypos_control_Request_list_tag);
    if (send_req() || resp.status || resp.result.programs.hooks_count != 1)
        return UINT32_MAX;
    return resp.result.programs.hooks[0].prog_id;
}

static void test_requests(void)
{
    harness_init();
    new_req(hypos_control_Request_status_tag);
    CHECK("status",
          send_req() == 0 && resp.id == 77 && resp.status == 0 && resp.result.system.hooks == 1 &&
              resp.result.system.programs == 0 && resp.result.system.config_pds == 1,
          "status %d hooks %u", resp.status, resp.result.system.hooks);
    CHECK("list_empty_hook", list_id() == 0 && !strcmp(resp.result.programs.hooks[0].name, "rx"), "id");

    new_req(hypos_control_Request_load_tag);
    strcpy(req.op.load.hook, "nope");
    set_object(&req.op.load.object, "count.bpf.o");
    CHECK("load_unknown_hook",
          send_req() == 0 && resp.status == hypos_control_Status_NOT_FOUND &&
              strstr(resp.reason, "unknown hook 'nope' (hooks: rx)"),
          "%d %s", resp.status, resp.reason);
    strcpy(req.op.load.hook, "rx");
    CHECK("load",
          send_req() == 0 && resp.status == 0 && resp.result.change.prog_id == 1 && resp.result.change.generation == 1,
          "%d %s", resp.status, resp.reason);
    CHECK("pending_until_taken", list_id() == 0 && resp.result.programs.hooks[0].pending, "not pending");
    harness_run('a');
    CHECK("attached_after_run",
          list_id() == 1 && !resp.result.programs.hooks[0].pending && resp.result.programs.hooks[0].insns > 0, "id %u",
          list_id());
    new_req(hypos_control_Request_load_tag);
    strcpy(req.op.load.hook, "rx");
    set_object(&req.op.load.object, "count.bpf.o");
    CHECK("load_busy_hook",
          send_req() == 0 && resp.status == hypos_control_Status_REFUSED &&
              strstr(resp.reason, "already runs program 1"),
          "%d %s", resp.status, resp.reason);
    new_req(hypos_control_Request_load_tag);
    strcpy(req.op.load.hook, "rx");
    CHECK("load_without_object", send_req() == 0 && resp.status == hypos_control_Status_BAD_REQUEST, "%d", resp.status);
    new_req(hypos_control_Request_load_tag);
    strcpy(req.op.load.hook, "rx");
    req.op.load.bundle.size = 10;
    CHECK("bundle_not_checked_refused",
          send_req() == 0 && resp.status == hypos_control_Status_UNSUPPORTED && strstr(resp.reason, "bundle"), "%d %s",
          resp.status, resp.reason);

    /* map dump: array and unknown */
    harness_run('1');
    harness_run('b');
    new_req(hypos_control_Request_map_dump_tag);
    strcpy(req.op.map_dump.name, "rx/classes");
    int rc = send_req();
    const hypos_control_MapContents *m = &resp.result.map;
    uint64_t digits = 0, lower = 0;
    if (!rc && m->entries_count == 4) {
        memcpy(&digits, m->entries[0].value.bytes, 8);
        memcpy(&lower, m->entries[1].value.bytes, 8);
    }
    CHECK("map_dump_array",
          rc == 0 && resp.status == 0 && m->type == 2 && m->entries_count == 4 && digits == 1 && lower == 2,
          "%d %s entries %u digits %llu lower %llu", resp.status, resp.reason, m->entries_count,
          (unsigned long long)digits, (unsigned long long)lower);
    strcpy(req.op.map_dump.name, "nomap");
    CHECK("map_dump_unknown", send_req() == 0 && resp.status == hypos_control_Status_NOT_FOUND, "%d", resp.status);
    strcpy(req.op.map_dump.name, "other/classes");
    CHECK("map_dump_other_hook", send_req() == 0 && resp.status == hypos_control_Status_NOT_FOUND, "%d", resp.status);
    strcpy(req.op.map_dump.name, "rx/");
    CHECK("map_dump_bad_name", send_req() == 0 && resp.status == hypos_control_Status_BAD_REQUEST, "%d", resp.status);

    /* replace: refused objects change nothing; a good one keeps maps */
    new_req(hypos_control_Request_replace_tag);
    req.op.replace.prog_id = 1;
    memcpy(req.op.replace.object.bytes, "not an elf", 10);
    req.op.replace.object.size = 10;
    CHECK("replace_garbage_refused",
          send_req() == 0 && resp.status == hypos_control_Status_REFUSED && strstr(resp.reason, "not an eBPF object"),
          "%d %s", resp.status, resp.reason);
    CHECK("refusal_changes_nothing", list_id() == 1, "id %u", list_id());
    new_req(hypos_control_Request_replace_tag);
    req.op.replace.prog_id = 5;
    set_object((hypos_control_LoadRequest_object_t *)&req.op.replace.object, "count_v2.bpf.o");
    CHECK("replace_unknown_id",
          send_req() == 0 && resp.status == hypos_control_Status_NOT_FOUND &&
              strstr(resp.reason, "no running program has id 5"),
          "%d %s", resp.status, resp.reason);
    req.op.replace.prog_id = 1;
    CHECK("replace", send_req() == 0 && resp.status == 0 && resp.result.change.prog_id == 2, "%d %s", resp.status,
          resp.reason);
    uint32_t gen = resp.result.change.generation;
    harness_run('c'); /* prepares (old program runs) */
    harness_run('d'); /* switches */
    new_req(hypos_control_Request_list_tag);
    send_req();
    CHECK("replaced", resp.result.programs.hooks[0].prog_id == 2 && resp.result.programs.hooks[0].generation == gen,
          "id %u gen %u", resp.result.programs.hooks[0].prog_id, resp.result.programs.hooks[0].generation);
    new_req(hypos_control_Request_map_dump_tag);
    strcpy(req.op.map_dump.name, "classes");
    rc = send_req();
    lower = 0;
    if (!rc && resp.result.map.entries_count == 4)
        memcpy(&lower, resp.result.map.entries[1].value.bytes, 8);
    /* 'a' and 'b' under the first program, 'c' (run while the second was
     * prepared) and 'd' under the second: one count */
    CHECK("replace_keeps_maps", rc == 0 && lower == 4, "lower %llu", (unsigned long long)lower);
    new_req(hypos_control_Request_map_dump_tag);
    strcpy(req.op.map_dump.name, "seen");
    CHECK("map_dump_hash",
          send_req() == 0 && resp.status == 0 && resp.result.map.type == 1 && resp.result.map.entries_count == 1 &&
              resp.result.map.entries[0].key.size == 4,
          "%d entries %u", resp.status, resp.result.map.entries_count);

    /* detach */
    new_req(hypos_control_Request_detach_tag);
    req.op.detach.prog_id = 2;
    CHECK("detach", send_req() == 0 && resp.status == 0, "%d %s", resp.status, resp.reason);
    new_req(hypos_control_Request_detach_tag);
    req.op.detach.prog_id = 2;
    CHECK("detach_busy_until_taken", send_req() == 0 && resp.status == hypos_control_Status_BUSY, "%d %s", resp.status,
          resp.reason);
    harness_run('e');
    CHECK("detached", list_id() == 0, "id");
    new_req(hypos_control_Request_detach_tag);
    req.op.detach.prog_id = 2;
    CHECK("detach_gone", send_req() == 0 && resp.status == hypos_control_Status_NOT_FOUND, "%d", resp.status);
}

static void test_config(void)
{
    harness_init();
    new_req(hypos_control_Request_config_set_tag);
    strcpy(req.op.config_set.pd, "sensor");
    strcpy(req.op.config_set.key, "rate");
    strcpy(req.op.config_set.value, "42");
    CHECK("config_set",
          send_req() == 0 && resp.status == 0 && H.config->keys[0].value == 42 && H.config->seq == 1 &&
              H.config_notified == 1,
          "%d %s", resp.status, resp.reason);
    strcpy(req.op.config_set.value, "101");
    CHECK("config_out_of_range",
          send_req() == 0 && resp.status == hypos_control_Status_REFUSED && strstr(resp.reason, "from 1 to 100") &&
              H.config->keys[0].value == 42,
          "%d %s", resp.status, resp.reason);
    strcpy(req.op.config_set.key, "offset");
    strcpy(req.op.config_set.value, "-11");
    CHECK("config_negative_range",
          send_req() == 0 && resp.status == hypos_control_Status_REFUSED && strstr(resp.reason, "from -10 to 10"),
          "%d %s", resp.status, resp.reason);
    strcpy(req.op.config_set.value, "-10");
    CHECK("config_negative", send_req() == 0 && resp.status == 0 && H.config->keys[2].value == -10, "%d %s",
          resp.status, resp.reason);
    static const char *bad_numbers[] = {"", "-", "1x", "99999999999999999999", "9223372036854775808", " 1"};
    int all = 1;
    for (unsigned i = 0; i < sizeof(bad_numbers) / sizeof(bad_numbers[0]); i++) {
        strcpy(req.op.config_set.value, bad_numbers[i]);
        all &= send_req() == 0 && resp.status == hypos_control_Status_BAD_REQUEST;
    }
    CHECK("config_not_numbers", all && H.config->keys[2].value == -10, "accepted one");
    strcpy(req.op.config_set.key, "count");
    strcpy(req.op.config_set.value, "1");
    CHECK("config_read_only", send_req() == 0 && resp.status == hypos_control_Status_REFUSED, "%d", resp.status);
    strcpy(req.op.config_set.key, "speed");
    CHECK("config_unknown_key", send_req() == 0 && resp.status == hypos_control_Status_NOT_FOUND, "%d", resp.status);
    strcpy(req.op.config_set.pd, "other");
    CHECK("config_unknown_pd",
          send_req() == 0 && resp.status == hypos_control_Status_NOT_FOUND &&
              strstr(resp.reason, "(PDs that do: sensor)"),
          "%d %s", resp.status, resp.reason);
    new_req(hypos_control_Request_config_get_tag);
    strcpy(req.op.config_get.pd, "sensor");
    CHECK("config_get",
          send_req() == 0 && resp.status == 0 && resp.result.config.values_count == 3 &&
              resp.result.config.values[0].value == 42 && !resp.result.config.values[1].writable,
          "%d", resp.status);
    /* a damaged region: nkeys beyond the table, names without their end */
    H.config->nkeys = 1000;
    memset(H.config->keys[0].name, 'k', sizeof(H.config->keys[0].name));
    CHECK("config_damaged_region",
          send_req() == 0 && resp.status == 0 && resp.result.config.values_count == PDCONFIG_MAX_KEYS, "%d %u",
          resp.status, resp.result.config.values_count);
}

static void test_malformed(void)
{
    harness_init();
    uint8_t junk[] = {0xff, 0xff, 0xff};
    CHECK("malformed_answered",
          send_raw(junk, sizeof(junk)) == 0 && resp.status == hypos_control_Status_BAD_REQUEST &&
              strstr(resp.reason, "malformed request"),
          "%d %s", resp.status, resp.reason);
    CHECK("empty_request",
          send_raw(junk, 0) == 0 && resp.status == hypos_control_Status_BAD_REQUEST &&
              strstr(resp.reason, "no operation"),
          "%d %s", resp.status, resp.reason);
    uint32_t n = agent_refuse_frame(&H.agent, 1, 100000, out);
    CHECK("too_large_answered",
          decode_out(out, n) == 0 && resp.status == hypos_control_Status_TOO_LARGE &&
              strstr(resp.reason, "100000 bytes"),
          "%d %s", resp.status, resp.reason);
    /* random messages: every one answered (ASan and UBSan watch) */
    uint64_t rng = 88172645463325252ull;
    int answered = 0;
    static uint8_t msg[4096];
    for (int i = 0; i < 20000; i++) {
        uint32_t len = 0;
        rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
        len = (uint32_t)(rng % sizeof(msg));
        for (uint32_t b = 0; b < len; b++) {
            rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
            msg[b] = (uint8_t)rng;
        }
        if (i & 1 && len > 2) { /* half of them start like a request */
            msg[0] = (uint8_t)((10 + (i >> 1) % 8) << 3 | 2);
            msg[1] = (uint8_t)(len - 2 < 127 ? len - 2 : 127);
        }
        answered += send_raw(msg, len) == 0;
    }
    new_req(hypos_control_Request_status_tag);
    CHECK("random_messages_answered", answered == 20000 && send_req() == 0 && resp.status == 0, "answered %d",
          answered);
}

static uint64_t fake_ns;
static uint64_t fake_clock(void) { return fake_ns; }

static uint64_t classes_digits(void)
{
    uint64_t v = 0;
    if (resp.which_result == hypos_control_Response_map_tag && resp.result.map.entries_count == 4)
        memcpy(&v, resp.result.map.entries[0].value.bytes, 8);
    return v;
}

/* Map watches (a fake clock) and connections: the greeting, the end of a
 * connection ending its watches, unfinished messages counted. Runs
 * after test_requests, with a program attached to hook rx. */
static void test_watch_and_connections(void)
{
    struct agent *a = &H.agent;
    new_req(hypos_control_Request_load_tag);
    strcpy(req.op.load.hook, "rx");
    set_object(&req.op.load.object, "count.bpf.o");
    send_req();
    harness_run('a');
    a->now_ns = NULL;
    a->conn_events = 0;
    new_req(hypos_control_Request_map_watch_tag);
    strcpy(req.op.map_watch.name, "rx/classes");
    CHECK("watch_needs_clock", send_req() == 0 && resp.status == hypos_control_Status_UNSUPPORTED, "%d", resp.status);
    a->now_ns = fake_clock;
    fake_ns = 1000000000;
    CHECK("watch_needs_connection_events",
          send_req() == 0 && resp.status == hypos_control_Status_UNSUPPORTED && strstr(resp.reason, "connections"),
          "%d %s", resp.status, resp.reason);
    a->conn_events = 1;
    req.id = 0;
    CHECK("watch_needs_id", send_req() == 0 && resp.status == hypos_control_Status_BAD_REQUEST, "%d", resp.status);
    req.id = 500;
    req.op.map_watch.interval_ms = 50;
    int rc = send_req();
    uint64_t d0 = classes_digits();
    CHECK("watch_first_contents",
          rc == 0 && resp.status == 0 && resp.id == 500 && resp.result.map.update == 0 &&
              resp.result.map.entries_count == 4 && a->nwatches == 1 && agent_watch_deadline(a) == fake_ns + 50000000,
          "%d %s n %u", resp.status, resp.reason, a->nwatches);
    CHECK("watch_not_due", agent_watch_poll(a, fake_ns + 49000000, out) == 0, "sent");
    CHECK("watch_unchanged_not_sent",
          agent_watch_poll(a, fake_ns + 50000000, out) == 0 && agent_watch_deadline(a) == fake_ns + 100000000,
          "deadline %llu", (unsigned long long)agent_watch_deadline(a));
    harness_run('7');
    harness_run('8');
    uint32_t n = agent_watch_poll(a, fake_ns + 100000000, out);
    CHECK("watch_change_pushed",
          n && decode_out(out, n) == 0 && resp.id == 500 && resp.status == 0 && resp.result.map.update == 1 &&
              classes_digits() == d0 + 2 && resp.result.map.time_ns == fake_ns + 100000000,
          "n %u id %u update %u digits %llu", n, resp.id, resp.result.map.update, (unsigned long long)classes_digits());
    CHECK("watch_once_per_change", agent_watch_poll(a, fake_ns + 150000000, out) == 0, "sent again");

    /* limits and refusals */
    new_req(hypos_control_Request_map_watch_tag);
    strcpy(req.op.map_watch.name, "nomap");
    req.id = 501;
    CHECK("watch_unknown_map", send_req() == 0 && resp.status == hypos_control_Status_NOT_FOUND && a->nwatches == 1,
          "%d n %u", resp.status, a->nwatches);
    strcpy(req.op.map_watch.name, "classes");
    req.id = 500;
    CHECK("watch_duplicate_id", send_req() == 0 && resp.status == hypos_control_Status_BAD_REQUEST, "%d", resp.status);
    int ok = 1;
    for (uint32_t id = 502; id < 505; id++) {
        req.id = id;
        ok &= send_req() == 0 && resp.status == 0;
    }
    req.id = 505;
    CHECK("watch_at_most_four", ok && send_req() == 0 && resp.status == hypos_control_Status_BUSY && a->nwatches == 4,
          "%d n %u", resp.status, a->nwatches);
    new_req(hypos_control_Request_map_unwatch_tag);
    req.op.map_unwatch.watch_id = 502;
    CHECK("unwatch_one", send_req() == 0 && resp.status == 0 && a->nwatches == 3, "%d n %u", resp.status, a->nwatches);
    CHECK("unwatch_unknown", send_req() == 0 && resp.status == hypos_control_Status_NOT_FOUND, "%d", resp.status);

    /* a watch reports its map going away, once (each of the three left) */
    uint32_t id = list_id();
    new_req(hypos_control_Request_detach_tag);
    req.op.detach.prog_id = id;
    send_req();
    harness_run('x');
    int gone = 0, other = 0;
    while ((n = agent_watch_poll(a, fake_ns + 10000000000ull, out)) != 0 && gone + other < 10) {
        if (decode_out(out, n) == 0 && resp.status == hypos_control_Status_NOT_FOUND)
            gone++;
        else
            other++;
    }
    CHECK("watch_map_gone_reported_once",
          gone == 3 && other == 0 && agent_watch_poll(a, fake_ns + 20000000000ull, out) == 0, "gone %d other %d", gone,
          other);

    /* the end of a connection: watches end, the unfinished message is
     * counted; a new one is greeted */
    uint64_t cut0 = a->cut_messages, conns0 = a->connections;
    CHECK("connection_end",
          agent_connection(a, 0, 7, out) == 0 && a->nwatches == 0 && a->cut_messages == cut0 + 1 && a->cut_bytes >= 7,
          "n %u", a->nwatches);
    n = agent_connection(a, 1, 0, out);
    CHECK("connection_greeting",
          n > AGENT_SYNC_LEN && !memcmp(out, AGENT_SYNC, AGENT_SYNC_LEN) &&
              decode_out(out + AGENT_SYNC_LEN, n - AGENT_SYNC_LEN) == 0 && resp.id == 0 &&
              resp.which_result == hypos_control_Response_hello_tag && resp.result.hello.connection == conns0 + 1 &&
              a->cut_messages == cut0 + 1,
          "n %u", n);
    new_req(hypos_control_Request_status_tag);
    CHECK("status_counts_connections",
          send_req() == 0 && resp.result.system.connections == conns0 + 1 &&
              resp.result.system.cut_messages == cut0 + 1 && resp.result.system.connection_events,
          "%llu", (unsigned long long)resp.result.system.connections);
    /* what an ending connection cuts off: the framer's message under way */
    uint8_t store[64], part[] = {10, 'a', 'b', 'c'};
    struct framer f;
    frame_init(&f, store, sizeof(store));
    size_t used = 0;
    uint32_t len;
    frame_feed(&f, part, sizeof(part), &used, &len);
    uint32_t mid = frame_pending(&f);
    uint8_t rest[] = {'d', 'e', 'f', 'g', 'h', 'i', 'j'};
    used = 0;
    frame_feed(&f, rest, sizeof(rest), &used, &len);
    CHECK("frame_pending", mid == 4 && frame_pending(&f) == 0, "mid %u after %u", mid, frame_pending(&f));
}

/* A restarted hooking PD gets the agent's program again, under the same
 * id; a detached hook stays empty; a tag the hooking PD forges is not
 * taken as an id. */
static uint32_t replace_with(uint32_t id, const char *file)
{
    new_req(hypos_control_Request_replace_tag);
    req.op.replace.prog_id = id;
    set_object((hypos_control_LoadRequest_object_t *)&req.op.replace.object, file);
    if (send_req() || resp.status)
        return 0;
    uint32_t got = resp.result.change.prog_id;
    harness_run('x'); /* prepares */
    harness_run('y'); /* switches */
    return got;
}

static void test_restart(void)
{
    harness_init();
    new_req(hypos_control_Request_load_tag);
    strcpy(req.op.load.hook, "rx");
    set_object(&req.op.load.object, "count.bpf.o");
    int rc = send_req();
    uint32_t id1 = resp.result.change.prog_id;
    harness_run('a');
    CHECK("restart_setup_load", rc == 0 && resp.status == 0 && list_id() == id1, "%d %s", resp.status, resp.reason);
    int64_t v1_digit = harness_run('1');
    uint32_t id2 = replace_with(id1, "count_v2.bpf.o");
    int64_t v2_digit = harness_run('1');
    CHECK("restart_setup_replace", id2 && list_id() == id2 && v1_digit == VERDICT_DROP && v2_digit == VERDICT_PASS,
          "id %u verdicts %lld %lld", id2, (long long)v1_digit, (long long)v2_digit);

    CHECK("restart_reoffers", harness_restart() == 0, "re-offer failed");
    int64_t after = harness_run('1');
    CHECK("restart_runs_the_agents_program",
          after == VERDICT_PASS && list_id() == id2 && !strcmp(resp.result.programs.hooks[0].program, "pdhook/rx"),
          "verdict %lld id %u", (long long)after, list_id());
    new_req(hypos_control_Request_status_tag);
    CHECK("restart_status_counts_it", send_req() == 0 && resp.result.system.programs == 1, "programs %u",
          resp.result.system.programs);

    /* a forged tag: an id the agent never gave out is not taken */
    CHECK("restart_again", harness_restart() == 0, "re-offer failed");
    ((struct bpfhook_shared *)H.hook_region)->offer_tag = 4242;
    harness_run('1');
    uint32_t id3 = list_id();
    CHECK("forged_tag_not_an_id", id3 != 4242 && id3 != id2 && id3 != 0 && id3 != UINT32_MAX, "id %u", id3);

    /* detach, then restart: nothing comes back */
    new_req(hypos_control_Request_detach_tag);
    req.op.detach.prog_id = id3;
    rc = send_req();
    harness_run('z');
    CHECK("restart_setup_detach", rc == 0 && resp.status == 0 && list_id() == 0, "%d %s", resp.status, resp.reason);
    CHECK("restart_after_detach", harness_restart() == 0, "declare failed");
    int64_t none = harness_run('1');
    CHECK("detached_stays_detached", none == VERDICT_PASS && list_id() == 0 && !resp.result.programs.hooks[0].pending,
          "verdict %lld id %u", (long long)none, list_id());

    /* the store: an object too large is not kept (the image's program
     * comes back then), a detach is kept as such */
    static uint8_t big[INSTALLED_OBJECT_MAX + 1];
    CHECK("installed_too_large", installed_keep("big", "", big, sizeof(big), 9) == -1 && !installed_find("big"),
          "kept");
    const struct installed_prog *k = installed_find("rx");
    CHECK("installed_detached", k && k->state == INSTALLED_DETACHED, "state %u", k ? k->state : 0);
    CHECK("installed_keep",
          installed_keep("other", "prog", big, 100, 7) == 0 && installed_find("other") &&
              installed_find("other")->tag == 7 && installed_find("other")->len == 100 &&
              !strcmp(installed_find("other")->want, "prog"),
          "not kept");
}

int main(int argc, char **argv)
{
    dir = argc > 1 ? argv[1] : ".";
    test_framing();
    test_requests();
    test_watch_and_connections();
    test_config();
    test_malformed();
    test_restart();
    printf("# agent: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
