/* Library-internal helpers (hbi_*: not exported from the archive, whose
 * link keeps only hb_* global): no C library on PDs, so byte copies, little-
 * endian access and the reason formatter are the library's own. */
#ifndef HB_UTIL_H
#define HB_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <hypos/bundle.h>

void hbi_copy(void *dst, const void *src, size_t n);
void hbi_fill(void *dst, uint8_t c, size_t n);
int hbi_same(const void *a, const void *b, size_t n); /* 1 when equal (not constant time) */
int hbi_all_zero(const void *p, size_t n);
size_t hbi_strnlen(const char *s, size_t max);

uint16_t hbi_get16(const uint8_t *p);
uint32_t hbi_get32(const uint8_t *p);
uint64_t hbi_get64(const uint8_t *p);
void hbi_put16(uint8_t *p, uint16_t v);
void hbi_put32(uint8_t *p, uint32_t v);
void hbi_put64(uint8_t *p, uint64_t v);

/* Sets res->status and formats res->reason. Conversions: %s %c %u (unsigned),
 * %U (uint64_t), %z (size_t), %x (unsigned, hex). Returns status. */
enum hb_status hbi_fail(struct hb_result *res, enum hb_status status, const char *fmt, ...);
enum hb_status hbi_ok(struct hb_result *res);

/* Checks a NUL-padded name field: 1..field-1 characters of [A-Za-z0-9_.-],
 * then only NUL bytes. what names the field in the reason. */
enum hb_status hbi_check_name_field(const uint8_t *field, size_t size, const char *what, struct hb_result *res);

/* hb_bundle_parse without the measurement (digest left zero): the
 * admission check hashes only bundles whose signature it has verified. */
enum hb_status hbi_bundle_layout(const uint8_t *buf, size_t len, struct hb_bundle *out, struct hb_result *res);

#endif
