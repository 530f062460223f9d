/* hyposctl: control a running hypOS system from the host (see
 * docs/control-plane.md). Every refusal is printed with the agent's
 * reason; the exit status is 0 on success, 1 when the system refused,
 * 2 for a usage or connection error. */
#define _GNU_SOURCE
#include "client.h"
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *status_names[] = {"ok",      "bad request", "too large",   "not found",
                                     "refused", "busy",        "unsupported", "internal error"};
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
                    "  map watch NAME [--interval MS] [--count N]\n"
                    "  config set PD KEY VALUE\n"
                    "  config get PD\n"
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

static int read_file(const char *path, uint8_t *buf, size_t cap, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "hyposctl: %s: %s\n", path, strerror(errno));
        return -1;
    }
    *len = fread(buf, 1, cap, f);
    int more = fgetc(f) != EOF;
    fclose(f);
    if (more) {
        fprintf(stderr, "hyposctl: %s is larger than the %zu bytes a request carries\n", path, cap);
        return -1;
    }
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

static int verbose;
static double request_start;

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
        printf("in the system: agent %" PRIu64 " guest instructions, of which bpf PD: load %" PRIu64
               ", verify and offer %" PRIu64 "\n",
               c->agent_insns, c->load_insns, c->verify_insns);
    if (!wait)
        return 0;
    int rc = wait_attached(hook, gen, id, detach);
    if (verbose)
        printf("wall time: request to response %.2f ms, request to attached %.2f ms\n",
               (answered - request_start) * 1e3, (now() - request_start) * 1e3);
    return rc;
}

static int cmd_load(int argc, char **argv, int replace)
{
    const char *file = NULL, *hook = NULL, *program = "";
    uint32_t id = 0;
    int wait = 1, pos = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--hook") && i + 1 < argc)
            hook = argv[++i];
        else if (!strcmp(argv[i], "--program") && i + 1 < argc)
            program = argv[++i];
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
    if (replace) {
        new_request(hypos_control_Request_replace_tag);
        req.op.replace.prog_id = id;
        strcpy(req.op.replace.program, program);
        if (read_file(file, req.op.replace.object.bytes, sizeof(req.op.replace.object.bytes), &len))
            return 2;
        req.op.replace.object.size = (pb_size_t)len;
    } else {
        new_request(hypos_control_Request_load_tag);
        strcpy(req.op.load.hook, hook);
        strcpy(req.op.load.program, program);
        if (read_file(file, req.op.load.object.bytes, sizeof(req.op.load.object.bytes), &len))
            return 2;
        req.op.load.object.size = (pb_size_t)len;
    }
    request_start = now();
    if (call())
        return 1;
    return report_change(wait, 0);
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

static int cmd_map_watch(int argc, char **argv)
{
    if (argc < 1)
        usage();
    const char *name = argv[0];
    long interval = 500, count = -1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--interval") && i + 1 < argc)
            interval = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--count") && i + 1 < argc)
            count = strtol(argv[++i], NULL, 10);
        else
            usage();
    }
    static hypos_control_MapContents last;
    int have_last = 0;
    double start = now();
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (long n = 0; count < 0 || n < count; n++) {
        if (n)
            usleep((useconds_t)interval * 1000);
        if (fetch_map(name))
            return 1;
        const hypos_control_MapContents *m = &resp.result.map;
        double t = now() - start;
        if (!have_last || last.generation != m->generation) {
            printf("%.1fs %s/%s (program generation %u):\n", t, m->hook, m->name, m->generation);
            for (pb_size_t i = 0; i < m->entries_count; i++) {
                printf("  ");
                print_bytes(m->entries[i].key.bytes, m->entries[i].key.size);
                printf(" = ");
                print_bytes(m->entries[i].value.bytes, m->entries[i].value.size);
                printf("\n");
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
        last = *m;
        have_last = 1;
    }
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
    if (!sock)
        sock = "build/control.sock";
    const char *cmd = argv[i];
    if (strcmp(cmd, "status") && strcmp(cmd, "list") && strcmp(cmd, "load") && strcmp(cmd, "replace") &&
        strcmp(cmd, "detach") && strcmp(cmd, "map") && strcmp(cmd, "config"))
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
    else
        usage(), rc = 2;
    client_close(&conn);
    return rc;
}
