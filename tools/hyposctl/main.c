/* hyposctl: control a running hypOS system from the host (see
 * docs/control-plane.md). Every refusal is printed with the agent's
 * reason; the exit status is 0 on success, 1 when the system refused,
 * 2 for a usage or connection error. */
#define _GNU_SOURCE
#include "client.h"
#include "hyposctl_sign.h"
#include <errno.h>
#include <hypos/bundle.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *status_names[] = {"ok",      "bad request", "too large",   "not found",
                                     "refused", "busy",        "unsupported", "internal error"};
static int verbose;
static double request_start;
static hypos_control_Request req;
static hypos_control_Response resp;
static struct client conn;

static void usage(void)
{
    fprintf(stderr, "usage: hyposctl [-s SOCKET] [-t TIMEOUT_MS] [-v] COMMAND\n"
                    "  status                          the agent's counters\n"
                    "  list                            hooks and the programs running in them (ids)\n"
                    "  load FILE.bpf.o --hook NAME [--program NAME] [--no-wait]\n"
                    "  replace ID FILE.bpf.o [--program NAME] [--no-wait]\n"
                    "  detach ID [--no-wait]\n"
                    "  map dump NAME                   NAME or HOOK/NAME\n"
                    "  map watch NAME [--interval MS] [--count N]   pushed by the agent when the map changes\n"
                    "  config set PD KEY VALUE\n"
                    "  config get PD\n"
                    "  attest --device DEVICE.pub [--max N] [--expect IMAGE.measurements]\n"
                    "                                         the signed measurement log, checked; boot\n"
                    "                                         measurements compared with the build's\n"
                    "  keygen NAME [-o PREFIX] [--force] | keyring OUT A.pub... | sign -k KEY.key -n NAME -V VERSION\n"
                    "      -H HOOK [-o OUT] OBJECT | inspect [-r KEYRING] [--installed VERSION] BUNDLE   (offline)\n"
                    "SOCKET defaults to $HYPOSCTL_SOCKET, else build/control.sock; -v: what a change cost\n");
    exit(2);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *status_name(int s)
{
    return s >= 0 && s < (int)(sizeof(status_names) / sizeof(status_names[0])) ? status_names[s] : "unknown status";
}

/* Send req; on a refusal print it and return 1. */
static int call(void)
{
    if (client_call(&conn, &req, &resp))
        exit(2);
    if (resp.status != hypos_control_Status_OK) {
        fprintf(stderr, "hyposctl: %s: %s\n", status_name(resp.status), resp.reason[0] ? resp.reason : "(no reason)");
        return 1;
    }
    return 0;
}

static void new_request(pb_size_t op)
{
    memset(&req, 0, sizeof(req));
    req.which_op = op;
}

static int cmd_status(void)
{
    new_request(hypos_control_Request_status_tag);
    if (call())
        return 1;
    const hypos_control_SystemStatus *s = &resp.result.system;
    printf("agent: %s\n", s->agent);
    printf("hooks: %u, programs running: %u, PDs with configuration: %u\n", s->hooks, s->programs, s->config_pds);
    printf("requests: %" PRIu64 " (refused %" PRIu64 "), changes: %" PRIu64 ", bytes in %" PRIu64 " / out %" PRIu64
           "\n",
           s->requests, s->errors, s->changes, s->rx_bytes, s->tx_bytes);
    if (s->connection_events)
        printf("connections: %" PRIu64 " (this one included), unfinished messages dropped: %" PRIu64 " (%" PRIu64
               " bytes)\n",
               s->connections, s->cut_messages, s->cut_bytes);
    else
        printf("connections: not reported by the transport (no resynchronisation)\n");
    if (verbose)
        printf("guest instructions on the control channel: agent %" PRIu64 ", driver %" PRIu64 "\n", s->agent_insns,
               s->driver_insns);
    return 0;
}

static int fetch_list(void)
{
    new_request(hypos_control_Request_list_tag);
    return call();
}

static int cmd_list(void)
{
    if (fetch_list())
        return 1;
    const hypos_control_ProgramList *l = &resp.result.programs;
    printf("%-4s %-16s %-24s %6s %4s %10s %6s %-6s %s\n", "ID", "HOOK", "PROGRAM", "INSNS", "MAPS", "RUNS", "GEN",
           "NATIVE", "MAPS");
    for (pb_size_t i = 0; i < l->hooks_count; i++) {
        const hypos_control_Hook *h = &l->hooks[i];
        char id[16];
        snprintf(id, sizeof(id), "%u", h->prog_id);
        char maps[300] = "";
        for (pb_size_t m = 0; m < h->map_names_count; m++) {
            strncat(maps, m ? "," : "", sizeof(maps) - strlen(maps) - 1);
            strncat(maps, h->map_names[m], sizeof(maps) - strlen(maps) - 1);
        }
        printf("%-4s %-16s %-24s %6u %4u %10" PRIu64 " %6u %-6s %s%s\n", h->prog_id ? id : "-", h->name,
               h->prog_id ? h->program : "(none)", h->insns, h->maps, h->runs, h->generation,
               h->prog_id ? (h->native ? "yes" : "no") : "-", maps, h->pending ? "  [change pending]" : "");
    }
    if (!l->hooks_count)
        printf("(no hooks declared)\n");
    return 0;
}

/* After a change was offered: wait until the hook's generation reaches
 * the offer's, then say what runs. */
static int wait_attached(const char *hook, uint32_t generation, uint32_t prog_id, int detach)
{
    double until = now() + conn.timeout_ms / 1000.0;
    for (;;) {
        if (fetch_list())
            return 1;
        const hypos_control_ProgramList *l = &resp.result.programs;
        for (pb_size_t i = 0; i < l->hooks_count; i++) {
            const hypos_control_Hook *h = &l->hooks[i];
            if (strcmp(h->name, hook) || (int32_t)(h->generation - generation) < 0)
                continue;
            if (detach) {
                if (h->prog_id) {
                    fprintf(stderr, "hyposctl: hook '%s' runs program %u again\n", hook, h->prog_id);
                    return 1;
                }
                printf("hook '%s': program detached\n", hook);
                return 0;
            }
            if (h->prog_id != prog_id) {
                fprintf(stderr, "hyposctl: the hooking PD did not take program %u: %s\n", prog_id, h->last_message);
                return 1;
            }
            printf("program %u attached to hook '%s' (%s, %u instructions, %u maps)\n", prog_id, hook, h->program,
                   h->insns, h->maps);
            return 0;
        }
        if (now() > until) {
            fprintf(stderr,
                    "hyposctl: offered, but hook '%s' has not taken it yet (its PD takes a program at its next "
                    "event)\n",
                    hook);
            return 1;
        }
        usleep(2000);
    }
}


static int report_change(int wait, int detach)
{
    const hypos_control_ProgramChange *c = &resp.result.change;
    char hook[sizeof(c->hook)];
    strcpy(hook, c->hook);
    uint32_t gen = c->generation, id = c->prog_id;
    double answered = now();
    if (!detach)
        printf("program %u offered to hook '%s': %u instructions, %u maps (%u kept from the running program)\n", id,
               hook, c->insns, c->maps, c->carried);
    if (verbose)
        printf("in the system: agent %" PRIu64 " guest instructions, of which signature check %" PRIu64
               ", bpf PD: load %" PRIu64 ", verify and offer %" PRIu64 "\n",
               c->agent_insns, c->signature_insns, c->load_insns, c->verify_insns);
    if (verbose && c->trace_hook)
        printf("trace hook: the bpf PD took the change over between two records, before it answered: %" PRIu64
               " guest instructions\n",
               c->switch_insns);
    if (!wait)
        return 0;
    int rc = wait_attached(hook, gen, id, detach);
    if (verbose)
        printf("wall time: request to response %.2f ms, request to attached %.2f ms\n",
               (answered - request_start) * 1e3, (now() - request_start) * 1e3);
    return rc;
}

/* The hook program prog_id runs on (for signing a replacement). */
static int hook_of(uint32_t prog_id, char *hook, size_t len)
{
    if (fetch_list())
        return -1;
    for (pb_size_t i = 0; i < resp.result.programs.hooks_count; i++)
        if (resp.result.programs.hooks[i].prog_id == prog_id) {
            snprintf(hook, len, "%s", resp.result.programs.hooks[i].name);
            return 0;
        }
    fprintf(stderr, "hyposctl: no running program has id %u (hyposctl list shows the ids)\n", prog_id);
    return -1;
}

static int cmd_load(int argc, char **argv, int replace)
{
    const char *file = NULL, *hook = NULL, *program = "", *key = NULL, *name = NULL;
    uint64_t version = 0;
    int have_version = 0;
    uint32_t id = 0;
    int wait = 1, pos = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--hook") && i + 1 < argc)
            hook = argv[++i];
        else if (!strcmp(argv[i], "--program") && i + 1 < argc)
            program = argv[++i];
        else if (!strcmp(argv[i], "--key") && i + 1 < argc)
            key = argv[++i];
        else if (!strcmp(argv[i], "--name") && i + 1 < argc)
            name = argv[++i];
        else if (!strcmp(argv[i], "--version") && i + 1 < argc)
            version = strtoull(argv[++i], NULL, 10), have_version = 1;
        else if (!strcmp(argv[i], "--no-wait"))
            wait = 0;
        else if (argv[i][0] == '-')
            usage();
        else if (replace && pos == 0 && ++pos)
            id = (uint32_t)strtoul(argv[i], NULL, 10);
        else if (!file && ++pos)
            file = argv[i];
        else
            usage();
    }
    if (!file || (!replace && !hook) || (replace && !id))
        usage();
    if (key && (!name || !have_version)) {
        fprintf(stderr, "hyposctl: signing needs --key, --name and --version\n");
        return 2;
    }
    if (strlen(program) >= sizeof(req.op.load.program)) {
        fprintf(stderr, "hyposctl: program name too long\n");
        return 2;
    }
    if (hook && strlen(hook) >= sizeof(req.op.load.hook)) {
        fprintf(stderr, "hyposctl: no hook has a name that long (at most %zu characters)\n",
                sizeof(req.op.load.hook) - 1);
        return 1;
    }
    size_t len;
    uint8_t *data = hyposctl_read_file(file, 1 << 20, &len);
    if (!data) {
        fprintf(stderr, "hyposctl: %s: %s\n", file, strerror(errno));
        return 2;
    }
    int is_bundle = len >= 8 && !memcmp(data, HB_BUNDLE_MAGIC, 8);
    if (key) {
        char target[64];
        if (replace) {
            if (hook_of(id, target, sizeof(target))) {
                free(data);
                return 1;
            }
        } else {
            snprintf(target, sizeof(target), "%s", hook);
        }
        uint8_t *bundle;
        size_t blen;
        if (hyposctl_crypto_init() ||
            hyposctl_make_bundle(key, name, target, version, data, len, &bundle, &blen, stderr)) {
            free(data);
            return 1;
        }
        free(data);
        data = bundle;
        len = blen;
        is_bundle = 1;
    }
    pb_bytes_array_t *dst;
    size_t cap;
    if (replace) {
        new_request(hypos_control_Request_replace_tag);
        req.op.replace.prog_id = id;
        strcpy(req.op.replace.program, program);
        dst = is_bundle ? (pb_bytes_array_t *)&req.op.replace.bundle : (pb_bytes_array_t *)&req.op.replace.object;
        cap = sizeof(req.op.replace.object.bytes);
    } else {
        new_request(hypos_control_Request_load_tag);
        strcpy(req.op.load.hook, hook);
        strcpy(req.op.load.program, program);
        dst = is_bundle ? (pb_bytes_array_t *)&req.op.load.bundle : (pb_bytes_array_t *)&req.op.load.object;
        cap = sizeof(req.op.load.object.bytes);
    }
    if (len > cap) {
        fprintf(stderr, "hyposctl: %s: %zu bytes; a request carries at most %zu\n", file, len, cap);
        free(data);
        return 1;
    }
    memcpy(dst->bytes, data, len);
    dst->size = (pb_size_t)len;
    free(data);
    request_start = now();
    if (call())
        return 1;
    return report_change(wait, 0);
}

