/* The control agent's core (agent.h): one request in, one response out.
 * Every request gets a status and, unless it is OK, a reason; nothing a
 * request holds is trusted (nanopb bounds every field; names are
 * checked against the hooks and PDs that exist). */
#include "agent.h"
#include "frame.h"
#include <bpf/bpf.h>
#include <control.pb.h>
#include <hypos/bpfhook.h>
#include <pb_decode.h>
#include <pb_encode.h>

size_t strnlen(const char *s, size_t max);

static inline uint64_t instret(void)
{
#if defined(HYPOS_USER_COUNTERS) && defined(__riscv)
    uint64_t v;
    __asm__ volatile("csrr %0, instret" : "=r"(v));
    return v;
#else
    return 0;
#endif
}

/* Both structures are large (a request holds a 48 KiB object): one each,
 * not on the stack. The agent handles one request at a time. */
static hypos_control_Request req;
static hypos_control_Response resp;

/* ---- small string helpers (no libc in a PD) ---- */

static void str_copy(char *dst, size_t cap, const char *src)
{
    size_t i = 0;
    for (; i + 1 < cap && src[i]; i++)
        dst[i] = src[i];
    dst[i] = 0;
}

static int str_eq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* Zero n bytes at p, a word at a time where it can (the response is
 * 21 KiB: byte by byte that was 100,000 instructions per request). */
static void zero(void *p, size_t n)
{
    uint8_t *b = p;
    while (n && ((uintptr_t)b & 7)) {
        *b++ = 0;
        n--;
    }
    for (; n >= 8; n -= 8, b += 8)
        *(volatile uint64_t *)b = 0;
    while (n--)
        *b++ = 0;
}

