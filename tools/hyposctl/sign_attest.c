/* hyposctl attest: the nonce and the check of the agent's signed
 * measurement log (include/hypos/mlog.h); main does the exchange. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include <hypos/bootlog.h>
#include <hypos/mlog.h>

#include "hyposctl_sign.h"

void hyposctl_attest_nonce(uint8_t nonce[HB_ATTEST_NONCE_BYTES]) { randombytes_buf(nonce, HB_ATTEST_NONCE_BYTES); }

static void hex(FILE *f, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x", p[i]);
}

static int unhex(uint8_t *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (!isxdigit((unsigned char)s[2 * i]) || !isxdigit((unsigned char)s[2 * i + 1]) ||
            sscanf(s + 2 * i, "%2x", &v) != 1)
            return -1;
        out[i] = (uint8_t)v;
    }
    return s[2 * n] == 0 ? 0 : -1;
}

static uint32_t kind_by_name(const char *s)
{
    static const uint32_t kinds[] = {HB_MLOG_BOOT_KERNEL, HB_MLOG_BOOT_SYSTEM, HB_MLOG_BOOT_PD};
    for (unsigned i = 0; i < 3; i++)
        if (!strcmp(s, hb_mlog_kind_name(kinds[i])))
            return kinds[i];
    return 0;
}

int hyposctl_expect_parse(const char *text, struct hyposctl_expected *out, uint32_t max, uint32_t *n, char *why,
                          size_t why_len)
{
    *n = 0;
    int line = 0;
    for (const char *p = text; *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char buf[512];
        line++;
        if (len >= sizeof buf) {
            snprintf(why, why_len, "line %d is longer than %zu characters", line, sizeof buf - 1);
            return -1;
        }
        memcpy(buf, p, len);
        buf[len] = 0;
        p += len + (eol ? 1 : 0);
        char kind[32], name[64], hexd[80], extra[8];
        unsigned long long bytes;
        if (buf[0] == '#' || strspn(buf, " \t\r") == len)
            continue;
        int got = sscanf(buf, "%31s %63s %llu %79s %7s", kind, name, &bytes, hexd, extra);
        if (got != 4) {
            snprintf(why, why_len, "line %d: expected 'KIND NAME BYTES SHA256' (as the tool writes IMAGE.measurements)",
                     line);
            return -1;
        }
        struct hyposctl_expected *e = &out[*n];
        if (!(e->kind = kind_by_name(kind))) {
            snprintf(why, why_len, "line %d: unknown kind '%s' (boot-kernel, boot-system or boot-pd)", line, kind);
            return -1;
        }
        if (strlen(name) >= HB_NAME_FIELD) {
            snprintf(why, why_len, "line %d: name '%s' longer than %u characters", line, name, HB_NAME_FIELD - 1);
            return -1;
        }
        if (unhex(e->digest, hexd, HB_SHA256_BYTES)) {
            snprintf(why, why_len, "line %d: '%s' is not a SHA-256 in 64 hex digits", line, hexd);
            return -1;
        }
        for (uint32_t i = 0; i < *n; i++)
            if (out[i].kind == e->kind && !strcmp(out[i].name, name)) {
                snprintf(why, why_len, "line %d: %s '%s' is expected twice", line, kind, name);
                return -1;
            }
        if (*n == max) {
            snprintf(why, why_len, "line %d: more than %u expected measurements", line, max);
            return -1;
        }
        memset(e->name, 0, sizeof e->name);
        memcpy(e->name, name, strlen(name)); /* shorter than the field: checked above */
        e->bytes = bytes;
        (*n)++;
    }
    if (!*n) {
        snprintf(why, why_len, "no measurements in it");
        return -1;
    }
    return 0;
}

/* Compares every boot entry with the expectation: 0 when all match and
 * none is missing on either side, else the number of differences (each
 * printed on err, naming the measurement). */
static int compare_boot(const struct hb_attestation *a, const struct hyposctl_expected *x, uint32_t nx,
                        const char *path, FILE *out, FILE *err)
{
    int differ = 0;
    for (uint32_t k = 0; k < nx; k++) {
        const struct hb_mlog_entry *e = NULL;
        for (uint32_t i = 0; i < a->n_boot && !e; i++)
            if (a->boot[i].kind == x[k].kind && !strncmp(a->boot[i].name, x[k].name, HB_NAME_FIELD))
                e = &a->boot[i];
        if (!e) {
            fprintf(err, "hyposctl: boot measurement of %s '%s' expected by %s is not in the log\n",
                    hb_mlog_kind_name(x[k].kind), x[k].name, path);
            differ++;
        } else if (memcmp(e->digest, x[k].digest, HB_SHA256_BYTES) || e->version != x[k].bytes) {
            fprintf(err, "hyposctl: boot measurement of %s '%.31s' differs from %s: expected %llu bytes ",
                    hb_mlog_kind_name(e->kind), e->name, path, (unsigned long long)x[k].bytes);
            hex(err, x[k].digest, HB_SHA256_BYTES);
            fprintf(err, ", attested %" PRIu64 " bytes ", e->version);
            hex(err, e->digest, HB_SHA256_BYTES);
            fprintf(err, "\n");
            differ++;
        }
    }
    for (uint32_t i = 0; i < a->n_boot; i++) {
        int found = 0;
        for (uint32_t k = 0; k < nx && !found; k++)
            found = a->boot[i].kind == x[k].kind && !strncmp(a->boot[i].name, x[k].name, HB_NAME_FIELD);
        if (!found) {
            fprintf(err, "hyposctl: boot measurement of %s '%.31s' is in the log but not expected by %s\n",
                    hb_mlog_kind_name(a->boot[i].kind), a->boot[i].name, path);
            differ++;
        }
    }
    if (!differ)
        fprintf(out, "boot measurements: all %u equal %s\n", nx, path);
    return differ;
}

