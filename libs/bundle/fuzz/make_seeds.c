/* Seeds for fuzz_bundle: a bundle signed with the key the target trusts
 * (RFC 8032 test 1), its public and secret key files. usage: make_seeds DIR */
#include <stdio.h>
#include <string.h>

#include <hypos/bundle.h>

static const unsigned char sk[64] = {0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4, 0x92,
                                     0xec, 0x2c, 0xc4, 0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b,
                                     0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60, 0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a,
                                     0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a, 0x0e, 0xe1, 0x72, 0xf3,
                                     0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a};

static void put(const char *dir, const char *name, const void *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, len, f);
        fclose(f);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    unsigned char b[128 + 64 + 64], file[96];
    struct hb_result r;
    hb_bundle_header(b, "seed", "serial_rx", 1, 64, sk + 32, &r);
    memset(b + 128, 0x42, 64);
    memcpy(b + 128, "\177ELF", 4);
    hb_ed25519_sign(b + 192, b, 192, sk);
    put(argv[1], "bundle", b, sizeof b);
    hb_pubkey_file(file, "seed", sk + 32);
    put(argv[1], "pub", file, 64);
    hb_seckey_file(file, "seed", sk);
    put(argv[1], "key", file, 96);
    return 0;
}
