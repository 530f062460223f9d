/* Host tests of trace hooks (hypos/bpftrace.h): the declaration a trace
 * program is verified against, event names, the ring consumer against
 * rings filled exactly as the kernel's ABI (hypos/trace.h) describes,
 * and programs run through the PD hook library as the bpf PD runs them,
 * with a reader's read-only view of their maps. Prints one TAP line per
 * check and "# bpftrace: N passed, M failed".
 *   test_bpftrace <directory of the compiled test programs> */
#define _GNU_SOURCE
#include <hypos/bpftrace.h>
#include <bpf/verifier.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int passed, failed;
static const char *progdir;

#define CHECK(name, cond, ...)                                            \
    do {                                                                  \
        if (cond) {                                                       \
            printf("ok %d BPFTRACE_%s\n", passed + failed + 1, name);     \
            passed++;                                                     \
        } else {                                                          \
            printf("not ok %d BPFTRACE_%s: ", passed + failed + 1, name); \
            printf(__VA_ARGS__);                                          \
            printf("\n");                                                 \
            failed++;                                                     \
        }                                                                 \
    } while (0)

#define EV(t) (1u << (t))
#define REGION_SIZE (64 * 1024)
#define RING_SIZE 4096

static void *host_alloc(void *actx, size_t size)
{
    (void)actx;
    return calloc(1, size);
}
static void host_free(void *actx, void *p, size_t size)
{
    (void)actx;
    (void)size;
    free(p);
}
static const struct bpf_allocator alloc = {host_alloc, host_free, NULL};
static struct bpf_env env;

static struct bpf_object *load(const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", progdir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    static uint8_t buf[1 << 20];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    struct bpf_object *obj;
    struct bpf_load_error err;
    if (bpf_object_load(&obj, buf, n, &env, &alloc, &err)) {
        fprintf(stderr, "%s: [%s]+0x%llx: %s\n", name, err.section, (unsigned long long)err.offset, err.reason);
        exit(2);
    }
    return obj;
}

static struct bpf_prog *prog_for(struct bpf_object *obj, const char *section)
{
    for (uint32_t i = 0; i < bpf_object_prog_count(obj); i++) {
        struct bpf_prog *p = bpf_object_prog_at(obj, i);
        if (p->section && !strcmp(p->section, section))
            return p;
    }
    fprintf(stderr, "no program in section %s\n", section);
    exit(2);
}

/* The kernel's side of a ring: SetRing's reset, then records appended at head. */
static void ring_reset(void *ring, uint32_t threshold)
{
    memset(ring, 0, RING_SIZE);
    struct trace_ring *r = ring;
    r->capacity = RING_SIZE / 64 - 1;
    r->threshold = threshold;
}

static int ring_put(void *ring, const struct trace_record *rec)
{
    struct trace_ring *r = ring;
    if (r->head - r->tail >= r->capacity) {
        r->dropped++;
        return 0;
    }
    memcpy((struct trace_record *)ring + 1 + r->head % r->capacity, rec, sizeof(*rec));
    __atomic_store_n(&r->head, r->head + 1, __ATOMIC_RELEASE);
    return 1;
}

static struct trace_record ipc(uint16_t type, uint32_t cookie, uint64_t time, uint32_t sender, uint32_t receiver)
{
    struct trace_record r;
    memset(&r, 0, sizeof(r));
    r.h.type = type;
    r.h.length = sizeof(struct trace_ipc);
    r.h.object = cookie;
    r.h.time = time;
    r.u.ipc.sender = sender;
    r.u.ipc.receiver = receiver;
    r.u.ipc.length = 1;
    return r;
}

