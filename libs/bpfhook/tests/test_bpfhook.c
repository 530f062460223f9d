/* Host tests of PD hook points: both sides of the library on one region
 * mapped three times (the bpf PD's view, the hooking PD's view at another
 * address, and a reader's read-only view), as the PDs see it. Prints one
 * TAP line per check and "# bpfhook: N passed, M failed".
 *   test_bpfhook <directory of the compiled test programs> */
#define _GNU_SOURCE
#include <hypos/bpfhook.h>
#include <bpf/verifier.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "progs/byte_hook.h"

static int passed, failed;
static const char *progdir;

#define CHECK(name, cond, ...)                                           \
    do {                                                                 \
        if (cond) {                                                      \
            printf("ok %d BPFHOOK_%s\n", passed + failed + 1, name);     \
            passed++;                                                    \
        } else {                                                         \
            printf("not ok %d BPFHOOK_%s: ", passed + failed + 1, name); \
            printf(__VA_ARGS__);                                         \
            printf("\n");                                                \
            failed++;                                                    \
        }                                                                \
    } while (0)

#define REGION_SIZE (64 * 1024)

/* One region seen three ways. */
struct views {
    int fd;
    uint8_t *bpf_pd, *hooking_pd;
    const uint8_t *reader;
};

static void views_open(struct views *v)
{
    v->fd = memfd_create("hook", 0);
    if (v->fd < 0 || ftruncate(v->fd, REGION_SIZE)) {
        perror("memfd");
        exit(2);
    }
    v->bpf_pd = mmap(NULL, REGION_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
    v->hooking_pd = mmap(NULL, REGION_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
    v->reader = mmap(NULL, REGION_SIZE, PROT_READ, MAP_SHARED, v->fd, 0);
    if (v->bpf_pd == MAP_FAILED || v->hooking_pd == MAP_FAILED || v->reader == MAP_FAILED) {
        perror("mmap");
        exit(2);
    }
}

static void views_close(struct views *v)
{
    munmap(v->bpf_pd, REGION_SIZE);
    munmap(v->hooking_pd, REGION_SIZE);
    munmap((void *)v->reader, REGION_SIZE);
    close(v->fd);
}

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
static struct bpf_env bpf_pd_env;

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
    size_t n = fread(buf, 1, sizeof(buf) - 4096, f);
    fclose(f);
    /* a prefilled region is page-rounded: the loader must accept the zeros after the file */
    memset(buf + n, 0, 4096);
    struct bpf_object *obj;
    struct bpf_load_error err;
    if (bpf_object_load(&obj, buf, n + 4096 - (n & 4095), &bpf_pd_env, &alloc, &err)) {
        fprintf(stderr, "%s: [%s]+0x%llx: %s\n", name, err.section, (unsigned long long)err.offset, err.reason);
        exit(2);
    }
    return obj;
}

static const struct bpfhook_decl rx_decl = {
    .name = "rx",
    .ctx_size = sizeof(struct byte_ctx),
    .nfields = 2,
    .fields = {{0, 4, BPF_FIELD_READ | BPF_FIELD_WRITE}, {4, 4, BPF_FIELD_READ}},
    .nhelpers = 3,
    .helpers = {BPF_FUNC_map_lookup_elem, BPF_FUNC_map_update_elem, BPF_FUNC_map_delete_elem},
    .verdict_min = VERDICT_DROP,
    .verdict_max = VERDICT_PASS,
    .verdict_default = VERDICT_PASS,
    .max_insns = 256,
};

static int64_t run_byte(struct bpfhook *h, unsigned byte, unsigned pos, unsigned *out)
{
    struct byte_ctx c = {.byte = byte, .pos = pos, .secret = 42};
    int64_t v = bpfhook_run(h, &c);
    if (out)
        *out = c.byte;
    return v;
}

static uint64_t array_u64(const uint8_t *region, const char *map, uint32_t i)
{
    struct bpfhook_map_view v;
    if (bpfhook_map_view(region, REGION_SIZE, map, &v))
        return ~0ULL;
    const uint64_t *p = bpfhook_array_elem(&v, i);
    return p ? *p : ~0ULL;
}

static void test_declare_rejects(void)
{
    struct views v;
    views_open(&v);
    struct bpfhook h;
    struct bpfhook_decl d;
#define BAD_DECL(label, stmt)                                                                            \
    do {                                                                                                 \
        d = rx_decl;                                                                                     \
        stmt;                                                                                            \
        int rc = bpfhook_declare(&h, v.hooking_pd, REGION_SIZE, &d);                                     \
        CHECK(label, rc == -BPF_EINVAL && run_byte(&h, 'a', 0, NULL) == d.verdict_default, "rc %d", rc); \
    } while (0)
    BAD_DECL("decl_empty_name", d.name[0] = 0);
    BAD_DECL("decl_name_chars", memcpy(d.name, "a/b", 4));
    BAD_DECL("decl_name_unterminated", memset(d.name, 'a', sizeof(d.name)));
    BAD_DECL("decl_ctx_zero", d.ctx_size = 0);
    BAD_DECL("decl_ctx_too_big", d.ctx_size = BPFHOOK_MAX_CTX + 1);
    BAD_DECL("decl_field_outside", d.fields[1].off = 14);
    BAD_DECL("decl_field_no_access", d.fields[0].access = 0);
    BAD_DECL("decl_field_unknown_access", d.fields[0].access = 4);
    BAD_DECL("decl_too_many_fields", d.nfields = BPFHOOK_MAX_FIELDS + 1);
    BAD_DECL("decl_tail_call_helper", d.helpers[0] = BPF_FUNC_tail_call);
    BAD_DECL("decl_unknown_helper", d.helpers[0] = 300);
    BAD_DECL("decl_empty_verdicts", (d.verdict_min = 1, d.verdict_max = 0));
    BAD_DECL("decl_no_insns", d.max_insns = 0);
    BAD_DECL("decl_region_too_small", d.max_insns = REGION_SIZE / 8);
    int rc = bpfhook_declare(&h, v.hooking_pd + 4, REGION_SIZE - 8, &rx_decl);
    CHECK("decl_misaligned_region", rc == -BPF_EINVAL, "rc %d", rc);
    views_close(&v);
}

static void test_offer_and_run(void)
{
    struct views v;
    views_open(&v);
    struct bpfhook h;
    char msg[256];
    struct bpf_object *obj = load("count.bpf.o");
    struct bpf_prog *prog = bpf_object_prog(obj, "count");

    int rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, prog, &bpf_pd_env, &alloc, msg, sizeof(msg));
    CHECK("offer_before_declare", rc == -BPF_ENOENT, "rc %d: %s", rc, msg);

    CHECK("declare", bpfhook_declare(&h, v.hooking_pd, REGION_SIZE, &rx_decl) == 0, "declare failed");
    unsigned out;
    CHECK("no_program_default_verdict",
          run_byte(&h, '5', 0, &out) == VERDICT_PASS && out == '5' && !bpfhook_attached(&h), "ran something");
    struct bpfhook_map_view mv;
    CHECK("view_before_program", bpfhook_map_view(v.reader, REGION_SIZE, "classes", &mv) == -BPF_ENOENT, "found");

    rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, prog, &bpf_pd_env, &alloc, msg, sizeof(msg));
    CHECK("offer_verified", rc == 0, "rc %d: %s", rc, msg);
    const struct bpfhook_shared *s = (const void *)v.reader;
    CHECK("offer_status", s->status == BPFHOOK_OFFERED && s->offer_seq == 1 && s->live_seq == 0, "status %u",
          s->status);
    CHECK("poll_takes_offer_without_running",
          bpfhook_poll(&h) == 1 && s->live_seq == 1 && s->runs == 0 && array_u64(v.reader, ".data", 0) == 1000,
          "live_seq %u runs %llu", s->live_seq, (unsigned long long)s->runs);

    /* digits dropped, lower case rewritten, counts and the .data global visible read-only */
    int64_t v1 = run_byte(&h, '7', 0, &out);
    CHECK("digit_dropped", v1 == VERDICT_DROP && bpfhook_attached(&h), "verdict %lld", (long long)v1);
    int64_t v2 = run_byte(&h, 'q', 1, &out);
    CHECK("lower_rewritten", v2 == VERDICT_PASS && out == 'Q', "verdict %lld byte %c", (long long)v2, out);
    run_byte(&h, 'Z', 2, &out);
    run_byte(&h, '!', 3, &out);
    run_byte(&h, 'r', 4, &out);
    CHECK("counts_read_only_view",
          array_u64(v.reader, "classes", 0) == 1 && array_u64(v.reader, "classes", 1) == 2 &&
              array_u64(v.reader, "classes", 2) == 1 && array_u64(v.reader, "classes", 3) == 1,
          "classes %llu %llu %llu %llu", (unsigned long long)array_u64(v.reader, "classes", 0),
          (unsigned long long)array_u64(v.reader, "classes", 1), (unsigned long long)array_u64(v.reader, "classes", 2),
          (unsigned long long)array_u64(v.reader, "classes", 3));
    CHECK("global_data_initial_value", array_u64(v.reader, ".data", 0) == 1005, "runs %llu",
          (unsigned long long)array_u64(v.reader, ".data", 0));
    uint64_t no_cursor = 0;
    const void *nk, *nv;
    CHECK("view_array_not_hash",
          bpfhook_map_view(v.reader, REGION_SIZE, "classes", &mv) == 0 &&
              bpfhook_hash_next(&mv, &no_cursor, &nk, &nv) == -BPF_EINVAL,
          "walked an array as a hash map");
    CHECK("view_past_end",
          bpfhook_map_view(v.reader, REGION_SIZE, "classes", &mv) == 0 && bpfhook_array_elem(&mv, 4) == NULL,
          "element 4 exists");
    CHECK("view_unknown_map", bpfhook_map_view(v.reader, REGION_SIZE, "nope", &mv) == -BPF_ENOENT, "found");
    CHECK("run_counts", s->runs == 5 && s->faults == 0, "runs %llu faults %llu", (unsigned long long)s->runs,
          (unsigned long long)s->faults);
    CHECK("live_name", !strcmp(s->live_prog, "pdhook/rx") && s->live_ninsns == prog->len, "live '%s'", s->live_prog);

    /* a second offer waits for the first to be taken */
    struct bpf_object *obj2 = load("drop_all.bpf.o");
    struct bpf_prog *drop = bpf_object_prog(obj2, "drop_all");
    rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, drop, &bpf_pd_env, &alloc, msg, sizeof(msg));
    CHECK("replace_offered", rc == 0, "rc %d: %s", rc, msg);
    rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, prog, &bpf_pd_env, &alloc, msg, sizeof(msg));
    CHECK("offer_busy_until_taken", rc == -BPF_EBUSY, "rc %d: %s", rc, msg);
    /* two steps: the run that finds the offer prepares it and still runs
     * the old program; the next run switches */
    CHECK("old_runs_while_new_prepared", run_byte(&h, 'a', 9, &out) == VERDICT_PASS && out == 'A' && s->live_seq == 1,
          "live_seq %u", s->live_seq);
    rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, prog, &bpf_pd_env, &alloc, msg, sizeof(msg));
    CHECK("offer_busy_until_switched", rc == -BPF_EBUSY, "rc %d: %s", rc, msg);
    CHECK("replaced_on_next_run", run_byte(&h, 'a', 0, &out) == VERDICT_DROP && out == 'a' && s->live_seq == 2,
          "not replaced");
    run_byte(&h, 'b', 1, &out);
    run_byte(&h, 'c', 2, &out);
    /* positions 0 and 2 are even, 1 odd: the hash map holds {0: 2, 1: 1} */
    uint64_t counts[2] = {0, 0}, cursor = 0;
    const void *hk, *hv;
    int elems = 0;
    int vrc = bpfhook_map_view(v.reader, REGION_SIZE, "parity", &mv);
    while (vrc == 0 && bpfhook_hash_next(&mv, &cursor, &hk, &hv) == 0 && elems < 10) {
        uint32_t key = *(const uint32_t *)hk;
        if (key < 2)
            counts[key] = *(const uint64_t *)hv;
        elems++;
    }
    CHECK("hash_map_view", vrc == 0 && elems == 2 && counts[0] == 2 && counts[1] == 1 && !bpfhook_array_elem(&mv, 0),
          "rc %d elems %d counts %llu %llu", vrc, elems, (unsigned long long)counts[0], (unsigned long long)counts[1]);
    CHECK("old_maps_gone", bpfhook_map_view(v.reader, REGION_SIZE, "classes", &mv) == -BPF_ENOENT, "still there");

    /* a re-declaration (a restarted PD) voids an offer not yet taken */
    rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, prog, &bpf_pd_env, &alloc, msg, sizeof(msg));
    CHECK("offer_after_take", rc == 0, "rc %d: %s", rc, msg);
    CHECK("redeclare", bpfhook_declare(&h, v.hooking_pd, REGION_SIZE, &rx_decl) == 0, "declare failed");
    CHECK("redeclare_voids_offer", run_byte(&h, '1', 0, &out) == VERDICT_PASS && !bpfhook_attached(&h),
          "stale offer ran");
    rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, prog, &bpf_pd_env, &alloc, msg, sizeof(msg));
    CHECK("offer_after_redeclare", rc == 0 && run_byte(&h, '1', 0, &out) == VERDICT_DROP, "rc %d: %s", rc, msg);
    CHECK("maps_fresh_after_redeclare", array_u64(v.reader, "classes", 0) == 1, "digits %llu",
          (unsigned long long)array_u64(v.reader, "classes", 0));

    /* a damaged offer is not taken: the running program stays */
    rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, drop, &bpf_pd_env, &alloc, msg, sizeof(msg));
    struct bpfhook_shared *ws = (void *)v.bpf_pd;
    ws->offer_ninsns = rx_decl.max_insns + 1;
    CHECK("damaged_offer_not_taken",
          rc == 0 && run_byte(&h, '2', 0, &out) == VERDICT_DROP && ws->live_error != 0 &&
              array_u64(v.reader, "classes", 0) == 2,
          "rc %d live_error %u", rc, ws->live_error);
    rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, drop, &bpf_pd_env, &alloc, msg, sizeof(msg));
    ws->offer_maps[0].off = REGION_SIZE;
    CHECK("map_outside_region_not_taken", rc == 0 && run_byte(&h, 'k', 0, &out) == VERDICT_PASS && out == 'K', "rc %d",
          rc);

    bpf_object_free(obj);
    bpf_object_free(obj2);
    views_close(&v);
}

