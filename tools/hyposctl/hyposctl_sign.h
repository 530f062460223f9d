/*
 * hyposctl's key, signing and attestation commands (keys.c, sign.c,
 * sign_attest.c). hyposctl's main dispatches to them: each command entry
 * takes the arguments from the command word on (argv[0] = "keygen", ...)
 * and returns the process exit status: 0 done, 1 refused or failed (the
 * reason on stderr), 2 usage error. They use libsodium (link -lsodium;
 * call sodium_init() once before, hyposctl_crypto_init does it) and
 * libs/bundle's host object.
 */
#ifndef HYPOSCTL_SIGN_H
#define HYPOSCTL_SIGN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <hypos/mlog.h>

/* 0, or -1 when libsodium cannot start (no randomness). */
int hyposctl_crypto_init(void);

/* hyposctl keygen NAME [-o PREFIX] [--force]
 * writes PREFIX.key (secret, mode 0600) and PREFIX.pub; PREFIX = NAME. */
int hyposctl_cmd_keygen(int argc, char **argv);

/* hyposctl sign -k KEY.key -n NAME -V VERSION -H HOOK [-o OUT] OBJECT.bpf.o
 * writes the signed bundle to OUT (default OBJECT with .bundle for .o). */
int hyposctl_cmd_sign(int argc, char **argv);

/* hyposctl inspect [-r KEYRING] [--installed VERSION] BUNDLE
 * prints the bundle's metadata and, given a keyring, runs the agent's
 * check offline (signer known, signature, rollback against VERSION). */
int hyposctl_cmd_inspect(int argc, char **argv);

/* hyposctl keyring OUT A.pub [B.pub ...]: the keyring a system image
 * builds in (each file checked, then concatenated). */
int hyposctl_cmd_keyring(int argc, char **argv);

/* For `hyposctl load/replace FILE --key KEY.key --name N --version V`:
 * signs an ELF object in memory. Returns 0 and a malloc'ed bundle, or -1
 * with the reason on err. */
int hyposctl_make_bundle(const char *key_path, const char *name, const char *hook, uint64_t version, const uint8_t *elf,
                         size_t elf_len, uint8_t **bundle, size_t *bundle_len, FILE *err);

/* Attestation, around the exchange main does over the control channel:
 * a fresh random nonce for the AttestRequest, then the response (decoded
 * into *a, entries NUL-padded as in struct hb_mlog_entry) checked against
 * the expected device public key file and printed. Returns the exit status. */
void hyposctl_attest_nonce(uint8_t nonce[HB_ATTEST_NONCE_BYTES]);
int hyposctl_attest_report(const struct hb_attestation *a, const uint8_t nonce[HB_ATTEST_NONCE_BYTES],
                           const char *device_pub_path, FILE *out, FILE *err);

/* The same with the boot measurements compared against expect_path (the
 * IMAGE.measurements file the microkit tool writes; NULL: no comparison):
 * each difference is named on err and the status is 1; a malformed file
 * is 2. */
int hyposctl_attest_report_expect(const struct hb_attestation *a, const uint8_t nonce[HB_ATTEST_NONCE_BYTES],
                                  const char *device_pub_path, const char *expect_path, FILE *out, FILE *err);

/* One line of IMAGE.measurements: "KIND NAME BYTES SHA256" ('#' lines and
 * blank lines skipped). */
struct hyposctl_expected {
    uint32_t kind; /* HB_MLOG_BOOT_* */
    char name[HB_NAME_FIELD];
    uint64_t bytes;
    uint8_t digest[HB_SHA256_BYTES];
};
/* Parses a measurements file's text (NUL-terminated) into out[max]: 0 and
 * *n, or -1 with the line and the reason in why. */
int hyposctl_expect_parse(const char *text, struct hyposctl_expected *out, uint32_t max, uint32_t *n, char *why,
                          size_t why_len);

/* Reads a whole file (at most max bytes); malloc'ed, NULL with errno set. */
uint8_t *hyposctl_read_file(const char *path, size_t max, size_t *len);

#endif
