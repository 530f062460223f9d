/* The boot measurement log region (include/hypos/bootlog.h). */
#include <hypos/bootlog.h>

#include "util.h"

size_t hb_bootlog_size(uint32_t n) { return HB_BOOTLOG_HEADER + (size_t)n * HB_MLOG_ENTRY_ENCODED; }

size_t hb_bootlog_write(void *region, size_t size, const struct hb_mlog_entry *entries, uint32_t n)
{
    uint8_t *p = region;
    size_t need = hb_bootlog_size(n);
    if (!p || need > size)
        return 0;
    hbi_copy(p, HB_BOOTLOG_MAGIC, 8);
    hbi_put32(p + 8, HB_BOOTLOG_VERSION);
    hbi_put32(p + 12, n);
    for (uint32_t i = 0; i < n; i++)
        hb_mlog_encode(&entries[i], p + HB_BOOTLOG_HEADER + (size_t)i * HB_MLOG_ENTRY_ENCODED);
    return need;
}

static uint32_t kind_at(uint32_t i)
{
    return i == 0 ? HB_MLOG_BOOT_KERNEL : i == 1 ? HB_MLOG_BOOT_SYSTEM : HB_MLOG_BOOT_PD;
}

enum hb_status hb_bootlog_read(const void *region, size_t size, struct hb_mlog_entry *out, uint32_t max, uint32_t *n,
                               struct hb_result *res)
{
    const uint8_t *p = region;
    *n = 0;
    if (!p || size < HB_BOOTLOG_HEADER)
        return hbi_fail(res, HB_MALFORMED, "boot log region of %z bytes has no room for its header", size);
    if (!hbi_same(p, HB_BOOTLOG_MAGIC, 8))
        return hbi_fail(res, HB_MALFORMED, "boot log region does not start with HYPOSBLG (nothing measured at boot?)");
    uint32_t version = hbi_get32(p + 8), count = hbi_get32(p + 12);
    if (version != HB_BOOTLOG_VERSION)
        return hbi_fail(res, HB_MALFORMED, "boot log format version %u, expected %u", version, HB_BOOTLOG_VERSION);
    if (count < 2 || count > max || count > HB_BOOTLOG_MAX)
        return hbi_fail(res, HB_MALFORMED, "boot log of %u entries: 2 to %u are allowed", count,
                        max < HB_BOOTLOG_MAX ? max : HB_BOOTLOG_MAX);
    if (hb_bootlog_size(count) > size)
        return hbi_fail(res, HB_MALFORMED, "boot log of %u entries needs %z bytes, the region has %z", count,
                        hb_bootlog_size(count), size);
    for (uint32_t i = 0; i < count; i++) {
        struct hb_mlog_entry *e = &out[i];
        if (hb_mlog_decode(e, p + HB_BOOTLOG_HEADER + (size_t)i * HB_MLOG_ENTRY_ENCODED, res) != HB_OK)
            return res->status;
        if (e->seq != i)
            return hbi_fail(res, HB_MALFORMED, "boot log entry %u has sequence number %U", i, e->seq);
        if (e->kind != kind_at(i))
            return hbi_fail(res, HB_MALFORMED, "boot log entry %u has kind %u, expected %s", i, e->kind,
                            hb_mlog_kind_name(kind_at(i)));
    }
    *n = count;
    return hbi_ok(res);
}