static void test_refusals(void)
{
    struct views v;
    views_open(&v);
    struct bpfhook h;
    char msg[256];
    bpfhook_declare(&h, v.hooking_pd, REGION_SIZE, &rx_decl);
    struct bpf_object *bad = load("bad.bpf.o");
    static const struct {
        const char *prog, *rule;
    } cases[] = {
        {"write_pos", "[rule CTX_ACCESS]"},      {"read_secret", "[rule CTX_ACCESS]"},
        {"read_past_ctx", "[rule CTX_ACCESS]"},  {"call_random", "[rule HELPER_DENIED]"},
        {"verdict_two", "[rule RET]"},           {"past_map_value", "[rule MEM_BOUNDS]"},
        {"pointer_into_map", "[rule PTR_LEAK]"},
    };
    const struct bpfhook_shared *s = (const void *)v.reader;
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bpf_prog *p = bpf_object_prog(bad, cases[i].prog);
        int rc = p ? bpfhook_offer(v.bpf_pd, REGION_SIZE, p, &bpf_pd_env, &alloc, msg, sizeof(msg)) : -1;
        char label[64];
        snprintf(label, sizeof(label), "refused_%s", cases[i].prog);
        CHECK(label,
              rc == -BPF_EINVAL && strstr(msg, cases[i].rule) && s->status == BPFHOOK_REFUSED &&
                  !strcmp(s->message, msg) && s->offer_seq == 0,
              "rc %d: %s", rc, msg);
    }
    CHECK("refusals_counted", s->refusals == 7, "%u", s->refusals);
    unsigned out;
    CHECK("refused_never_runs", run_byte(&h, 'x', 0, &out) == VERDICT_PASS && out == 'x' && s->runs == 0, "ran");

    struct bpf_object *pa = load("progarray.bpf.o");
    int rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, bpf_object_prog(pa, "uses_progarray"), &bpf_pd_env, &alloc, msg,
                           sizeof(msg));
    CHECK("refused_tail_call", rc == -BPF_EINVAL && strstr(msg, "[rule HELPER_DENIED]"), "rc %d: %s", rc, msg);

    /* a program longer than the hook takes */
    struct bpfhook_decl small = rx_decl;
    small.max_insns = 8;
    bpfhook_declare(&h, v.hooking_pd, REGION_SIZE, &small);
    struct bpf_object *cnt = load("count.bpf.o");
    rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, bpf_object_prog(cnt, "count"), &bpf_pd_env, &alloc, msg, sizeof(msg));
    CHECK("refused_too_long", rc == -BPF_E2BIG && strstr(msg, "at most 8"), "rc %d: %s", rc, msg);

    /* a declaration damaged behind the hooking PD's back is refused by the bpf PD */
    struct bpfhook_shared *ws = (void *)v.bpf_pd;
    ws->decl.fields[0].size = 1000;
    rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, bpf_object_prog(cnt, "count"), &bpf_pd_env, &alloc, msg, sizeof(msg));
    CHECK("refused_bad_declaration", rc == -BPF_EINVAL && s->status == BPFHOOK_BAD_DECL && strstr(msg, "outside"),
          "rc %d: %s", rc, msg);
    /* a hook with no fields lets programs read nothing (drop_all only reads) */
    struct bpfhook_decl blind = rx_decl;
    blind.nfields = 0;
    bpfhook_declare(&h, v.hooking_pd, REGION_SIZE, &blind);
    struct bpf_object *drop = load("drop_all.bpf.o");
    rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, bpf_object_prog(drop, "drop_all"), &bpf_pd_env, &alloc, msg, sizeof(msg));
    CHECK("no_fields_no_access", rc == -BPF_EINVAL && strstr(msg, "[rule CTX_ACCESS]"), "rc %d: %s", rc, msg);
    bpf_object_free(drop);
    /* a hook with no helpers lets programs call nothing */
    struct bpfhook_decl nohelp = rx_decl;
    nohelp.nhelpers = 0;
    bpfhook_declare(&h, v.hooking_pd, REGION_SIZE, &nohelp);
    rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, bpf_object_prog(cnt, "count"), &bpf_pd_env, &alloc, msg, sizeof(msg));
    CHECK("no_helpers_no_calls", rc == -BPF_EINVAL && strstr(msg, "[rule HELPER_DENIED]"), "rc %d: %s", rc, msg);
    bpf_object_free(bad);
    bpf_object_free(pa);
    bpf_object_free(cnt);
    views_close(&v);
}

