/*
 * Bundle parsing and writing (the layout is in include/hypos/bundle.h).
 * Every field is checked before anything is used, and each refusal says
 * which rule the input broke.
 */
#include "util.h"

static const char *const status_names[HB_STATUS_COUNT] = {
    [HB_OK] = "ok",
    [HB_MALFORMED] = "malformed",
    [HB_UNSIGNED] = "unsigned",
    [HB_UNKNOWN_KEY] = "unknown-key",
    [HB_BAD_SIGNATURE] = "bad-signature",
    [HB_ROLLBACK] = "rollback",
    [HB_VERSION_CONFLICT] = "version-conflict",
    [HB_TABLE_FULL] = "table-full",
    [HB_BAD_KEY] = "bad-key",
    [HB_LOG_INCONSISTENT] = "log-inconsistent",
    [HB_WRONG_DEVICE] = "wrong-device",
};

const char *hb_status_name(enum hb_status s)
{
    return (unsigned)s < HB_STATUS_COUNT ? status_names[s] : "unknown-status";
}

enum {
    OFF_MAGIC = 0,
    OFF_FORMAT = 8,
    OFF_HDRSIZE = 10,
    OFF_FLAGS = 12,
    OFF_VERSION = 16,
    OFF_NAME = 24,
    OFF_HOOK = 56,
    OFF_ELFSIZE = 88,
    OFF_RESERVED = 92,
    OFF_SIGNER = 96,
};
_Static_assert(OFF_SIGNER + HB_ED25519_PUBLIC_BYTES == HB_BUNDLE_HEADER_SIZE, "header layout");

static const uint8_t elf_magic[4] = {0x7f, 'E', 'L', 'F'};

enum hb_status hbi_bundle_layout(const uint8_t *buf, size_t len, struct hb_bundle *out, struct hb_result *res)
{
    if (len >= 4 && hbi_same(buf, elf_magic, 4))
        return hbi_fail(res, HB_UNSIGNED, "a bare ELF object, not a signed bundle (sign it with hyposctl sign)");
    if (len < 8 || !hbi_same(buf + OFF_MAGIC, HB_BUNDLE_MAGIC, 8))
        return hbi_fail(res, HB_MALFORMED, "no bundle magic \"%s\" at offset 0", HB_BUNDLE_MAGIC);
    if (len < HB_BUNDLE_HEADER_SIZE)
        return hbi_fail(res, HB_MALFORMED, "truncated header: %z of %u bytes", len, HB_BUNDLE_HEADER_SIZE);
    uint16_t format = hbi_get16(buf + OFF_FORMAT);
    if (format != HB_BUNDLE_FORMAT)
        return hbi_fail(res, HB_MALFORMED, "unsupported format version %u (this system reads %u)", format,
                        HB_BUNDLE_FORMAT);
    uint16_t hdr = hbi_get16(buf + OFF_HDRSIZE);
    if (hdr != HB_BUNDLE_HEADER_SIZE)
        return hbi_fail(res, HB_MALFORMED, "header size %u, format %u has %u", hdr, HB_BUNDLE_FORMAT,
                        HB_BUNDLE_HEADER_SIZE);
    uint32_t flags = hbi_get32(buf + OFF_FLAGS);
    if (flags)
        return hbi_fail(res, HB_MALFORMED, "unknown flags 0x%x (none are defined)", flags);
    uint64_t version = hbi_get64(buf + OFF_VERSION);
    if (version == 0)
        return hbi_fail(res, HB_MALFORMED, "version 0 (versions start at 1)");
    if (hbi_check_name_field(buf + OFF_NAME, HB_NAME_FIELD, "program name", res) != HB_OK)
        return res->status;
    if (hbi_check_name_field(buf + OFF_HOOK, HB_NAME_FIELD, "hook name", res) != HB_OK)
        return res->status;
    uint32_t elf_size = hbi_get32(buf + OFF_ELFSIZE);
    if (elf_size == 0)
        return hbi_fail(res, HB_MALFORMED, "empty ELF object");
    if (elf_size > HB_ELF_MAX)
        return hbi_fail(res, HB_MALFORMED, "ELF object of %u bytes, the limit is %u", elf_size, HB_ELF_MAX);
    if (hbi_get32(buf + OFF_RESERVED))
        return hbi_fail(res, HB_MALFORMED, "reserved bytes at offset %u are not zero", OFF_RESERVED);
    size_t expect = (size_t)HB_BUNDLE_HEADER_SIZE + elf_size + HB_ED25519_SIG_BYTES;
    if (len < expect)
        return hbi_fail(res, HB_MALFORMED, "truncated: %z bytes, the header announces %z", len, expect);
    if (len > expect)
        return hbi_fail(res, HB_MALFORMED, "%z bytes after the signature", len - expect);
    const uint8_t *elf = buf + HB_BUNDLE_HEADER_SIZE;
    if (elf_size < 4 || !hbi_same(elf, elf_magic, 4))
        return hbi_fail(res, HB_MALFORMED, "the payload at offset %u is not an ELF object", HB_BUNDLE_HEADER_SIZE);
    if (hbi_all_zero(buf + OFF_SIGNER, HB_ED25519_PUBLIC_BYTES))
        return hbi_fail(res, HB_UNSIGNED, "no signer key (all zero)");
    const uint8_t *sig = elf + elf_size;
    if (hbi_all_zero(sig, HB_ED25519_SIG_BYTES))
        return hbi_fail(res, HB_UNSIGNED, "the signature is empty (all zero)");

