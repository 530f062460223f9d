/* The agent's sequence: admit, install, replace, detach, configure,
 * attest; refusals leave the state as it was. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include <hypos/control.h>

#include "tap.h"

static unsigned char *signed_bundle(const unsigned char *sk, const char *name, uint64_t version, unsigned char fill,
                                    size_t *len)
{
    unsigned char elf[96];
    memset(elf, fill, sizeof elf);
    memcpy(elf, "\177ELF", 4);
    struct hb_result r;
    *len = HB_BUNDLE_HEADER_SIZE + sizeof elf + 64;
    unsigned char *b = calloc(1, *len);
    hb_bundle_header(b, name, "serial_rx", version, sizeof elf, sk + 32, &r);
    memcpy(b + HB_BUNDLE_HEADER_SIZE, elf, sizeof elf);
    crypto_sign_detached(b + *len - 64, NULL, b, *len - 64, sk);
    return b;
}

void test_control(void)
{
    unsigned char pk[32], sk[64], dpk[32], dsk[64], nonce[32];
    crypto_sign_keypair(pk, sk);
    crypto_sign_keypair(dpk, dsk);
    /* regions as the system builder prefills them: the file, then zeros */
    static unsigned char keyring[4096], devkey[4096];
    hb_pubkey_file(keyring, "release", pk);
    hb_seckey_file(devkey, "device", dsk);
    static struct hb_control c;
    static struct hb_mlog_entry ring[64], window[64];
    static uint8_t chains[64][32];
    struct hb_result r;
    TAP(hb_control_init(&c, keyring, sizeof keyring, devkey, sizeof devkey, ring, chains, 64, &r) == HB_OK &&
            c.keyring.count == 1 && c.has_device_key && !strcmp(c.device_name, "device"),
        "control state from prefilled keyring and device key regions (%s)", r.reason);

    size_t len;
    struct hb_bundle b;
    unsigned char *v1 = signed_bundle(sk, "filter", 1, 0x11, &len);
    TAP(hb_control_admit(&c, v1, len, &b, &r) == HB_OK && hb_control_installed(&c, 1, 0, &b, &r) == HB_OK,
        "load of filter v1 as program 1");
    unsigned char *v2 = signed_bundle(sk, "filter", 2, 0x22, &len);
    TAP(hb_control_admit(&c, v2, len, &b, &r) == HB_OK && hb_control_installed(&c, 2, 1, &b, &r) == HB_OK &&
            hb_control_find(&c, 1) == NULL && hb_control_find(&c, 2)->version == 2,
        "replace of program 1 by filter v2 as program 2");
    static struct hb_control before;
    memcpy(&before, &c, sizeof c);
    TAP(hb_control_admit(&c, v1, len, &b, &r) == HB_ROLLBACK && !memcmp(&before, &c, sizeof c),
        "v1 again: rollback refused and nothing changed (%s)", r.reason);
    v2[200] ^= 1;
    TAP(hb_control_admit(&c, v2, len, &b, &r) == HB_BAD_SIGNATURE && !memcmp(&before, &c, sizeof c),
        "damaged v2: refused and nothing changed (%s)", r.reason);
    hb_control_detached(&c, 2);
    TAP(hb_control_find(&c, 2) == NULL && c.log.count == 3, "detach of program 2 logged");
    TAP(hb_control_admit(&c, v1, len, &b, &r) == HB_ROLLBACK, "v1 after v2 was detached: still rollback (%s)",
        r.reason);
    hb_control_config(&c, "serial", "baud_div", "17", 2);
    randombytes_buf(nonce, sizeof nonce);
    struct hb_attestation a;
    TAP(hb_control_attest(&c, nonce, 0, 0, window, &a, &r) == HB_OK && a.count == 4 &&
            hb_attest_verify(&a, dpk, nonce, &r) == HB_OK,
        "attestation of 4 changes verifies with the device public key (%s)", r.reason);
    TAP(a.n_entries == 4 && window[0].kind == HB_MLOG_LOAD && window[1].kind == HB_MLOG_REPLACE &&
            window[2].kind == HB_MLOG_DETACH && window[2].version == 2 && window[3].kind == HB_MLOG_CONFIG &&
            !strcmp(window[3].name, "serial") && !strcmp(window[3].hook, "baud_div"),
        "log: load, replace, detach (v2), config serial/baud_div, in order");
    unsigned char d[32];
    crypto_hash_sha256(d, v1, len);
    TAP(!memcmp(window[0].digest, d, 32), "the load's measurement is the SHA-256 of the bundle loaded");

    static struct hb_control no_dev;
    TAP(hb_control_init(&no_dev, keyring, sizeof keyring, NULL, 0, ring, chains, 64, &r) == HB_OK &&
            hb_control_attest(&no_dev, nonce, 0, 0, window, &a, &r) == HB_BAD_KEY,
        "without a device key attestation is refused (%s)", r.reason);
    devkey[40] ^= 1;
    TAP(hb_control_init(&no_dev, keyring, sizeof keyring, devkey, sizeof devkey, ring, chains, 64, &r) == HB_BAD_KEY,
        "a damaged device key region is refused at start (%s)", r.reason);
    keyring[0] = 'X';
    TAP(hb_control_init(&no_dev, keyring, sizeof keyring, NULL, 0, ring, chains, 64, &r) == HB_BAD_KEY,
        "a damaged keyring region is refused at start (%s)", r.reason);
    free(v1);
    free(v2);
}