static int cmd_attest(int argc, char **argv)
{
    const char *device = NULL, *expect = NULL;
    uint32_t max = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--device") && i + 1 < argc)
            device = argv[++i];
        else if (!strcmp(argv[i], "--expect") && i + 1 < argc)
            expect = argv[++i];
        else if (!strcmp(argv[i], "--max") && i + 1 < argc)
            max = (uint32_t)strtoul(argv[++i], NULL, 10);
        else
            usage();
    }
    if (!device) {
        fprintf(stderr, "hyposctl: attest needs --device DEVICE.pub (the device key the image was built with)\n");
        return 2;
    }
    if (hyposctl_crypto_init())
        return 2;
    uint8_t nonce[HB_ATTEST_NONCE_BYTES];
    hyposctl_attest_nonce(nonce);
    new_request(hypos_control_Request_attest_tag);
    memcpy(req.op.attest.nonce.bytes, nonce, sizeof(nonce));
    req.op.attest.nonce.size = sizeof(nonce);
    req.op.attest.max_entries = max;
    if (call())
        return 1;
    const hypos_control_AttestResponse *r = &resp.result.attestation;
    static struct hb_mlog_entry entries[32];
    struct hb_attestation a;
    memset(&a, 0, sizeof(a));
    if (r->device_key.size != 32 || r->nonce.size != 32 || r->log_digest.size != 32 || r->anchor.size != 32 ||
        r->signature.size != 64) {
        fprintf(stderr, "hyposctl: the attestation has fields of the wrong size\n");
        return 1;
    }
    memcpy(a.device_key, r->device_key.bytes, 32);
    memcpy(a.nonce, r->nonce.bytes, 32);
    a.count = r->count;
    memcpy(a.digest, r->log_digest.bytes, 32);
    a.first_seq = r->first_seq;
    memcpy(a.anchor, r->anchor.bytes, 32);
    memcpy(a.signature, r->signature.bytes, 64);
    for (pb_size_t i = 0; i < r->entries_count && i < 32; i++) {
        const hypos_control_Measurement *m = &r->entries[i];
        hb_mlog_entry_fill(&entries[i], m->seq, (uint32_t)m->kind, m->prog_id, m->version, m->name, strlen(m->name),
                           m->hook, strlen(m->hook), m->digest.size == 32 ? m->digest.bytes : (const uint8_t[32]){0});
    }
    a.entries = entries;
    a.n_entries = r->entries_count;
    /* the boot measurements: all of them, with the digest they chain to */
    static struct hb_mlog_entry boot[sizeof(r->boot_entries) / sizeof(r->boot_entries[0])];
    if (r->boot_entries_count && r->boot_digest.size != 32) {
        fprintf(stderr, "hyposctl: the attestation has boot entries but a boot digest of %u bytes\n",
                (unsigned)r->boot_digest.size);
        return 1;
    }
    for (pb_size_t i = 0; i < r->boot_entries_count; i++) {
        const hypos_control_Measurement *m = &r->boot_entries[i];
        hb_mlog_entry_fill(&boot[i], m->seq, (uint32_t)m->kind, m->prog_id, m->version, m->name, strlen(m->name),
                           m->hook, strlen(m->hook), m->digest.size == 32 ? m->digest.bytes : (const uint8_t[32]){0});
    }
    a.boot = boot;
    a.n_boot = r->boot_entries_count;
    if (r->boot_digest.size == 32)
        memcpy(a.boot_digest, r->boot_digest.bytes, 32);
    return hyposctl_attest_report_expect(&a, nonce, device, expect, stdout, stderr);
}