    hbi_copy(out->name, buf + OFF_NAME, HB_NAME_FIELD);
    hbi_copy(out->hook, buf + OFF_HOOK, HB_NAME_FIELD);
    out->version = version;
    out->elf = elf;
    out->elf_size = elf_size;
    out->signer = buf + OFF_SIGNER;
    out->signature = sig;
    out->signed_size = HB_BUNDLE_HEADER_SIZE + elf_size;
    hbi_fill(out->digest, 0, HB_SHA256_BYTES);
    return hbi_ok(res);
}

enum hb_status hb_bundle_parse(const uint8_t *buf, size_t len, struct hb_bundle *out, struct hb_result *res)
{
    if (hbi_bundle_layout(buf, len, out, res) != HB_OK)
        return res->status;
    hb_sha256(out->digest, buf, len);
    return HB_OK;
}

enum hb_status hb_bundle_header(uint8_t hdr[HB_BUNDLE_HEADER_SIZE], const char *name, const char *hook,
                                uint64_t version, uint32_t elf_size, const uint8_t signer[HB_ED25519_PUBLIC_BYTES],
                                struct hb_result *res)
{
    if (!hb_name_ok(name, HB_NAME_FIELD))
        return hbi_fail(res, HB_MALFORMED, "program name must be 1..%u characters of A-Z a-z 0-9 _ . -",
                        HB_NAME_FIELD - 1);
    if (!hb_name_ok(hook, HB_NAME_FIELD))
        return hbi_fail(res, HB_MALFORMED, "hook name must be 1..%u characters of A-Z a-z 0-9 _ . -",
                        HB_NAME_FIELD - 1);
    if (version == 0)
        return hbi_fail(res, HB_MALFORMED, "version 0 (versions start at 1)");
    if (elf_size == 0 || elf_size > HB_ELF_MAX)
        return hbi_fail(res, HB_MALFORMED, "ELF object of %u bytes, allowed 1..%u", elf_size, HB_ELF_MAX);
    hbi_fill(hdr, 0, HB_BUNDLE_HEADER_SIZE);
    hbi_copy(hdr + OFF_MAGIC, HB_BUNDLE_MAGIC, 8);
    hbi_put16(hdr + OFF_FORMAT, HB_BUNDLE_FORMAT);
    hbi_put16(hdr + OFF_HDRSIZE, HB_BUNDLE_HEADER_SIZE);
    hbi_put64(hdr + OFF_VERSION, version);
    hbi_copy(hdr + OFF_NAME, name, hbi_strnlen(name, HB_NAME_FIELD));
    hbi_copy(hdr + OFF_HOOK, hook, hbi_strnlen(hook, HB_NAME_FIELD));
    hbi_put32(hdr + OFF_ELFSIZE, elf_size);
    hbi_copy(hdr + OFF_SIGNER, signer, HB_ED25519_PUBLIC_BYTES);
    return hbi_ok(res);
}
