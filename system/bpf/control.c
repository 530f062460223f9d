/* The bpf PD's side of the control agent (hypos/bpfctl.h): on a protected
 * procedure call from the agent it loads the object the agent wrote into
 * the control region, verifies the program for the named hook and offers
 * it, or offers "no program" (detach). A hook is a PD hook (bpf_hookN) or
 * one of the kernel trace hooks this PD runs programs on (trace.c); a
 * trace hook takes its new program over before the call returns. Objects
 * are loaded into an arena of their own that is emptied before each
 * request: the offer copies what the hook needs into the hook's region.
 * What the agent installed in a PD hook is kept apart (installed.c) and
 * offered again when the hooking PD declares the hook anew after a
 * restart.
 *
 * Configuration: a map with setvar_vaddr="bpf_control",
 * setvar_size="bpf_control_size" (the region shared with the agent) and a
 * channel to the agent with pp="true" on the agent's end. */
#include <microkit.h>
#include <hypos/bpfctl.h>
#include <hypos/bpfhook.h>

#include "installed.h"
#include "trace.h"

int bpf_pd_hook_region(const char *name, void **region, uint64_t *size);
const struct bpf_env *bpf_pd_env(void);

__attribute__((section(".data"))) seL4_Word bpf_control = 0;
__attribute__((section(".data"))) seL4_Word bpf_control_size = 0;

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

static uint8_t control_mem[1 << 20] __attribute__((aligned(16)));
static struct bpf_arena control_arena;

static void copy_name(char *dst, const char *src, uint32_t len)
{
    uint32_t i = 0;
    for (; i + 1 < len && src[i]; i++)
        dst[i] = src[i];
    for (; i < len; i++)
        dst[i] = 0;
}