static int cmd_detach(int argc, char **argv)
{
    if (argc < 1)
        usage();
    int wait = !(argc > 1 && !strcmp(argv[1], "--no-wait"));
    new_request(hypos_control_Request_detach_tag);
    req.op.detach.prog_id = (uint32_t)strtoul(argv[0], NULL, 10);
    if (call())
        return 1;
    return report_change(wait, 1);
}

static uint64_t le(const uint8_t *b, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n && i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

static void print_bytes(const uint8_t *b, size_t n)
{
    if (n == 4 || n == 8) {
        printf("%" PRIu64, le(b, n));
        return;
    }
    for (size_t i = 0; i < n; i++)
        printf("%02x", b[i]);
}

static const char *map_type(uint32_t t)
{
    switch (t) {
    case 1:
        return "hash";
    case 2:
        return "array";
    case 9:
        return "lru_hash";
    default:
        return "map";
    }
}

static int fetch_map(const char *name)
{
    new_request(hypos_control_Request_map_dump_tag);
    if (strlen(name) >= sizeof(req.op.map_dump.name)) {
        fprintf(stderr, "hyposctl: map name too long\n");
        exit(2);
    }
    strcpy(req.op.map_dump.name, name);
    return call();
}

static int cmd_map_dump(const char *name)
{
    if (fetch_map(name))
        return 1;
    const hypos_control_MapContents *m = &resp.result.map;
    printf("%s/%s: %s, key %u bytes, value %u bytes, %u entries, program generation %u\n", m->hook, m->name,
           map_type(m->type), m->key_size, m->value_size, m->max_entries, m->generation);
    for (pb_size_t i = 0; i < m->entries_count; i++) {
        const hypos_control_MapEntry *e = &m->entries[i];
        printf("  ");
        print_bytes(e->key.bytes, e->key.size);
        printf(" = ");
        print_bytes(e->value.bytes, e->value.size);
        printf("\n");
    }
    if (m->truncated)
        printf("  ... (more than a response holds)\n");
    return 0;
}

static void print_entry(const hypos_control_MapEntry *e)
{
    print_bytes(e->key.bytes, e->key.size);
    printf(" = ");
    print_bytes(e->value.bytes, e->value.size);
    printf("\n");
}

/* Subscribe once; the agent sends the contents whenever they change
 * (looking every --interval ms). Prints the table, then what changed.
 * With --count N it ends the watch after N contents (the first
 * included); otherwise it runs until interrupted (the end of the
 * connection ends the watch). */
static int cmd_map_watch(int argc, char **argv)
{
    if (argc < 1)
        usage();
    const char *name = argv[0];
    long interval = 100, count = -1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--interval") && i + 1 < argc)
            interval = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--count") && i + 1 < argc)
            count = strtol(argv[++i], NULL, 10);
        else
            usage();
    }
    new_request(hypos_control_Request_map_watch_tag);
    if (strlen(name) >= sizeof(req.op.map_watch.name)) {
        fprintf(stderr, "hyposctl: map name too long\n");
        return 2;
    }
    strcpy(req.op.map_watch.name, name);
    req.op.map_watch.interval_ms = interval > 0 ? (uint32_t)interval : 0;
    setvbuf(stdout, NULL, _IOLBF, 0);
    double start = now();
    if (call())
        return 1;
    uint32_t watch_id = resp.id;
    static hypos_control_MapContents last;
    int have_last = 0;
    int timeout = conn.timeout_ms;
    conn.timeout_ms = -1; /* updates come when the map changes */
    for (long n = 0; count < 0 || n < count; n++) {
        if (n) {
            if (client_recv(&conn, &resp))
                return 2;
            if (resp.id != watch_id) {
                n--;
                continue;
            }
        }
        double t = now() - start;
        if (resp.status != hypos_control_Status_OK) {
            printf("%.1fs %s: %s\n", t, name, resp.reason);
            have_last = 0;
            continue;
        }
        const hypos_control_MapContents *m = &resp.result.map;
        if (!have_last || last.generation != m->generation) {
            printf("%.1fs %s/%s (program generation %u):\n", t, m->hook, m->name, m->generation);
            for (pb_size_t i = 0; i < m->entries_count; i++) {
                printf("  ");
                print_entry(&m->entries[i]);
            }
        } else {
            for (pb_size_t i = 0; i < m->entries_count; i++) {
                const hypos_control_MapEntry *e = &m->entries[i];
                const hypos_control_MapEntry *old = NULL;
                for (pb_size_t j = 0; j < last.entries_count && !old; j++)
                    if (last.entries[j].key.size == e->key.size &&
                        !memcmp(last.entries[j].key.bytes, e->key.bytes, e->key.size))
                        old = &last.entries[j];
                if (old && old->value.size == e->value.size && !memcmp(old->value.bytes, e->value.bytes, e->value.size))
                    continue;
                printf("%.1fs  ", t);
                print_bytes(e->key.bytes, e->key.size);
                printf(": ");
                if (old)
                    print_bytes(old->value.bytes, old->value.size);
                else
                    printf("(new)");
                printf(" -> ");
                print_bytes(e->value.bytes, e->value.size);
                printf("\n");
            }
        }
        if (verbose)
            printf("%.1fs  (update %u, read by the agent at %" PRIu64 " ns)\n", t, m->update, m->time_ns);
        last = *m;
        have_last = 1;
    }
    conn.timeout_ms = timeout;
    new_request(hypos_control_Request_map_unwatch_tag);
    req.op.map_unwatch.watch_id = watch_id;
    if (call())
        return 1;
    printf("watch ended: %s\n", resp.reason);
    return 0;
}

