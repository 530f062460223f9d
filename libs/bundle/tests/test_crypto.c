/* Ed25519 and SHA-2 as built here against RFC 8032's vectors and against
 * the system's libsodium (Debian libsodium-dev). */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include <hypos/hbcrypto.h>

#include "rfc8032_vectors.h"
#include "tap.h"

/* The group order L (RFC 8032 section 5.1), little-endian. */
static const unsigned char group_order[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                              0xa2, 0xde, 0xf9, 0xde, 0x14, 0,    0,    0,    0,    0,    0,
                                              0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};

/* S + L: the same scalar, not reduced; RFC 8032 section 5.1.7 requires S < L. */
static void add_order(unsigned char s[32])
{
    unsigned carry = 0;
    for (int i = 0; i < 32; i++) {
        unsigned v = s[i] + group_order[i] + carry;
        s[i] = (unsigned char)v;
        carry = v >> 8;
    }
}

static void rfc_vectors(void)
{
    for (size_t i = 0; i < sizeof rfc8032_vectors / sizeof rfc8032_vectors[0]; i++) {
        const struct rfc8032_vector *v = &rfc8032_vectors[i];
        size_t mlen = strlen(v->msg) / 2;
        unsigned char seed[32], pk[32], sig[64], sk[64], mine[64], lib_pk[32], lib_sk[64];
        unsigned char *msg = malloc(mlen + 1);
        hex_decode(seed, v->seed, 32);
        hex_decode(pk, v->pk, 32);
        hex_decode(sig, v->sig, 64);
        hex_decode(msg, v->msg, mlen);
        crypto_sign_seed_keypair(lib_pk, lib_sk, seed);
        TAP(memcmp(lib_pk, pk, 32) == 0, "RFC 8032 %s: libsodium derives the vector's public key", v->name);
        memcpy(sk, seed, 32);
        memcpy(sk + 32, pk, 32);
        hb_ed25519_sign(mine, msg, mlen, sk);
        TAP(memcmp(mine, sig, 64) == 0, "RFC 8032 %s: hb_ed25519_sign gives the vector's signature", v->name);
        TAP(hb_ed25519_verify(sig, msg, mlen, pk) == 0, "RFC 8032 %s: hb_ed25519_verify accepts it", v->name);
        sig[i % 64] ^= 0x10;
        TAP(hb_ed25519_verify(sig, msg, mlen, pk) != 0, "RFC 8032 %s: one flipped signature bit is refused", v->name);
        free(msg);
    }
}

static void hashes(void)
{
    unsigned char buf[2048], a[64], b[64];
    int same256 = 1, same512 = 1, stream = 1;
    for (int n = 0; n < 400; n++) {
        size_t len = (size_t)randombytes_uniform(sizeof buf + 1);
        randombytes_buf(buf, len);
        hb_sha256(a, buf, len);
        crypto_hash_sha256(b, buf, len);
        same256 &= memcmp(a, b, 32) == 0;
        hb_sha512(a, buf, len);
        crypto_hash_sha512(b, buf, len);
        same512 &= memcmp(a, b, 64) == 0;
        struct hb_sha256 s;
        hb_sha256_init(&s);
        size_t cut = len ? randombytes_uniform((uint32_t)len) : 0;
        hb_sha256_update(&s, buf, cut);
        hb_sha256_update(&s, buf + cut, len - cut);
        hb_sha256_final(&s, a);
        crypto_hash_sha256(b, buf, len);
        stream &= memcmp(a, b, 32) == 0;
    }
    TAP(same256, "SHA-256 equals libsodium's on 400 random inputs of 0..2048 bytes");
    TAP(same512, "SHA-512 equals libsodium's on 400 random inputs of 0..2048 bytes");
    TAP(stream, "streaming SHA-256 in two pieces equals the one-shot digest");
    /* FIPS 180-2 "abc" */
    hb_sha256(a, "abc", 3);
    hex_decode(b, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 32);
    TAP(memcmp(a, b, 32) == 0, "SHA-256(\"abc\") is the FIPS 180-2 value");
}

/* A corpus of valid and forged signatures: every verdict must be
 * libsodium's, valid ones accepted and forgeries refused. */
static void random_corpus(int keys)
{
    int disagree = 0, wrong_accept = 0, wrong_refuse = 0, sign_diff = 0, total = 0;
    unsigned char pk[32], sk[64], pk2[32], sk2[64], msg[300], sig[64], f[64], m2[300];
    for (int k = 0; k < keys; k++) {
        crypto_sign_keypair(pk, sk);
        crypto_sign_keypair(pk2, sk2);
        size_t len = randombytes_uniform(sizeof msg);
        randombytes_buf(msg, len);
        crypto_sign_detached(sig, NULL, msg, len, sk);
        hb_ed25519_sign(f, msg, len, sk);
        sign_diff += memcmp(f, sig, 64) != 0;
        for (int kind = 0; kind < 8; kind++) {
            const unsigned char *key = pk, *m = msg;
            size_t ml = len;
            memcpy(f, sig, 64);
            switch (kind) {
            case 0: /* valid */
                break;
            case 1: /* one bit of the signature */
                f[randombytes_uniform(64)] ^= (unsigned char)(1u << randombytes_uniform(8));
                break;
            case 2: /* one bit of the message */
                if (!len)
                    continue;
                memcpy(m2, msg, len);
                m2[randombytes_uniform((uint32_t)len)] ^= (unsigned char)(1u << randombytes_uniform(8));
                m = m2;
                break;
            case 3: /* another key */
                key = pk2;
                break;
            case 4: /* S + L: same value, not canonical */
                add_order(f + 32);
                break;
            case 5: /* the identity as R: small order */
                memset(f, 0, 32);
                f[0] = 1;
                break;
            case 6: /* random bytes */
                randombytes_buf(f, 64);
                break;
            case 7: /* message cut short */
                if (!len)
                    continue;
                ml = len - 1;
                break;
            }
            int lib = crypto_sign_verify_detached(f, m, ml, key);
            int mine = hb_ed25519_verify(f, m, ml, key);
            total++;
            disagree += (lib == 0) != (mine == 0);
            if (kind == 0)
                wrong_refuse += mine != 0;
            else
                wrong_accept += mine == 0;
        }
    }
    TAP(sign_diff == 0, "random corpus: %d keys, signatures identical to libsodium's (%d differ)", keys, sign_diff);
    TAP(disagree == 0, "random corpus: %d verdicts (valid and 7 kinds of forgery) agree with libsodium (%d differ)",
        total, disagree);
    TAP(wrong_refuse == 0, "random corpus: every valid signature accepted (%d refused)", wrong_refuse);
    TAP(wrong_accept == 0, "random corpus: every forgery refused (%d accepted)", wrong_accept);
}

void test_crypto(void)
{
    rfc_vectors();
    hashes();
    const char *n = getenv("BUNDLE_CORPUS_KEYS");
    random_corpus(n ? atoi(n) : 500);
    unsigned char a[8] = {1, 2, 3}, b[8] = {1, 2, 3};
    TAP(hb_equal_ct(a, b, 8) == 0, "hb_equal_ct: equal buffers");
    b[7] = 9;
    TAP(hb_equal_ct(a, b, 8) == -1, "hb_equal_ct: a difference in the last byte");
}
