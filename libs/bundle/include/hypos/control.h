/*
 * The agent's security state in one place: the keyring and device key
 * built into the image, the version floors, the measurement log and the
 * programs installed. The agent PD calls these around its own work:
 *
 *   hb_control_admit     before it hands a bundle's object to the bpf PD
 *                        (refusal: nothing changed, res says why)
 *   hb_control_installed once the program is attached or has replaced one
 *   hb_control_detached  once a program is detached
 *   hb_control_config    once a configuration value is set
 *   hb_control_attest    to answer an attestation request
 */
#ifndef HYPOS_CONTROL_H
#define HYPOS_CONTROL_H

#include <hypos/bundle.h>
#include <hypos/mlog.h>

#define HB_PROGS_MAX 32u

struct hb_installed {
    uint32_t prog_id; /* 0 = free slot */
    uint64_t version;
    char name[HB_NAME_FIELD];
    char hook[HB_NAME_FIELD];
    uint8_t digest[HB_SHA256_BYTES];
};

struct hb_control {
    struct hb_keyring keyring;
    struct hb_versions versions;
    struct hb_mlog log;
    struct hb_installed progs[HB_PROGS_MAX];
    int has_device_key;
    char device_name[HB_KEY_NAME_FIELD];
    uint8_t device_sk[HB_ED25519_SECRET_BYTES];
};

/* keyring: a keyring region (public key files one after another, zero
 * after them); device_key: a region holding a secret key file, or NULL
 * (then attestation is refused). The log keeps capacity entries in ring
 * and chains. HB_OK, or HB_BAD_KEY when a region is malformed. */
enum hb_status hb_control_init(struct hb_control *c, const void *keyring, size_t keyring_size, const void *device_key,
                               size_t device_key_size, struct hb_mlog_entry *ring, uint8_t (*chains)[HB_SHA256_BYTES],
                               uint32_t capacity, struct hb_result *res);

/* The admission check (hb_check) against this state; changes nothing. */
enum hb_status hb_control_admit(const struct hb_control *c, const uint8_t *bundle, size_t len, struct hb_bundle *out,
                                struct hb_result *res);

/* b (admitted) now runs as prog_id; replaced_id is the program it took
 * the place of (0 for a load). Raises the version floor and logs LOAD or
 * REPLACE. HB_TABLE_FULL when more than HB_PROGS_MAX run at once (the
 * agent checks hb_control_can_install first). */
enum hb_status hb_control_installed(struct hb_control *c, uint32_t prog_id, uint32_t replaced_id,
                                    const struct hb_bundle *b, struct hb_result *res);
/* 1 when one more program fits (a replacement always fits). */
int hb_control_can_install(const struct hb_control *c);
/* prog_id was detached: logged with its name, version and measurement. */
void hb_control_detached(struct hb_control *c, uint32_t prog_id);
/* The record of a running program, or NULL. */
const struct hb_installed *hb_control_find(const struct hb_control *c, uint32_t prog_id);
/* A configuration value was set: logged with SHA-256 of the value text. */
void hb_control_config(struct hb_control *c, const char *pd, const char *key, const void *value, size_t len);

/* Signs the log (see hb_attest_build); window holds max entries, or the
 * log's capacity when max is 0. HB_BAD_KEY when no device key is built in. */
enum hb_status hb_control_attest(const struct hb_control *c, const uint8_t nonce[HB_ATTEST_NONCE_BYTES],
                                 uint64_t first_seq, uint32_t max, struct hb_mlog_entry *window,
                                 struct hb_attestation *out, struct hb_result *res);

#endif