static void print_config(void)
{
    const hypos_control_ConfigValues *c = &resp.result.config;
    for (pb_size_t i = 0; i < c->values_count; i++) {
        const hypos_control_ConfigValue *v = &c->values[i];
        if (v->writable)
            printf("%s.%s = %" PRId64 " (%" PRId64 "..%" PRId64 ")\n", c->pd, v->key, v->value, v->min, v->max);
        else
            printf("%s.%s = %" PRId64 " (read-only)\n", c->pd, v->key, v->value);
    }
}

static int cmd_config(int argc, char **argv)
{
    if (argc >= 4 && !strcmp(argv[0], "set")) {
        new_request(hypos_control_Request_config_set_tag);
        hypos_control_ConfigSetRequest *s = &req.op.config_set;
        if (strlen(argv[1]) >= sizeof(s->pd) || strlen(argv[2]) >= sizeof(s->key) ||
            strlen(argv[3]) >= sizeof(s->value)) {
            fprintf(stderr, "hyposctl: PD, key or value too long\n");
            return 1;
        }
        strcpy(s->pd, argv[1]);
        strcpy(s->key, argv[2]);
        strcpy(s->value, argv[3]);
        if (call())
            return 1;
        printf("%s.%s set to %s\n", argv[1], argv[2], argv[3]);
        return 0;
    }
    if (argc >= 2 && !strcmp(argv[0], "get")) {
        new_request(hypos_control_Request_config_get_tag);
        if (strlen(argv[1]) >= sizeof(req.op.config_get.pd)) {
            fprintf(stderr, "hyposctl: PD name too long\n");
            return 1;
        }
        strcpy(req.op.config_get.pd, argv[1]);
        if (call())
            return 1;
        print_config();
        return 0;
    }
    usage();
    return 2;
}

