/* hyposctl keygen, keyring, sign, inspect and the attestation report,
 * called as hyposctl's main calls them. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hypos/bundle.h>
#include <hypos/mlog.h>

#include "hyposctl_sign.h"
#include "tap.h"

#define RUN(...)                                               \
    ({                                                         \
        char *argv_[] = {__VA_ARGS__, NULL};                   \
        int argc_ = (int)(sizeof argv_ / sizeof argv_[0]) - 1; \
        fflush(stdout);                                        \
        int saved_ = dup(1);                                   \
        FILE *null_ = freopen("/dev/null", "w", stdout);       \
        (void)null_;                                           \
        int rc_ = cmd(argc_, argv_);                           \
        fflush(stdout);                                        \
        dup2(saved_, 1);                                       \
        close(saved_);                                         \
        rc_;                                                   \
    })

static char *path(const char *dir, const char *name)
{
    static char buf[8][512];
    static int next;
    char *p = buf[next++ % 8];
    snprintf(p, 512, "%s/%s", dir, name);
    return p;
}

void test_cli(const char *tmpdir)
{
    char dir[400];
    snprintf(dir, sizeof dir, "%s/hyposctl-test-XXXXXX", tmpdir);
    if (!mkdtemp(dir)) {
        TAP(0, "hyposctl: a scratch directory in %s", tmpdir);
        return;
    }
    int (*cmd)(int, char **);
    cmd = hyposctl_cmd_keygen;
    char *rel = strdup(path(dir, "release")), *ops = strdup(path(dir, "ops"));
    TAP(RUN("keygen", "release", "-o", rel) == 0, "hyposctl keygen writes a key pair");
    struct stat st;
    TAP(stat(path(dir, "release.key"), &st) == 0 && (st.st_mode & 0777) == 0600 && st.st_size == HB_SECKEY_FILE_SIZE,
        "the secret key file is %u bytes, mode 0600", HB_SECKEY_FILE_SIZE);
    TAP(RUN("keygen", "release", "-o", rel) == 1, "keygen refuses to overwrite a key");
    TAP(RUN("keygen", "bad/name") == 2, "keygen refuses a name with '/'");
    RUN("keygen", "ops", "-o", ops);

    cmd = hyposctl_cmd_keyring;
    TAP(RUN("keyring", path(dir, "ring"), path(dir, "release.pub"), path(dir, "ops.pub")) == 0,
        "hyposctl keyring of two public keys");
    TAP(RUN("keyring", path(dir, "ring2"), path(dir, "release.pub"), path(dir, "release.pub")) == 1,
        "keyring refuses the same key twice");
    TAP(RUN("keyring", path(dir, "ring2"), path(dir, "release.key")) == 1, "keyring refuses a secret key file");

    unsigned char elf[200];
    randombytes_buf(elf, sizeof elf);
    memcpy(elf, "\177ELF", 4);
    FILE *f = fopen(path(dir, "prog.bpf.o"), "wb");
    fwrite(elf, 1, sizeof elf, f);
    fclose(f);
    cmd = hyposctl_cmd_sign;
    TAP(RUN("sign", "-k", path(dir, "release.key"), "-n", "filter", "-V", "7", "-H", "serial_rx",
            path(dir, "prog.bpf.o")) == 0,
        "hyposctl sign writes prog.bpf.bundle");
    size_t len, rlen;
    unsigned char *b = read_whole_file(path(dir, "prog.bpf.bundle"), &len);
    unsigned char *ring = read_whole_file(path(dir, "ring"), &rlen);
    struct hb_keyring kr;
    struct hb_versions v;
    struct hb_bundle out;
    struct hb_result r;
    hb_versions_init(&v);
    TAP(b && ring && hb_keyring_init(&kr, ring, rlen, &r) == HB_OK && kr.count == 2 &&
            hb_check(&kr, &v, b, len, &out, &r) == HB_OK && out.version == 7 && !strcmp(out.hook, "serial_rx") &&
            !memcmp(out.elf, elf, sizeof elf),
        "the agent's check accepts the signed bundle with the keyring (%s)", b && ring ? r.reason : "files missing");
    TAP(RUN("sign", "-k", path(dir, "release.pub"), "-n", "filter", "-V", "7", "-H", "serial_rx",
            path(dir, "prog.bpf.o")) == 1,
        "sign refuses a public key file as the key");
    TAP(RUN("sign", "-k", path(dir, "release.key"), "-n", "filter", "-V", "0", "-H", "serial_rx",
            path(dir, "prog.bpf.o")) == 2,
        "sign refuses version 0");
    TAP(RUN("sign", "-k", path(dir, "release.key"), "-n", "filter", "-V", "1", "-H", "serial rx",
            path(dir, "prog.bpf.o")) == 1,
        "sign refuses a hook name with a space");
    TAP(RUN("sign", "-k", path(dir, "release.key"), "-n", "f", "-V", "1", "-H", "h", "-o", path(dir, "x.bundle"),
            path(dir, "ring")) == 1,
        "sign refuses a file that is not an ELF object");

    cmd = hyposctl_cmd_inspect;
    TAP(RUN("inspect", "-r", path(dir, "ring"), path(dir, "prog.bpf.bundle")) == 0, "hyposctl inspect: accepted");
    TAP(RUN("inspect", "-r", path(dir, "ring"), "--installed", "8", path(dir, "prog.bpf.bundle")) == 1,
        "hyposctl inspect --installed 8: version 7 refused as rollback");
    TAP(RUN("inspect", "-r", path(dir, "release.pub"), path(dir, "prog.bpf.o")) == 1,
        "hyposctl inspect: a bare object is refused");
    b[len - 3] ^= 1;
    f = fopen(path(dir, "bad.bundle"), "wb");
    fwrite(b, 1, len, f);
    fclose(f);
    TAP(RUN("inspect", "-r", path(dir, "ring"), path(dir, "bad.bundle")) == 1,
        "hyposctl inspect: a damaged signature is refused");
    free(b);
    free(ring);

    /* an attestation built as the agent builds it, checked by the report */
    cmd = hyposctl_cmd_keygen;
    RUN("keygen", "device", "-o", path(dir, "device"));
    size_t klen;
    unsigned char *kfile = read_whole_file(path(dir, "device.key"), &klen);
    char kname[24];
    unsigned char sk[64], nonce[32], d[32] = {1};
    hb_seckey_parse(kfile, klen, kname, sk, &r);
    struct hb_mlog_entry ringbuf[4], window[4];
    uint8_t chains[4][32];
    struct hb_mlog log;
    hb_mlog_init(&log, ringbuf, chains, 4);
    hb_mlog_append(&log, HB_MLOG_LOAD, 1, 7, "filter", "serial_rx", d);
    hb_mlog_append(&log, HB_MLOG_DETACH, 1, 7, "filter", "serial_rx", d);
    hyposctl_attest_nonce(nonce);
    struct hb_attestation a;
    hb_attest_build(&log, sk, nonce, 0, 0, window, &a);
    FILE *sink = fopen("/dev/null", "w");
    TAP(hyposctl_attest_report(&a, nonce, path(dir, "device.pub"), sink, sink) == 0,
        "attestation report: verified against device.pub");
    TAP(hyposctl_attest_report(&a, nonce, path(dir, "release.pub"), sink, sink) == 1,
        "attestation report: refused against another public key");
    window[0].version = 6;
    TAP(hyposctl_attest_report(&a, nonce, path(dir, "device.pub"), sink, sink) == 1,
        "attestation report: a changed entry is refused");

    /* boot measurements against an expectation file as the tool writes it */
    struct hb_mlog_entry boot[3];
    uint8_t dk[32], ds[32], dp[32];
    memset(dk, 0xab, 32), memset(ds, 0x01, 32), memset(dp, 0xfe, 32);
    hb_mlog_entry_fill(&boot[0], 0, HB_MLOG_BOOT_KERNEL, 0, 76600, "kernel", 6, "kernel copy", 11, dk);
    hb_mlog_entry_fill(&boot[1], 1, HB_MLOG_BOOT_SYSTEM, 0, 4096, "system", 6, "specification", 13, ds);
    hb_mlog_entry_fill(&boot[2], 2, HB_MLOG_BOOT_PD, 0, 812, "agent", 5, "program", 7, dp);
    struct hb_mlog blog;
    struct hb_mlog_entry bring[4], bwindow[4];
    uint8_t bchains[4][32];
    hb_mlog_init(&blog, bring, bchains, 4);
    hb_mlog_set_boot(&blog, boot, 3);
    hb_mlog_append(&blog, HB_MLOG_LOAD, 1, 7, "filter", "serial_rx", d);
    hb_attest_build(&blog, sk, nonce, 0, 0, bwindow, &a);
    static const char good[] =
        "# comment\n\nboot-kernel kernel 76600 "
        "abababababababababababababababababababababababababababababababab\n"
        "boot-system system 4096 0101010101010101010101010101010101010101010101010101010101010101\n"
        "boot-pd agent 812 fefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefe\n";
    f = fopen(path(dir, "img.measurements"), "w");
    fputs(good, f);
    fclose(f);
    TAP(hyposctl_attest_report_expect(&a, nonce, path(dir, "device.pub"), path(dir, "img.measurements"), sink, sink) ==
            0,
        "attestation report --expect: boot measurements equal the expectation");
    char text[sizeof good], *at = strstr(strcpy(text, good), "boot-pd agent 812 fe") + 18;
    *at = '0';
    f = fopen(path(dir, "img.measurements"), "w");
    fputs(text, f);
    fclose(f);
    char errbuf[2048] = {0};
    FILE *errs = fmemopen(errbuf, sizeof errbuf - 1, "w");
    TAP(hyposctl_attest_report_expect(&a, nonce, path(dir, "device.pub"), path(dir, "img.measurements"), sink, errs) ==
                1 &&
            (fflush(errs), strstr(errbuf, "boot measurement of boot-pd 'agent' differs")),
        "attestation report --expect: a different PD value is named (%.80s)", errbuf);
    fclose(errs);
    boot[2].digest[0] ^= 1;
    TAP(hyposctl_attest_report_expect(&a, nonce, path(dir, "device.pub"), NULL, sink, sink) == 1,
        "attestation report: a changed boot entry is refused");
    boot[2].digest[0] ^= 1;
    static const struct {
        const char *text, *why;
    } bad[] = {
        {"boot-pd agent 812\n", "line 1: expected 'KIND NAME BYTES SHA256'"},
        {"boot-pd agent 812 fefe\n", "line 1: 'fefe' is not a SHA-256"},
        {"# x\nload agent 812 fefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefe\n",
         "line 2: unknown kind 'load'"},
        {"boot-pd agent 1 fefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefe\n"
         "boot-pd agent 1 fefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefe\n",
         "line 2: boot-pd 'agent' is expected twice"},
        {"boot-pd a_name_that_is_thirty_two_charsx 1 "
         "fefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefe\n",
         "longer than 31 characters"},
        {"boot-pd agent 1 gefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefe\n", "not a SHA-256"},
        {"boot-pd agent 1 fefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefe extra\n", "expected 'KIND"},
        {"# nothing\n", "no measurements in it"},
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct hyposctl_expected x[4];
        uint32_t nx;
        char why[160] = "";
        TAP(hyposctl_expect_parse(bad[i].text, x, 4, &nx, why, sizeof why) == -1 && strstr(why, bad[i].why),
            "measurements file refused: %s", why);
    }
    fclose(sink);
    free(kfile);
    free(rel);
    free(ops);
    static const char *const files[] = {"release.key", "release.pub",     "ops.key",    "ops.pub",    "ring",
                                        "prog.bpf.o",  "prog.bpf.bundle", "bad.bundle", "device.key", "device.pub"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        unlink(path(dir, files[i]));
    rmdir(dir);
}