static void test_names_and_decls(void)
{
    uint32_t m = 0;
    char bad[32];
    CHECK("events_names",
          !bpftrace_parse_events("call reply", &m, bad, sizeof bad) && m == (EV(TRACE_IPC_CALL) | EV(TRACE_IPC_REPLY)),
          "mask 0x%x", m);
    CHECK("events_groups",
          !bpftrace_parse_events("ipc, thread", &m, bad, sizeof bad) &&
              m == (EV(1) | EV(2) | EV(3) | EV(4) | EV(TRACE_SCHED) | EV(TRACE_FAULT)),
          "mask 0x%x", m);
    CHECK("events_unknown",
          bpftrace_parse_events("call replay", &m, bad, sizeof bad) == -BPF_EINVAL && !strcmp(bad, "replay"),
          "bad '%s'", bad);
    struct bpfhook_decl d;
    CHECK("decl_ipc",
          !bpftrace_decl("ipc", EV(TRACE_IPC_CALL), 0, &d) && d.ctx_size == 64 && d.nfields == 1 &&
              d.fields[0].off == 0 && d.fields[0].size == 16 + sizeof(struct trace_ipc) &&
              d.fields[0].access == BPF_FIELD_READ,
          "field %u+%u access %u", d.fields[0].off, d.fields[0].size, d.fields[0].access);
    CHECK("decl_union",
          !bpftrace_decl("x", EV(TRACE_SCHED) | EV(TRACE_FAULT), 0, &d) &&
              d.fields[0].size == 16 + sizeof(struct trace_fault),
          "size %u", d.fields[0].size);
    CHECK("decl_bad_mask",
          bpftrace_decl("x", EV(0), 0, &d) == -BPF_EINVAL &&
              bpftrace_decl("x", EV(TRACE_NTYPES), 0, &d) == -BPF_EINVAL && bpftrace_decl("x", 0, 0, &d) == -BPF_EINVAL,
          "masks accepted");
    CHECK("decl_bad_name",
          bpftrace_decl("a b", EV(1), 0, &d) == -BPF_EINVAL && bpftrace_decl("", EV(1), 0, &d) == -BPF_EINVAL,
          "names accepted");
}

static int seen, seen_order_ok;
static uint64_t next_time;
static void collect(const struct trace_record *rec, void *arg)
{
    (void)arg;
    seen_order_ok &= rec->h.time == next_time;
    next_time++;
    seen++;
}

static void test_drain(void)
{
    static uint64_t ringmem[RING_SIZE / 8];
    void *ring = ringmem;
    struct trace_ring *r = ring;
    memset(ring, 0, RING_SIZE);
    CHECK("drain_not_set_up", bpftrace_drain(ring, RING_SIZE, collect, NULL, 100) == -BPF_ENOENT, "set up?");
    ring_reset(ring, 1);
    /* 150 records through a 63-slot ring, drained in bursts: all seen in order */
    seen = 0;
    seen_order_ok = 1;
    next_time = 0;
    uint64_t t = 0;
    for (int burst = 0; burst < 5; burst++) {
        for (int i = 0; i < 30; i++) {
            struct trace_record rec = ipc(TRACE_IPC_CALL, 0, t++, 1, 2);
            ring_put(ring, &rec);
        }
        bpftrace_drain(ring, RING_SIZE, collect, NULL, UINT64_MAX);
    }
    CHECK("drain_all_in_order", seen == 150 && seen_order_ok && r->tail == 150 && r->dropped == 0,
          "seen %d order %d tail %llu dropped %llu", seen, seen_order_ok, (unsigned long long)r->tail,
          (unsigned long long)r->dropped);
    /* overload: 100 records into 63 slots: 37 dropped and counted, the 63 kept intact */
    ring_reset(ring, 1);
    seen = 0;
    seen_order_ok = 1;
    next_time = 1000;
    for (int i = 0; i < 100; i++) {
        struct trace_record rec = ipc(TRACE_IPC_CALL, 0, 1000 + (uint64_t)i, 1, 2);
        ring_put(ring, &rec);
    }
    int64_t n = bpftrace_drain(ring, RING_SIZE, collect, NULL, UINT64_MAX);
    CHECK("drain_overload", n == 63 && seen == 63 && seen_order_ok && r->dropped == 37, "n %lld seen %d dropped %llu",
          (long long)n, seen, (unsigned long long)r->dropped);
    /* max bounds one pass */
    for (int i = 0; i < 10; i++) {
        struct trace_record rec = ipc(TRACE_IPC_CALL, 0, next_time + (uint64_t)i, 1, 2);
        ring_put(ring, &rec);
    }
    n = bpftrace_drain(ring, RING_SIZE, collect, NULL, 4);
    CHECK("drain_max", n == 4 && r->tail == 67 && r->head == 73, "n %lld tail %llu", (long long)n,
          (unsigned long long)r->tail);
    /* damaged headers consume nothing */
    uint64_t tail = r->tail;
    r->capacity = RING_SIZE / 64; /* one slot more than the frame holds */
    CHECK("drain_bad_capacity", bpftrace_drain(ring, RING_SIZE, collect, NULL, 100) == -BPF_EINVAL && r->tail == tail,
          "accepted");
    r->capacity = RING_SIZE / 64 - 1;
    r->tail = r->head + 1;
    CHECK("drain_tail_past_head", bpftrace_drain(ring, RING_SIZE, collect, NULL, 100) == -BPF_EINVAL, "accepted");
    r->tail = 0;
    CHECK("drain_unread_over_capacity", bpftrace_drain(ring, RING_SIZE, collect, NULL, 100) == -BPF_EINVAL, "accepted");
}