static unsigned notified_mask, notify_calls;
static void record_notify(unsigned ch)
{
    notify_calls++;
    if (ch < 32)
        notified_mask |= 1u << ch;
}

static int64_t notify_result(const uint8_t *region)
{
    struct bpfhook_map_view mv;
    if (bpfhook_map_view(region, REGION_SIZE, "result", &mv))
        return 1;
    return *(const int64_t *)bpfhook_array_elem(&mv, 0);
}

static void test_notify_helper(void)
{
    struct views v;
    views_open(&v);
    struct bpfhook h;
    char msg[256];
    bpfhook_set_platform(NULL, NULL, record_notify);
    struct bpf_object *obj = load("notify.bpf.o");
    struct bpf_prog *prog = bpf_object_prog(obj, "notify");

    /* not in the declaration's helpers: refused */
    bpfhook_declare(&h, v.hooking_pd, REGION_SIZE, &rx_decl);
    int rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, prog, &bpf_pd_env, &alloc, msg, sizeof(msg));
    CHECK("pd_notify_needs_declaring", rc == -BPF_EINVAL && strstr(msg, "[rule HELPER_DENIED]"), "rc %d: %s", rc, msg);

    struct bpfhook_decl d = rx_decl;
    d.helpers[d.nhelpers++] = BPFHOOK_FUNC_pd_notify;
    d.notify_channels = 1u << 3;
    CHECK("pd_notify_declared", bpfhook_declare(&h, v.hooking_pd, REGION_SIZE, &d) == 0, "declare failed");
    rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, prog, &bpf_pd_env, &alloc, msg, sizeof(msg));
    CHECK("pd_notify_offered", rc == 0, "rc %d: %s", rc, msg);
    run_byte(&h, 'a', 3, NULL);
    CHECK("pd_notify_allowed_channel", notify_calls == 1 && notified_mask == 1u << 3 && notify_result(v.reader) == 0,
          "calls %u mask %x result %lld", notify_calls, notified_mask, (long long)notify_result(v.reader));
    run_byte(&h, 'a', 4, NULL);
    CHECK("pd_notify_other_channel_refused", notify_calls == 1 && notify_result(v.reader) == -BPF_EINVAL,
          "calls %u result %lld", notify_calls, (long long)notify_result(v.reader));
    run_byte(&h, 'a', 67, NULL);
    CHECK("pd_notify_channel_out_of_range", notify_calls == 1 && notify_result(v.reader) == -BPF_EINVAL,
          "calls %u result %lld", notify_calls, (long long)notify_result(v.reader));
    bpfhook_set_platform(NULL, NULL, NULL);
    run_byte(&h, 'a', 3, NULL);
    CHECK("pd_notify_without_platform", notify_calls == 1 && notify_result(v.reader) == -BPF_EINVAL, "calls %u",
          notify_calls);
    d.notify_channels = 1ULL << 62;
    CHECK("decl_notify_channel_above_61", bpfhook_declare(&h, v.hooking_pd, REGION_SIZE, &d) == -BPF_EINVAL,
          "accepted");
    bpf_object_free(obj);
    views_close(&v);
}

