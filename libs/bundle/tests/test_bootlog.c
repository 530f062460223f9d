/* Boot measurements: the region the initialiser writes and the agent
 * reads, a log that starts with them, and attestations whose boot
 * entries stay verifiable after the ring has wrapped. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include <hypos/bootlog.h>

#include "tap.h"

#define NBOOT 5

static void make_boot(struct hb_mlog_entry e[NBOOT])
{
    static const char *const names[NBOOT] = {"kernel", "system", "monitor", "agent", "a_pd_name_of_31_characters_xyz"};
    static const char *const what[NBOOT] = {"kernel image copy", "specification", "program", "program", "program"};
    for (unsigned i = 0; i < NBOOT; i++) {
        uint8_t d[32];
        crypto_hash_sha256(d, (const unsigned char *)names[i], strlen(names[i]));
        uint32_t kind = i == 0 ? HB_MLOG_BOOT_KERNEL : i == 1 ? HB_MLOG_BOOT_SYSTEM : HB_MLOG_BOOT_PD;
        hb_mlog_entry_fill(&e[i], i, kind, i < 2 ? 0 : i - 2, 1000 * (i + 1), names[i], strlen(names[i]), what[i],
                           strlen(what[i]), d);
    }
}

/* A fresh region with the boot entries, damaged by f(region) */
static enum hb_status read_damaged(void (*f)(uint8_t *), struct hb_result *r)
{
    static uint8_t region[4096];
    struct hb_mlog_entry e[NBOOT], out[HB_BOOTLOG_MAX];
    uint32_t n;
    make_boot(e);
    memset(region, 0, sizeof region);
    hb_bootlog_write(region, sizeof region, e, NBOOT);
    f(region);
    return hb_bootlog_read(region, sizeof region, out, HB_BOOTLOG_MAX, &n, r);
}
static void bad_magic(uint8_t *p) { p[3] ^= 1; }
static void bad_version(uint8_t *p) { p[8] = 2; }
static void one_entry(uint8_t *p) { p[12] = 1; }
static void too_many(uint8_t *p) { p[12] = HB_BOOTLOG_MAX + 1; }
static void past_region(uint8_t *p) { p[12] = 40; } /* 16 + 40 * 128 > 4096 */
static void reserved_set(uint8_t *p) { p[16 + 128 + 125] = 1; }
static void name_unpadded(uint8_t *p) { p[16 + 2 * 128 + 24 + 20] = 'x'; } /* after "monitor"'s NUL */
static void name_unterminated(uint8_t *p) { memset(p + 16 + 3 * 128 + 24, 'a', 32); }
static void seq_wrong(uint8_t *p) { p[16 + 3 * 128] = 7; }
static void kinds_swapped(uint8_t *p) { p[16 + 8] = HB_MLOG_BOOT_SYSTEM, p[16 + 128 + 8] = HB_MLOG_BOOT_KERNEL; }
static void pd_as_change(uint8_t *p) { p[16 + 4 * 128 + 8] = HB_MLOG_LOAD; }

