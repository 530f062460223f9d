/* Attestation: the agent signs the log digest and a nonce with the device
 * key; the verifier recomputes the digest (format in include/hypos/mlog.h). */
#include <hypos/mlog.h>

#include "util.h"

void hb_attest_signed_bytes(uint8_t out[HB_ATTEST_SIGNED_BYTES], const uint8_t nonce[HB_ATTEST_NONCE_BYTES],
                            uint64_t count, const uint8_t digest[HB_SHA256_BYTES],
                            const uint8_t device_key[HB_ED25519_PUBLIC_BYTES])
{
    hbi_fill(out, 0, 16);
    hbi_copy(out, HB_ATTEST_CONTEXT, sizeof(HB_ATTEST_CONTEXT) - 1);
    hbi_copy(out + 16, nonce, HB_ATTEST_NONCE_BYTES);
    hbi_put64(out + 48, count);
    hbi_copy(out + 56, digest, HB_SHA256_BYTES);
    hbi_copy(out + 88, device_key, HB_ED25519_PUBLIC_BYTES);
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
    uint8_t tbs[HB_ATTEST_SIGNED_BYTES];
    hb_attest_signed_bytes(tbs, nonce, out->count, out->digest, out->device_key);
    hb_ed25519_sign(out->signature, tbs, sizeof tbs, device_sk);
}

enum hb_status hb_attest_verify(const struct hb_attestation *a, const uint8_t expected_key[HB_ED25519_PUBLIC_BYTES],
                                const uint8_t nonce[HB_ATTEST_NONCE_BYTES], struct hb_result *res)
{
    if (!hbi_same(a->device_key, expected_key, HB_ED25519_PUBLIC_BYTES))
        return hbi_fail(res, HB_WRONG_DEVICE, "the response names another device key than the one expected");
    if (!hbi_same(a->nonce, nonce, HB_ATTEST_NONCE_BYTES))
        return hbi_fail(res, HB_LOG_INCONSISTENT, "the response is for another nonce (a replay?)");
    uint8_t tbs[HB_ATTEST_SIGNED_BYTES];
    hb_attest_signed_bytes(tbs, nonce, a->count, a->digest, expected_key);
    if (hb_ed25519_verify(a->signature, tbs, sizeof tbs, expected_key) != 0)
        return hbi_fail(res, HB_BAD_SIGNATURE, "the device signature over nonce, count and digest does not verify");
    if (a->first_seq > a->count || a->count - a->first_seq != a->n_entries)
        return hbi_fail(res, HB_LOG_INCONSISTENT, "%u entries from %U do not reach the signed count %U", a->n_entries,
                        a->first_seq, a->count);
    if (a->first_seq == 0 && !hbi_all_zero(a->anchor, HB_SHA256_BYTES))
        return hbi_fail(res, HB_LOG_INCONSISTENT, "the window starts at entry 0 but its anchor is not the zero hash");
    uint8_t chain[HB_SHA256_BYTES];
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