/* Native code: the area mapped twice, writable for the compiler and
 * executable for running, as a PD maps one region twice. */
static void test_jit(void)
{
    struct views v;
    views_open(&v);
    struct bpfhook h;
    char msg[256];
    int fd = memfd_create("jit", 0);
    if (fd < 0 || ftruncate(fd, 16384)) {
        perror("memfd");
        exit(2);
    }
    uint8_t *rw = mmap(NULL, 16384, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    const uint8_t *rx = mmap(NULL, 16384, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    if (rw == MAP_FAILED || rx == MAP_FAILED) {
        perror("mmap");
        exit(2);
    }
    static uint8_t scratch_mem[4 << 20];
    static struct bpf_arena scratch;
    bpf_arena_init(&scratch, scratch_mem, sizeof(scratch_mem));
    struct bpf_object *obj = load("count.bpf.o");
    struct bpf_prog *prog = bpf_object_prog(obj, "count");

    struct bpfhook_decl bad = rx_decl;
    bad.ctx_size = 0;
    bpfhook_declare(&h, v.hooking_pd, REGION_SIZE, &bad);
    CHECK("jit_refuses_undeclared", bpfhook_use_jit(&h, rw, rx, 16384, &scratch) == -BPF_EINVAL, "accepted");
    bpfhook_declare(&h, v.hooking_pd, REGION_SIZE, &rx_decl);
    CHECK("jit_refuses_no_area", bpfhook_use_jit(&h, NULL, rx, 16384, &scratch) == -BPF_EINVAL, "accepted");
    /* the two views must alias (a word written at rw reads back at rx) */
    static uint8_t elsewhere[16384] __attribute__((aligned(64)));
    CHECK("jit_refuses_views_not_aliased", bpfhook_use_jit(&h, rw, elsewhere, 16384, &scratch) == -BPF_EINVAL,
          "accepted");
    CHECK("jit_area_set", bpfhook_use_jit(&h, rw, rx, 16384, &scratch) == 0, "refused");
    int rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, prog, &bpf_pd_env, &alloc, msg, sizeof(msg));
    unsigned out;
    int64_t v1 = run_byte(&h, 'q', 0, &out);
    const struct bpfhook_shared *s = (const void *)v.reader;
    CHECK("jit_native_run", rc == 0 && bpfhook_native(&h) && s->live_jit == 1 && v1 == VERDICT_PASS && out == 'Q',
          "rc %d native %d jit_error %d verdict %lld", rc, bpfhook_native(&h), (int)s->live_jit_error, (long long)v1);
    run_byte(&h, '4', 1, &out);
    CHECK("jit_same_results",
          run_byte(&h, '5', 2, &out) == VERDICT_DROP && array_u64(v.reader, "classes", 0) == 2 &&
              array_u64(v.reader, "classes", 1) == 1 && array_u64(v.reader, ".data", 0) == 1003,
          "digits %llu", (unsigned long long)array_u64(v.reader, "classes", 0));

    /* an area too small for the code: the program is interpreted instead */
    bpfhook_declare(&h, v.hooking_pd, REGION_SIZE, &rx_decl);
    CHECK("jit_small_area_set", bpfhook_use_jit(&h, rw, rx, 64, &scratch) == 0, "refused");
    rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, prog, &bpf_pd_env, &alloc, msg, sizeof(msg));
    v1 = run_byte(&h, 'q', 0, &out);
    CHECK("jit_too_small_interpreted",
          rc == 0 && bpfhook_attached(&h) && !bpfhook_native(&h) && s->live_jit == 0 &&
              (int)s->live_jit_error == -BPF_ENOSPC && v1 == VERDICT_PASS && out == 'Q',
          "rc %d native %d jit_error %d", rc, bpfhook_native(&h), (int)s->live_jit_error);
    bpf_object_free(obj);
    munmap(rw, 16384);
    munmap((void *)rx, 16384);
    close(fd);
    views_close(&v);
}

