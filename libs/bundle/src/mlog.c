/* The hash-chained measurement log (format in include/hypos/mlog.h). */
#include <hypos/mlog.h>

#include "util.h"

void hb_mlog_init(struct hb_mlog *log, struct hb_mlog_entry *ring, uint8_t (*chains)[HB_SHA256_BYTES],
                  uint32_t capacity)
{
    log->ring = ring;
    log->chains = chains;
    log->capacity = capacity;
    log->count = 0;
    hbi_fill(log->anchor, 0, HB_SHA256_BYTES);
    hbi_fill(log->head, 0, HB_SHA256_BYTES);
    log->boot = 0;
    log->n_boot = 0;
    hbi_fill(log->boot_digest, 0, HB_SHA256_BYTES);
}

int hb_mlog_is_boot_kind(uint32_t kind)
{
    return kind == HB_MLOG_BOOT_KERNEL || kind == HB_MLOG_BOOT_SYSTEM || kind == HB_MLOG_BOOT_PD;
}

int hb_mlog_set_boot(struct hb_mlog *log, const struct hb_mlog_entry *boot, uint32_t n)
{
    if (log->count)
        return -1;
    uint8_t chain[HB_SHA256_BYTES];
    hbi_fill(chain, 0, HB_SHA256_BYTES);
    for (uint32_t i = 0; i < n; i++) {
        if (boot[i].seq != i || !hb_mlog_is_boot_kind(boot[i].kind))
            return -1;
        hb_mlog_chain_step(chain, &boot[i]);
    }
    log->boot = boot;
    log->n_boot = n;
    log->count = n;
    hbi_copy(log->boot_digest, chain, HB_SHA256_BYTES);
    hbi_copy(log->head, chain, HB_SHA256_BYTES);
    hbi_copy(log->anchor, chain, HB_SHA256_BYTES);
    return 0;
}

void hb_mlog_encode(const struct hb_mlog_entry *e, uint8_t out[HB_MLOG_ENTRY_ENCODED])
{
    hbi_put64(out, e->seq);
    hbi_put32(out + 8, e->kind);
    hbi_put32(out + 12, e->prog_id);
    hbi_put64(out + 16, e->version);
    hbi_copy(out + 24, e->name, HB_NAME_FIELD);
    hbi_copy(out + 56, e->hook, HB_NAME_FIELD);
    hbi_copy(out + 88, e->digest, HB_SHA256_BYTES);
    hbi_fill(out + 120, 0, 8);
}

/* A name field as hb_mlog_append writes it: up to 31 bytes, then NULs. */
static int name_field_ok(const uint8_t *f)
{
    size_t n = hbi_strnlen((const char *)f, HB_NAME_FIELD);
    return n < HB_NAME_FIELD && hbi_all_zero(f + n, HB_NAME_FIELD - n);
}

enum hb_status hb_mlog_decode(struct hb_mlog_entry *e, const uint8_t in[HB_MLOG_ENTRY_ENCODED], struct hb_result *res)
{
    if (!hbi_all_zero(in + 120, 8))
        return hbi_fail(res, HB_MALFORMED, "entry %U: reserved bytes 120-127 are not zero", hbi_get64(in));
    if (!name_field_ok(in + 24) || !name_field_ok(in + 56))
        return hbi_fail(res, HB_MALFORMED, "entry %U: a name field is not 0-31 bytes followed by NUL padding",
                        hbi_get64(in));
    e->seq = hbi_get64(in);
    e->kind = hbi_get32(in + 8);
    e->prog_id = hbi_get32(in + 12);
    e->version = hbi_get64(in + 16);
    hbi_copy(e->name, in + 24, HB_NAME_FIELD);
    hbi_copy(e->hook, in + 56, HB_NAME_FIELD);
    hbi_copy(e->digest, in + 88, HB_SHA256_BYTES);
    return hbi_ok(res);
}

void hb_mlog_chain_step(uint8_t chain[HB_SHA256_BYTES], const struct hb_mlog_entry *e)
{
    uint8_t enc[HB_MLOG_ENTRY_ENCODED];
    struct hb_sha256 s;
    hb_mlog_encode(e, enc);
    hb_sha256_init(&s);
    hb_sha256_update(&s, chain, HB_SHA256_BYTES);
    hb_sha256_update(&s, enc, sizeof enc);
    hb_sha256_final(&s, chain);
}