int hyposctl_attest_report(const struct hb_attestation *a, const uint8_t nonce[HB_ATTEST_NONCE_BYTES],
                           const char *device_pub_path, FILE *out, FILE *err)
{
    return hyposctl_attest_report_expect(a, nonce, device_pub_path, NULL, out, err);
}

int hyposctl_attest_report_expect(const struct hb_attestation *a, const uint8_t nonce[HB_ATTEST_NONCE_BYTES],
                                  const char *device_pub_path, const char *expect_path, FILE *out, FILE *err)
{
    static struct hyposctl_expected expected[HB_BOOTLOG_MAX];
    uint32_t n_expected = 0;
    if (expect_path) {
        size_t elen;
        uint8_t *text = hyposctl_read_file(expect_path, 1 << 20, &elen);
        if (!text) {
            fprintf(err, "hyposctl: %s: %s\n", expect_path, strerror(errno));
            return 2;
        }
        char *z = realloc(text, elen + 1), why[160];
        z[elen] = 0;
        int bad = strlen(z) != elen || hyposctl_expect_parse(z, expected, HB_BOOTLOG_MAX, &n_expected, why, sizeof why);
        if (strlen(z) != elen)
            snprintf(why, sizeof why, "a NUL byte in it: not a measurements file");
        free(z);
        if (bad) {
            fprintf(err, "hyposctl: %s: %s\n", expect_path, why);
            return 2;
        }
    }
    size_t len;
    uint8_t *file = hyposctl_read_file(device_pub_path, 4096, &len);
    if (!file) {
        fprintf(err, "hyposctl: %s: %s\n", device_pub_path, strerror(errno));
        return 1;
    }
    char name[HB_KEY_NAME_FIELD];
    uint8_t pk[HB_ED25519_PUBLIC_BYTES];
    struct hb_result r;
    enum hb_status s = hb_pubkey_parse(file, len, name, pk, &r);
    free(file);
    if (s != HB_OK) {
        fprintf(err, "hyposctl: %s: %s\n", device_pub_path, r.reason);
        return 1;
    }
    if (hb_attest_verify(a, pk, nonce, &r) != HB_OK) {
        fprintf(err, "hyposctl: attestation refused (%s): %s\n", hb_status_name(r.status), r.reason);
        return 1;
    }
    fprintf(out,
            "attestation verified: device key '%s', %" PRIu64 " entries (%u boot measurements, %" PRIu64
            " changes), log digest ",
            name, a->count, a->n_boot, a->count - a->n_boot);
    hex(out, a->digest, HB_SHA256_BYTES);
    fprintf(out, "\n");
    if (a->n_boot) {
        fprintf(out, "boot measurements (SHA-256 by the initialiser before any PD ran):\n");
        fprintf(out, "%6s  %-12s %-24s %10s  %s\n", "seq", "kind", "name", "bytes", "sha256");
        for (uint32_t i = 0; i < a->n_boot; i++) {
            const struct hb_mlog_entry *e = &a->boot[i];
            fprintf(out, "%6" PRIu64 "  %-12s %-24.31s %10" PRIu64 "  ", e->seq, hb_mlog_kind_name(e->kind), e->name,
                    e->version);
            hex(out, e->digest, HB_SHA256_BYTES);
            fprintf(out, "\n");
        }
    } else
        fprintf(out, "no boot measurements in the log (the image has no hypos:boot_log region)\n");
    if (a->first_seq > a->n_boot) {
        fprintf(out, "  (entries %u..%" PRIu64 " are covered by the digest but no longer kept; chain before them ",
                a->n_boot, a->first_seq - 1);
        hex(out, a->anchor, 8);
        fprintf(out, "...)\n");
    }
    fprintf(out, "%6s  %-8s %5s  %-20s %8s  %-20s %s\n", "seq", "change", "prog", "name", "version", "hook/key",
            "sha256");
    for (uint32_t i = 0; i < a->n_entries; i++) {
        const struct hb_mlog_entry *e = &a->entries[i];
        fprintf(out, "%6" PRIu64 "  %-8s %5u  %-20.31s %8" PRIu64 "  %-20.31s ", e->seq, hb_mlog_kind_name(e->kind),
                e->prog_id, e->name, e->version, e->hook);
        hex(out, e->digest, 8);
        fprintf(out, "...\n");
    }
    if (expect_path && compare_boot(a, expected, n_expected, expect_path, out, err))
        return 1;
    return 0;
}
