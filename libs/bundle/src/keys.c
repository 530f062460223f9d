/*
 * Key files and keyrings (formats in include/hypos/bundle.h). A keyring
 * is read where it lies, e.g. in a memory region the system builder
 * prefilled from a file, so nothing is copied.
 */
#include "util.h"

enum { KEY_OFF_MAGIC = 0, KEY_OFF_FLAGS = 4, KEY_OFF_NAME = 8, KEY_OFF_KEY = 32 };

static void key_file_head(uint8_t *out, const char *magic, const char *name)
{
    hbi_copy(out + KEY_OFF_MAGIC, magic, 4);
    hbi_put32(out + KEY_OFF_FLAGS, 0);
    hbi_fill(out + KEY_OFF_NAME, 0, HB_KEY_NAME_FIELD);
    hbi_copy(out + KEY_OFF_NAME, name, hbi_strnlen(name, HB_KEY_NAME_FIELD - 1));
}

void hb_pubkey_file(uint8_t out[HB_PUBKEY_FILE_SIZE], const char *name, const uint8_t pk[HB_ED25519_PUBLIC_BYTES])
{
    key_file_head(out, HB_PUBKEY_MAGIC, name);
    hbi_copy(out + KEY_OFF_KEY, pk, HB_ED25519_PUBLIC_BYTES);
}

void hb_seckey_file(uint8_t out[HB_SECKEY_FILE_SIZE], const char *name, const uint8_t sk[HB_ED25519_SECRET_BYTES])
{
    key_file_head(out, HB_SECKEY_MAGIC, name);
    hbi_copy(out + KEY_OFF_KEY, sk, HB_ED25519_SECRET_BYTES);
}

static enum hb_status key_head_check(const uint8_t *buf, const char *magic, const char *what, struct hb_result *res)
{
    if (!hbi_same(buf + KEY_OFF_MAGIC, magic, 4))
        return hbi_fail(res, HB_BAD_KEY, "%s: no \"%s\" magic", what, magic);
    if (hbi_get32(buf + KEY_OFF_FLAGS))
        return hbi_fail(res, HB_BAD_KEY, "%s: unknown flags 0x%x", what, hbi_get32(buf + KEY_OFF_FLAGS));
    if (hbi_check_name_field(buf + KEY_OFF_NAME, HB_KEY_NAME_FIELD, "key name", res) != HB_OK)
        return hbi_fail(res, HB_BAD_KEY, "%s: the key name must be 1..%u characters of A-Z a-z 0-9 _ . -", what,
                        HB_KEY_NAME_FIELD - 1);
    return hbi_ok(res);
}

enum hb_status hb_pubkey_parse(const uint8_t *buf, size_t len, char name[HB_KEY_NAME_FIELD],
                               uint8_t pk[HB_ED25519_PUBLIC_BYTES], struct hb_result *res)
{
    if (len != HB_PUBKEY_FILE_SIZE)
        return hbi_fail(res, HB_BAD_KEY, "public key file of %z bytes, expected %u", len, HB_PUBKEY_FILE_SIZE);
    if (key_head_check(buf, HB_PUBKEY_MAGIC, "public key file", res) != HB_OK)
        return res->status;
    hbi_copy(name, buf + KEY_OFF_NAME, HB_KEY_NAME_FIELD);
    hbi_copy(pk, buf + KEY_OFF_KEY, HB_ED25519_PUBLIC_BYTES);
    return hbi_ok(res);
}

enum hb_status hb_seckey_parse(const uint8_t *buf, size_t len, char name[HB_KEY_NAME_FIELD],
                               uint8_t sk[HB_ED25519_SECRET_BYTES], struct hb_result *res)
{
    if (len < HB_SECKEY_FILE_SIZE || !hbi_all_zero(buf + HB_SECKEY_FILE_SIZE, len - HB_SECKEY_FILE_SIZE))
        return hbi_fail(res, HB_BAD_KEY, "secret key file of %z bytes, expected %u (zero padding allowed)", len,
                        HB_SECKEY_FILE_SIZE);
    if (key_head_check(buf, HB_SECKEY_MAGIC, "secret key file", res) != HB_OK)
        return res->status;
    /* The file holds seed and public key side by side; a signature made
     * with one and verified with the other shows that they match. */
    static const uint8_t probe[] = "hypos key file self-check";
    uint8_t sig[HB_ED25519_SIG_BYTES];
    hb_ed25519_sign(sig, probe, sizeof probe, buf + KEY_OFF_KEY);
    if (hb_ed25519_verify(sig, probe, sizeof probe, buf + KEY_OFF_KEY + 32) != 0)
        return hbi_fail(res, HB_BAD_KEY, "secret key file: the public half does not belong to the secret half");
    hbi_copy(name, buf + KEY_OFF_NAME, HB_KEY_NAME_FIELD);
    hbi_copy(sk, buf + KEY_OFF_KEY, HB_ED25519_SECRET_BYTES);
    return hbi_ok(res);
}

enum hb_status hb_keyring_init(struct hb_keyring *kr, const uint8_t *base, size_t size, struct hb_result *res)
{
    kr->base = base;
    kr->count = 0;
    uint32_t n = 0;
    for (size_t off = 0; off + HB_PUBKEY_FILE_SIZE <= size; off += HB_PUBKEY_FILE_SIZE, n++) {
        if (hbi_all_zero(base + off, HB_PUBKEY_FILE_SIZE))
            break;
        if (key_head_check(base + off, HB_PUBKEY_MAGIC, "keyring entry", res) != HB_OK)
            return hbi_fail(res, HB_BAD_KEY, "keyring entry %u (offset %z) is not a public key file", n, off);
    }
    size_t end = (size_t)n * HB_PUBKEY_FILE_SIZE;
    if (end < size && !hbi_all_zero(base + end, size - end))
        return hbi_fail(res, HB_BAD_KEY, "keyring: data after the last entry (%u entries)", n);
    kr->count = n;
    return hbi_ok(res);
}

int hb_keyring_find(const struct hb_keyring *kr, const uint8_t pk[HB_ED25519_PUBLIC_BYTES])
{
    for (uint32_t i = 0; i < kr->count; i++)
        if (hbi_same(kr->base + (size_t)i * HB_PUBKEY_FILE_SIZE + KEY_OFF_KEY, pk, HB_ED25519_PUBLIC_BYTES))
            return (int)i;
    return -1;
}

const char *hb_keyring_name(const struct hb_keyring *kr, uint32_t i)
{
    return i < kr->count ? (const char *)kr->base + (size_t)i * HB_PUBKEY_FILE_SIZE + KEY_OFF_NAME : "";
}