/* A trace hook as the bpf PD sets it up: declared in a region, the
 * program offered and taken over. Returns 0 or the offer's error. */
static int attach(struct bpfhook *h, void *region, const char *name, uint32_t events, uint64_t notify,
                  struct bpf_prog *prog, char *msg)
{
    struct bpfhook_decl d;
    memset(region, 0, REGION_SIZE);
    if (bpftrace_decl(name, events, notify, &d) || bpfhook_declare(h, region, REGION_SIZE, &d))
        return -1;
    int rc = bpfhook_offer(region, REGION_SIZE, prog, &env, &alloc, msg, BPFHOOK_MESSAGE_LEN);
    if (rc)
        return rc;
    return bpfhook_poll(h) ? 0 : -2;
}

struct dispatch {
    struct bpfhook *hooks[4];
};

static void run_record(const struct trace_record *rec, void *arg)
{
    struct dispatch *d = arg;
    uint32_t h = TRACE_COOKIE_HOOK(rec->h.object);
    if (h < 4 && d->hooks[h])
        bpfhook_run(d->hooks[h], (void *)rec);
}

static int out_seen, out_ok;
static void collect_out(void *arg, const char *map, const void *data, uint32_t len)
{
    (void)arg;
    const uint64_t *e = data;
    out_ok &=
        !strcmp(map, "events") && len == 16 && e[0] == 40u + (uint64_t)out_seen && e[1] == 0x100u + (uint64_t)out_seen;
    out_seen++;
}

static unsigned notified_mask;
static void on_notify(unsigned ch) { notified_mask |= 1u << ch; }

