/* Bundle parsing, keys and the admission check: every malformed bundle is
 * refused with its reason, and a refusal changes nothing. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include <hypos/bundle.h>

#include "tap.h"

struct key {
    unsigned char pk[32], sk[64];
};

static unsigned char *make_bundle(const struct key *k, const char *name, const char *hook, uint64_t version,
                                  const unsigned char *elf, uint32_t elf_size, size_t *len)
{
    struct hb_result r;
    unsigned char *b = calloc(1, HB_BUNDLE_HEADER_SIZE + elf_size + 64);
    if (hb_bundle_header(b, name, hook, version, elf_size, k->pk, &r) != HB_OK) {
        free(b);
        return NULL;
    }
    memcpy(b + HB_BUNDLE_HEADER_SIZE, elf, elf_size);
    hb_ed25519_sign(b + HB_BUNDLE_HEADER_SIZE + elf_size, b, HB_BUNDLE_HEADER_SIZE + elf_size, k->sk);
    *len = HB_BUNDLE_HEADER_SIZE + elf_size + 64;
    return b;
}

/* Re-signs after a header edit, so that only the edited rule can refuse it. */
static void resign(const struct key *k, unsigned char *b, size_t len)
{
    hb_ed25519_sign(b + len - 64, b, len - 64, k->sk);
}

static unsigned char elf[300];

static void expect_parse(const unsigned char *b, size_t len, enum hb_status want, const char *needle, const char *what)
{
    struct hb_bundle out;
    struct hb_result r;
    enum hb_status s = hb_bundle_parse(b, len, &out, &r);
    TAP(s == want && strstr(r.reason, needle), "malformed: %s -> %s (%s)", what, hb_status_name(s), r.reason);
}