static int names_match(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* A message into the reply, truncated at its field's end. */
struct reply {
    char *buf;
    uint32_t len, cap;
};
static void put(struct reply *r, const char *s)
{
    while (*s && r->len + 1 < r->cap)
        r->buf[r->len++] = *s++;
    r->buf[r->len] = 0;
}
static void put_num(struct reply *r, uint64_t v)
{
    char d[21];
    int n = 0;
    do {
        d[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    char s[22];
    for (int i = 0; i < n; i++)
        s[i] = d[n - 1 - i];
    s[n] = 0;
    put(r, s);
}

static int def_same(const struct bpf_map_def *a, const struct bpf_map_def *b)
{
    return a->type == b->type && a->key_size == b->key_size && a->value_size == b->value_size &&
           a->max_entries == b->max_entries && a->flags == b->flags;
}

/* The hook named `hook`: a PD hook's region, or a trace hook's (then
 * *trace is its index, else -1). */
static int find_region(const char *hook, void **region, uint64_t *size, int *trace, struct reply *r)
{
    *trace = -1;
    if (bpf_pd_hook_region(hook, region, size) == 0)
        return 0;
    *trace = trace_hook_find(hook, region, size);
    if (*trace >= 0)
        return 0;
    put(r, "no hook named '");
    put(r, hook);
    put(r, "' is declared");
    return -BPF_ENOENT;
}

/* Load an object into the control arena (emptied first) and pick its
 * program: the one named want (program or section name), or else the one
 * whose section is pdhook/<hook> (trace/<hook> for a trace hook). */
static int load_pick(const uint8_t *bytes, uint64_t len, const char *hook, const char *want, int trace,
                     struct bpf_object **obj, struct bpf_prog **out, uint64_t *load_insns, struct reply *r)
{
    bpf_arena_init(&control_arena, control_mem, sizeof(control_mem));
    struct bpf_allocator alloc;
    bpf_arena_allocator(&control_arena, &alloc);
    /* static, like every buffer on this path: bpf_object_load takes
     * most of the PD's 8 KiB stack itself */
    static struct bpf_load_error err;
    uint64_t t0 = instret();
    int loaded = bpf_object_load(obj, bytes, len, bpf_pd_env(), &alloc, &err);
    *load_insns = instret() - t0;
    if (loaded) {
        put(r, "not an eBPF object the bpf PD can load: [");
        put(r, err.section);
        put(r, "]+");
        put_num(r, err.offset);
        put(r, ": ");
        put(r, err.reason);
        return -BPF_EINVAL;
    }
    const char *pre = trace ? HYPOS_TRACE_SECTION_PREFIX : BPFHOOK_SECTION_PREFIX;
    struct bpf_prog *prog = NULL;
    uint32_t count = bpf_object_prog_count(*obj);
    for (uint32_t p = 0; p < count && !prog; p++) {
        struct bpf_prog *q = bpf_object_prog_at(*obj, p);
        const char *sec = q->section ? q->section : "";
        if (want[0]) {
            if ((q->name && names_match(q->name, want)) || names_match(sec, want))
                prog = q;
        } else {
            int i = 0;
            while (pre[i] && sec[i] == pre[i])
                i++;
            if (!pre[i] && names_match(sec + i, hook))
                prog = q;
        }
    }
    if (!prog) {
        if (want[0]) {
            put(r, "the object has no program named '");
            put(r, want);
            put(r, "'");
        } else {
            put(r, "the object has no program in section ");
            put(r, pre);
            put(r, hook);
        }
        bpf_object_free(*obj);
        return -BPF_ENOENT;
    }
    *out = prog;
    return 0;
}

static int64_t do_offer(struct bpfctl *c, const char *hook, const char *want, uint64_t object_len, uint32_t prog_id,
                        struct reply *r)
{
    void *region;
    uint64_t size;
    int trace;
    if (find_region(hook, &region, &size, &trace, r))
        return -BPF_ENOENT;
    if (object_len == 0 || object_len > bpf_control_size - BPFCTL_HEADER) {
        put(r, "object of ");
        put_num(r, object_len);
        put(r, " bytes does not fit the control region");
        return -BPF_E2BIG;
    }
    const uint8_t *bytes = (const uint8_t *)c + BPFCTL_HEADER;
    struct bpf_object *obj;
    struct bpf_prog *prog;
    int rc = load_pick(bytes, object_len, hook, want, trace >= 0, &obj, &prog, &c->insns_load, r);
    if (rc)
        return rc;
    /* maps the offer will keep: the live program's of the same name and
     * definition (the layout in offer.c decides; counted here to report) */
    struct bpfhook_shared *s = region;
    uint32_t carried = 0, nlive = s->live_nmaps < BPFHOOK_MAX_MAPS ? s->live_nmaps : BPFHOOK_MAX_MAPS;
    for (uint32_t i = 0; i < prog->nmaps; i++)
        for (uint32_t j = 0; j < nlive; j++) {
            struct bpfhook_map_entry e = s->live_maps[j];
            e.name[BPF_MAP_NAME_LEN - 1] = 0;
            if (names_match(e.name, prog->maps[i]->name) && def_same(&e.def, &prog->maps[i]->def)) {
                carried++;
                break;
            }
        }
    static char msg[BPFHOOK_MESSAGE_LEN];
    struct bpf_allocator alloc;
    bpf_arena_allocator(&control_arena, &alloc);
    uint64_t t0 = instret();
    rc = bpfhook_offer(region, size, prog, bpf_pd_env(), &alloc, msg, sizeof(msg));
    c->insns_verify = instret() - t0;
    put(r, msg);
    if (rc == 0) {
        __atomic_store_n(&s->offer_tag, prog_id, __ATOMIC_RELEASE);
        c->offer_seq = __atomic_load_n(&s->offer_seq, __ATOMIC_ACQUIRE);
        c->ninsns = prog->len;
        c->nmaps = prog->nmaps;
        c->carried = carried;
        copy_name(c->program_name, prog->section ? prog->section : "", sizeof(c->program_name));
        microkit_dbg_puts(trace >= 0 ? "bpf: trace hook '" : "bpf: hook '");
        microkit_dbg_puts(hook);
        microkit_dbg_puts("': control agent's program offered\n");
        if (trace >= 0) {
            c->trace = 1;
            c->insns_switch = trace_take_over(trace);
        } else if (installed_keep(hook, want, bytes, object_len, prog_id)) {
            microkit_dbg_puts("bpf: hook '");
            microkit_dbg_puts(hook);
            microkit_dbg_puts("': the object is too large to keep; a restart of the hooking PD gets the image's "
                              "program\n");
        }
    }
    bpf_object_free(obj);
    return rc;
}

static int64_t do_detach(struct bpfctl *c, const char *hook, struct reply *r)
{
    void *region;
    uint64_t size;
    int trace;
    if (find_region(hook, &region, &size, &trace, r))
        return -BPF_ENOENT;
    static char msg[BPFHOOK_MESSAGE_LEN];
    int rc = bpfhook_offer_detach(region, size, msg, sizeof(msg));
    put(r, msg);
    if (rc == 0) {
        c->offer_seq = __atomic_load_n(&((const struct bpfhook_shared *)region)->offer_seq, __ATOMIC_ACQUIRE);
        if (trace >= 0) {
            c->trace = 1;
            c->insns_switch = trace_take_over(trace);
        } else {
            installed_detached(hook);
        }
    }
    return rc;
}

int bpf_control_reoffer(void *region, uint64_t size, const char *hook)
{
    const struct installed_prog *k = installed_find(hook);
    if (!k)
        return 0;
    microkit_dbg_puts("bpf: hook '");
    microkit_dbg_puts(hook);
    if (k->state == INSTALLED_DETACHED) {
        microkit_dbg_puts("': declared again; the control agent detached its program, so none is offered\n");
        return 1;
    }
    static char text[BPFHOOK_MESSAGE_LEN];
    struct reply r = {text, 0, sizeof(text)};
    text[0] = 0;
    struct bpf_object *obj;
    struct bpf_prog *prog;
    uint64_t insns;
    int rc = load_pick(k->object, k->len, hook, k->want, 0, &obj, &prog, &insns, &r);
    if (rc == 0) {
        struct bpf_allocator alloc;
        bpf_arena_allocator(&control_arena, &alloc);
        rc = bpfhook_offer(region, size, prog, bpf_pd_env(), &alloc, text, sizeof(text));
        if (rc == 0)
            __atomic_store_n(&((struct bpfhook_shared *)region)->offer_tag, k->tag, __ATOMIC_RELEASE);
        bpf_object_free(obj);
    }
    microkit_dbg_puts(rc ? "': declared again; the control agent's program is refused now, none is offered: "
                         : "': declared again; the control agent's program ");
    microkit_dbg_puts(text);
    microkit_dbg_puts("\n");
    return 1;
}

seL4_MessageInfo_t protected(microkit_channel ch, seL4_MessageInfo_t msginfo)
{
    (void)ch;
    struct bpfctl *c = (struct bpfctl *)bpf_control;
    if (!c || bpf_control_size < BPFCTL_HEADER) {
        microkit_dbg_puts("bpf: control call without a control region (bpf_control)\n");
        return microkit_msginfo_new(0, 0);
    }
    /* private copies of what the agent wrote */
    char hook[32], want[32];
    copy_name(hook, c->hook, sizeof(hook));
    copy_name(want, c->program, sizeof(want));
    uint64_t object_len = c->object_len;
    uint32_t prog_id = c->prog_id;
    c->rc = 0;
    c->trace = 0;
    c->insns_switch = 0;
    c->offer_seq = c->ninsns = c->nmaps = c->carried = 0;
    c->insns_load = c->insns_verify = 0;
    c->program_name[0] = 0;
    struct reply r = {c->message, 0, sizeof(c->message)};
    c->message[0] = 0;
    int64_t rc;
    switch (microkit_msginfo_get_label(msginfo)) {
    case BPFCTL_OP_OFFER:
        rc = do_offer(c, hook, want, object_len, prog_id, &r);
        break;
    case BPFCTL_OP_DETACH:
        rc = do_detach(c, hook, &r);
        break;
    default:
        put(&r, "unknown control operation");
        rc = -BPF_EINVAL;
    }
    c->rc = (int32_t)rc;
    return microkit_msginfo_new(0, 0);
}
