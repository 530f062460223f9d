/*
 * The agent's measurement log and attestation.
 *
 * Every change the agent makes to the running system (a program loaded,
 * replaced or detached, a configuration value set) is appended as an
 * entry. Entries are hash-chained:
 *
 *   chain[0]   = 32 zero bytes
 *   chain[i+1] = SHA-256(chain[i] || encode(entry i))
 *
 * where encode() is the fixed 128-byte form below, and the log digest is
 * the last chain value. The log keeps the newest `capacity` entries in a
 * ring; an older entry leaves only its effect on the chain behind (the
 * anchor: the chain value before the oldest entry kept).
 *
 * Canonical entry encoding (little-endian), 128 bytes:
 *      0  8  sequence number (0, 1, 2, ...)
 *      8  4  kind (enum hb_mlog_kind)
 *     12  4  program id the agent gave (0 for configuration changes)
 *     16  8  program version (0 for configuration changes)
 *     24 32  program name, or the PD name of a configuration change
 *     56 32  hook name, or the configuration key
 *     88 32  SHA-256 of the bundle, or of the configuration value
 *    120  8  reserved, 0
 *
 * An attestation is an Ed25519 signature by the device key over
 *   "hypos-attest-v1\0" (16) || nonce (32) || entry count (8, LE) ||
 *   log digest (32) || device public key (32)             = 120 bytes
 * sent with a window of the newest entries and the chain value before the
 * window, so the verifier can recompute the digest from them.
 */
#ifndef HYPOS_MLOG_H
#define HYPOS_MLOG_H

#include <stddef.h>
#include <stdint.h>

#include <hypos/bundle.h>

enum hb_mlog_kind {
    HB_MLOG_LOAD = 1,
    HB_MLOG_REPLACE = 2, /* the new program; the old one gets no DETACH entry */
    HB_MLOG_DETACH = 3,
    HB_MLOG_CONFIG = 4,
};

struct hb_mlog_entry {
    uint64_t seq;
    uint32_t kind;
    uint32_t prog_id;
    uint64_t version;
    char name[HB_NAME_FIELD];
    char hook[HB_NAME_FIELD];
    uint8_t digest[HB_SHA256_BYTES];
};

#define HB_MLOG_ENTRY_ENCODED 128u

struct hb_mlog {
    struct hb_mlog_entry *ring;
    uint8_t (*chains)[HB_SHA256_BYTES]; /* chain value after each ring slot's entry */
    uint32_t capacity;
    uint64_t count;                  /* entries ever appended */
    uint8_t anchor[HB_SHA256_BYTES]; /* chain before the oldest entry kept */
    uint8_t head[HB_SHA256_BYTES];   /* the log digest */
};

/* ring and chains hold capacity elements each (capacity >= 1). */
void hb_mlog_init(struct hb_mlog *log, struct hb_mlog_entry *ring, uint8_t (*chains)[HB_SHA256_BYTES],
                  uint32_t capacity);
/* Appends an entry; name and hook are C strings (cut to 31 characters,
 * the rest of the field zero). Returns the entry's sequence number. */
uint64_t hb_mlog_append(struct hb_mlog *log, enum hb_mlog_kind kind, uint32_t prog_id, uint64_t version,
                        const char *name, const char *hook, const uint8_t digest[HB_SHA256_BYTES]);
/* The sequence number of the oldest entry kept. */
uint64_t hb_mlog_oldest(const struct hb_mlog *log);
/* Entry seq if still kept, else NULL. */
const struct hb_mlog_entry *hb_mlog_get(const struct hb_mlog *log, uint64_t seq);
/* The chain value before entry seq (oldest <= seq <= count): 0, else -1. */
int hb_mlog_chain_before(const struct hb_mlog *log, uint64_t seq, uint8_t out[HB_SHA256_BYTES]);

/* Fills *e as the agent logged it: name and hook cut to 31 bytes, the
 * rest of their fields zero (what a decoder of AttestResponse.entries
 * must do before hb_attest_verify; a string longer than 31 bytes cannot
 * have been logged, so the entry will not verify). */
void hb_mlog_entry_fill(struct hb_mlog_entry *e, uint64_t seq, uint32_t kind, uint32_t prog_id, uint64_t version,
                        const char *name, size_t name_len, const char *hook, size_t hook_len,
                        const uint8_t digest[HB_SHA256_BYTES]);
void hb_mlog_encode(const struct hb_mlog_entry *e, uint8_t out[HB_MLOG_ENTRY_ENCODED]);
/* chain = SHA-256(chain || encode(e)), in place. */
void hb_mlog_chain_step(uint8_t chain[HB_SHA256_BYTES], const struct hb_mlog_entry *e);

#define HB_ATTEST_NONCE_BYTES 32u
#define HB_ATTEST_SIGNED_BYTES 120u
#define HB_ATTEST_CONTEXT "hypos-attest-v1"

/* An attestation as it travels: built by the agent, checked by the host. */
struct hb_attestation {
    uint8_t device_key[HB_ED25519_PUBLIC_BYTES];
    uint8_t nonce[HB_ATTEST_NONCE_BYTES];
    uint64_t count;                  /* entries ever appended */
    uint8_t digest[HB_SHA256_BYTES]; /* log digest over all of them */
    uint64_t first_seq;              /* sequence number of entries[0] */
    uint8_t anchor[HB_SHA256_BYTES]; /* chain value before entries[0] */
    const struct hb_mlog_entry *entries;
    uint32_t n_entries; /* entries first_seq .. count-1 */
    uint8_t signature[HB_ED25519_SIG_BYTES];
};

void hb_attest_signed_bytes(uint8_t out[HB_ATTEST_SIGNED_BYTES], const uint8_t nonce[HB_ATTEST_NONCE_BYTES],
                            uint64_t count, const uint8_t digest[HB_SHA256_BYTES],
                            const uint8_t device_key[HB_ED25519_PUBLIC_BYTES]);

/* The agent's side: signs the current digest with the device key (secret
 * key, seed || public key) and fills *out with the newest entries, at most
 * max (0 = all kept) and none older than first_seq, copied into
 * window[] (max elements, or capacity when max is 0). */
void hb_attest_build(const struct hb_mlog *log, const uint8_t device_sk[HB_ED25519_SECRET_BYTES],
                     const uint8_t nonce[HB_ATTEST_NONCE_BYTES], uint64_t first_seq, uint32_t max,
                     struct hb_mlog_entry *window, struct hb_attestation *out);

/* The verifier's side: device key as expected, nonce the one sent,
 * signature valid, entries numbered first_seq.. in order and up to count,
 * and the chain from the anchor through them ending at the signed digest.
 * HB_OK or the first failure with its reason. */
enum hb_status hb_attest_verify(const struct hb_attestation *a, const uint8_t expected_key[HB_ED25519_PUBLIC_BYTES],
                                const uint8_t nonce[HB_ATTEST_NONCE_BYTES], struct hb_result *res);

const char *hb_mlog_kind_name(uint32_t kind);

#endif