static void malformed(const struct key *k)
{
    size_t len;
    unsigned char *good = make_bundle(k, "filter", "serial_rx", 3, elf, sizeof elf, &len);
    unsigned char *b = malloc(len + 16);
#define FRESH() memcpy(b, good, len)
    expect_parse(b, 0, HB_MALFORMED, "no bundle magic", "empty input");
    expect_parse(elf, sizeof elf, HB_UNSIGNED, "bare ELF", "a bare ELF object");
    FRESH();
    b[0] = 'X';
    expect_parse(b, len, HB_MALFORMED, "no bundle magic", "wrong magic");
    FRESH();
    expect_parse(b, 100, HB_MALFORMED, "truncated header", "header cut at 100 bytes");
    FRESH();
    b[8] = 2;
    expect_parse(b, len, HB_MALFORMED, "unsupported format version 2", "format version 2");
    FRESH();
    b[10] = 64;
    expect_parse(b, len, HB_MALFORMED, "header size 64", "header size 64");
    FRESH();
    b[12] = 1;
    expect_parse(b, len, HB_MALFORMED, "unknown flags 0x1", "a flag set");
    FRESH();
    memset(b + 16, 0, 8);
    expect_parse(b, len, HB_MALFORMED, "version 0", "version 0");
    FRESH();
    memset(b + 24, 0, 32);
    expect_parse(b, len, HB_MALFORMED, "program name is empty", "empty program name");
    FRESH();
    memset(b + 24, 'a', 32);
    expect_parse(b, len, HB_MALFORMED, "not NUL-terminated", "program name filling its field");
    FRESH();
    b[26] = '/';
    expect_parse(b, len, HB_MALFORMED, "byte 0x2f at position 2", "'/' in the program name");
    FRESH();
    b[24 + 20] = 'z';
    expect_parse(b, len, HB_MALFORMED, "padding", "bytes after the name's NUL");
    FRESH();
    memset(b + 56, 0, 32);
    expect_parse(b, len, HB_MALFORMED, "hook name is empty", "empty hook name");
    FRESH();
    b[56] = ' ';
    expect_parse(b, len, HB_MALFORMED, "hook name has byte 0x20", "a space in the hook name");
    FRESH();
    memset(b + 88, 0, 4);
    expect_parse(b, len, HB_MALFORMED, "empty ELF object", "ELF size 0");
    FRESH();
    b[88] = 0;
    b[89] = 0;
    b[90] = 0x20; /* 2 MiB */
    expect_parse(b, len, HB_MALFORMED, "the limit is", "ELF size over the limit");
    FRESH();
    b[89] = 0xff; /* larger than the buffer */
    expect_parse(b, len, HB_MALFORMED, "truncated", "ELF size past the end");
    FRESH();
    b[95] = 1;
    expect_parse(b, len, HB_MALFORMED, "reserved", "reserved bytes set");
    FRESH();
    expect_parse(b, len - 1, HB_MALFORMED, "truncated", "signature cut by one byte");
    expect_parse(b, len - 64, HB_MALFORMED, "truncated", "signature missing");
    FRESH();
    memset(b + len, 0, 16);
    expect_parse(b, len + 16, HB_MALFORMED, "16 bytes after the signature", "16 bytes appended");
    FRESH();
    b[HB_BUNDLE_HEADER_SIZE] = 'Z';
    expect_parse(b, len, HB_MALFORMED, "not an ELF object", "payload without ELF magic");
    FRESH();
    memset(b + 96, 0, 32);
    expect_parse(b, len, HB_UNSIGNED, "no signer key", "all-zero signer key");
    FRESH();
    memset(b + len - 64, 0, 64);
    expect_parse(b, len, HB_UNSIGNED, "signature is empty", "all-zero signature");
    FRESH();
    struct hb_bundle out;
    struct hb_result r;
    TAP(hb_bundle_parse(b, len, &out, &r) == HB_OK && !strcmp(out.name, "filter") && !strcmp(out.hook, "serial_rx") &&
            out.version == 3 && out.elf == b + 128 && out.elf_size == sizeof elf,
        "a well-formed bundle parses: name, hook, version and object as written");
    unsigned char d[32];
    crypto_hash_sha256(d, b, len);
    TAP(memcmp(d, out.digest, 32) == 0, "its measurement is the SHA-256 of the whole bundle");
    TAP(hb_bundle_header(b, "bad name", "h", 1, 10, k->pk, &r) == HB_MALFORMED &&
            hb_bundle_header(b, "n", "h", 0, 10, k->pk, &r) == HB_MALFORMED &&
            hb_bundle_header(b, "n", "h", 1, HB_ELF_MAX + 1, k->pk, &r) == HB_MALFORMED,
        "the writing side refuses a bad name, version 0 and an oversized object");
    (void)resign;
    free(b);
    free(good);
}

static void keys_and_keyring(const struct key *k1, const struct key *k2)
{
    unsigned char ring[64 * 4] = {0}, file[96];
    char name[24];
    unsigned char pk[32], sk[64];
    struct hb_result r;
    hb_pubkey_file(ring, "release", k1->pk);
    hb_pubkey_file(ring + 64, "ops", k2->pk);
    TAP(hb_pubkey_parse(ring, 64, name, pk, &r) == HB_OK && !strcmp(name, "release") && !memcmp(pk, k1->pk, 32),
        "public key file round trip");
    hb_seckey_file(file, "release", k1->sk);
    TAP(hb_seckey_parse(file, 96, name, sk, &r) == HB_OK && !memcmp(sk, k1->sk, 64), "secret key file round trip");
    file[95] ^= 1;
    TAP(hb_seckey_parse(file, 96, name, sk, &r) == HB_BAD_KEY && strstr(r.reason, "does not belong"),
        "secret key file whose halves do not match refused (%s)", r.reason);
    TAP(hb_pubkey_parse(ring, 63, name, pk, &r) == HB_BAD_KEY, "public key file of 63 bytes refused (%s)", r.reason);
    struct hb_keyring kr;
    TAP(hb_keyring_init(&kr, ring, sizeof ring, &r) == HB_OK && kr.count == 2 && hb_keyring_find(&kr, k2->pk) == 1 &&
            !strcmp(hb_keyring_name(&kr, 1), "ops"),
        "keyring of two entries in a zero-padded region");
    ring[128] = 'H';
    TAP(hb_keyring_init(&kr, ring, sizeof ring, &r) == HB_BAD_KEY, "keyring with a bad third entry refused (%s)",
        r.reason);
    ring[128] = 0;
    ring[200] = 7;
    TAP(hb_keyring_init(&kr, ring, sizeof ring, &r) == HB_BAD_KEY, "keyring with bytes after its end refused (%s)",
        r.reason);
}

