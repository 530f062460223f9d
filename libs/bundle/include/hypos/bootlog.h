/*
 * The boot measurement log: the first entries of the measurement log
 * (hypos/mlog.h), written by the initialiser before any PD runs into a
 * memory region that the agent maps read-only, and read by the agent when
 * it starts its log.
 *
 * Region layout (little-endian):
 *      0  8  magic "HYPOSBLG"
 *      8  4  format version, 1
 *     12  4  entry count n (2 .. HB_BOOTLOG_MAX)
 *     16     n entries, 128 bytes each, in hb_mlog_encode's form
 * Entry i has sequence number i; entry 0 is the kernel (HB_MLOG_BOOT_KERNEL),
 * entry 1 the system specification (HB_MLOG_BOOT_SYSTEM), the others PD
 * images (HB_MLOG_BOOT_PD). The region is zero after the entries.
 */
#ifndef HYPOS_BOOTLOG_H
#define HYPOS_BOOTLOG_H

#include <stddef.h>
#include <stdint.h>

#include <hypos/mlog.h>

#define HB_BOOTLOG_MAGIC "HYPOSBLG"
#define HB_BOOTLOG_VERSION 1u
#define HB_BOOTLOG_HEADER 16u
/* kernel, specification, 63 PDs and the monitor, with room to spare */
#define HB_BOOTLOG_MAX 72u

/* Bytes a log of n entries takes. */
size_t hb_bootlog_size(uint32_t n);
/* Writes header and entries (sequence numbers as given); the bytes
 * written, or 0 when they do not fit in size. */
size_t hb_bootlog_write(void *region, size_t size, const struct hb_mlog_entry *entries, uint32_t n);
/* Reads the log into out[max]: HB_OK with *n set, or HB_MALFORMED with the
 * reason (magic, version, count, size, an entry's encoding, order or kind). */
enum hb_status hb_bootlog_read(const void *region, size_t size, struct hb_mlog_entry *out, uint32_t max, uint32_t *n,
                               struct hb_result *res);

#endif
