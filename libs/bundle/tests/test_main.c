/* Host tests of libs/bundle: crypto against RFC 8032 and the system's
 * libsodium, bundle parsing and the admission check, the measurement log
 * and attestation, and the hyposctl key and signing commands. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

int tap_count, tap_failed;

void hex_decode(unsigned char *out, const char *hex, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (unsigned char)v;
    }
}

unsigned char *read_whole_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc(n > 0 ? (size_t)n : 1);
    if (fread(b, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(b);
        return NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0) {
        printf("not ok 1 BUNDLE libsodium initialises\n1 passed, 1 failed\n");
        return 1;
    }
    const char *tmpdir = argc > 1 ? argv[1] : "/tmp";
    test_crypto();
    test_bundle();
    test_mlog();
    test_bootlog();
    test_control();
    test_cli(tmpdir);
    printf("%d passed, %d failed\n", tap_count - tap_failed, tap_failed);
    return tap_failed != 0;
}
