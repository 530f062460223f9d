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
    return log->count > log->capacity ? log->count - log->capacity : 0;
}

uint64_t hb_mlog_append(struct hb_mlog *log, enum hb_mlog_kind kind, uint32_t prog_id, uint64_t version,
                        const char *name, const char *hook, const uint8_t digest[HB_SHA256_BYTES])
{
    uint32_t slot = (uint32_t)(log->count % log->capacity);
    /* The entry about to be overwritten becomes part of the anchor. */
    if (log->count >= log->capacity)
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
    if (seq >= log->count || seq < hb_mlog_oldest(log))
        return NULL;
    return &log->ring[seq % log->capacity];
}

int hb_mlog_chain_before(const struct hb_mlog *log, uint64_t seq, uint8_t out[HB_SHA256_BYTES])
{
    uint64_t oldest = hb_mlog_oldest(log);
    if (seq < oldest || seq > log->count)
        return -1;
    if (seq == oldest)
        hbi_copy(out, log->anchor, HB_SHA256_BYTES);
    else
        hbi_copy(out, log->chains[(seq - 1) % log->capacity], HB_SHA256_BYTES);
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
    default:
        return "unknown";
    }
}