static void set_field(char field[HB_NAME_FIELD], const char *s)
{
    hbi_fill(field, 0, HB_NAME_FIELD);
    if (s)
        hbi_copy(field, s, hbi_strnlen(s, HB_NAME_FIELD - 1));
}

static void set_field_len(char field[HB_NAME_FIELD], const char *s, size_t len)
{
    hbi_fill(field, 0, HB_NAME_FIELD);
    hbi_copy(field, s, len < HB_NAME_FIELD - 1 ? len : HB_NAME_FIELD - 1);
}

void hb_mlog_entry_fill(struct hb_mlog_entry *e, uint64_t seq, uint32_t kind, uint32_t prog_id, uint64_t version,
                        const char *name, size_t name_len, const char *hook, size_t hook_len,
                        const uint8_t digest[HB_SHA256_BYTES])
{
    e->seq = seq;
    e->kind = kind;
    e->prog_id = prog_id;
    e->version = version;
    set_field_len(e->name, name, name_len);
    set_field_len(e->hook, hook, hook_len);
    hbi_copy(e->digest, digest, HB_SHA256_BYTES);
}

uint64_t hb_mlog_oldest(const struct hb_mlog *log)
{
    uint64_t changes = log->count - log->n_boot;
    return changes > log->capacity ? log->count - log->capacity : log->n_boot;
}

/* ring slot of a change (entries after the boot prefix) */
static uint32_t slot_of(const struct hb_mlog *log, uint64_t seq)
{
    return (uint32_t)((seq - log->n_boot) % log->capacity);
}

uint64_t hb_mlog_append(struct hb_mlog *log, enum hb_mlog_kind kind, uint32_t prog_id, uint64_t version,
                        const char *name, const char *hook, const uint8_t digest[HB_SHA256_BYTES])
{
    uint32_t slot = slot_of(log, log->count);
    /* The entry about to be overwritten becomes part of the anchor. */
    if (log->count - log->n_boot >= log->capacity)
        hbi_copy(log->anchor, log->chains[slot], HB_SHA256_BYTES);
    struct hb_mlog_entry *e = &log->ring[slot];
    e->seq = log->count;
    e->kind = (uint32_t)kind;
    e->prog_id = prog_id;
    e->version = version;
    set_field(e->name, name);
    set_field(e->hook, hook);
    hbi_copy(e->digest, digest, HB_SHA256_BYTES);
    hb_mlog_chain_step(log->head, e);
    hbi_copy(log->chains[slot], log->head, HB_SHA256_BYTES);
    return log->count++;
}

const struct hb_mlog_entry *hb_mlog_get(const struct hb_mlog *log, uint64_t seq)
{
    if (seq < log->n_boot)
        return &log->boot[seq];
    if (seq >= log->count || seq < hb_mlog_oldest(log))
        return NULL;
    return &log->ring[slot_of(log, seq)];
}

int hb_mlog_chain_before(const struct hb_mlog *log, uint64_t seq, uint8_t out[HB_SHA256_BYTES])
{
    uint64_t oldest = hb_mlog_oldest(log);
    if (seq < oldest || seq > log->count)
        return -1;
    if (seq == oldest)
        hbi_copy(out, log->anchor, HB_SHA256_BYTES);
    else
        hbi_copy(out, log->chains[slot_of(log, seq - 1)], HB_SHA256_BYTES);
    return 0;
}

const char *hb_mlog_kind_name(uint32_t kind)
{
    switch (kind) {
    case HB_MLOG_LOAD:
        return "load";
    case HB_MLOG_REPLACE:
        return "replace";
    case HB_MLOG_DETACH:
        return "detach";
    case HB_MLOG_CONFIG:
        return "config";
    case HB_MLOG_BOOT_KERNEL:
        return "boot-kernel";
    case HB_MLOG_BOOT_SYSTEM:
        return "boot-system";
    case HB_MLOG_BOOT_PD:
        return "boot-pd";
    default:
        return "unknown";
    }
}
