/* hyposctl keygen and keyring: Ed25519 key pairs from libsodium, written
 * in the key file formats of include/hypos/bundle.h. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hypos/bundle.h>

#include "hyposctl_sign.h"

int hyposctl_crypto_init(void) { return sodium_init() < 0 ? -1 : 0; }

uint8_t *hyposctl_read_file(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *buf = malloc(max + 1);
    size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
    int bad = !buf || ferror(f);
    fclose(f);
    if (bad || n > max) {
        free(buf);
        errno = bad ? EIO : EFBIG;
        return NULL;
    }
    *len = n;
    return buf;
}

/* Creates path with mode, refusing to replace a file unless force. */
static int write_new_file(const char *path, const void *data, size_t len, mode_t mode, int force)
{
    int fd = open(path, O_WRONLY | O_CREAT | (force ? O_TRUNC : O_EXCL), mode);
    if (fd < 0) {
        fprintf(stderr, "hyposctl: %s: %s%s\n", path, strerror(errno),
                errno == EEXIST ? " (use --force to replace it)" : "");
        return -1;
    }
    ssize_t n = write(fd, data, len);
    if (n != (ssize_t)len || fsync(fd) != 0) {
        fprintf(stderr, "hyposctl: %s: write failed\n", path);
        close(fd);
        return -1;
    }
    return close(fd);
}

int hyposctl_cmd_keygen(int argc, char **argv)
{
    const char *name = NULL, *prefix = NULL;
    int force = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc)
            prefix = argv[++i];
        else if (!strcmp(argv[i], "--force"))
            force = 1;
        else if (argv[i][0] != '-' && !name)
            name = argv[i];
        else {
            name = NULL; /* unknown option or a second name: usage */
            break;
        }
    }
    if (!name) {
        fprintf(stderr, "usage: hyposctl keygen NAME [-o PREFIX] [--force]\n"
                        "  writes PREFIX.key (secret) and PREFIX.pub (public); PREFIX defaults to NAME\n");
        return 2;
    }
    if (!hb_name_ok(name, HB_KEY_NAME_FIELD)) {
        fprintf(stderr, "hyposctl: key name must be 1..%u characters of A-Z a-z 0-9 _ . -\n", HB_KEY_NAME_FIELD - 1);
        return 2;
    }
    if (!prefix)
        prefix = name;
    uint8_t pk[HB_ED25519_PUBLIC_BYTES], sk[HB_ED25519_SECRET_BYTES];
    uint8_t pub[HB_PUBKEY_FILE_SIZE], sec[HB_SECKEY_FILE_SIZE];
    crypto_sign_keypair(pk, sk);
    hb_pubkey_file(pub, name, pk);
    hb_seckey_file(sec, name, sk);
    sodium_memzero(sk, sizeof sk);
    size_t plen = strlen(prefix) + 5;
    char *kpath = malloc(plen), *ppath = malloc(plen);
    snprintf(kpath, plen, "%s.key", prefix);
    snprintf(ppath, plen, "%s.pub", prefix);
    int rc = 0;
    if (write_new_file(kpath, sec, sizeof sec, 0600, force) != 0 ||
        write_new_file(ppath, pub, sizeof pub, 0644, force) != 0)
        rc = 1;
    sodium_memzero(sec, sizeof sec);
    if (!rc) {
        printf("key '%s': secret %s, public %s (", name, kpath, ppath);
        for (int i = 0; i < 32; i++)
            printf("%02x", pk[i]);
        printf(")\n");
    }
    free(kpath);
    free(ppath);
    return rc;
}

int hyposctl_cmd_keyring(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: hyposctl keyring OUT A.pub [B.pub ...]\n"
                        "  the keyring a system image builds in (prefill_path of the agent's keyring region)\n");
        return 2;
    }
    size_t n = (size_t)argc - 2, len;
    uint8_t *ring = calloc(n, HB_PUBKEY_FILE_SIZE);
    for (size_t i = 0; i < n; i++) {
        const char *path = argv[2 + i];
        uint8_t *buf = hyposctl_read_file(path, 4096, &len);
        char name[HB_KEY_NAME_FIELD];
        uint8_t pk[HB_ED25519_PUBLIC_BYTES];
        struct hb_result r;
        if (!buf) {
            fprintf(stderr, "hyposctl: %s: %s\n", path, strerror(errno));
            free(ring);
            return 1;
        }
        if (hb_pubkey_parse(buf, len, name, pk, &r) != HB_OK) {
            fprintf(stderr, "hyposctl: %s: %s\n", path, r.reason);
            free(buf);
            free(ring);
            return 1;
        }
        for (size_t j = 0; j < i; j++)
            if (!memcmp(ring + j * HB_PUBKEY_FILE_SIZE + 32, pk, 32)) {
                fprintf(stderr, "hyposctl: %s: the same key is in the keyring already\n", path);
                free(buf);
                free(ring);
                return 1;
            }
        memcpy(ring + i * HB_PUBKEY_FILE_SIZE, buf, HB_PUBKEY_FILE_SIZE);
        free(buf);
    }
    int rc = write_new_file(argv[1], ring, n * HB_PUBKEY_FILE_SIZE, 0644, 1) ? 1 : 0;
    if (!rc)
        printf("keyring %s: %zu keys\n", argv[1], n);
    free(ring);
    return rc;
}
