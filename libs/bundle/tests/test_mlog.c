/* The measurement log and attestation: the host recomputes what the agent
 * signed, and every kind of tampering is detected. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include <hypos/mlog.h>

#include "tap.h"

static void digest_of(unsigned char d[32], unsigned i) { crypto_hash_sha256(d, (const unsigned char *)&i, sizeof i); }

static enum hb_status verify(const struct hb_attestation *a, const unsigned char *pk, const unsigned char *nonce,
                             struct hb_result *r)
{
    return hb_attest_verify(a, pk, nonce, r);
}

void test_mlog(void)
{
    unsigned char pk[32], sk[64], other_pk[32], other_sk[64], nonce[32], d[32];
    crypto_sign_keypair(pk, sk);
    crypto_sign_keypair(other_pk, other_sk);
    randombytes_buf(nonce, sizeof nonce);
    struct hb_result r;

    enum { CAP = 8 };
    struct hb_mlog_entry ring[CAP], window[CAP];
    uint8_t chains[CAP][32];
    struct hb_mlog log;
    hb_mlog_init(&log, ring, chains, CAP);
    struct hb_attestation a;
    hb_attest_build(&log, sk, nonce, 0, 0, window, &a);
    TAP(a.count == 0 && a.n_entries == 0 && verify(&a, pk, nonce, &r) == HB_OK, "empty log: attestation verifies (%s)",
        r.reason);

    static const char *const kinds[] = {"load", "replace", "detach", "config"};
    for (unsigned i = 0; i < 5; i++) {
        digest_of(d, i);
        hb_mlog_append(&log, (enum hb_mlog_kind)(1 + i % 4), i, i + 1, "filter", "serial_rx", d);
    }
    TAP(!strcmp(hb_mlog_kind_name(ring[2].kind), kinds[2]) && ring[4].seq == 4, "entries appended in order");
    /* The chain by hand: SHA-256 over previous chain and the encoding. */
    unsigned char chain[32] = {0}, enc[128], in[160];
    for (unsigned i = 0; i < 5; i++) {
        hb_mlog_encode(&ring[i], enc);
        memcpy(in, chain, 32);
        memcpy(in + 32, enc, 128);
        crypto_hash_sha256(chain, in, sizeof in);
    }
    TAP(memcmp(chain, log.head, 32) == 0, "log digest = SHA-256 chain over the 128-byte encodings (libsodium)");

    hb_attest_build(&log, sk, nonce, 0, 0, window, &a);
    TAP(a.count == 5 && a.n_entries == 5 && verify(&a, pk, nonce, &r) == HB_OK, "5 entries: attestation verifies (%s)",
        r.reason);
    unsigned char tbs[HB_ATTEST_SIGNED_BYTES_BOOT];
    TAP(hb_attest_signed_bytes(tbs, nonce, a.count, a.digest, pk, 0, NULL) == HB_ATTEST_SIGNED_BYTES &&
            !memcmp(tbs, "hypos-attest-v1", 16),
        "a log without boot entries signs the first format's 120 bytes");
    TAP(crypto_sign_verify_detached(a.signature, tbs, HB_ATTEST_SIGNED_BYTES, pk) == 0,
        "the device signature verifies with libsodium too");

    unsigned char wrong_nonce[32];
    memcpy(wrong_nonce, nonce, 32);
    wrong_nonce[0] ^= 1;
    TAP(verify(&a, pk, wrong_nonce, &r) != HB_OK, "another nonce (replay): refused (%s)", r.reason);
    TAP(verify(&a, other_pk, nonce, &r) == HB_WRONG_DEVICE, "another expected device key: refused (%s)", r.reason);

    struct hb_attestation t = a;
    window[2].version++;
    TAP(verify(&t, pk, nonce, &r) == HB_LOG_INCONSISTENT, "an entry's version changed: detected (%s)", r.reason);
    window[2].version--;
    window[3].name[0] = 'F';
    TAP(verify(&t, pk, nonce, &r) == HB_LOG_INCONSISTENT, "an entry's name changed: detected (%s)", r.reason);
    window[3].name[0] = 'f';
    window[1].digest[31] ^= 1;
    TAP(verify(&t, pk, nonce, &r) == HB_LOG_INCONSISTENT, "an entry's hash changed: detected (%s)", r.reason);
    window[1].digest[31] ^= 1;
    struct hb_mlog_entry swap = window[1];
    window[1] = window[2];
    window[2] = swap;
    TAP(verify(&t, pk, nonce, &r) == HB_LOG_INCONSISTENT, "two entries swapped: detected (%s)", r.reason);
    window[2] = window[1];
    window[1] = swap;
    t.n_entries = 4;
    TAP(verify(&t, pk, nonce, &r) == HB_LOG_INCONSISTENT, "last entry dropped: detected (%s)", r.reason);
    t.count = 4;
    TAP(verify(&t, pk, nonce, &r) == HB_BAD_SIGNATURE, "last entry dropped and the count lowered: detected (%s)",
        r.reason);
    t = a;
    t.digest[0] ^= 1;
    TAP(verify(&t, pk, nonce, &r) == HB_BAD_SIGNATURE, "digest changed: detected (%s)", r.reason);
    t = a;
    t.first_seq = 1;
    t.entries = window + 1;
    t.n_entries = 4;
    TAP(verify(&t, pk, nonce, &r) == HB_LOG_INCONSISTENT, "first entry hidden behind a zero anchor: detected (%s)",
        r.reason);
    struct hb_attestation forged;
    hb_attest_build(&log, other_sk, nonce, 0, 0, window, &forged);
    memcpy(forged.device_key, pk, 32);
    TAP(verify(&forged, pk, nonce, &r) == HB_BAD_SIGNATURE, "signed by another key claiming the device's: refused (%s)",
        r.reason);
    TAP(verify(&a, pk, nonce, &r) == HB_OK, "the untouched attestation still verifies");

    /* A window of the newest entries, anchored on the chain before it. */
    hb_attest_build(&log, sk, nonce, 0, 2, window, &a);
    TAP(a.first_seq == 3 && a.n_entries == 2 && verify(&a, pk, nonce, &r) == HB_OK,
        "window of the newest 2 of 5 entries verifies from its anchor (%s)", r.reason);
    a.anchor[5] ^= 1;
    TAP(verify(&a, pk, nonce, &r) == HB_LOG_INCONSISTENT, "window with a changed anchor: detected");

    /* Past the ring's capacity the oldest entries leave; the digest still
     * covers them. */
    struct hb_mlog_entry all[21];
    for (unsigned i = 0; i < 5; i++)
        all[i] = ring[i];
    for (unsigned i = 5; i < 21; i++) {
        digest_of(d, i);
        uint64_t seq = hb_mlog_append(&log, HB_MLOG_REPLACE, i, i + 1, "filter", "serial_rx", d);
        all[seq] = *hb_mlog_get(&log, seq);
    }
    memset(chain, 0, 32);
    for (unsigned i = 0; i < 21; i++)
        hb_mlog_chain_step(chain, &all[i]);
    TAP(memcmp(chain, log.head, 32) == 0, "after the ring wrapped, the digest still covers all 21 entries");
    hb_attest_build(&log, sk, nonce, 0, 0, window, &a);
    TAP(a.count == 21 && a.first_seq == 13 && a.n_entries == CAP && verify(&a, pk, nonce, &r) == HB_OK,
        "21 entries in a ring of %d: the newest %d verify against the digest of all 21 (%s)", CAP, CAP, r.reason);
    hb_attest_build(&log, sk, nonce, 18, 0, window, &a);
    TAP(a.first_seq == 18 && a.n_entries == 3 && verify(&a, pk, nonce, &r) == HB_OK,
        "entries from number 18 on request verify (%s)", r.reason);
    /* entries rebuilt from decoded strings, as hyposctl does */
    hb_attest_build(&log, sk, nonce, 0, 0, window, &a);
    struct hb_mlog_entry rebuilt[CAP];
    for (uint32_t i = 0; i < a.n_entries; i++)
        hb_mlog_entry_fill(&rebuilt[i], window[i].seq, window[i].kind, window[i].prog_id, window[i].version,
                           window[i].name, strlen(window[i].name), window[i].hook, strlen(window[i].hook),
                           window[i].digest);
    a.entries = rebuilt;
    TAP(verify(&a, pk, nonce, &r) == HB_OK, "entries rebuilt from their strings verify (%s)", r.reason);
    const struct hb_mlog_entry *w = &window[2];
    hb_mlog_entry_fill(&rebuilt[2], w->seq, w->kind, w->prog_id, w->version, "filter-and-more", 6, w->hook,
                       strlen(w->hook), w->digest);
    TAP(verify(&a, pk, nonce, &r) == HB_OK, "a name given with its length is cut there");
    hb_mlog_entry_fill(&rebuilt[2], w->seq, w->kind, w->prog_id, w->version, "filterX", 7, w->hook, strlen(w->hook),
                       w->digest);
    TAP(verify(&a, pk, nonce, &r) == HB_LOG_INCONSISTENT, "a rebuilt entry with another name is detected");
    TAP(hb_mlog_get(&log, 12) == NULL && hb_mlog_get(&log, 13) != NULL && hb_mlog_get(&log, 21) == NULL,
        "entries older than the ring are gone, newer ones kept");
}
