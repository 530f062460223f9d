/* The agent's security state (include/hypos/control.h). */
#include <hypos/control.h>

#include "util.h"

enum hb_status hb_control_init(struct hb_control *c, const void *keyring, size_t keyring_size, const void *device_key,
                               size_t device_key_size, struct hb_mlog_entry *ring, uint8_t (*chains)[HB_SHA256_BYTES],
                               uint32_t capacity, struct hb_result *res)
{
    hbi_fill(c, 0, sizeof(*c));
    hb_versions_init(&c->versions);
    hb_mlog_init(&c->log, ring, chains, capacity);
    if (hb_keyring_init(&c->keyring, keyring, keyring_size, res) != HB_OK)
        return res->status;
    if (device_key) {
        if (hb_seckey_parse(device_key, device_key_size, c->device_name, c->device_sk, res) != HB_OK)
            return res->status;
        c->has_device_key = 1;
    }
    return hbi_ok(res);
}

enum hb_status hb_control_admit(const struct hb_control *c, const uint8_t *bundle, size_t len, struct hb_bundle *out,
                                struct hb_result *res)
{
    return hb_check(&c->keyring, &c->versions, bundle, len, out, res);
}

static struct hb_installed *slot_of(struct hb_control *c, uint32_t prog_id)
{
    for (unsigned i = 0; i < HB_PROGS_MAX; i++)
        if (c->progs[i].prog_id == prog_id)
            return &c->progs[i];
    return NULL;
}

const struct hb_installed *hb_control_find(const struct hb_control *c, uint32_t prog_id)
{
    return prog_id ? slot_of((struct hb_control *)c, prog_id) : NULL;
}

int hb_control_can_install(const struct hb_control *c) { return slot_of((struct hb_control *)c, 0) != NULL; }

enum hb_status hb_control_installed(struct hb_control *c, uint32_t prog_id, uint32_t replaced_id,
                                    const struct hb_bundle *b, struct hb_result *res)
{
    struct hb_installed *s = replaced_id ? slot_of(c, replaced_id) : NULL;
    if (!s)
        s = slot_of(c, 0);
    if (!s || !prog_id)
        return hbi_fail(res, HB_TABLE_FULL, "more than %u programs at once", HB_PROGS_MAX);
    hb_versions_commit(&c->versions, b);
    s->prog_id = prog_id;
    s->version = b->version;
    hbi_copy(s->name, b->name, HB_NAME_FIELD);
    hbi_copy(s->hook, b->hook, HB_NAME_FIELD);
    hbi_copy(s->digest, b->digest, HB_SHA256_BYTES);
    hb_mlog_append(&c->log, replaced_id ? HB_MLOG_REPLACE : HB_MLOG_LOAD, prog_id, b->version, b->name, b->hook,
                   b->digest);
    return hbi_ok(res);
}

void hb_control_detached(struct hb_control *c, uint32_t prog_id)
{
    struct hb_installed *s = prog_id ? slot_of(c, prog_id) : NULL;
    if (!s)
        return;
    hb_mlog_append(&c->log, HB_MLOG_DETACH, prog_id, s->version, s->name, s->hook, s->digest);
    hbi_fill(s, 0, sizeof(*s));
}

void hb_control_config(struct hb_control *c, const char *pd, const char *key, const void *value, size_t len)
{
    uint8_t d[HB_SHA256_BYTES];
    hb_sha256(d, value, len);
    hb_mlog_append(&c->log, HB_MLOG_CONFIG, 0, 0, pd, key, d);
}

enum hb_status hb_control_attest(const struct hb_control *c, const uint8_t nonce[HB_ATTEST_NONCE_BYTES],
                                 uint64_t first_seq, uint32_t max, struct hb_mlog_entry *window,
                                 struct hb_attestation *out, struct hb_result *res)
{
    if (!c->has_device_key)
        return hbi_fail(res, HB_BAD_KEY, "no device key is built into this image");
    hb_attest_build(&c->log, c->device_sk, nonce, first_seq, max, window, out);
    return hbi_ok(res);
}