static void admission(const struct key *k1, const struct key *k2, const struct key *stranger)
{
    unsigned char ring[128];
    struct hb_keyring kr;
    struct hb_result r;
    hb_pubkey_file(ring, "release", k1->pk);
    hb_pubkey_file(ring + 64, "ops", k2->pk);
    hb_keyring_init(&kr, ring, sizeof ring, &r);
    struct hb_versions *v = malloc(sizeof *v), *before = malloc(sizeof *v);
    hb_versions_init(v);
    struct hb_bundle b;
    size_t len;

    unsigned char *v5 = make_bundle(k1, "filter", "serial_rx", 5, elf, sizeof elf, &len);
    TAP(hb_check(&kr, v, v5, len, &b, &r) == HB_OK, "signed by a built-in key: accepted");
    hb_versions_commit(v, &b);
    unsigned char *ops = make_bundle(k2, "counter", "serial_rx", 1, elf, sizeof elf, &len);
    TAP(hb_check(&kr, v, ops, len, &b, &r) == HB_OK, "signed by the second built-in key: accepted");

    memcpy(before, v, sizeof *v);
    unsigned char *x = make_bundle(stranger, "filter", "serial_rx", 9, elf, sizeof elf, &len);
    TAP(hb_check(&kr, v, x, len, &b, &r) == HB_UNKNOWN_KEY, "signed by an unknown key: refused (%s)", r.reason);
    free(x);
    x = make_bundle(k1, "filter", "serial_rx", 9, elf, sizeof elf, &len);
    x[HB_BUNDLE_HEADER_SIZE + 10] ^= 1;
    TAP(hb_check(&kr, v, x, len, &b, &r) == HB_BAD_SIGNATURE, "one object byte changed after signing: refused (%s)",
        r.reason);
    x[HB_BUNDLE_HEADER_SIZE + 10] ^= 1;
    x[16] = 10; /* version 9 -> 10, still well-formed */
    TAP(hb_check(&kr, v, x, len, &b, &r) == HB_BAD_SIGNATURE, "version raised after signing: refused (%s)", r.reason);
    x[16] = 9;
    memcpy(x + 96, k2->pk, 32);
    TAP(hb_check(&kr, v, x, len, &b, &r) == HB_BAD_SIGNATURE, "signer swapped for another built-in key: refused (%s)",
        r.reason);
    memcpy(x + 96, k1->pk, 32);
    x[len - 1] ^= 0x80;
    TAP(hb_check(&kr, v, x, len, &b, &r) == HB_BAD_SIGNATURE, "signature bit flipped: refused (%s)", r.reason);
    free(x);
    x = make_bundle(k1, "filter", "serial_rx", 4, elf, sizeof elf, &len);
    TAP(hb_check(&kr, v, x, len, &b, &r) == HB_ROLLBACK && strstr(r.reason, "older than version 5"),
        "version 4 after 5: rollback refused (%s)", r.reason);
    free(x);
    TAP(hb_check(&kr, v, elf, sizeof elf, &b, &r) == HB_UNSIGNED, "a bare ELF object: refused as unsigned (%s)",
        r.reason);
    unsigned char other_elf[sizeof elf];
    memcpy(other_elf, elf, sizeof elf);
    other_elf[100] ^= 0xff;
    x = make_bundle(k1, "filter", "serial_rx", 5, other_elf, sizeof other_elf, &len);
    TAP(hb_check(&kr, v, x, len, &b, &r) == HB_VERSION_CONFLICT, "same version, other content: refused (%s)", r.reason);
    free(x);
    TAP(memcmp(before, v, sizeof *v) == 0, "no refusal changed the version table");
    TAP(hb_check(&kr, v, v5, len, &b, &r) == HB_OK, "the installed bundle itself again: accepted (idempotent)");

    x = make_bundle(k1, "filter", "serial_rx", 6, elf, sizeof elf, &len);
    TAP(hb_check(&kr, v, x, len, &b, &r) == HB_OK, "version 6: accepted");
    hb_versions_commit(v, &b);
    free(x);
    /* A detach does not lower the floor: version 5 stays refused. */
    TAP(hb_check(&kr, v, v5, len, &b, &r) == HB_ROLLBACK, "version 5 after 6 was installed: rollback (%s)", r.reason);

    hb_versions_init(v);
    char name[32];
    for (unsigned i = 0; i < HB_VERSIONS_MAX; i++) {
        snprintf(name, sizeof name, "p%u", i);
        x = make_bundle(k1, name, "h", 1, elf, sizeof elf, &len);
        if (hb_check(&kr, v, x, len, &b, &r) == HB_OK)
            hb_versions_commit(v, &b);
        free(x);
    }
    x = make_bundle(k1, "one-more", "h", 1, elf, sizeof elf, &len);
    TAP(hb_check(&kr, v, x, len, &b, &r) == HB_TABLE_FULL, "a %uth program name: refused (%s)", HB_VERSIONS_MAX + 1,
        r.reason);
    free(x);
    x = make_bundle(k1, "p7", "h", 2, elf, sizeof elf, &len);
    TAP(hb_check(&kr, v, x, len, &b, &r) == HB_OK, "a full table still takes new versions of known names");
    free(x);

    struct hb_keyring empty;
    hb_keyring_init(&empty, ring, 0, &r);
    TAP(hb_check(&empty, v, v5, len, &b, &r) == HB_UNKNOWN_KEY, "an empty keyring accepts nothing (%s)", r.reason);
    free(v5);
    free(ops);
    free(v);
    free(before);
}