int main(int argc, char **argv)
{
    const char *sock = getenv("HYPOSCTL_SOCKET");
    int timeout = 10000, i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-s") && i + 1 < argc)
            sock = argv[++i];
        else if (!strcmp(argv[i], "-t") && i + 1 < argc)
            timeout = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-v"))
            verbose = 1;
        else
            usage();
    }
    if (i >= argc)
        usage();
    /* offline commands: keys and bundles, no connection */
    if (!strcmp(argv[i], "keygen") || !strcmp(argv[i], "keyring") || !strcmp(argv[i], "sign") ||
        !strcmp(argv[i], "inspect")) {
        if (hyposctl_crypto_init())
            return 2;
        if (!strcmp(argv[i], "keygen"))
            return hyposctl_cmd_keygen(argc - i, argv + i);
        if (!strcmp(argv[i], "keyring"))
            return hyposctl_cmd_keyring(argc - i, argv + i);
        if (!strcmp(argv[i], "sign"))
            return hyposctl_cmd_sign(argc - i, argv + i);
        return hyposctl_cmd_inspect(argc - i, argv + i);
    }
    if (!sock)
        sock = "build/control.sock";
    const char *cmd = argv[i];
    if (strcmp(cmd, "status") && strcmp(cmd, "list") && strcmp(cmd, "load") && strcmp(cmd, "replace") &&
        strcmp(cmd, "detach") && strcmp(cmd, "map") && strcmp(cmd, "config") && strcmp(cmd, "attest"))
        usage();
    if (client_open(&conn, sock, timeout))
        return 2;
    int rc;
    int n = argc - i - 1;
    char **rest = argv + i + 1;
    if (!strcmp(cmd, "status"))
        rc = cmd_status();
    else if (!strcmp(cmd, "list"))
        rc = cmd_list();
    else if (!strcmp(cmd, "load"))
        rc = cmd_load(n, rest, 0);
    else if (!strcmp(cmd, "replace"))
        rc = cmd_load(n, rest, 1);
    else if (!strcmp(cmd, "detach"))
        rc = cmd_detach(n, rest);
    else if (!strcmp(cmd, "map") && n >= 2 && !strcmp(rest[0], "dump"))
        rc = cmd_map_dump(rest[1]);
    else if (!strcmp(cmd, "map") && n >= 2 && !strcmp(rest[0], "watch"))
        rc = cmd_map_watch(n - 1, rest + 1);
    else if (!strcmp(cmd, "config"))
        rc = cmd_config(n, rest);
    else if (!strcmp(cmd, "attest"))
        rc = cmd_attest(n, rest);
    else
        usage(), rc = 2;
    client_close(&conn);
    return rc;
}
