/* Attestation: the agent signs the log digest and a nonce with the device
 * key; the verifier recomputes the digest (format in include/hypos/mlog.h). */
#include <hypos/mlog.h>

#include "util.h"

uint32_t hb_attest_signed_bytes(uint8_t out[HB_ATTEST_SIGNED_BYTES_BOOT], const uint8_t nonce[HB_ATTEST_NONCE_BYTES],
                                uint64_t count, const uint8_t digest[HB_SHA256_BYTES],
                                const uint8_t device_key[HB_ED25519_PUBLIC_BYTES], uint64_t n_boot,
                                const uint8_t boot_digest[HB_SHA256_BYTES])
{
    /* a log without boot entries keeps the first format, so attestations
     * of such logs read as before */
    const char *context = n_boot ? HB_ATTEST_CONTEXT_BOOT : HB_ATTEST_CONTEXT;
    hbi_fill(out, 0, 16);
    hbi_copy(out, context, sizeof(HB_ATTEST_CONTEXT) - 1);
    hbi_copy(out + 16, nonce, HB_ATTEST_NONCE_BYTES);
    hbi_put64(out + 48, count);
    hbi_copy(out + 56, digest, HB_SHA256_BYTES);
    hbi_copy(out + 88, device_key, HB_ED25519_PUBLIC_BYTES);
    if (!n_boot)
        return HB_ATTEST_SIGNED_BYTES;
    hbi_put64(out + 120, n_boot);
    hbi_copy(out + 128, boot_digest, HB_SHA256_BYTES);
    return HB_ATTEST_SIGNED_BYTES_BOOT;
}

void hb_attest_build(const struct hb_mlog *log, const uint8_t device_sk[HB_ED25519_SECRET_BYTES],
                     const uint8_t nonce[HB_ATTEST_NONCE_BYTES], uint64_t first_seq, uint32_t max,
                     struct hb_mlog_entry *window, struct hb_attestation *out)
{
    uint64_t start = hb_mlog_oldest(log);
    if (first_seq > start)
        start = first_seq < log->count ? first_seq : log->count;
    if (max && log->count - start > max)
        start = log->count - max;
    uint32_t n = 0;
    for (uint64_t s = start; s < log->count; s++)
        window[n++] = *hb_mlog_get(log, s);
    hbi_copy(out->device_key, device_sk + 32, HB_ED25519_PUBLIC_BYTES);
    hbi_copy(out->nonce, nonce, HB_ATTEST_NONCE_BYTES);
    out->count = log->count;
    hbi_copy(out->digest, log->head, HB_SHA256_BYTES);
    out->first_seq = start;
    hb_mlog_chain_before(log, start, out->anchor);
    out->entries = window;
    out->n_entries = n;
    out->boot = log->boot;
    out->n_boot = log->n_boot;
    hbi_copy(out->boot_digest, log->boot_digest, HB_SHA256_BYTES);
    uint8_t tbs[HB_ATTEST_SIGNED_BYTES_BOOT];
    uint32_t tbs_len =
        hb_attest_signed_bytes(tbs, nonce, out->count, out->digest, out->device_key, out->n_boot, out->boot_digest);
    hb_ed25519_sign(out->signature, tbs, tbs_len, device_sk);
}

enum hb_status hb_attest_verify(const struct hb_attestation *a, const uint8_t expected_key[HB_ED25519_PUBLIC_BYTES],
                                const uint8_t nonce[HB_ATTEST_NONCE_BYTES], struct hb_result *res)
{
    if (!hbi_same(a->device_key, expected_key, HB_ED25519_PUBLIC_BYTES))
        return hbi_fail(res, HB_WRONG_DEVICE, "the response names another device key than the one expected");
    if (!hbi_same(a->nonce, nonce, HB_ATTEST_NONCE_BYTES))
        return hbi_fail(res, HB_LOG_INCONSISTENT, "the response is for another nonce (a replay?)");
    uint8_t tbs[HB_ATTEST_SIGNED_BYTES_BOOT];
    uint32_t tbs_len = hb_attest_signed_bytes(tbs, nonce, a->count, a->digest, expected_key, a->n_boot, a->boot_digest);
    if (hb_ed25519_verify(a->signature, tbs, tbs_len, expected_key) != 0)
        return hbi_fail(res, HB_BAD_SIGNATURE, "the device signature over nonce, count and digests does not verify");
    uint8_t chain[HB_SHA256_BYTES];
    /* the boot entries: all of them, from the zero hash to the signed boot digest */
    if (a->n_boot > a->count)
        return hbi_fail(res, HB_LOG_INCONSISTENT, "%u boot entries but only %U entries in all", a->n_boot, a->count);
    hbi_fill(chain, 0, HB_SHA256_BYTES);
    for (uint32_t i = 0; i < a->n_boot; i++) {
        const struct hb_mlog_entry *e = &a->boot[i];
        if (e->seq != i)
            return hbi_fail(res, HB_LOG_INCONSISTENT, "boot entry %u has sequence number %U", i, e->seq);
        if (!hb_mlog_is_boot_kind(e->kind))
            return hbi_fail(res, HB_LOG_INCONSISTENT, "boot entry %u has kind %u, not a boot measurement", i, e->kind);
        hb_mlog_chain_step(chain, e);
    }
    if (!hbi_same(chain, a->boot_digest, HB_SHA256_BYTES))
        return hbi_fail(res, HB_LOG_INCONSISTENT,
                        "the boot entries do not hash to the signed boot digest (a boot measurement was changed, "
                        "dropped or reordered)");
    if (a->first_seq > a->count || a->count - a->first_seq != a->n_entries)
        return hbi_fail(res, HB_LOG_INCONSISTENT, "%u entries from %U do not reach the signed count %U", a->n_entries,
                        a->first_seq, a->count);
    if (a->first_seq < a->n_boot)
        return hbi_fail(res, HB_LOG_INCONSISTENT, "the window starts at entry %U, among the %u boot entries",
                        a->first_seq, a->n_boot);
    if (a->first_seq == a->n_boot && !hbi_same(a->anchor, a->boot_digest, HB_SHA256_BYTES))
        return hbi_fail(res, HB_LOG_INCONSISTENT,
                        a->n_boot ? "the window follows the boot entries but its anchor is not their digest"
                                  : "the window starts at entry 0 but its anchor is not the zero hash");
    hbi_copy(chain, a->anchor, HB_SHA256_BYTES);
    for (uint32_t i = 0; i < a->n_entries; i++) {
        const struct hb_mlog_entry *e = &a->entries[i];
        if (e->seq != a->first_seq + i)
            return hbi_fail(res, HB_LOG_INCONSISTENT, "entry %u has sequence number %U, expected %U", i, e->seq,
                            a->first_seq + i);
        hb_mlog_chain_step(chain, e);
    }
    if (!hbi_same(chain, a->digest, HB_SHA256_BYTES))
        return hbi_fail(res, HB_LOG_INCONSISTENT,
                        "the entries do not hash to the signed digest (an entry was changed, dropped or reordered)");
    return hbi_ok(res);
}
