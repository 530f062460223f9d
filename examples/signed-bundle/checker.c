/*
 * The control plane's signature side inside a PD: the keyring and device
 * key come from memory regions the system builder prefilled; bundles are
 * admitted or refused with their reason (nothing changes on a refusal),
 * installs and detaches go into the measurement log, and an attestation
 * signed with the device key is checked against the device's public key.
 * Prints guest instructions per check (user-mode instret, debug builds).
 */
#include <microkit.h>

#include <hypos/control.h>

#define REGION(name)                                      \
    __attribute__((section(".data"))) seL4_Word name = 0; \
    __attribute__((section(".data"))) seL4_Word name##_size = 0
REGION(keyring);
REGION(device_key);
REGION(device_pub);
REGION(bundle_v1);
REGION(bundle_v2);
REGION(bundle_v3);
REGION(bundle_tampered);
REGION(bundle_stranger);
REGION(bundle_bare);

static struct hb_control ctl;
static struct hb_mlog_entry log_ring[32], window[32];
static uint8_t log_chains[32][HB_SHA256_BYTES];

static void put_str(const char *s)
{
    while (*s)
        microkit_dbg_putc(*s++);
}

static void put_u64(uint64_t v)
{
    char b[24];
    int n = 0;
    do
        b[n++] = (char)('0' + v % 10);
    while ((v /= 10) && n < 24);
    while (n)
        microkit_dbg_putc(b[--n]);
}

static void put_hex(const uint8_t *p, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        microkit_dbg_putc("0123456789abcdef"[p[i] >> 4]);
        microkit_dbg_putc("0123456789abcdef"[p[i] & 15]);
    }
}

/* User mode may read instret only in builds made for testing and
 * measuring (the kernel's HYPOS_USER_COUNTERS); elsewhere counts are 0. */
static inline uint64_t instret(void)
{
    uint64_t v = 0;
#ifdef HYPOS_USER_COUNTERS
    __asm__ volatile("csrr %0, instret" : "=r"(v));
#endif
    return v;
}

/* A prefilled region is zero past its file: a bundle's own header says
 * how long it is (a region that is not a bundle is passed whole). */
static size_t bundle_length(seL4_Word base, seL4_Word size)
{
    const uint8_t *p = (const uint8_t *)base;
    if (size < HB_BUNDLE_HEADER_SIZE || p[0] != 'H')
        return size;
    uint32_t elf = (uint32_t)p[88] | (uint32_t)p[89] << 8 | (uint32_t)p[90] << 16 | (uint32_t)p[91] << 24;
    size_t len = HB_BUNDLE_HEADER_SIZE + (size_t)elf + HB_ED25519_SIG_BYTES;
    return len <= size ? len : size;
}

static uint32_t next_id = 1;

/* Admits a bundle; on success installs it (replacing `replaces`, if any). */
static uint32_t offer(const char *what, seL4_Word base, seL4_Word size, uint32_t replaces)
{
    struct hb_bundle b;
    struct hb_result r;
    size_t len = bundle_length(base, size);
    uint64_t t0 = instret();
    enum hb_status s = hb_control_admit(&ctl, (const uint8_t *)base, len, &b, &r);
    uint64_t spent = instret() - t0;
    put_str("checker: ");
    put_str(what);
    if (s != HB_OK) {
        put_str(": refused (");
        put_str(hb_status_name(s));
        put_str("): ");
        put_str(r.reason);
        put_str(" (");
        put_u64(spent);
        put_str(" guest instructions)\n");
        return 0;
    }
    uint32_t id = next_id++;
    hb_control_installed(&ctl, id, replaces, &b, &r);
    put_str(": accepted '");
    put_str(b.name);
    put_str("' version ");
    put_u64(b.version);
    put_str(" for hook '");
    put_str(b.hook);
    put_str("' as program ");
    put_u64(id);
    put_str(", check of ");
    put_u64(len);
    put_str(" bytes in ");
    put_u64(spent);
    put_str(" guest instructions\n");
    return id;
}

void init(void)
{
    struct hb_result r;
    if (hb_control_init(&ctl, (const void *)keyring, keyring_size, (const void *)device_key, device_key_size, log_ring,
                        log_chains, 32, &r) != HB_OK) {
        put_str("checker: cannot start: ");
        put_str(r.reason);
        put_str("\n");
        return;
    }
    put_str("checker: ");
    put_u64(ctl.keyring.count);
    put_str(" key(s) built in, first '");
    put_str(hb_keyring_name(&ctl.keyring, 0));
    put_str("'; device key '");
    put_str(ctl.device_name);
    put_str("'\n");

    /* the first check pays for first touches of code and data: measured once more below */
    uint32_t id = offer("counter v2", bundle_v2, bundle_v2_size, 0);
    offer("counter v2 again", bundle_v2, bundle_v2_size, id);
    offer("counter v1", bundle_v1, bundle_v1_size, 0);
    offer("counter v2 with one byte changed", bundle_tampered, bundle_tampered_size, 0);
    offer("counter v9 signed by a stranger", bundle_stranger, bundle_stranger_size, 0);
    offer("the bare object", bundle_bare, bundle_bare_size, 0);
    uint32_t id3 = offer("counter v3 replacing v2", bundle_v3, bundle_v3_size, id);
    hb_control_detached(&ctl, id3);
    put_str("checker: program ");
    put_u64(id3);
    put_str(" detached\n");
    offer("counter v2 after v3 was detached", bundle_v2, bundle_v2_size, 0);
    hb_control_config(&ctl, "serial", "echo", "1", 1);

    /* An attestation, checked here against the device's public key file
     * (hyposctl attest does the same on the host). */
    uint8_t nonce[HB_ATTEST_NONCE_BYTES], pk[HB_ED25519_PUBLIC_BYTES];
    char name[HB_KEY_NAME_FIELD];
    for (unsigned i = 0; i < sizeof nonce; i++)
        nonce[i] = (uint8_t)(i * 7 + 1);
    struct hb_attestation a;
    uint64_t t0 = instret();
    hb_control_attest(&ctl, nonce, 0, 0, window, &a, &r);
    uint64_t spent = instret() - t0;
    put_str("checker: attestation of ");
    put_u64(a.count);
    put_str(" changes, digest ");
    put_hex(a.digest, 8);
    put_str("..., signed in ");
    put_u64(spent);
    put_str(" guest instructions\n");
    for (uint32_t i = 0; i < a.n_entries; i++) {
        put_str("checker:   ");
        put_u64(window[i].seq);
        put_str(" ");
        put_str(hb_mlog_kind_name(window[i].kind));
        put_str(" ");
        put_str(window[i].name);
        put_str(" v");
        put_u64(window[i].version);
        put_str(" ");
        put_str(window[i].hook);
        put_str(" ");
        put_hex(window[i].digest, 8);
        put_str("...\n");
    }
    if (hb_pubkey_parse((const uint8_t *)device_pub, HB_PUBKEY_FILE_SIZE, name, pk, &r) == HB_OK &&
        hb_attest_verify(&a, pk, nonce, &r) == HB_OK)
        put_str("checker: attestation verified with device.pub\n");
    else {
        put_str("checker: attestation NOT verified: ");
        put_str(r.reason);
        put_str("\n");
    }
    window[1].version++;
    if (hb_attest_verify(&a, pk, nonce, &r) != HB_OK) {
        put_str("checker: a changed log entry is detected: ");
        put_str(r.reason);
        put_str("\n");
    }
    put_str("checker: done\n");
}

void notified(microkit_channel ch) { (void)ch; }