/* Native code whose writable view exists only while code is written (a
 * PD with hypos:jit_write): the writer turns the view's pages read-write
 * and back to no access. The first program and its replacement (the path
 * the control plane's replace takes) are each compiled between one open
 * and one close, and the view has no access while they run. */
struct wx_writer {
    uint8_t *rw;
    size_t size;
    int opens, closes;
};
static int wx_open(void *ctx, size_t off, size_t len)
{
    struct wx_writer *w = ctx;
    (void)off;
    (void)len;
    w->opens++;
    return mprotect(w->rw, w->size, PROT_READ | PROT_WRITE) ? -BPF_ENOMEM : 0;
}
static int wx_close(void *ctx, size_t off, size_t len)
{
    struct wx_writer *w = ctx;
    (void)off;
    (void)len;
    w->closes++;
    return mprotect(w->rw, w->size, PROT_NONE) ? -BPF_ENOMEM : 0;
}

static void test_jit_writer(void)
{
    struct views v;
    views_open(&v);
    struct bpfhook h;
    char msg[256];
    int fd = memfd_create("jit-wx", 0);
    if (fd < 0 || ftruncate(fd, 16384)) {
        perror("memfd");
        exit(2);
    }
    uint8_t *rw = mmap(NULL, 16384, PROT_NONE, MAP_SHARED, fd, 0);
    const uint8_t *rx = mmap(NULL, 16384, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    if (rw == MAP_FAILED || rx == MAP_FAILED) {
        perror("mmap");
        exit(2);
    }
    static uint8_t scratch_mem[4 << 20];
    static struct bpf_arena scratch;
    bpf_arena_init(&scratch, scratch_mem, sizeof(scratch_mem));
    struct bpf_object *obj = load("count.bpf.o");
    struct bpf_prog *prog = bpf_object_prog(obj, "count");
    struct wx_writer w = {rw, 16384, 0, 0};
    struct bpf_jit_writer wr = {wx_open, wx_close, &w};
    bpfhook_declare(&h, v.hooking_pd, REGION_SIZE, &rx_decl);
    CHECK("jit_writer_set",
          bpfhook_use_jit_writer(&h, rw, rx, 16384, &wr, &scratch) == 0 && w.opens == 1 && w.closes == 1,
          "opens %d closes %d", w.opens, w.closes);
    int rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, prog, &bpf_pd_env, &alloc, msg, sizeof(msg));
    unsigned out;
    int64_t v1 = run_byte(&h, 'q', 0, &out);
    CHECK("jit_writer_native_run",
          rc == 0 && bpfhook_native(&h) && v1 == VERDICT_PASS && out == 'Q' && w.opens == 2 && w.closes == 2,
          "rc %d native %d opens %d closes %d", rc, bpfhook_native(&h), w.opens, w.closes);
    rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, prog, &bpf_pd_env, &alloc, msg, sizeof(msg));
    run_byte(&h, '4', 1, &out);
    CHECK("jit_writer_replacement_maps_and_unmaps_again",
          rc == 0 && bpfhook_native(&h) && w.opens == 3 && w.closes == 3 &&
              run_byte(&h, 'x', 1, &out) == VERDICT_PASS && out == 'X',
          "rc %d native %d opens %d closes %d", rc, bpfhook_native(&h), w.opens, w.closes);
    bpf_object_free(obj);
    munmap(rw, 16384);
    munmap((void *)rx, 16384);
    close(fd);
    views_close(&v);
}

