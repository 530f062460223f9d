/*
 * The agent's admission check: structure, signer in the keyring,
 * signature, rollback. It only reads; the version table changes in
 * hb_versions_commit once the program is installed, so a refusal at any
 * step (here or later in the bpf PD's verifier) leaves everything as it was.
 */
#include "util.h"

static char hex_digit(unsigned v) { return "0123456789abcdef"[v & 15]; }

static void key_prefix(char out[17], const uint8_t *pk)
{
    for (int i = 0; i < 8; i++) {
        out[2 * i] = hex_digit(pk[i] >> 4);
        out[2 * i + 1] = hex_digit(pk[i]);
    }
    out[16] = 0;
}

void hb_versions_init(struct hb_versions *v) { hbi_fill(v, 0, sizeof(*v)); }

static int find_floor(const struct hb_versions *v, const char *name)
{
    for (unsigned i = 0; i < HB_VERSIONS_MAX; i++)
        if (v->e[i].name[0] && hbi_same(v->e[i].name, name, HB_NAME_FIELD))
            return (int)i;
    return -1;
}

static int free_floor(const struct hb_versions *v)
{
    for (unsigned i = 0; i < HB_VERSIONS_MAX; i++)
        if (!v->e[i].name[0])
            return (int)i;
    return -1;
}

enum hb_status hb_check(const struct hb_keyring *kr, const struct hb_versions *v, const uint8_t *buf, size_t len,
                        struct hb_bundle *out, struct hb_result *res)
{
    struct hb_bundle b;
    /* Cheap refusals first: layout and key lookup cost about a thousand
     * instructions, the signature a million, the measurement a SHA-256
     * over the whole bundle. */
    if (hbi_bundle_layout(buf, len, &b, res) != HB_OK)
        return res->status;
    if (hb_keyring_find(kr, b.signer) < 0) {
        char id[17];
        key_prefix(id, b.signer);
        return hbi_fail(res, HB_UNKNOWN_KEY, "signed by key %s..., which is not among the %u keys built into the image",
                        id, kr->count);
    }
    if (hb_ed25519_verify(b.signature, buf, b.signed_size, b.signer) != 0)
        return hbi_fail(res, HB_BAD_SIGNATURE, "the Ed25519 signature does not match the bundle's contents");
    hb_sha256(b.digest, buf, len);
    int i = find_floor(v, b.name);
    if (i >= 0) {
        const struct hb_version_floor *f = &v->e[i];
        if (b.version < f->version)
            return hbi_fail(res, HB_ROLLBACK, "version %U of '%s' is older than version %U, installed before",
                            b.version, b.name, f->version);
        if (b.version == f->version && !hbi_same(b.digest, f->digest, HB_SHA256_BYTES))
            return hbi_fail(res, HB_VERSION_CONFLICT,
                            "version %U of '%s' was installed before with other content (raise the version)", b.version,
                            b.name);
    } else if (free_floor(v) < 0) {
        return hbi_fail(res, HB_TABLE_FULL, "no room to track a %uth program name", HB_VERSIONS_MAX + 1);
    }
    *out = b;
    return hbi_ok(res);
}

void hb_versions_commit(struct hb_versions *v, const struct hb_bundle *b)
{
    int i = find_floor(v, b->name);
    if (i < 0)
        i = free_floor(v);
    if (i < 0)
        return; /* hb_check refused this bundle already */
    struct hb_version_floor *f = &v->e[i];
    if (f->name[0] && b->version < f->version)
        return;
    hbi_copy(f->name, b->name, HB_NAME_FIELD);
    f->version = b->version;
    hbi_copy(f->digest, b->digest, HB_SHA256_BYTES);
}
