/* hyposctl attest: the nonce and the check of the agent's signed
 * measurement log (include/hypos/mlog.h); main does the exchange. */
#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include <hypos/mlog.h>

#include "hyposctl_sign.h"

void hyposctl_attest_nonce(uint8_t nonce[HB_ATTEST_NONCE_BYTES]) { randombytes_buf(nonce, HB_ATTEST_NONCE_BYTES); }

static void hex(FILE *f, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x", p[i]);
}

int hyposctl_attest_report(const struct hb_attestation *a, const uint8_t nonce[HB_ATTEST_NONCE_BYTES],
                           const char *device_pub_path, FILE *out, FILE *err)
{
    size_t len;
    uint8_t *file = hyposctl_read_file(device_pub_path, 4096, &len);
    if (!file) {
        fprintf(err, "hyposctl: %s: %s\n", device_pub_path, strerror(errno));
        return 1;
    }
    char name[HB_KEY_NAME_FIELD];
    uint8_t pk[HB_ED25519_PUBLIC_BYTES];
    struct hb_result r;
    enum hb_status s = hb_pubkey_parse(file, len, name, pk, &r);
    free(file);
    if (s != HB_OK) {
        fprintf(err, "hyposctl: %s: %s\n", device_pub_path, r.reason);
        return 1;
    }
    if (hb_attest_verify(a, pk, nonce, &r) != HB_OK) {
        fprintf(err, "hyposctl: attestation refused (%s): %s\n", hb_status_name(r.status), r.reason);
        return 1;
    }
    fprintf(out, "attestation verified: device key '%s', %" PRIu64 " changes, log digest ", name, a->count);
    hex(out, a->digest, HB_SHA256_BYTES);
    fprintf(out, "\n");
    if (a->first_seq) {
        fprintf(out, "  (entries 0..%" PRIu64 " are covered by the digest but no longer kept; chain before them ",
                a->first_seq - 1);
        hex(out, a->anchor, 8);
        fprintf(out, "...)\n");
    }
    fprintf(out, "%6s  %-8s %5s  %-20s %8s  %-20s %s\n", "seq", "change", "prog", "name", "version", "hook/key",
            "sha256");
    for (uint32_t i = 0; i < a->n_entries; i++) {
        const struct hb_mlog_entry *e = &a->entries[i];
        fprintf(out, "%6" PRIu64 "  %-8s %5u  %-20.31s %8" PRIu64 "  %-20.31s ", e->seq, hb_mlog_kind_name(e->kind),
                e->prog_id, e->name, e->version, e->hook);
        hex(out, e->digest, 8);
        fprintf(out, "...\n");
    }
    return 0;
}
