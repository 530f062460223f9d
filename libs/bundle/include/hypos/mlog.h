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
 * for a log without boot entries, and for one with them over
 *   "hypos-attest-v2\0" (16) || nonce (32) || entry count (8, LE) ||
 *   log digest (32) || device public key (32) ||
 *   boot entry count (8, LE) || chain after the boot entries (32) = 160 bytes
 * sent with the boot entries (all of them), a window of the newest
 * entries and the chain value before the window, so the verifier can
 * recompute both digests: the boot entries stay verifiable after the
 * entries between them and the window have left the ring.
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
    /* Boot measurements, written by the initialiser before any PD runs
     * (include/hypos/bootlog.h): the first entries of every log. name is
     * "kernel", "system" or the PD's name (cut to 31 characters), hook
     * what was hashed, version the number of bytes hashed, prog_id the
     * PD's index in the system (the monitor's is the number of PDs). */
    HB_MLOG_BOOT_KERNEL = 16,
    HB_MLOG_BOOT_SYSTEM = 17,
    HB_MLOG_BOOT_PD = 18,
};

/* 1 for the three boot kinds. */
int hb_mlog_is_boot_kind(uint32_t kind);

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
    /* the boot prefix: entries 0 .. n_boot-1, kept whole whatever the
     * ring evicts, and the chain value after them */
    const struct hb_mlog_entry *boot;
    uint32_t n_boot;
    uint8_t boot_digest[HB_SHA256_BYTES];
};

/* ring and chains hold capacity elements each (capacity >= 1). */
void hb_mlog_init(struct hb_mlog *log, struct hb_mlog_entry *ring, uint8_t (*chains)[HB_SHA256_BYTES],
                  uint32_t capacity);
/* Appends an entry; name and hook are C strings (cut to 31 characters,
 * the rest of the field zero). Returns the entry's sequence number. */
uint64_t hb_mlog_append(struct hb_mlog *log, enum hb_mlog_kind kind, uint32_t prog_id, uint64_t version,
                        const char *name, const char *hook, const uint8_t digest[HB_SHA256_BYTES]);
/* Starts an empty log with n boot entries (seq 0..n-1, boot kinds; the
 * caller keeps them in memory for the log's lifetime). 0, else -1 (the
 * log is not empty, or an entry is out of order or of another kind). */
int hb_mlog_set_boot(struct hb_mlog *log, const struct hb_mlog_entry *boot, uint32_t n);
/* The sequence number of the oldest entry of the ring kept (boot entries
 * are always kept: n_boot when none has left the ring). */
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
/* The inverse of hb_mlog_encode for an encoding read from elsewhere:
 * HB_OK, or HB_MALFORMED when reserved bytes are not zero or a name
 * field is not 0-31 bytes followed by NUL padding (res says which). */
enum hb_status hb_mlog_decode(struct hb_mlog_entry *e, const uint8_t in[HB_MLOG_ENTRY_ENCODED], struct hb_result *res);
/* chain = SHA-256(chain || encode(e)), in place. */
void hb_mlog_chain_step(uint8_t chain[HB_SHA256_BYTES], const struct hb_mlog_entry *e);

#define HB_ATTEST_NONCE_BYTES 32u
#define HB_ATTEST_SIGNED_BYTES 120u
#define HB_ATTEST_CONTEXT "hypos-attest-v1"
#define HB_ATTEST_SIGNED_BYTES_BOOT 160u
#define HB_ATTEST_CONTEXT_BOOT "hypos-attest-v2"

/* An attestation as it travels: built by the agent, checked by the host. */
struct hb_attestation {
    uint8_t device_key[HB_ED25519_PUBLIC_BYTES];
    uint8_t nonce[HB_ATTEST_NONCE_BYTES];
    uint64_t count;                  /* entries ever appended */
    uint8_t digest[HB_SHA256_BYTES]; /* log digest over all of them */
    uint64_t first_seq;              /* sequence number of entries[0] */
    uint8_t anchor[HB_SHA256_BYTES]; /* chain value before entries[0] */
    const struct hb_mlog_entry *entries;
    uint32_t n_entries;               /* entries first_seq .. count-1 */
    const struct hb_mlog_entry *boot; /* entries 0 .. n_boot-1 */
    uint32_t n_boot;
    uint8_t boot_digest[HB_SHA256_BYTES]; /* chain value after them */
    uint8_t signature[HB_ED25519_SIG_BYTES];
};

/* The bytes the device signs; returns their length (120 without boot
 * entries, 160 with). out holds HB_ATTEST_SIGNED_BYTES_BOOT. */
uint32_t hb_attest_signed_bytes(uint8_t out[HB_ATTEST_SIGNED_BYTES_BOOT], const uint8_t nonce[HB_ATTEST_NONCE_BYTES],
                                uint64_t count, const uint8_t digest[HB_SHA256_BYTES],
                                const uint8_t device_key[HB_ED25519_PUBLIC_BYTES], uint64_t n_boot,
                                const uint8_t boot_digest[HB_SHA256_BYTES]);

/* The agent's side: signs the current digest with the device key (secret
 * key, seed || public key) and fills *out with the newest entries, at most
 * max (0 = all kept) and none older than first_seq, copied into
 * window[] (max elements, or capacity when max is 0). */
void hb_attest_build(const struct hb_mlog *log, const uint8_t device_sk[HB_ED25519_SECRET_BYTES],
                     const uint8_t nonce[HB_ATTEST_NONCE_BYTES], uint64_t first_seq, uint32_t max,
                     struct hb_mlog_entry *window, struct hb_attestation *out);

/* The verifier's side: device key as expected, nonce the one sent,
 * signature valid, boot entries numbered 0.. with boot kinds and chained
 * from zero to the signed boot digest, window entries numbered
 * first_seq.. (at or after the boot entries) in order and up to count,
 * the anchor the boot digest when the window follows the boot entries
 * directly, and the chain from the anchor through them ending at the
 * signed digest.
 * HB_OK or the first failure with its reason. */
enum hb_status hb_attest_verify(const struct hb_attestation *a, const uint8_t expected_key[HB_ED25519_PUBLIC_BYTES],
                                const uint8_t nonce[HB_ATTEST_NONCE_BYTES], struct hb_result *res);

const char *hb_mlog_kind_name(uint32_t kind);

#endif
