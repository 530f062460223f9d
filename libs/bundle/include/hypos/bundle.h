/*
 * Signed eBPF bundles: the byte layout, parsing, keys and the check the
 * control-plane agent makes before it hands a program to the bpf PD.
 *
 * Layout (all integers little-endian; docs/control-plane-security.md):
 *
 *   offset size  field
 *        0    8  magic "HYPOSBDL"
 *        8    2  format version, 1
 *       10    2  header size, 128
 *       12    4  flags, 0 (no flag is defined; others are refused)
 *       16    8  program version, 1 or more (rollback is judged on it)
 *       24   32  program name, [A-Za-z0-9_.-]{1,31}, NUL-padded
 *       56   32  target hook name, same rules
 *       88    4  ELF object size in bytes, 1 .. HB_ELF_MAX
 *       92    4  reserved, 0
 *       96   32  signer's Ed25519 public key
 *      128    n  the eBPF ELF object (n = ELF object size)
 *    128+n   64  Ed25519 signature over bytes [0, 128+n)
 *
 * The signature covers the whole header (the signer's key included) and
 * the object; nothing may follow it.
 */
#ifndef HYPOS_BUNDLE_H
#define HYPOS_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include <hypos/hbcrypto.h>

#define HB_BUNDLE_MAGIC "HYPOSBDL"
#define HB_BUNDLE_FORMAT 1u
#define HB_BUNDLE_HEADER_SIZE 128u
#define HB_NAME_FIELD 32u /* name and hook fields: at most 31 characters */
#define HB_ELF_MAX (1u << 20)
#define HB_BUNDLE_MAX (HB_BUNDLE_HEADER_SIZE + HB_ELF_MAX + HB_ED25519_SIG_BYTES)

/* Public key file (.pub) and keyring entry: 64 bytes. A keyring is public
 * key files one after another (cat a.pub b.pub > keyring); an all-zero
 * entry or the end of the region ends it (a memory region prefilled from
 * a keyring file is zero past the file). */
#define HB_PUBKEY_MAGIC "HKPK"
#define HB_PUBKEY_FILE_SIZE 64u
#define HB_KEY_NAME_FIELD 24u /* at most 23 characters */
/* Secret key file (.key): "HKSK", u32 flags 0, name[24], secret key[64]. */
#define HB_SECKEY_MAGIC "HKSK"
#define HB_SECKEY_FILE_SIZE 96u

enum hb_status {
    HB_OK = 0,
    HB_MALFORMED,        /* not a well-formed bundle; the reason says where */
    HB_UNSIGNED,         /* a bare ELF object or an empty signature */
    HB_UNKNOWN_KEY,      /* signed by a key not built into the image */
    HB_BAD_SIGNATURE,    /* the signature does not verify */
    HB_ROLLBACK,         /* older than the newest version installed under that name */
    HB_VERSION_CONFLICT, /* same version as installed, other content */
    HB_TABLE_FULL,       /* no room to remember one more program name */
    HB_BAD_KEY,          /* a key file or keyring is malformed */
    HB_LOG_INCONSISTENT, /* attestation: log and digest do not match */
    HB_WRONG_DEVICE,     /* attestation: signed by another device key */
    HB_STATUS_COUNT
};

struct hb_result {
    enum hb_status status;
    char reason[160];
};

/* Stable names ("malformed", "bad-signature", ...) for messages and logs. */
const char *hb_status_name(enum hb_status s);

struct hb_bundle {
    char name[HB_NAME_FIELD];
    char hook[HB_NAME_FIELD];
    uint64_t version;
    const uint8_t *elf; /* points into the parsed buffer */
    uint32_t elf_size;
    const uint8_t *signer;           /* 32 bytes, in the buffer */
    const uint8_t *signature;        /* 64 bytes, in the buffer */
    size_t signed_size;              /* header + ELF object */
    uint8_t digest[HB_SHA256_BYTES]; /* SHA-256 of the whole bundle: its measurement */
};

/* 1 when s fits a name field of that size: 1..size-1 characters of
 * A-Z a-z 0-9 _ . - (program, hook and key names). */
int hb_name_ok(const char *s, size_t field);

/* Structure only (no key, no signature check): HB_OK and *out filled, or
 * HB_MALFORMED / HB_UNSIGNED with the reason. */
enum hb_status hb_bundle_parse(const uint8_t *buf, size_t len, struct hb_bundle *out, struct hb_result *res);

/* Writes the 128-byte header for a bundle (the signing side). Returns
 * HB_OK or HB_MALFORMED when name, hook, version or size break the rules. */
enum hb_status hb_bundle_header(uint8_t hdr[HB_BUNDLE_HEADER_SIZE], const char *name, const char *hook,
                                uint64_t version, uint32_t elf_size, const uint8_t signer[HB_ED25519_PUBLIC_BYTES],
                                struct hb_result *res);

/* A keyring in memory (e.g. a prefilled memory region). */
struct hb_keyring {
    const uint8_t *base;
    uint32_t count; /* entries before the first all-zero one */
};
/* HB_OK, or HB_BAD_KEY naming the first malformed entry. */
enum hb_status hb_keyring_init(struct hb_keyring *kr, const uint8_t *base, size_t size, struct hb_result *res);
/* Index of pk in the keyring, or -1. */
int hb_keyring_find(const struct hb_keyring *kr, const uint8_t pk[HB_ED25519_PUBLIC_BYTES]);
/* The name of entry i (NUL-terminated, in the keyring). */
const char *hb_keyring_name(const struct hb_keyring *kr, uint32_t i);

/* Key files. */
void hb_pubkey_file(uint8_t out[HB_PUBKEY_FILE_SIZE], const char *name, const uint8_t pk[HB_ED25519_PUBLIC_BYTES]);
void hb_seckey_file(uint8_t out[HB_SECKEY_FILE_SIZE], const char *name, const uint8_t sk[HB_ED25519_SECRET_BYTES]);
enum hb_status hb_pubkey_parse(const uint8_t *buf, size_t len, char name[HB_KEY_NAME_FIELD],
                               uint8_t pk[HB_ED25519_PUBLIC_BYTES], struct hb_result *res);
/* Also checks that the secret and public halves belong together (one
 * signature made and verified). */
enum hb_status hb_seckey_parse(const uint8_t *buf, size_t len, char name[HB_KEY_NAME_FIELD],
                               uint8_t sk[HB_ED25519_SECRET_BYTES], struct hb_result *res);

/* The newest version accepted per program name: it stays after a detach,
 * so a program cannot be detached and then loaded again older. */
#define HB_VERSIONS_MAX 64u
struct hb_version_floor {
    char name[HB_NAME_FIELD]; /* "" = free */
    uint64_t version;
    uint8_t digest[HB_SHA256_BYTES];
};
struct hb_versions {
    struct hb_version_floor e[HB_VERSIONS_MAX];
};
void hb_versions_init(struct hb_versions *v);

/*
 * The agent's check before installing a bundle: structure, known signer,
 * signature, rollback (in that order). Changes nothing: on HB_OK the agent
 * installs the program and then calls hb_versions_commit; on any refusal
 * res names the reason and the caller leaves the system as it was.
 */
enum hb_status hb_check(const struct hb_keyring *kr, const struct hb_versions *v, const uint8_t *buf, size_t len,
                        struct hb_bundle *out, struct hb_result *res);
/* Records b as installed (raises the floor of its name). Never fails for a
 * bundle hb_check accepted against the same table. */
void hb_versions_commit(struct hb_versions *v, const struct hb_bundle *b);

#endif