static void test_programs(void)
{
    bpf_env_init(&env, NULL, NULL);
    bpfhook_register_helpers(&env);
    bpfhook_set_platform(NULL, NULL, on_notify);
    struct bpf_object *obj = load("trace.bpf.o");
    int fd = memfd_create("hooks", 0);
    if (fd < 0 || ftruncate(fd, 2 * REGION_SIZE))
        exit(2);
    uint8_t *rw = mmap(NULL, 2 * REGION_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    const uint8_t *ro = mmap(NULL, 2 * REGION_SIZE, PROT_READ, MAP_SHARED, fd, 0);
    static uint64_t ringmem[RING_SIZE / 8];
    void *ring = ringmem;
    static struct bpfhook lat, flt;
    char msg[BPFHOOK_MESSAGE_LEN] = "";
    int rc = attach(&lat, rw, "ipc", EV(TRACE_IPC_CALL) | EV(TRACE_IPC_REPLY), 0, prog_for(obj, "trace/ipc"), msg);
    CHECK("latency_attached", rc == 0, "rc %d: %s", rc, msg);
    rc = attach(&flt, rw + REGION_SIZE, "faults", EV(TRACE_FAULT), 0, prog_for(obj, "trace/faults"), msg);
    CHECK("faults_attached", rc == 0, "rc %d: %s", rc, msg);

    /* A known pattern: two clients (thread ids 7 and 9) make 40 calls each
     * into the server's endpoint (hook 0, PD 2), interleaved, each
     * answered 2^k ticks later; one reply to a call made before tracing
     * started; faults: PD 3 three VM faults, PD 5 two user exceptions
     * (system hook 1: cookie PD part from the thread hooks). */
    ring_reset(ring, 16);
    struct dispatch d = {{&lat, &flt, NULL, NULL}};
    uint64_t t = 1000;
    uint32_t lat_cookie = TRACE_COOKIE(0, 2);
    int expect_bucket[8] = {0};
    for (int i = 0; i < 40; i++) {
        for (uint32_t c = 7; c <= 9; c += 2) {
            struct trace_record call = ipc(TRACE_IPC_CALL, lat_cookie, t, c, 0);
            ring_put(ring, &call);
            uint64_t dt = 1ull << ((i + c) % 8);
            expect_bucket[(i + c) % 8]++;
            struct trace_record reply = ipc(TRACE_IPC_REPLY, lat_cookie, t + dt, 1, c);
            ring_put(ring, &reply);
            t += 300;
            if (((struct trace_ring *)ring)->head - ((struct trace_ring *)ring)->tail >= 16)
                bpftrace_drain(ring, RING_SIZE, run_record, &d, UINT64_MAX);
        }
    }
    struct trace_record stray = ipc(TRACE_IPC_REPLY, lat_cookie, t, 1, 11);
    ring_put(ring, &stray);
    for (int i = 0; i < 5; i++) {
        struct trace_record f;
        memset(&f, 0, sizeof(f));
        f.h.type = TRACE_FAULT;
        f.h.length = sizeof(struct trace_fault);
        f.h.object = TRACE_COOKIE(1, i < 3 ? 3 : 5);
        f.u.fault.kind = i < 3 ? 5 : 2;
        ring_put(ring, &f);
    }
    bpftrace_drain(ring, RING_SIZE, run_record, &d, UINT64_MAX);

    struct bpfhook_map_view counts, hist, faults;
    int vr = bpfhook_map_view(ro, REGION_SIZE, "counts", &counts) | bpfhook_map_view(ro, REGION_SIZE, "hist", &hist) |
             bpfhook_map_view(ro + REGION_SIZE, REGION_SIZE, "faults", &faults);
    CHECK("maps_readable_read_only", vr == 0, "views %d", vr);
    if (vr == 0) {
        const uint64_t *calls = bpfhook_array_elem(&counts, 0), *replies = bpfhook_array_elem(&counts, 1),
                       *matched = bpfhook_array_elem(&counts, 2);
        CHECK("exact_counts", *calls == 80 && *replies == 81 && *matched == 80, "calls %llu replies %llu matched %llu",
              (unsigned long long)*calls, (unsigned long long)*replies, (unsigned long long)*matched);
        int ok = 1;
        for (uint32_t b = 0; b < 8; b++)
            ok &= *(const uint64_t *)bpfhook_array_elem(&hist, b) == (uint64_t)expect_bucket[b];
        CHECK("exact_histogram", ok, "a bucket differs");
        CHECK("faults_per_pd",
              *(const uint64_t *)bpfhook_array_elem(&faults, 3) == 300 &&
                  *(const uint64_t *)bpfhook_array_elem(&faults, 5) == 2 &&
                  *(const uint64_t *)bpfhook_array_elem(&faults, 4) == 0,
              "pd3 %llu pd5 %llu", (unsigned long long)*(const uint64_t *)bpfhook_array_elem(&faults, 3),
              (unsigned long long)*(const uint64_t *)bpfhook_array_elem(&faults, 5));
        /* the hash map of outstanding calls is empty again: every call was answered */
        struct bpfhook_map_view start;
        uint64_t cursor = 0;
        const void *k, *v;
        CHECK("start_map_empty",
              !bpfhook_map_view(ro, REGION_SIZE, "start", &start) &&
                  bpfhook_hash_next(&start, &cursor, &k, &v) == -BPF_ENOENT,
              "entries left");
    }
    const struct bpfhook_shared *s = (const struct bpfhook_shared *)ro;
    CHECK("runs_no_faults", s->runs == 161 && s->faults == 0, "runs %llu faults %llu", (unsigned long long)s->runs,
          (unsigned long long)s->faults);

    /* refusals: each with the verifier's rule */
    static struct bpfhook h;
    rc = attach(&h, rw, "bad_write", EV(TRACE_IPC_CALL), 0, prog_for(obj, "trace/bad_write"), msg);
    CHECK("refused_ctx_write", rc && strstr(msg, "CTX_ACCESS"), "rc %d: %s", rc, msg);
    rc = attach(&h, rw, "bad_field", EV(TRACE_SCHED), 0, prog_for(obj, "trace/bad_field"), msg);
    CHECK("refused_field_of_other_type", rc && strstr(msg, "CTX_ACCESS"), "rc %d: %s", rc, msg);
    rc = attach(&h, rw, "bad_field", EV(TRACE_FAULT), 0, prog_for(obj, "trace/bad_field"), msg);
    CHECK("field_of_own_type_accepted", rc == 0, "rc %d: %s", rc, msg);
    rc = attach(&h, rw, "bad_map", EV(TRACE_IPC_CALL), 0, prog_for(obj, "trace/bad_map"), msg);
    CHECK("refused_past_map_value", rc && strstr(msg, "MEM_BOUNDS"), "rc %d: %s", rc, msg);
    rc = attach(&h, rw, "bad_past", EV(TRACE_FAULT), 0, prog_for(obj, "trace/bad_past"), msg);
    CHECK("refused_past_record", rc && strstr(msg, "CTX_ACCESS"), "rc %d: %s", rc, msg);
    rc = attach(&h, rw, "bad_leak", EV(TRACE_FAULT), 0, prog_for(obj, "trace/bad_leak"), msg);
    CHECK("refused_pointer_into_map", rc && strstr(msg, "PTR_LEAK"), "rc %d: %s", rc, msg);
    rc = attach(&h, rw, "bad_helper", EV(TRACE_IPC_CALL), 0, prog_for(obj, "trace/bad_helper"), msg);
    CHECK("refused_helper", rc && strstr(msg, "HELPER"), "rc %d: %s", rc, msg);

    /* notify: only the consumer's channels (bit 2 here) are signalled */
    rc = attach(&h, rw, "notify", EV(TRACE_IPC_CALL), 1u << 2, prog_for(obj, "trace/notify"), msg);
    struct trace_record r0 = ipc(TRACE_IPC_CALL, TRACE_COOKIE(0, 1), 0, 1, 2),
                        r1 = ipc(TRACE_IPC_CALL, TRACE_COOKIE(1, 1), 0, 1, 2);
    notified_mask = 0;
    int64_t v0 = bpfhook_run(&h, &r0), v1 = bpfhook_run(&h, &r1);
    CHECK("notify_own_channels_only", rc == 0 && v0 == 0 && v1 == -BPF_EINVAL && notified_mask == 1u << 2,
          "rc %d v0 %lld v1 %lld mask 0x%x", rc, (long long)v0, (long long)v1, notified_mask);
    /* ring-buffer output, consumed where it is produced */
    rc = attach(&h, rw, "out", EV(TRACE_IPC_CALL), 0, prog_for(obj, "trace/out"), msg);
    for (uint32_t i = 0; i < 3; i++) {
        struct trace_record c = ipc(TRACE_IPC_CALL, TRACE_COOKIE(0, 1), 0, 40 + i, 2);
        c.u.ipc.label = 0x100 + i;
        bpfhook_run(&h, &c);
    }
    out_seen = 0;
    out_ok = 1;
    long got = bpftrace_ringbuf_consume(&h, collect_out, NULL);
    CHECK("ringbuf_output",
          rc == 0 && got == 3 && out_seen == 3 && out_ok && bpftrace_ringbuf_consume(&h, collect_out, NULL) == 0,
          "rc %d got %ld seen %d ok %d: %s", rc, got, out_seen, out_ok, msg);
    bpf_object_free(obj);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_bpftrace PROGDIR\n");
        return 2;
    }
    progdir = argv[1];
    test_names_and_decls();
    test_drain();
    test_programs();
    printf("# bpftrace: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