void test_bootlog(void)
{
    struct hb_result r;
    struct hb_mlog_entry boot[NBOOT], back[HB_BOOTLOG_MAX];
    uint8_t region[4096] = {0};
    uint32_t n = 99;
    make_boot(boot);
    size_t w = hb_bootlog_write(region, sizeof region, boot, NBOOT);
    TAP(w == 16 + NBOOT * 128 && !memcmp(region, "HYPOSBLG", 8), "boot log written: header and %u entries", NBOOT);
    TAP(hb_bootlog_write(region, w - 1, boot, NBOOT) == 0, "a region one byte too small is refused by the writer");
    TAP(hb_bootlog_read(region, sizeof region, back, HB_BOOTLOG_MAX, &n, &r) == HB_OK && n == NBOOT &&
            !memcmp(back, boot, sizeof boot),
        "boot log read back entry for entry (%s)", r.reason);
    TAP(hb_bootlog_read(region, 15, back, HB_BOOTLOG_MAX, &n, &r) == HB_MALFORMED && n == 0,
        "region smaller than the header: %s", r.reason);
    TAP(hb_bootlog_read(region, w - 1, back, HB_BOOTLOG_MAX, &n, &r) == HB_MALFORMED,
        "entries past the region's end: %s", r.reason);
    TAP(hb_bootlog_read(region, sizeof region, back, 3, &n, &r) == HB_MALFORMED,
        "more entries than the reader has room for: %s", r.reason);
    static const struct {
        void (*f)(uint8_t *);
        const char *what, *reason;
    } bad[] = {
        {bad_magic, "magic", "HYPOSBLG"},
        {bad_version, "version", "version 2"},
        {one_entry, "one entry", "2 to"},
        {too_many, "73 entries", "2 to"},
        {past_region, "count past the region", "needs"},
        {reserved_set, "reserved byte", "reserved"},
        {name_unpadded, "name not NUL-padded", "NUL padding"},
        {name_unterminated, "name of 32 bytes", "NUL padding"},
        {seq_wrong, "sequence number", "sequence number 7"},
        {kinds_swapped, "kernel and system swapped", "expected boot-kernel"},
        {pd_as_change, "a PD entry of kind load", "expected boot-pd"},
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        TAP(read_damaged(bad[i].f, &r) == HB_MALFORMED && strstr(r.reason, bad[i].reason),
            "boot log with a bad %s: refused (%s)", bad[i].what, r.reason);
    hb_bootlog_read(region, sizeof region, back, HB_BOOTLOG_MAX, &n, &r);

    /* a log starting with them */
    unsigned char pk[32], sk[64], nonce[32], d[32];
    crypto_sign_keypair(pk, sk);
    randombytes_buf(nonce, sizeof nonce);
    enum { CAP = 8 };
    struct hb_mlog_entry ring[CAP], window[CAP];
    uint8_t chains[CAP][32];
    struct hb_mlog log;
    hb_mlog_init(&log, ring, chains, CAP);
    struct hb_mlog_entry wrong[NBOOT];
    memcpy(wrong, back, sizeof wrong);
    wrong[3].kind = HB_MLOG_CONFIG;
    TAP(hb_mlog_set_boot(&log, wrong, NBOOT) == -1 && log.count == 0, "boot entries of a change's kind: refused");
    TAP(hb_mlog_set_boot(&log, back, NBOOT) == 0 && log.count == NBOOT && hb_mlog_oldest(&log) == NBOOT,
        "log started with %u boot entries", NBOOT);
    TAP(hb_mlog_set_boot(&log, back, NBOOT) == -1, "boot entries again on a started log: refused");
    struct hb_attestation a;
    hb_attest_build(&log, sk, nonce, 0, 0, window, &a);
    TAP(a.n_boot == NBOOT && a.n_entries == 0 && hb_attest_verify(&a, pk, nonce, &r) == HB_OK,
        "boot entries only: attestation verifies (%s)", r.reason);
    enum { CHANGES = 21 };
    for (unsigned i = 0; i < CHANGES; i++) {
        crypto_hash_sha256(d, (const unsigned char *)&i, sizeof i);
        hb_mlog_append(&log, HB_MLOG_REPLACE, i + 1, i + 1, "counter", "event", d);
    }
    TAP(log.count == NBOOT + CHANGES && hb_mlog_oldest(&log) == NBOOT + CHANGES - CAP &&
            hb_mlog_get(&log, 2) == &back[2] && hb_mlog_get(&log, NBOOT) == NULL &&
            hb_mlog_get(&log, NBOOT + CHANGES - 1)->prog_id == CHANGES,
        "ring wrapped: boot entries kept, the oldest changes gone");
    /* the digest, independently: SHA-256 chain over all encodings */
    unsigned char chain[32] = {0}, enc[128], in[160];
    for (unsigned s = 0; s < NBOOT + CHANGES; s++) {
        struct hb_mlog_entry e;
        if (s < NBOOT)
            e = back[s];
        else {
            unsigned i = s - NBOOT;
            crypto_hash_sha256(d, (const unsigned char *)&i, sizeof i);
            hb_mlog_entry_fill(&e, s, HB_MLOG_REPLACE, i + 1, i + 1, "counter", 7, "event", 5, d);
        }
        hb_mlog_encode(&e, enc);
        memcpy(in, chain, 32);
        memcpy(in + 32, enc, 128);
        crypto_hash_sha256(chain, in, sizeof in);
        if (s == NBOOT - 1)
            TAP(!memcmp(chain, log.boot_digest, 32), "boot digest = the chain after the boot entries (libsodium)");
    }
    TAP(!memcmp(chain, log.head, 32), "log digest = one chain through boot entries and changes (libsodium)");

    hb_attest_build(&log, sk, nonce, 0, 4, window, &a);
    TAP(a.n_boot == NBOOT && a.n_entries == 4 && a.first_seq == NBOOT + CHANGES - 4 &&
            hb_attest_verify(&a, pk, nonce, &r) == HB_OK,
        "after the ring wrapped: boot entries and the newest 4 verify (%s)", r.reason);
    unsigned char tbs[HB_ATTEST_SIGNED_BYTES_BOOT];
    TAP(hb_attest_signed_bytes(tbs, nonce, a.count, a.digest, pk, a.n_boot, a.boot_digest) ==
                HB_ATTEST_SIGNED_BYTES_BOOT &&
            !memcmp(tbs, "hypos-attest-v2", 16) && crypto_sign_verify_detached(a.signature, tbs, sizeof tbs, pk) == 0,
        "the 160 signed bytes (v2: boot count and digest) verify with libsodium");
    TAP(crypto_sign_verify_detached(a.signature, tbs, HB_ATTEST_SIGNED_BYTES, pk) != 0,
        "the same signature does not pass as a first-format one");

    struct hb_mlog_entry tampered[NBOOT];
    struct hb_attestation t = a;
    memcpy(tampered, back, sizeof tampered);
    t.boot = tampered;
    tampered[3].digest[0] ^= 1;
    TAP(hb_attest_verify(&t, pk, nonce, &r) == HB_LOG_INCONSISTENT, "a PD's boot measurement changed: detected (%s)",
        r.reason);
    memcpy(tampered, back, sizeof tampered);
    memcpy(tampered[0].name, "kernal", 6);
    TAP(hb_attest_verify(&t, pk, nonce, &r) == HB_LOG_INCONSISTENT, "a boot entry's name changed: detected (%s)",
        r.reason);
    memcpy(tampered, back, sizeof tampered);
    tampered[2] = back[3], tampered[3] = back[2];
    tampered[2].seq = 2, tampered[3].seq = 3;
    TAP(hb_attest_verify(&t, pk, nonce, &r) == HB_LOG_INCONSISTENT, "two PDs' boot entries swapped: detected (%s)",
        r.reason);
    t = a;
    t.n_boot = NBOOT - 1;
    TAP(hb_attest_verify(&t, pk, nonce, &r) == HB_BAD_SIGNATURE, "the last boot entry dropped: detected (%s)",
        r.reason);
    t = a;
    t.n_boot = 0;
    TAP(hb_attest_verify(&t, pk, nonce, &r) == HB_BAD_SIGNATURE, "all boot entries dropped: detected (%s)", r.reason);
    t = a;
    t.boot_digest[5] ^= 1;
    TAP(hb_attest_verify(&t, pk, nonce, &r) == HB_BAD_SIGNATURE, "boot digest changed: detected (%s)", r.reason);

    /* a window right after the boot entries: its anchor must be the boot digest */
    struct hb_mlog short_log;
    struct hb_mlog_entry ring2[CAP], window2[CAP];
    uint8_t chains2[CAP][32];
    hb_mlog_init(&short_log, ring2, chains2, CAP);
    hb_mlog_set_boot(&short_log, back, NBOOT);
    hb_mlog_append(&short_log, HB_MLOG_LOAD, 1, 1, "counter", "event", d);
    hb_mlog_append(&short_log, HB_MLOG_CONFIG, 0, 0, "worker", "kind", d);
    hb_attest_build(&short_log, sk, nonce, 0, 0, window2, &a);
    TAP(a.first_seq == NBOOT && a.n_entries == 2 && hb_attest_verify(&a, pk, nonce, &r) == HB_OK,
        "a window following the boot entries verifies (%s)", r.reason);
    t = a;
    memset(t.anchor, 0, 32);
    TAP(hb_attest_verify(&t, pk, nonce, &r) == HB_LOG_INCONSISTENT, "its anchor replaced by zeros: detected (%s)",
        r.reason);
    t = a;
    t.first_seq = NBOOT - 1;
    t.n_entries = 3;
    TAP(hb_attest_verify(&t, pk, nonce, &r) == HB_LOG_INCONSISTENT,
        "a window claiming to start in the boot entries: "
        "refused (%s)",
        r.reason);
    t = a;
    t.n_boot = (uint32_t)a.count + 1;
    TAP(hb_attest_verify(&t, pk, nonce, &r) != HB_OK, "more boot entries than entries: refused (%s)", r.reason);
}
