/* Writes a corpus of Ed25519 cases made with the system's libsodium, for
 * corpus_check to replay against the library as built for the host and
 * for riscv64. Each record: u8 kind, u8 expected (1 = libsodium accepts),
 * u16 message length, public key (32), signature (64), secret key (64,
 * zero unless kind is SIGN), message. Kinds: 0 valid, 1..7 forgeries
 * (as in test_crypto.c), 8 SIGN (the signature must be reproduced).
 * usage: corpus_make KEYS SEED-BYTE > corpus */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char group_order[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                              0xa2, 0xde, 0xf9, 0xde, 0x14, 0,    0,    0,    0,    0,    0,
                                              0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};

static void emit(int kind, const unsigned char *pk, const unsigned char *sig, const unsigned char *sk,
                 const unsigned char *msg, size_t len)
{
    unsigned char head[4] = {(unsigned char)kind, 0, (unsigned char)len, (unsigned char)(len >> 8)};
    static const unsigned char zero[64];
    head[1] = kind == 8 ? 1 : crypto_sign_verify_detached(sig, msg, len, pk) == 0;
    fwrite(head, 1, 4, stdout);
    fwrite(pk, 1, 32, stdout);
    fwrite(sig, 1, 64, stdout);
    fwrite(sk ? sk : zero, 1, 64, stdout);
    fwrite(msg, 1, len, stdout);
}

int main(int argc, char **argv)
{
    if (argc < 2 || sodium_init() < 0)
        return 2;
    int keys = atoi(argv[1]);
    unsigned char pk[32], sk[64], pk2[32], sk2[64], msg[600], sig[64], f[64], m2[600];
    for (int k = 0; k < keys; k++) {
        crypto_sign_keypair(pk, sk);
        crypto_sign_keypair(pk2, sk2);
        size_t len = randombytes_uniform(sizeof msg);
        randombytes_buf(msg, len);
        crypto_sign_detached(sig, NULL, msg, len, sk);
        emit(8, pk, sig, sk, msg, len);
        emit(0, pk, sig, NULL, msg, len);
        memcpy(f, sig, 64);
        f[randombytes_uniform(64)] ^= (unsigned char)(1u << randombytes_uniform(8));
        emit(1, pk, f, NULL, msg, len);
        if (len) {
            memcpy(m2, msg, len);
            m2[randombytes_uniform((uint32_t)len)] ^= (unsigned char)(1u << randombytes_uniform(8));
            emit(2, pk, sig, NULL, m2, len);
            emit(7, pk, sig, NULL, msg, len - 1);
        }
        emit(3, pk2, sig, NULL, msg, len);
        memcpy(f, sig, 64);
        unsigned carry = 0;
        for (int i = 0; i < 32; i++) {
            unsigned v = f[32 + i] + group_order[i] + carry;
            f[32 + i] = (unsigned char)v;
            carry = v >> 8;
        }
        emit(4, pk, f, NULL, msg, len);
        memcpy(f, sig, 64);
        memset(f, 0, 32);
        f[0] = 1;
        emit(5, pk, f, NULL, msg, len);
        randombytes_buf(f, 64);
        emit(6, pk, f, NULL, msg, len);
    }
    return 0;
}