/* The response's reason, built in pieces. */
static uint32_t reason_len;
static void say(const char *s)
{
    while (*s && reason_len + 1 < sizeof(resp.reason))
        resp.reason[reason_len++] = *s++;
    resp.reason[reason_len] = 0;
}
static void say_num(uint64_t v)
{
    char d[21], s[21];
    int n = 0;
    do {
        d[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (int i = 0; i < n; i++)
        s[i] = d[n - 1 - i];
    s[n] = 0;
    say(s);
}
static void fail(hypos_control_Status st) { resp.status = st; }

/* ---- hooks: what runs where, program ids ---- */

static const struct bpfhook_shared *hook_at(struct agent *a, int h)
{
    const struct bpfhook_shared *s = a->hook[h];
    if (!s || a->hook_size[h] < BPFHOOK_HEADER_SIZE || s->magic != BPFHOOK_MAGIC ||
        !__atomic_load_n(&s->decl_seq, __ATOMIC_ACQUIRE))
        return NULL;
    return s;
}

/* The hook's name, from a private copy (the hooking PD may write it). */
static void hook_name(const struct bpfhook_shared *s, char *name)
{
    for (int i = 0; i < BPFHOOK_NAME_LEN; i++)
        name[i] = s->decl.name[i];
    name[BPFHOOK_NAME_LEN - 1] = 0;
}

static int live(const struct bpfhook_shared *s) { return s->live_ninsns != 0 && s->live_error == 0; }

/* The id of a program the agent installed and the bpf PD offered again
 * (its hooking PD restarted): the tag the bpf PD left with the offer now
 * live, if the agent gave it out and no other hook's program has it; 0
 * otherwise. The region is the hooking PD's too, so a tag is only taken
 * as a name the agent already gave, never to find admission records by. */
static uint32_t reoffered_id(struct agent *a, int h, const struct bpfhook_shared *s, uint32_t seq)
{
    uint32_t tag = __atomic_load_n(&s->offer_tag, __ATOMIC_ACQUIRE);
    if (!tag || tag >= a->next_id || __atomic_load_n(&s->offer_seq, __ATOMIC_ACQUIRE) != seq ||
        s->status != BPFHOOK_OFFERED)
        return 0;
    for (int o = 0; o < AGENT_MAX_HOOKS; o++)
        if (o != h && a->id[o] == tag)
            return 0;
    return tag;
}

/* Bring hook h's program id up to date: a program taken over since the
 * agent last looked gets the id its offer reserved, or a new one (a
 * program the system was built with, or offered again after a restart). */
static void refresh(struct agent *a, int h)
{
    const struct bpfhook_shared *s = hook_at(a, h);
    if (!s) {
        a->id[h] = 0;
        return;
    }
    uint32_t seq = __atomic_load_n(&s->live_seq, __ATOMIC_ACQUIRE);
    if (seq == a->id_seq[h] && (a->id[h] != 0) == (live(s) != 0))
        return;
    a->id_seq[h] = seq;
    if (!live(s))
        a->id[h] = 0;
    else if (a->pending_id[h] && a->pending_seq[h] == seq)
        a->id[h] = a->pending_id[h];
    else if (!(a->id[h] = reoffered_id(a, h, s, seq)))
        a->id[h] = a->next_id++;
    if (a->pending_id[h] && (int32_t)(seq - a->pending_seq[h]) >= 0)
        a->pending_id[h] = 0;
}

static int find_hook(struct agent *a, const char *name)
{
    for (int h = 0; h < AGENT_MAX_HOOKS; h++) {
        const struct bpfhook_shared *s = hook_at(a, h);
        char n[BPFHOOK_NAME_LEN];
        if (s) {
            hook_name(s, n);
            if (str_eq(n, name))
                return h;
        }
    }
    return -1;
}

static int find_prog(struct agent *a, uint32_t id)
{
    for (int h = 0; h < AGENT_MAX_HOOKS; h++) {
        refresh(a, h);
        if (id && a->id[h] == id)
            return h;
    }
    return -1;
}

static void say_hooks(struct agent *a)
{
    int any = 0;
    for (int h = 0; h < AGENT_MAX_HOOKS; h++) {
        const struct bpfhook_shared *s = hook_at(a, h);
        if (!s)
            continue;
        char n[BPFHOOK_NAME_LEN];
        hook_name(s, n);
        say(any ? ", " : " (hooks: ");
        say(n);
        any = 1;
    }
    say(any ? ")" : " (no hooks are declared)");
}

static void fill_hook(struct agent *a, int h, hypos_control_Hook *o)
{
    const struct bpfhook_shared *s = hook_at(a, h);
    refresh(a, h);
    hook_name(s, o->name);
    o->prog_id = a->id[h];
    o->generation = __atomic_load_n(&s->live_seq, __ATOMIC_ACQUIRE);
    o->pending = __atomic_load_n(&s->offer_seq, __ATOMIC_ACQUIRE) != o->generation;
    o->max_insns = s->decl.max_insns;
    o->runs = s->runs;
    o->faults = s->faults;
    char msg[BPFHOOK_MESSAGE_LEN];
    for (int i = 0; i < BPFHOOK_MESSAGE_LEN; i++)
        msg[i] = s->message[i];
    msg[BPFHOOK_MESSAGE_LEN - 1] = 0;
    str_copy(o->last_message, sizeof(o->last_message), msg);
    if (!live(s))
        return;
    char prog[BPFHOOK_NAME_LEN];
    for (int i = 0; i < BPFHOOK_NAME_LEN; i++)
        prog[i] = s->live_prog[i];
    prog[BPFHOOK_NAME_LEN - 1] = 0;
    str_copy(o->program, sizeof(o->program), prog);
    o->insns = s->live_ninsns;
    o->maps = s->live_nmaps;
    o->native = s->live_jit != 0;
    uint32_t n = s->live_nmaps < BPFHOOK_MAX_MAPS ? s->live_nmaps : BPFHOOK_MAX_MAPS;
    for (uint32_t m = 0; m < n && m < 8; m++) {
        char mn[BPF_MAP_NAME_LEN];
        for (int i = 0; i < BPF_MAP_NAME_LEN; i++)
            mn[i] = s->live_maps[m].name[i];
        mn[BPF_MAP_NAME_LEN - 1] = 0;
        str_copy(o->map_names[o->map_names_count++], sizeof(o->map_names[0]), mn);
    }
}

/* ---- requests ---- */

static void do_status(struct agent *a)
{
    hypos_control_SystemStatus *o = &resp.result.system;
    resp.which_result = hypos_control_Response_system_tag;
    str_copy(o->agent, sizeof(o->agent), "hypOS control agent 1");
    for (int h = 0; h < AGENT_MAX_HOOKS; h++) {
        if (!hook_at(a, h))
            continue;
        o->hooks++;
        refresh(a, h);
        o->programs += a->id[h] != 0;
    }
    for (int c = 0; c < AGENT_MAX_CONFIGS; c++) {
        const struct pdconfig_region *r = a->config[c];
        o->config_pds += r && a->config_size[c] >= sizeof(*r) && r->magic == PDCONFIG_MAGIC;
    }
    o->requests = a->requests;
    o->errors = a->errors;
    o->changes = a->changes;
    o->rx_bytes = a->rx_bytes;
    o->tx_bytes = a->tx_bytes;
    o->agent_insns = a->serve_insns;
    o->driver_insns = a->driver_insns;
    o->connections = a->connections;
    o->cut_messages = a->cut_messages;
    o->cut_bytes = a->cut_bytes;
    o->connection_events = a->conn_events != 0;
}

static void do_list(struct agent *a)
{
    resp.which_result = hypos_control_Response_programs_tag;
    for (int h = 0; h < AGENT_MAX_HOOKS; h++)
        if (hook_at(a, h))
            fill_hook(a, h, &resp.result.programs.hooks[resp.result.programs.hooks_count++]);
}

/* Offer object (or detach, object NULL) on hook h through the bpf PD. */
static void change(struct agent *a, int h, const uint8_t *object, uint32_t object_len, const char *program)
{
    struct bpfctl *c = a->ctl;
    if (!c || !a->bpf_call || a->ctl_size < BPFCTL_HEADER) {
        fail(hypos_control_Status_UNSUPPORTED);
        say("this system gives the agent no channel to the bpf PD");
        return;
    }
    if (object && object_len > a->ctl_size - BPFCTL_HEADER) {
        fail(hypos_control_Status_TOO_LARGE);
        say("object of ");
        say_num(object_len);
        say(" bytes; the control region takes ");
        say_num(a->ctl_size - BPFCTL_HEADER);
        return;
    }
    const struct bpfhook_shared *s = hook_at(a, h);
    zero(c, sizeof(*c));
    hook_name(s, c->hook);
    str_copy(c->program, sizeof(c->program), program ? program : "");
    if (object) { /* words where both sides allow it */
        uint8_t *dst = (uint8_t *)c + BPFCTL_HEADER;
        uint32_t i = 0;
        if (!(((uintptr_t)object | (uintptr_t)dst) & 7))
            for (; i + 8 <= object_len; i += 8)
                *(uint64_t *)(dst + i) = *(const uint64_t *)(object + i);
        for (; i < object_len; i++)
            dst[i] = object[i];
    }
    c->object_len = object ? object_len : 0;
    c->prog_id = object ? a->next_id : 0; /* the id it gets if offered */
    a->bpf_call(object ? BPFCTL_OP_OFFER : BPFCTL_OP_DETACH);
    int32_t rc = c->rc;
    char msg[sizeof(c->message)];
    for (size_t i = 0; i < sizeof(msg); i++)
        msg[i] = c->message[i];
    msg[sizeof(msg) - 1] = 0;
    if (rc) {
        fail(rc == -BPF_EBUSY        ? hypos_control_Status_BUSY
             : rc == -BPF_ENOENT     ? hypos_control_Status_NOT_FOUND
             : rc == -BPF_E2BIG      ? hypos_control_Status_TOO_LARGE
             : rc == -BPF_EOPNOTSUPP ? hypos_control_Status_REFUSED
                                     : hypos_control_Status_REFUSED);
        say(msg[0] ? msg : "refused by the bpf PD");
        return;
    }
    a->changes++;
    hypos_control_ProgramChange *o = &resp.result.change;
    resp.which_result = hypos_control_Response_change_tag;
    hook_name(s, o->hook);
    o->generation = c->offer_seq;
    o->insns = c->ninsns;
    o->maps = c->nmaps;
    o->carried = c->carried;
    o->load_insns = c->insns_load;
    o->verify_insns = c->insns_verify;
    o->trace_hook = c->trace != 0;
    o->switch_insns = c->insns_switch;
    if (object) {
        o->prog_id = a->next_id++;
        a->pending_id[h] = o->prog_id;
        a->pending_seq[h] = c->offer_seq;
    } else {
        a->pending_id[h] = 0;
    }
    say(msg);
}

/* What a load or replace brings: the object, and the bundle it came in
 * (signed) if any. */
struct incoming {
    const uint8_t *object;
    uint32_t object_len;
    int signed_bundle;
    struct hb_bundle bundle;
    uint64_t admit_insns;
};

/* Admit a load's or replace's payload. With a keyring built in, only a
 * bundle that passes the admission check (signer in the keyring,
 * signature, no rollback) is taken, and its hook must be want_hook (when
 * given); without one, only plain objects. Returns 0, or -1 with the
 * response's status and reason set and nothing changed. */
static int admit(struct agent *a, const uint8_t *obj, uint32_t obj_len, const uint8_t *bundle, uint32_t bundle_len,
                 const char *want_hook, struct incoming *in)
{
    zero(in, sizeof(*in));
    if (!bundle_len && !obj_len) {
        fail(hypos_control_Status_BAD_REQUEST);
        say("no object in the request");
        return -1;
    }
    if (!a->sec) {
        if (bundle_len) {
            fail(hypos_control_Status_UNSUPPORTED);
            say("this system has no keyring built in: signed bundles cannot be checked; send the object itself");
            return -1;
        }
        in->object = obj;
        in->object_len = obj_len;
        return 0;
    }
    struct hb_result res;
    const uint8_t *p = bundle_len ? bundle : obj; /* a plain object is refused as unsigned */
    uint32_t len = bundle_len ? bundle_len : obj_len;
    uint64_t t0 = instret();
    enum hb_status st = hb_control_admit(a->sec, p, len, &in->bundle, &res);
    in->admit_insns = instret() - t0;
    if (st != HB_OK) {
        fail(hypos_control_Status_REFUSED);
        say(hb_status_name(res.status));
        say(": ");
        say(res.reason);
        return -1;
    }
    if (want_hook && want_hook[0] && !str_eq(in->bundle.hook, want_hook)) {
        fail(hypos_control_Status_REFUSED);
        say("the bundle is signed for hook '");
        say(in->bundle.hook);
        say("', not '");
        say(want_hook);
        say("'");
        return -1;
    }
    in->object = in->bundle.elf;
    in->object_len = in->bundle.elf_size;
    in->signed_bundle = 1;
    return 0;
}

/* A signed program was offered as new_id in place of old_id (0: a load):
 * raise its version floor and log it. */
static void record_install(struct agent *a, const struct incoming *in, uint32_t new_id, uint32_t old_id)
{
    if (!a->sec || !in->signed_bundle || resp.status != hypos_control_Status_OK)
        return;
    resp.result.change.signature_insns = in->admit_insns;
    struct hb_result res;
    if (old_id && hb_control_find(a->sec, old_id) == NULL)
        old_id = 0; /* the program it replaces was built into the image, not installed */
    if (hb_control_installed(a->sec, new_id, old_id, &in->bundle, &res) != HB_OK) {
        say(" (not recorded: ");
        say(res.reason);
        say(")");
    }
}

static void do_load(struct agent *a, const hypos_control_LoadRequest *r)
{
    struct incoming in;
    if (admit(a, r->object.bytes, r->object.size, r->bundle.bytes, r->bundle.size, r->hook, &in))
        return;
    const char *hook = r->hook[0] ? r->hook : in.bundle.hook;
    int h = find_hook(a, hook);
    if (h < 0) {
        fail(hypos_control_Status_NOT_FOUND);
        say("unknown hook '");
        say(hook);
        say("'");
        say_hooks(a);
        return;
    }
    refresh(a, h);
    if (a->id[h]) {
        fail(hypos_control_Status_REFUSED);
        say("hook '");
        say(hook);
        say("' already runs program ");
        say_num(a->id[h]);
        say("; replace it with: hyposctl replace ");
        say_num(a->id[h]);
        say(" FILE");
        return;
    }
    if (a->sec && in.signed_bundle && !hb_control_can_install(a->sec)) {
        fail(hypos_control_Status_REFUSED);
        say("the agent's table of installed programs is full");
        return;
    }
    change(a, h, in.object, in.object_len, r->program);
    record_install(a, &in, resp.result.change.prog_id, 0);
}

static int prog_or_fail(struct agent *a, uint32_t id)
{
    int h = find_prog(a, id);
    if (h < 0) {
        fail(hypos_control_Status_NOT_FOUND);
        say("no running program has id ");
        say_num(id);
        say(" (hyposctl list shows the ids)");
    }
    return h;
}

static void do_replace(struct agent *a, const hypos_control_ReplaceRequest *r)
{
    int h = prog_or_fail(a, r->prog_id);
    if (h < 0)
        return;
    char hook[BPFHOOK_NAME_LEN];
    hook_name(hook_at(a, h), hook);
    struct incoming in;
    if (admit(a, r->object.bytes, r->object.size, r->bundle.bytes, r->bundle.size, hook, &in))
        return;
    change(a, h, in.object, in.object_len, r->program);
    record_install(a, &in, resp.result.change.prog_id, r->prog_id);
}

static void do_detach(struct agent *a, const hypos_control_DetachRequest *r)
{
    int h = prog_or_fail(a, r->prog_id);
    if (h < 0)
        return;
    change(a, h, NULL, 0, NULL);
    if (a->sec && resp.status == hypos_control_Status_OK && hb_control_find(a->sec, r->prog_id))
        hb_control_detached(a->sec, r->prog_id);
}

/* ---- attestation ---- */

static struct hb_mlog_entry attest_window[32];

static void copy_out(uint8_t *dst, const uint8_t *src, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        dst[i] = src[i];
}

static void fill_measurement(hypos_control_Measurement *m, const struct hb_mlog_entry *e)
{
    m->seq = e->seq;
    m->kind = (hypos_control_MeasurementKind)e->kind;
    m->prog_id = e->prog_id;
    m->version = e->version;
    for (uint32_t k = 0; k < HB_NAME_FIELD && k + 1 < sizeof(m->name); k++)
        m->name[k] = e->name[k];
    for (uint32_t k = 0; k < HB_NAME_FIELD && k + 1 < sizeof(m->hook); k++)
        m->hook[k] = e->hook[k];
    copy_out(m->digest.bytes, e->digest, 32);
    m->digest.size = 32;
}

static void do_attest(struct agent *a, const hypos_control_AttestRequest *r)
{
    if (!a->sec) {
        fail(hypos_control_Status_UNSUPPORTED);
        say("this system has no keyring and no device key built in: nothing to attest with");
        return;
    }
    if (r->nonce.size != HB_ATTEST_NONCE_BYTES) {
        fail(hypos_control_Status_BAD_REQUEST);
        say("the nonce must be 32 bytes");
        return;
    }
    uint32_t max = r->max_entries && r->max_entries < 32 ? r->max_entries : 32;
    struct hb_attestation att;
    struct hb_result res;
    if (hb_control_attest(a->sec, r->nonce.bytes, r->first_seq, max, attest_window, &att, &res) != HB_OK) {
        fail(hypos_control_Status_UNSUPPORTED);
        say(hb_status_name(res.status));
        say(": ");
        say(res.reason);
        return;
    }
    hypos_control_AttestResponse *o = &resp.result.attestation;
    resp.which_result = hypos_control_Response_attestation_tag;
    copy_out(o->device_key.bytes, att.device_key, 32);
    o->device_key.size = 32;
    copy_out(o->nonce.bytes, att.nonce, 32);
    o->nonce.size = 32;
    o->count = att.count;
    copy_out(o->log_digest.bytes, att.digest, 32);
    o->log_digest.size = 32;
    o->first_seq = att.first_seq;
    copy_out(o->anchor.bytes, att.anchor, 32);
    o->anchor.size = 32;
    for (uint32_t i = 0; i < att.n_entries && i < 32; i++)
        fill_measurement(&o->entries[o->entries_count++], &att.entries[i]);
    /* the boot measurements, all of them (the signature covers their digest) */
    const uint32_t boot_max = sizeof(o->boot_entries) / sizeof(o->boot_entries[0]);
    for (uint32_t i = 0; i < att.n_boot && i < boot_max; i++)
        fill_measurement(&o->boot_entries[o->boot_entries_count++], &att.boot[i]);
    copy_out(o->boot_digest.bytes, att.boot_digest, 32);
    o->boot_digest.size = att.n_boot ? 32 : 0;
    copy_out(o->signature.bytes, att.signature, 64);
    o->signature.size = 64;
}

/* ---- maps ---- */

static void put_entry(hypos_control_MapContents *o, const void *key, uint32_t key_size, const void *value,
                      uint32_t value_size)
{
    if (o->entries_count >= sizeof(o->entries) / sizeof(o->entries[0])) {
        o->truncated = true;
        return;
    }
    hypos_control_MapEntry *e = &o->entries[o->entries_count++];
    uint32_t k = key_size < sizeof(e->key.bytes) ? key_size : sizeof(e->key.bytes);
    uint32_t v = value_size < sizeof(e->value.bytes) ? value_size : sizeof(e->value.bytes);
    if (k < key_size || v < value_size)
        o->truncated = true;
    const uint8_t *ks = key, *vs = value;
    for (uint32_t i = 0; i < k; i++)
        e->key.bytes[i] = ks[i];
    for (uint32_t i = 0; i < v; i++)
        e->value.bytes[i] = vs[i];
    e->key.size = (pb_size_t)k;
    e->value.size = (pb_size_t)v;
}

/* The contents of map "NAME" or "HOOK/NAME" into the response (or its
 * status and reason). */
static void fill_map(struct agent *a, const char *full_name)
{
    char want_hook[BPFHOOK_NAME_LEN] = "", name[BPF_MAP_NAME_LEN];
    const char *slash = full_name;
    while (*slash && *slash != '/')
        slash++;
    if (*slash) {
        size_t n = (size_t)(slash - full_name);
        if (n >= sizeof(want_hook) || !slash[1]) {
            fail(hypos_control_Status_BAD_REQUEST);
            say("a map is named NAME or HOOK/NAME");
            return;
        }
        for (size_t i = 0; i < n; i++)
            want_hook[i] = full_name[i];
        want_hook[n] = 0;
        str_copy(name, sizeof(name), slash + 1);
    } else {
        str_copy(name, sizeof(name), full_name);
    }
    if (!name[0]) {
        fail(hypos_control_Status_BAD_REQUEST);
        say("no map name");
        return;
    }
    for (int h = 0; h < AGENT_MAX_HOOKS; h++) {
        const struct bpfhook_shared *s = hook_at(a, h);
        if (!s)
            continue;
        char hn[BPFHOOK_NAME_LEN];
        hook_name(s, hn);
        if (want_hook[0] && !str_eq(hn, want_hook))
            continue;
        struct bpfhook_map_view v;
        int rc = bpfhook_map_view(a->hook[h], a->hook_size[h], name, &v);
        if (rc == -BPF_ENOENT)
            continue;
        if (rc == -BPF_EOPNOTSUPP) {
            fail(hypos_control_Status_UNSUPPORTED);
            say("map '");
            say(name);
            say("' is a ring buffer: reading it would consume it");
            return;
        }
        if (rc) {
            fail(hypos_control_Status_INTERNAL);
            say("the hook region's map table points outside it");
            return;
        }
        hypos_control_MapContents *o = &resp.result.map;
        resp.which_result = hypos_control_Response_map_tag;
        str_copy(o->hook, sizeof(o->hook), hn);
        str_copy(o->name, sizeof(o->name), name);
        o->type = v.def.type;
        o->key_size = v.def.key_size;
        o->value_size = v.def.value_size;
        o->max_entries = v.def.max_entries;
        o->generation = v.seq;
        if (v.def.type == BPF_MAP_TYPE_ARRAY) {
            for (uint32_t i = 0; i < v.def.max_entries && !o->truncated; i++)
                put_entry(o, &i, sizeof(i), bpfhook_array_elem(&v, i), v.def.value_size);
        } else {
            uint64_t cursor = 0;
            const void *k, *val;
            while (!o->truncated && bpfhook_hash_next(&v, &cursor, &k, &val) == 0)
                put_entry(o, k, v.def.key_size, val, v.def.value_size);
        }
        return;
    }
    fail(hypos_control_Status_NOT_FOUND);
    say("no running program has a map named '");
    say(full_name);
    say("'");
}

static void do_map_dump(struct agent *a, const hypos_control_MapDumpRequest *r) { fill_map(a, r->name); }

/* ---- map watches ---- */

/* FNV-1a: what a watch last sent, to tell whether the map changed. */
static uint64_t digest_bytes(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

static uint64_t map_digest(void)
{
    uint64_t h = digest_bytes(0xcbf29ce484222325ull, &resp.status, sizeof(resp.status));
    if (resp.which_result != hypos_control_Response_map_tag)
        return h;
    const hypos_control_MapContents *m = &resp.result.map;
    h = digest_bytes(h, &m->generation, sizeof(m->generation));
    h = digest_bytes(h, &m->truncated, sizeof(m->truncated));
    h = digest_bytes(h, &m->entries_count, sizeof(m->entries_count));
    for (pb_size_t i = 0; i < m->entries_count; i++) {
        const hypos_control_MapEntry *e = &m->entries[i];
        h = digest_bytes(h, &e->key.size, sizeof(e->key.size));
        h = digest_bytes(h, e->key.bytes, e->key.size);
        h = digest_bytes(h, &e->value.size, sizeof(e->value.size));
        h = digest_bytes(h, e->value.bytes, e->value.size);
    }
    return h;
}

#define WATCH_DEFAULT_MS 100
#define WATCH_MIN_MS 10
#define WATCH_MAX_MS 3600000

static void do_map_watch(struct agent *a, const hypos_control_MapWatchRequest *r, uint32_t id)
{
    if (!a->now_ns) {
        fail(hypos_control_Status_UNSUPPORTED);
        say("this system gives the agent no clock to look at maps with (map dump works)");
        return;
    }
    if (!a->conn_events) {
        fail(hypos_control_Status_UNSUPPORTED);
        say("the transport does not report connections (a console port), so a watch would outlive its client; "
            "use a virtserialport (map dump works)");
        return;
    }
    if (!id) {
        fail(hypos_control_Status_BAD_REQUEST);
        say("a watch needs a request id other than 0 (its updates carry it)");
        return;
    }
    struct agent_watch *w = NULL;
    for (int i = 0; i < AGENT_MAX_WATCHES; i++) {
        if (a->watch[i].id == id) {
            fail(hypos_control_Status_BAD_REQUEST);
            say("a watch with this request id exists");
            return;
        }
        if (!a->watch[i].id && !w)
            w = &a->watch[i];
    }
    if (!w) {
        fail(hypos_control_Status_BUSY);
        say("at most ");
        say_num(AGENT_MAX_WATCHES);
        say(" watches at a time; end one with map unwatch");
        return;
    }
    fill_map(a, r->name);
    if (resp.status != hypos_control_Status_OK)
        return;
    uint32_t ms = r->interval_ms ? r->interval_ms : WATCH_DEFAULT_MS;
    ms = ms < WATCH_MIN_MS ? WATCH_MIN_MS : ms > WATCH_MAX_MS ? WATCH_MAX_MS : ms;
    uint64_t now = a->now_ns();
    w->id = id;
    str_copy(w->name, sizeof(w->name), r->name);
    w->interval_ns = (uint64_t)ms * 1000000;
    w->next_ns = now + w->interval_ns;
    w->digest = map_digest();
    w->updates = 0;
    a->nwatches++;
    resp.result.map.time_ns = now;
    say("watching every ");
    say_num(ms);
    say(" ms");
}

static void do_map_unwatch(struct agent *a, const hypos_control_MapUnwatchRequest *r)
{
    unsigned ended = 0;
    for (int i = 0; i < AGENT_MAX_WATCHES; i++)
        if (a->watch[i].id && (!r->watch_id || a->watch[i].id == r->watch_id)) {
            zero(&a->watch[i], sizeof(a->watch[i]));
            a->nwatches--;
            ended++;
        }
    if (!ended) {
        fail(hypos_control_Status_NOT_FOUND);
        say(r->watch_id ? "no watch has that id" : "no watch to end");
        return;
    }
    say("ended ");
    say_num(ended);
    say(ended == 1 ? " watch" : " watches");
}

/* ---- configuration ---- */

static int find_config(struct agent *a, const char *pd, struct pdconfig_region **out)
{
    for (int c = 0; c < AGENT_MAX_CONFIGS; c++) {
        struct pdconfig_region *r = a->config[c];
        if (!r || a->config_size[c] < sizeof(*r) || __atomic_load_n(&r->magic, __ATOMIC_ACQUIRE) != PDCONFIG_MAGIC)
            continue;
        char name[PDCONFIG_PD_LEN];
        for (int i = 0; i < PDCONFIG_PD_LEN; i++)
            name[i] = r->pd[i];
        name[PDCONFIG_PD_LEN - 1] = 0;
        if (str_eq(name, pd)) {
            *out = r;
            return c;
        }
    }
    fail(hypos_control_Status_NOT_FOUND);
    say("PD '");
    say(pd);
    say("' declares no configurable values");
    int any = 0;
    for (int c = 0; c < AGENT_MAX_CONFIGS; c++) {
        struct pdconfig_region *r = a->config[c];
        if (!r || a->config_size[c] < sizeof(*r) || r->magic != PDCONFIG_MAGIC)
            continue;
        char name[PDCONFIG_PD_LEN];
        for (int i = 0; i < PDCONFIG_PD_LEN; i++)
            name[i] = r->pd[i];
        name[PDCONFIG_PD_LEN - 1] = 0;
        say(any ? ", " : " (PDs that do: ");
        say(name);
        any = 1;
    }
    say(any ? ")" : " (none does)");
    return -1;
}

static void fill_config(const struct pdconfig_region *r, hypos_control_ConfigValues *o)
{
    for (int i = 0; i < PDCONFIG_PD_LEN - 1; i++)
        o->pd[i] = r->pd[i];
    o->pd[sizeof(o->pd) - 1] = 0;
    uint32_t n = r->nkeys < PDCONFIG_MAX_KEYS ? r->nkeys : PDCONFIG_MAX_KEYS;
    for (uint32_t k = 0; k < n; k++) {
        struct pdconfig_key key = r->keys[k];
        key.name[PDCONFIG_NAME_LEN - 1] = 0;
        hypos_control_ConfigValue *v = &o->values[o->values_count++];
        str_copy(v->key, sizeof(v->key), key.name);
        v->value = __atomic_load_n(&r->keys[k].value, __ATOMIC_ACQUIRE);
        v->min = key.min;
        v->max = key.max;
        v->writable = key.writable != 0;
    }
}

static int parse_int(const char *s, int64_t *out)
{
    int neg = *s == '-';
    if (neg || *s == '+')
        s++;
    if (!*s)
        return -1;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        if (v > (UINT64_C(1) << 63) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > (UINT64_C(1) << 63))
            return -1;
    }
    if (!neg && v > (uint64_t)INT64_MAX)
        return -1;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

static void do_config_set(struct agent *a, const hypos_control_ConfigSetRequest *r)
{
    struct pdconfig_region *cr;
    int c = find_config(a, r->pd, &cr);
    if (c < 0)
        return;
    uint32_t n = cr->nkeys < PDCONFIG_MAX_KEYS ? cr->nkeys : PDCONFIG_MAX_KEYS;
    for (uint32_t k = 0; k < n; k++) {
        struct pdconfig_key key = cr->keys[k];
        key.name[PDCONFIG_NAME_LEN - 1] = 0;
        if (!str_eq(key.name, r->key))
            continue;
        if (!key.writable) {
            fail(hypos_control_Status_REFUSED);
            say("'");
            say(r->key);
            say("' of ");
            say(r->pd);
            say(" is read-only (published by the PD)");
            return;
        }
        int64_t v;
        if (parse_int(r->value, &v)) {
            fail(hypos_control_Status_BAD_REQUEST);
            say("'");
            say(r->value);
            say("' is not a decimal 64-bit integer");
            return;
        }
        if (v < key.min || v > key.max) {
            fail(hypos_control_Status_REFUSED);
            say("'");
            say(r->key);
            say("' of ");
            say(r->pd);
            say(" takes values from ");
            if (key.min < 0) {
                say("-");
                say_num((uint64_t)0 - (uint64_t)key.min);
            } else {
                say_num((uint64_t)key.min);
            }
            say(" to ");
            if (key.max < 0) {
                say("-");
                say_num((uint64_t)0 - (uint64_t)key.max);
            } else {
                say_num((uint64_t)key.max);
            }
            return;
        }
        __atomic_store_n(&cr->keys[k].value, v, __ATOMIC_RELEASE);
        __atomic_store_n(&cr->seq, cr->seq + 1, __ATOMIC_RELEASE);
        a->changes++;
        if (a->sec)
            hb_control_config(a->sec, r->pd, r->key, r->value, strnlen(r->value, sizeof(r->value)));
        if (a->config_notify)
            a->config_notify((unsigned)c);
        resp.which_result = hypos_control_Response_config_tag;
        fill_config(cr, &resp.result.config);
        return;
    }
    fail(hypos_control_Status_NOT_FOUND);
    say(r->pd);
    say(" has no key '");
    say(r->key);
    say("'");
}

static void do_config_get(struct agent *a, const hypos_control_ConfigGetRequest *r)
{
    struct pdconfig_region *cr;
    if (find_config(a, r->pd, &cr) < 0)
        return;
    resp.which_result = hypos_control_Response_config_tag;
    fill_config(cr, &resp.result.config);
}

/* ---- messages ---- */

void agent_init(struct agent *a)
{
    a->next_id = 1;
    for (int h = 0; h < AGENT_MAX_HOOKS; h++)
        a->id_seq[h] = UINT32_MAX;
}

static uint32_t encode(struct agent *a, uint8_t *out)
{
    if (resp.status != hypos_control_Status_OK)
        a->errors++;
    uint8_t *body = out + 5; /* room for the longest prefix */
    pb_ostream_t os = pb_ostream_from_buffer(body, AGENT_MAX_RESPONSE - 5);
    if (!pb_encode(&os, hypos_control_Response_fields, &resp)) {
        /* cannot happen with the bounds in control.options; answer anyway */
        uint32_t id = resp.id;
        zero(&resp, sizeof(resp));
        resp.id = id;
        resp.status = hypos_control_Status_INTERNAL;
        str_copy(resp.reason, sizeof(resp.reason), "response did not fit its buffer");
        os = pb_ostream_from_buffer(body, AGENT_MAX_RESPONSE - 5);
        pb_encode(&os, hypos_control_Response_fields, &resp);
    }
    uint8_t prefix[5];
    uint32_t np = frame_prefix((uint32_t)os.bytes_written, prefix);
    /* move the body up against the prefix */
    for (uint32_t i = 0; i < np; i++)
        out[i] = prefix[i];
    for (uint32_t i = 0; i < os.bytes_written; i++)
        out[np + i] = body[i];
    a->tx_bytes += np + os.bytes_written;
    return np + (uint32_t)os.bytes_written;
}

static void begin(uint32_t id)
{
    zero(&resp, sizeof(resp));
    reason_len = 0;
    resp.id = id;
    resp.status = hypos_control_Status_OK;
}

uint32_t agent_refuse_frame(struct agent *a, int too_large, uint32_t len, uint8_t *out)
{
    a->requests++;
    begin(0);
    if (too_large) {
        fail(hypos_control_Status_TOO_LARGE);
        say("message of ");
        say_num(len);
        say(" bytes; the agent takes at most ");
        say_num(AGENT_MAX_REQUEST);
        say(" (skipped)");
    } else {
        fail(hypos_control_Status_BAD_REQUEST);
        say("malformed length prefix (more than 5 bytes or 2^32 and above)");
    }
    return encode(a, out);
}

uint32_t agent_handle(struct agent *a, const uint8_t *msg, uint32_t len, uint8_t *out)
{
    uint64_t t0 = instret();
    a->requests++;
    /* pb_decode sets every field to its default first: no zeroing here */
    pb_istream_t is = pb_istream_from_buffer(msg, len);
    if (!pb_decode(&is, hypos_control_Request_fields, &req)) {
        begin(req.id);
        fail(hypos_control_Status_BAD_REQUEST);
        say("malformed request: ");
        say(PB_GET_ERROR(&is));
        return encode(a, out);
    }
    begin(req.id);
    switch (req.which_op) {
    case hypos_control_Request_status_tag:
        do_status(a);
        break;
    case hypos_control_Request_list_tag:
        do_list(a);
        break;
    case hypos_control_Request_load_tag:
        do_load(a, &req.op.load);
        break;
    case hypos_control_Request_replace_tag:
        do_replace(a, &req.op.replace);
        break;
    case hypos_control_Request_detach_tag:
        do_detach(a, &req.op.detach);
        break;
    case hypos_control_Request_map_dump_tag:
        do_map_dump(a, &req.op.map_dump);
        break;
    case hypos_control_Request_config_set_tag:
        do_config_set(a, &req.op.config_set);
        break;
    case hypos_control_Request_config_get_tag:
        do_config_get(a, &req.op.config_get);
        break;
    case hypos_control_Request_attest_tag:
        do_attest(a, &req.op.attest);
        break;
    case hypos_control_Request_map_watch_tag:
        do_map_watch(a, &req.op.map_watch, req.id);
        break;
    case hypos_control_Request_map_unwatch_tag:
        do_map_unwatch(a, &req.op.map_unwatch);
        break;
    default:
        fail(hypos_control_Status_BAD_REQUEST);
        say("the request names no operation");
    }
    if (resp.which_result == hypos_control_Response_change_tag)
        resp.result.change.agent_insns = instret() - t0; /* all but the encoding */
    return encode(a, out);
}

/* ---- connections and pushed updates ---- */

uint32_t agent_connection(struct agent *a, int connected, uint32_t cut_bytes, uint8_t *out)
{
    zero(a->watch, sizeof(a->watch)); /* a watch lives as long as its connection */
    a->nwatches = 0;
    if (cut_bytes) {
        a->cut_messages++;
        a->cut_bytes += cut_bytes;
    }
    if (!connected)
        return 0;
    a->connections++;
    /* not begin(): zeroing the whole response costs more than the rest
     * of a connection; a Response encodes only id, status, reason and the
     * one result set */
    resp.id = 0;
    resp.status = hypos_control_Status_OK;
    resp.reason[0] = 0;
    reason_len = 0;
    resp.which_result = hypos_control_Response_hello_tag;
    zero(&resp.result.hello, sizeof(resp.result.hello));
    str_copy(resp.result.hello.agent, sizeof(resp.result.hello.agent), "hypOS control agent 1");
    resp.result.hello.connection = a->connections;
    uint32_t n = encode(a, out);
    for (uint32_t i = n; i-- > 0;)
        out[i + AGENT_SYNC_LEN] = out[i];
    for (uint32_t i = 0; i < AGENT_SYNC_LEN; i++)
        out[i] = (uint8_t)AGENT_SYNC[i];
    a->tx_bytes += AGENT_SYNC_LEN;
    return n + AGENT_SYNC_LEN;
}

uint64_t agent_watch_deadline(const struct agent *a)
{
    uint64_t first = 0;
    for (int i = 0; i < AGENT_MAX_WATCHES; i++)
        if (a->watch[i].id && (!first || a->watch[i].next_ns < first))
            first = a->watch[i].next_ns;
    return first;
}

uint32_t agent_watch_poll(struct agent *a, uint64_t now, uint8_t *out)
{
    for (int i = 0; i < AGENT_MAX_WATCHES; i++) {
        struct agent_watch *w = &a->watch[i];
        if (!w->id || w->next_ns > now)
            continue;
        w->next_ns = now + w->interval_ns;
        begin(w->id);
        fill_map(a, w->name);
        uint64_t d = map_digest();
        if (d == w->digest)
            continue;
        w->digest = d;
        w->updates++;
        if (resp.which_result == hypos_control_Response_map_tag) {
            resp.result.map.update = w->updates;
            resp.result.map.time_ns = now;
        }
        uint64_t errors = a->errors; /* a map gone is news, not a refused request */
        uint32_t n = encode(a, out);
        a->errors = errors;
        return n;
    }
    return 0;
}
