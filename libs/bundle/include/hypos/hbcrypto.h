/*
 * Ed25519 and SHA-2 for signed eBPF bundles and attestation.
 *
 * The functions are thin wrappers around a subset of libsodium (Debian's
 * source package, fetched by scripts/setup.sh and compiled for the host and
 * for PDs without a C library). Only the hb_* names below leave the
 * library: libsodium's own symbols are made local when it is linked, so the
 * host tests can link the system libsodium next to it and compare the two.
 */
#ifndef HYPOS_HBCRYPTO_H
#define HYPOS_HBCRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define HB_ED25519_PUBLIC_BYTES 32
#define HB_ED25519_SECRET_BYTES 64 /* seed (32) followed by the public key (32) */
#define HB_ED25519_SIG_BYTES 64
#define HB_SHA256_BYTES 32
#define HB_SHA512_BYTES 64

/* 0 when sig is a valid RFC 8032 Ed25519 signature of msg under pk, -1
 * otherwise. Non-canonical S, small-order R or A and non-canonical A are
 * refused (libsodium's strict rules). */
int hb_ed25519_verify(const uint8_t sig[HB_ED25519_SIG_BYTES], const uint8_t *msg, size_t len,
                      const uint8_t pk[HB_ED25519_PUBLIC_BYTES]);
/* Deterministic RFC 8032 signature of msg with sk (seed || public key). */
void hb_ed25519_sign(uint8_t sig[HB_ED25519_SIG_BYTES], const uint8_t *msg, size_t len,
                     const uint8_t sk[HB_ED25519_SECRET_BYTES]);

/* Streaming SHA-256; the state is opaque storage for libsodium's. */
struct hb_sha256 {
    uint64_t opaque[14];
};
void hb_sha256_init(struct hb_sha256 *s);
void hb_sha256_update(struct hb_sha256 *s, const void *data, size_t len);
void hb_sha256_final(struct hb_sha256 *s, uint8_t out[HB_SHA256_BYTES]);
void hb_sha256(uint8_t out[HB_SHA256_BYTES], const void *data, size_t len);
void hb_sha512(uint8_t out[HB_SHA512_BYTES], const void *data, size_t len);

/* Comparison whose time does not depend on where the inputs differ:
 * 0 when equal, -1 otherwise. */
int hb_equal_ct(const void *a, const void *b, size_t len);

#endif
