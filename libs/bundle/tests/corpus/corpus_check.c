/* Replays a corpus from corpus_make against hb_ed25519_verify/sign as
 * built for this machine (the host, or riscv64 under qemu-riscv64) and
 * prints one TAP line. usage: corpus_check NAME < corpus */
#include <stdio.h>
#include <string.h>

#include <hypos/hbcrypto.h>

int main(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : "host";
    unsigned char head[4], pk[32], sig[64], sk[64], msg[65536], mine[64];
    long records = 0, verdicts = 0, signatures = 0, accepted = 0, refused = 0, differ = 0;
    while (fread(head, 1, 4, stdin) == 4) {
        size_t len = head[2] | (size_t)head[3] << 8;
        if (fread(pk, 1, 32, stdin) != 32 || fread(sig, 1, 64, stdin) != 64 || fread(sk, 1, 64, stdin) != 64 ||
            fread(msg, 1, len, stdin) != len) {
            printf("not ok 1 BUNDLE corpus on %s: truncated record %ld\n", name, records);
            return 1;
        }
        records++;
        if (head[0] == 8) {
            hb_ed25519_sign(mine, msg, len, sk);
            signatures++;
            differ += memcmp(mine, sig, 64) != 0;
            continue;
        }
        int ok = hb_ed25519_verify(sig, msg, len, pk) == 0;
        verdicts++;
        accepted += ok;
        refused += !ok;
        differ += ok != head[1];
    }
    printf("%sok 1 BUNDLE corpus on %s: %ld signatures made and %ld verdicts (%ld valid accepted, %ld forgeries "
           "refused) as libsodium, %ld differ\n",
           differ || !records ? "not " : "", name, signatures, verdicts, accepted, refused, differ);
    return differ != 0 || !records;
}
