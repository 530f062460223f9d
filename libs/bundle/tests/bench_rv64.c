/*
 * Guest instructions for the control plane's crypto on riscv64: the
 * library as built for PDs, bare metal under QEMU virt with -icount
 * shift=0 (rdinstret counts retired instructions). Prints BENCH lines on
 * the 16550 UART; entered from bench/bpf/riscv64/start.S.
 */
#include <stdint.h>

#include <hypos/bundle.h>
#include <hypos/mlog.h>

#define UART0 ((volatile uint8_t *)0x10000000)

static void put_char(char c)
{
    while (!(UART0[5] & 0x20))
        ;
    UART0[0] = (uint8_t)c;
}

static void put_str(const char *s)
{
    while (*s)
        put_char(*s++);
}

static void put_u64(uint64_t v)
{
    char b[24];
    int n = 0;
    do {
        b[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        put_char(b[--n]);
}

static inline uint64_t instret(void)
{
    uint64_t v;
    __asm__ volatile("rdinstret %0" : "=r"(v));
    return v;
}

/* RFC 8032 test 1's key pair (seed || public key). */
static const uint8_t test_sk[64] = {0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4, 0x92,
                                    0xec, 0x2c, 0xc4, 0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b,
                                    0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60, 0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a,
                                    0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a, 0x0e, 0xe1, 0x72, 0xf3,
                                    0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a};

#define ELF_SIZE 8192u /* about a 1,000-instruction program's object */
#define RUNS 5
static uint8_t bundle[HB_BUNDLE_HEADER_SIZE + ELF_SIZE + 64];
static uint8_t ring[64];
static struct hb_versions versions;
static struct hb_mlog_entry log_ring[16], window[16];
static uint8_t log_chains[16][32];

static void report(const char *name, uint64_t *t)
{
    /* sort RUNS values for the median */
    for (int i = 1; i < RUNS; i++)
        for (int j = i; j > 0 && t[j - 1] > t[j]; j--) {
            uint64_t x = t[j];
            t[j] = t[j - 1];
            t[j - 1] = x;
        }
    put_str("BENCH ");
    put_str(name);
    put_str(" guest_instructions median=");
    put_u64(t[RUNS / 2]);
    put_str(" min=");
    put_u64(t[0]);
    put_str(" max=");
    put_u64(t[RUNS - 1]);
    put_str(" n=");
    put_u64(RUNS);
    put_str("\n");
}

int bench_main(void);
int bench_main(void)
{
    struct hb_result r;
    struct hb_bundle b;
    struct hb_keyring kr;
    uint64_t t[RUNS];
    uint8_t sig[64], digest[32];
    int bad = 0;

    for (unsigned i = 0; i < ELF_SIZE; i++)
        bundle[HB_BUNDLE_HEADER_SIZE + i] = (uint8_t)(i * 37 + 11);
    bundle[HB_BUNDLE_HEADER_SIZE] = 0x7f;
    bundle[HB_BUNDLE_HEADER_SIZE + 1] = 'E';
    bundle[HB_BUNDLE_HEADER_SIZE + 2] = 'L';
    bundle[HB_BUNDLE_HEADER_SIZE + 3] = 'F';
    hb_bundle_header(bundle, "bench", "serial_rx", 1, ELF_SIZE, test_sk + 32, &r);
    hb_ed25519_sign(bundle + HB_BUNDLE_HEADER_SIZE + ELF_SIZE, bundle, HB_BUNDLE_HEADER_SIZE + ELF_SIZE, test_sk);
    hb_pubkey_file(ring, "bench", test_sk + 32);
    hb_keyring_init(&kr, ring, sizeof ring, &r);
    hb_versions_init(&versions);

    for (int i = 0; i < RUNS; i++) {
        uint64_t a = instret();
        bad |= hb_ed25519_verify(bundle + sizeof bundle - 64, bundle, sizeof bundle - 64, test_sk + 32);
        t[i] = instret() - a;
    }
    report("ctl_ed25519_verify_8k", t);
    for (int i = 0; i < RUNS; i++) {
        uint64_t a = instret();
        bad |= hb_ed25519_verify(bundle + sizeof bundle - 64, bundle, 64, test_sk + 32) == 0; /* refused */
        t[i] = instret() - a;
    }
    report("ctl_ed25519_verify_64b", t);
    for (int i = 0; i < RUNS; i++) {
        uint64_t a = instret();
        bad |= hb_check(&kr, &versions, bundle, sizeof bundle, &b, &r) != HB_OK;
        t[i] = instret() - a;
    }
    report("ctl_bundle_check_8k", t);
    for (int i = 0; i < RUNS; i++) {
        uint64_t a = instret();
        hb_sha256(digest, bundle, ELF_SIZE);
        t[i] = instret() - a;
    }
    report("ctl_sha256_8k", t);
    for (int i = 0; i < RUNS; i++) {
        uint64_t a = instret();
        hb_ed25519_sign(sig, bundle, 120, test_sk);
        t[i] = instret() - a;
    }
    report("ctl_ed25519_sign_120b", t);
    struct hb_mlog log;
    struct hb_attestation att;
    hb_mlog_init(&log, log_ring, log_chains, 16);
    for (int i = 0; i < RUNS; i++) {
        uint64_t a = instret();
        hb_mlog_append(&log, HB_MLOG_LOAD, 1, 1, "bench", "serial_rx", digest);
        t[i] = instret() - a;
    }
    report("ctl_mlog_append", t);
    for (int i = 0; i < RUNS; i++) {
        uint64_t a = instret();
        hb_attest_build(&log, test_sk, digest, 0, 0, window, &att);
        t[i] = instret() - a;
    }
    report("ctl_attest_build_5", t);
    if (bad)
        put_str("# bench: a check gave the wrong answer\n");
    return bad;
}
