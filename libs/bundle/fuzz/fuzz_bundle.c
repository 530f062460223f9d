/*
 * libFuzzer target: arbitrary bytes as a bundle, a keyring and a secret
 * key file. Every input must be refused or accepted without a memory error
 * (ASan/UBSan), and an accepted bundle must satisfy what the agent relies
 * on: fields inside the buffer, names terminated, signature valid.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hypos/bundle.h>
#include <hypos/mlog.h>

/* A fixed key (RFC 8032 test 1) whose bundles the fuzzer may find by
 * mutating the seed corpus. */
static const uint8_t pk[32] = {0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe,
                               0xd3, 0xc9, 0x64, 0x07, 0x3a, 0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6,
                               0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct hb_versions v;
    static int ready;
    static uint8_t ring[64];
    struct hb_result r;
    struct hb_keyring kr;
    if (!ready) {
        hb_versions_init(&v);
        hb_pubkey_file(ring, "fuzz", pk);
        ready = 1;
    }
    hb_keyring_init(&kr, ring, sizeof ring, &r);
    struct hb_bundle b;
    /* a private copy, so that reads past the input are caught by ASan */
    uint8_t *buf = malloc(size ? size : 1);
    memcpy(buf, data, size);
    if (hb_check(&kr, &v, buf, size, &b, &r) == HB_OK) {
        if (b.elf < buf || b.elf + b.elf_size > buf + size || !memchr(b.name, 0, sizeof b.name) ||
            !memchr(b.hook, 0, sizeof b.hook) || hb_ed25519_verify(b.signature, buf, b.signed_size, b.signer) != 0)
            abort();
    }
    /* the same bytes as a keyring and as key files */
    struct hb_keyring other;
    if (hb_keyring_init(&other, buf, size, &r) == HB_OK && other.count * 64u > size)
        abort();
    char name[HB_KEY_NAME_FIELD];
    uint8_t key[64];
    hb_pubkey_parse(buf, size, name, key, &r);
    if (size >= HB_SECKEY_FILE_SIZE)
        hb_seckey_parse(buf, size, name, key, &r);
    if (r.reason[sizeof r.reason - 1] != 0 && strlen(r.reason) >= sizeof r.reason)
        abort();
    free(buf);
    return 0;
}