/* Random declarations, offers and runs against a model of the hand-over:
 * a run takes exactly the offer made for the current declaration, a
 * second offer waits, a re-declaration voids what was not taken, refused
 * programs never run, and every verdict is the one the model's program
 * gives. */
static void test_storm(void)
{
    struct views v;
    views_open(&v);
    struct bpfhook h;
    char msg[256];
    struct bpf_object *cnt = load("count.bpf.o"), *drop = load("drop_all.bpf.o"), *bad = load("bad.bpf.o");
    enum { NONE = -1, COUNT = 0, DROP = 1, BAD = 2 };
    struct bpf_prog *progs[3] = {bpf_object_prog(cnt, "count"), bpf_object_prog(drop, "drop_all"),
                                 bpf_object_prog(bad, "write_pos")};
    struct bpfhook_decl blind = rx_decl; /* no fields: every program above reads the context */
    blind.nfields = 0;
    const struct bpfhook_decl *decls[2] = {&rx_decl, &blind};
    unsigned seed = 12345, steps = 20000, mismatches = 0, first_bad = 0;
    int decl = 0, pending = NONE, prepared = NONE, live = NONE;
    bpfhook_declare(&h, v.hooking_pd, REGION_SIZE, decls[0]);
    for (unsigned i = 0; i < steps; i++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = (seed >> 16) % 100;
        int ok = 1;
        if (r < 5) {
            decl = (int)((seed >> 8) & 1);
            ok = bpfhook_declare(&h, v.hooking_pd, REGION_SIZE, decls[decl]) == 0;
            pending = prepared = live = NONE;
        } else if (r < 30) {
            int p = (int)((seed >> 8) % 3);
            int rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, progs[p], &bpf_pd_env, &alloc, msg, sizeof(msg));
            int accept = decl == 0 && p != BAD;
            if (pending != NONE || prepared != NONE)
                ok = rc == -BPF_EBUSY;
            else if (!accept)
                ok = rc == -BPF_EINVAL;
            else if ((ok = rc == 0))
                pending = p;
        } else {
            unsigned byte = (seed >> 8) & 0x7f, out;
            int64_t verdict = run_byte(&h, byte, i, &out);
            /* the model of the two-step take-over: an offer found while a
             * program runs is prepared and switched to at the next run (the
             * test programs' maps always fit apart); with nothing running it
             * is switched to at once */
            if (prepared != NONE) {
                live = prepared;
                prepared = NONE;
            } else if (pending != NONE && live == NONE) {
                live = pending;
                pending = NONE;
            } else if (pending != NONE) {
                prepared = pending;
                pending = NONE;
            }
            int digit = byte >= '0' && byte <= '9', lower = byte >= 'a' && byte <= 'z';
            int64_t want = live == NONE   ? VERDICT_PASS
                           : live == DROP ? VERDICT_DROP
                           : digit        ? VERDICT_DROP
                                          : VERDICT_PASS;
            unsigned want_out = live == COUNT && lower ? byte - 'a' + 'A' : byte;
            ok = verdict == want && out == want_out && bpfhook_attached(&h) == (live != NONE);
        }
        if (!ok && !mismatches++) {
            first_bad = i;
            if (getenv("STORM_DEBUG"))
                printf("# step %u op %u decl %d pending %d live %d msg %s\n", i, r, decl, pending, live, msg);
        }
    }
    const struct bpfhook_shared *s = (const void *)v.reader;
    CHECK("storm_matches_model", mismatches == 0 && s->faults == 0, "%u mismatches, first at step %u, %llu faults",
          mismatches, first_bad, (unsigned long long)s->faults);
    bpf_object_free(cnt);
    bpf_object_free(drop);
    bpf_object_free(bad);
    views_close(&v);
}