/* Random damage to a signed bundle: nothing that differs from it is accepted. */
static void mutations(const struct key *k)
{
    unsigned char ring[64];
    struct hb_keyring kr;
    struct hb_result r;
    hb_pubkey_file(ring, "release", k->pk);
    hb_keyring_init(&kr, ring, sizeof ring, &r);
    struct hb_versions *v = malloc(sizeof *v);
    hb_versions_init(v);
    size_t len;
    unsigned char *good = make_bundle(k, "filter", "serial_rx", 5, elf, sizeof elf, &len);
    unsigned char *b = malloc(len);
    struct hb_bundle out;
    int accepted = 0, n = 3000, by_status[HB_STATUS_COUNT] = {0};
    for (int i = 0; i < n; i++) {
        memcpy(b, good, len);
        size_t cut = len;
        int flips = 1 + (int)randombytes_uniform(3);
        for (int f = 0; f < flips; f++)
            b[randombytes_uniform((uint32_t)len)] ^= (unsigned char)(1 + randombytes_uniform(255));
        if (randombytes_uniform(4) == 0)
            cut = randombytes_uniform((uint32_t)len);
        enum hb_status s = hb_check(&kr, v, b, cut, &out, &r);
        by_status[s]++;
        if (s == HB_OK)
            accepted++;
    }
    TAP(accepted == 0,
        "%d randomly damaged bundles: none accepted (malformed %d, unsigned %d, unknown key %d, "
        "bad signature %d)",
        n, by_status[HB_MALFORMED], by_status[HB_UNSIGNED], by_status[HB_UNKNOWN_KEY], by_status[HB_BAD_SIGNATURE]);
    free(b);
    free(good);
    free(v);
}

void test_bundle(void)
{
    struct key k1, k2, stranger;
    crypto_sign_keypair(k1.pk, k1.sk);
    crypto_sign_keypair(k2.pk, k2.sk);
    crypto_sign_keypair(stranger.pk, stranger.sk);
    randombytes_buf(elf, sizeof elf);
    memcpy(elf, "\177ELF", 4);
    malformed(&k1);
    keys_and_keyring(&k1, &k2);
    admission(&k1, &k2, &stranger);
    mutations(&k1);
}
