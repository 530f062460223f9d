/* hyposctl sign and inspect: signed bundles (include/hypos/bundle.h)
 * made and checked on the host with the same code the agent runs. */
#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include <hypos/bundle.h>

#include "hyposctl_sign.h"

static void print_hex(FILE *f, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x", p[i]);
}

static int parse_version(const char *s, uint64_t *v)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (errno || !*s || *end || s[0] == '-' || x == 0)
        return -1;
    *v = x;
    return 0;
}

int hyposctl_make_bundle(const char *key_path, const char *name, const char *hook, uint64_t version, const uint8_t *elf,
                         size_t elf_len, uint8_t **bundle, size_t *bundle_len, FILE *err)
{
    size_t klen;
    uint8_t *kfile = hyposctl_read_file(key_path, 4096, &klen);
    if (!kfile) {
        fprintf(err, "hyposctl: %s: %s\n", key_path, strerror(errno));
        return -1;
    }
    char kname[HB_KEY_NAME_FIELD];
    uint8_t sk[HB_ED25519_SECRET_BYTES];
    struct hb_result r;
    enum hb_status s = hb_seckey_parse(kfile, klen, kname, sk, &r);
    sodium_memzero(kfile, klen);
    free(kfile);
    if (s != HB_OK) {
        fprintf(err, "hyposctl: %s: %s\n", key_path, r.reason);
        return -1;
    }
    if (elf_len > HB_ELF_MAX) {
        fprintf(err, "hyposctl: ELF object of %zu bytes, bundles hold at most %u\n", elf_len, HB_ELF_MAX);
        sodium_memzero(sk, sizeof sk);
        return -1;
    }
    size_t len = HB_BUNDLE_HEADER_SIZE + elf_len + HB_ED25519_SIG_BYTES;
    uint8_t *b = calloc(1, len);
    if (hb_bundle_header(b, name, hook, version, (uint32_t)elf_len, sk + 32, &r) != HB_OK) {
        fprintf(err, "hyposctl: %s\n", r.reason);
        sodium_memzero(sk, sizeof sk);
        free(b);
        return -1;
    }
    memcpy(b + HB_BUNDLE_HEADER_SIZE, elf, elf_len);
    /* libsodium signs; the result must pass the agent's own parser. */
    crypto_sign_detached(b + len - HB_ED25519_SIG_BYTES, NULL, b, len - HB_ED25519_SIG_BYTES, sk);
    sodium_memzero(sk, sizeof sk);
    struct hb_bundle parsed;
    if (hb_bundle_parse(b, len, &parsed, &r) != HB_OK) {
        fprintf(err, "hyposctl: the object does not make a valid bundle: %s\n", r.reason);
        free(b);
        return -1;
    }
    *bundle = b;
    *bundle_len = len;
    return 0;
}