/* Replacement keeps maps of the same name and definition (contents and
 * all), places new maps around them, and a detach offer stops the
 * program: the default verdict again, no maps left to view. */
static void test_carry_over_and_detach(void)
{
    struct views v;
    views_open(&v);
    struct bpfhook h;
    char msg[256];
    unsigned out;
    struct bpf_object *obj = load("count.bpf.o"), *obj2 = load("count_v2.bpf.o"), *obj3 = load("drop_all.bpf.o");
    struct bpf_prog *v1 = bpf_object_prog(obj, "count"), *v2 = bpf_object_prog(obj2, "count_v2");
    struct bpf_prog *other = bpf_object_prog(obj3, "drop_all");
    const struct bpfhook_shared *s = (const void *)v.reader;
    CHECK("carry_declare", bpfhook_declare(&h, v.hooking_pd, REGION_SIZE, &rx_decl) == 0, "declare failed");
    int rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, v1, &bpf_pd_env, &alloc, msg, sizeof(msg));
    run_byte(&h, '1', 0, &out);
    run_byte(&h, 'a', 1, &out);
    run_byte(&h, 'b', 2, &out);
    CHECK("carry_v1_counts",
          rc == 0 && array_u64(v.reader, "classes", 1) == 2 && array_u64(v.reader, ".data", 0) == 1003,
          "rc %d lower %llu", rc, (unsigned long long)array_u64(v.reader, "classes", 1));
    rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, v2, &bpf_pd_env, &alloc, msg, sizeof(msg));
    bpfhook_poll(&h);
    int64_t verdict = run_byte(&h, '2', 3, &out);
    run_byte(&h, 'c', 4, &out);
    CHECK("carry_new_program_runs",
          rc == 0 && verdict == VERDICT_PASS && !strcmp(s->live_prog, "pdhook/rx") && s->live_nmaps == 3 &&
              s->live_error == 0,
          "rc %d verdict %lld nmaps %u error %u: %s", rc, (long long)verdict, s->live_nmaps, s->live_error, msg);
    CHECK("carry_array_kept", array_u64(v.reader, "classes", 0) == 2 && array_u64(v.reader, "classes", 1) == 3,
          "digits %llu lower %llu", (unsigned long long)array_u64(v.reader, "classes", 0),
          (unsigned long long)array_u64(v.reader, "classes", 1));
    CHECK("carry_global_data_kept", array_u64(v.reader, ".data", 0) == 1005, "runs %llu",
          (unsigned long long)array_u64(v.reader, ".data", 0));
    struct bpfhook_map_view mv;
    uint64_t cursor = 0;
    const void *hk, *hv;
    int elems = 0, vrc = bpfhook_map_view(v.reader, REGION_SIZE, "seen", &mv);
    while (vrc == 0 && bpfhook_hash_next(&mv, &cursor, &hk, &hv) == 0 && elems < 10)
        elems++;
    CHECK("carry_new_map_fresh", vrc == 0 && elems == 2, "rc %d elems %d", vrc, elems);
    /* the kept maps did not move, the new one lies apart from them */
    uint64_t lo[3], hi[3];
    for (int i = 0; i < 3; i++) {
        lo[i] = s->live_maps[i].off;
        hi[i] = lo[i] + bpf_map_mem_size(&s->live_maps[i].def);
    }
    int overlap = 0;
    for (int i = 0; i < 3; i++)
        for (int j = i + 1; j < 3; j++)
            overlap |= lo[i] < hi[j] && lo[j] < hi[i];
    CHECK("carry_maps_disjoint", !overlap, "maps overlap");
    /* back to v1: classes and .data carried again, "seen" dropped */
    rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, v1, &bpf_pd_env, &alloc, msg, sizeof(msg));
    bpfhook_poll(&h);
    verdict = run_byte(&h, '3', 5, &out);
    CHECK("carry_back_to_v1",
          rc == 0 && verdict == VERDICT_DROP && array_u64(v.reader, "classes", 0) == 3 &&
              array_u64(v.reader, ".data", 0) == 1006 &&
              bpfhook_map_view(v.reader, REGION_SIZE, "seen", &mv) == -BPF_ENOENT,
          "rc %d verdict %lld digits %llu", rc, (long long)verdict,
          (unsigned long long)array_u64(v.reader, "classes", 0));
    /* a program without those maps starts from nothing; a later one does not resurrect old contents */
    rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, other, &bpf_pd_env, &alloc, msg, sizeof(msg));
    bpfhook_poll(&h);
    run_byte(&h, 'x', 6, &out);
    rc |= bpfhook_offer(v.bpf_pd, REGION_SIZE, v1, &bpf_pd_env, &alloc, msg, sizeof(msg));
    bpfhook_poll(&h);
    run_byte(&h, '4', 7, &out);
    CHECK("carry_only_from_live",
          rc == 0 && array_u64(v.reader, "classes", 0) == 1 && array_u64(v.reader, ".data", 0) == 1001,
          "rc %d digits %llu", rc, (unsigned long long)array_u64(v.reader, "classes", 0));
    /* detach */
    rc = bpfhook_offer_detach(v.bpf_pd, REGION_SIZE, msg, sizeof(msg));
    uint64_t runs_before = s->runs;
    verdict = run_byte(&h, '5', 8, &out);
    CHECK("detach_default_verdict",
          rc == 0 && verdict == VERDICT_PASS && out == '5' && !bpfhook_attached(&h) && s->runs == runs_before &&
              s->live_nmaps == 0 && s->live_prog[0] == 0,
          "rc %d verdict %lld attached %d: %s", rc, (long long)verdict, bpfhook_attached(&h), msg);
    CHECK("detach_no_maps", bpfhook_map_view(v.reader, REGION_SIZE, "classes", &mv) == -BPF_ENOENT, "still there");
    rc = bpfhook_offer_detach(v.bpf_pd, REGION_SIZE, msg, sizeof(msg));
    int rc2 = bpfhook_offer_detach(v.bpf_pd, REGION_SIZE, msg, sizeof(msg));
    CHECK("detach_busy_until_taken", rc == 0 && rc2 == -BPF_EBUSY, "rc %d %d", rc, rc2);
    bpfhook_poll(&h);
    rc = bpfhook_offer(v.bpf_pd, REGION_SIZE, v1, &bpf_pd_env, &alloc, msg, sizeof(msg));
    verdict = run_byte(&h, '6', 9, &out);
    CHECK("attach_after_detach_fresh", rc == 0 && verdict == VERDICT_DROP && array_u64(v.reader, "classes", 0) == 1,
          "rc %d verdict %lld", rc, (long long)verdict);
    bpf_object_free(obj);
    bpf_object_free(obj2);
    bpf_object_free(obj3);
    views_close(&v);
}

int main(int argc, char **argv)
{
    progdir = argc > 1 ? argv[1] : ".";
    bpf_env_init(&bpf_pd_env, NULL, NULL);
    bpfhook_register_helpers(&bpf_pd_env);
    test_declare_rejects();
    test_offer_and_run();
    test_carry_over_and_detach();
    test_refusals();
    test_notify_helper();
    test_jit();
    test_jit_writer();
    test_storm();
    printf("# bpfhook: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
