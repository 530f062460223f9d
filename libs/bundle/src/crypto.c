/*
 * The hb_* crypto API over libsodium's Ed25519 (ref10) and SHA-2 (cp)
 * code. This file is compiled with libsodium's headers; the Makefile links
 * it with the libsodium objects into one relocatable object and keeps only
 * the hb_* symbols global.
 */
#include "crypto_hash_sha256.h"
#include "crypto_hash_sha512.h"
#include "crypto_sign_ed25519.h"

#include <hypos/hbcrypto.h>

_Static_assert(sizeof(struct hb_sha256) >= sizeof(crypto_hash_sha256_state),
               "hb_sha256 must hold libsodium's SHA-256 state");
_Static_assert(_Alignof(struct hb_sha256) >= _Alignof(crypto_hash_sha256_state),
               "hb_sha256 must be aligned like libsodium's SHA-256 state");
_Static_assert(crypto_sign_ed25519_BYTES == HB_ED25519_SIG_BYTES, "signature size");
_Static_assert(crypto_sign_ed25519_PUBLICKEYBYTES == HB_ED25519_PUBLIC_BYTES, "public key size");
_Static_assert(crypto_sign_ed25519_SECRETKEYBYTES == HB_ED25519_SECRET_BYTES, "secret key size");

int hb_ed25519_verify(const uint8_t sig[HB_ED25519_SIG_BYTES], const uint8_t *msg, size_t len,
                      const uint8_t pk[HB_ED25519_PUBLIC_BYTES])
{
    return crypto_sign_ed25519_verify_detached(sig, msg, len, pk) == 0 ? 0 : -1;
}

void hb_ed25519_sign(uint8_t sig[HB_ED25519_SIG_BYTES], const uint8_t *msg, size_t len,
                     const uint8_t sk[HB_ED25519_SECRET_BYTES])
{
    crypto_sign_ed25519_detached(sig, NULL, msg, len, sk);
}

void hb_sha256_init(struct hb_sha256 *s) { crypto_hash_sha256_init((crypto_hash_sha256_state *)s); }

void hb_sha256_update(struct hb_sha256 *s, const void *data, size_t len)
{
    crypto_hash_sha256_update((crypto_hash_sha256_state *)s, data, len);
}

void hb_sha256_final(struct hb_sha256 *s, uint8_t out[HB_SHA256_BYTES])
{
    crypto_hash_sha256_final((crypto_hash_sha256_state *)s, out);
}

void hb_sha256(uint8_t out[HB_SHA256_BYTES], const void *data, size_t len) { crypto_hash_sha256(out, data, len); }

void hb_sha512(uint8_t out[HB_SHA512_BYTES], const void *data, size_t len) { crypto_hash_sha512(out, data, len); }