static int write_file(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "hyposctl: %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

int hyposctl_cmd_sign(int argc, char **argv)
{
    const char *key = NULL, *name = NULL, *hook = NULL, *ver = NULL, *out = NULL, *obj = NULL;
    int bad = 0;
    for (int i = 1; i < argc && !bad; i++) {
        const char **slot = !strcmp(argv[i], "-k") || !strcmp(argv[i], "--key")       ? &key
                            : !strcmp(argv[i], "-n") || !strcmp(argv[i], "--name")    ? &name
                            : !strcmp(argv[i], "-H") || !strcmp(argv[i], "--hook")    ? &hook
                            : !strcmp(argv[i], "-V") || !strcmp(argv[i], "--version") ? &ver
                            : !strcmp(argv[i], "-o")                                  ? &out
                                                                                      : NULL;
        if (slot && i + 1 < argc)
            *slot = argv[++i];
        else if (!slot && argv[i][0] != '-' && !obj)
            obj = argv[i];
        else
            bad = 1;
    }
    uint64_t version = 0;
    if (bad || !key || !name || !hook || !ver || !obj) {
        fprintf(stderr, "usage: hyposctl sign -k KEY.key -n NAME -V VERSION -H HOOK [-o OUT] OBJECT.bpf.o\n"
                        "  NAME and HOOK: 1..31 characters of A-Z a-z 0-9 _ . -; VERSION: 1 or more\n");
        return 2;
    }
    if (parse_version(ver, &version) != 0) {
        fprintf(stderr, "hyposctl: version '%s' is not a whole number of 1 or more\n", ver);
        return 2;
    }
    size_t elf_len;
    uint8_t *elf = hyposctl_read_file(obj, HB_ELF_MAX, &elf_len);
    if (!elf) {
        fprintf(stderr, "hyposctl: %s: %s\n", obj,
                errno == EFBIG ? "larger than a bundle holds (1 MiB)" : strerror(errno));
        return 1;
    }
    uint8_t *b;
    size_t len;
    int rc = hyposctl_make_bundle(key, name, hook, version, elf, elf_len, &b, &len, stderr);
    free(elf);
    if (rc)
        return 1;
    char *def = NULL;
    if (!out) {
        size_t n = strlen(obj);
        def = malloc(n + 8);
        memcpy(def, obj, n + 1);
        if (n > 2 && !strcmp(def + n - 2, ".o"))
            def[n - 2] = 0;
        strcat(def, ".bundle");
        out = def;
    }
    rc = write_file(out, b, len) ? 1 : 0;
    if (!rc) {
        printf("%s: '%s' version %" PRIu64 " for hook '%s', %zu bytes, sha256 ", out, name, version, hook, len);
        uint8_t d[32];
        crypto_hash_sha256(d, b, len);
        print_hex(stdout, d, 32);
        printf("\n");
    }
    free(def);
    free(b);
    return rc;
}

int hyposctl_cmd_inspect(int argc, char **argv)
{
    const char *ring_path = NULL, *installed = NULL, *path = NULL;
    int bad = 0;
    for (int i = 1; i < argc && !bad; i++) {
        if ((!strcmp(argv[i], "-r") || !strcmp(argv[i], "--keyring")) && i + 1 < argc)
            ring_path = argv[++i];
        else if (!strcmp(argv[i], "--installed") && i + 1 < argc)
            installed = argv[++i];
        else if (argv[i][0] != '-' && !path)
            path = argv[i];
        else
            bad = 1;
    }
    if (bad || !path) {
        fprintf(stderr, "usage: hyposctl inspect [-r KEYRING] [--installed VERSION] BUNDLE\n");
        return 2;
    }
    size_t len;
    uint8_t *buf = hyposctl_read_file(path, HB_BUNDLE_MAX, &len);
    if (!buf) {
        fprintf(stderr, "hyposctl: %s: %s\n", path, strerror(errno));
        return 1;
    }
    struct hb_bundle b;
    struct hb_result r;
    int rc = 0;
    if (hb_bundle_parse(buf, len, &b, &r) != HB_OK) {
        fprintf(stderr, "hyposctl: %s: refused (%s): %s\n", path, hb_status_name(r.status), r.reason);
        free(buf);
        return 1;
    }
    printf("bundle %s\n  name     %s\n  version  %" PRIu64 "\n  hook     %s\n  object   %u bytes\n  signer   ", path,
           b.name, b.version, b.hook, b.elf_size);
    print_hex(stdout, b.signer, 32);
    printf("\n  sha256   ");
    print_hex(stdout, b.digest, 32);
    printf("\n");
    if (ring_path) {
        size_t rlen;
        uint8_t *ring = hyposctl_read_file(ring_path, 1 << 20, &rlen);
        struct hb_keyring kr;
        struct hb_versions *v = calloc(1, sizeof *v);
        hb_versions_init(v);
        uint64_t floor = 0;
        if (!ring) {
            fprintf(stderr, "hyposctl: %s: %s\n", ring_path, strerror(errno));
            rc = 1;
        } else if (hb_keyring_init(&kr, ring, rlen, &r) != HB_OK) {
            fprintf(stderr, "hyposctl: %s: %s\n", ring_path, r.reason);
            rc = 1;
        } else if (installed && parse_version(installed, &floor) != 0) {
            fprintf(stderr, "hyposctl: installed version '%s' is not a whole number of 1 or more\n", installed);
            rc = 2;
        } else {
            if (floor) {
                /* what the agent would remember after installing that version */
                struct hb_bundle prior = b;
                prior.version = floor;
                memset(prior.digest, 0, sizeof prior.digest);
                hb_versions_commit(v, &prior);
            }
            if (hb_check(&kr, v, buf, len, &b, &r) == HB_OK) {
                int k = hb_keyring_find(&kr, b.signer);
                printf("  check    accepted: signed by '%s'\n", hb_keyring_name(&kr, (uint32_t)k));
            } else {
                printf("  check    refused (%s): %s\n", hb_status_name(r.status), r.reason);
                rc = 1;
            }
        }
        free(v);
        free(ring);
    }
    free(buf);
    return rc;
}
