#include "util.h"

void hbi_copy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    while (n--)
        *d++ = *s++;
}

void hbi_fill(void *dst, uint8_t c, size_t n)
{
    uint8_t *d = dst;
    while (n--)
        *d++ = c;
}

int hbi_same(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return 0;
    return 1;
}

int hbi_all_zero(const void *p, size_t n)
{
    const uint8_t *x = p;
    for (size_t i = 0; i < n; i++)
        if (x[i])
            return 0;
    return 1;
}

size_t hbi_strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

uint16_t hbi_get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

uint32_t hbi_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t hbi_get64(const uint8_t *p) { return (uint64_t)hbi_get32(p) | (uint64_t)hbi_get32(p + 4) << 32; }

void hbi_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

void hbi_put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

void hbi_put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

struct out {
    char *buf;
    size_t size, len;
};

static void put_char(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len++] = c;
}

static void put_unsigned(struct out *o, uint64_t v, unsigned base)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (n)
        put_char(o, digits[--n]);
}

enum hb_status hbi_fail(struct hb_result *res, enum hb_status status, const char *fmt, ...)
{
    struct out o = {res->reason, sizeof(res->reason), 0};
    va_list ap;
    va_start(ap, fmt);
    for (const char *f = fmt; *f; f++) {
        if (*f != '%' || !f[1]) {
            put_char(&o, *f);
            continue;
        }
        switch (*++f) {
        case 's':
            for (const char *s = va_arg(ap, const char *); *s; s++)
                put_char(&o, *s);
            break;
        case 'c':
            put_char(&o, (char)va_arg(ap, int));
            break;
        case 'u':
            put_unsigned(&o, va_arg(ap, unsigned), 10);
            break;
        case 'U':
            put_unsigned(&o, va_arg(ap, uint64_t), 10);
            break;
        case 'z':
            put_unsigned(&o, va_arg(ap, size_t), 10);
            break;
        case 'x':
            put_unsigned(&o, va_arg(ap, unsigned), 16);
            break;
        default:
            put_char(&o, *f);
        }
    }
    va_end(ap);
    o.buf[o.len] = 0;
    res->status = status;
    return status;
}

enum hb_status hbi_ok(struct hb_result *res)
{
    res->status = HB_OK;
    res->reason[0] = 0;
    return HB_OK;
}

static int name_char(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
}

enum hb_status hbi_check_name_field(const uint8_t *field, size_t size, const char *what, struct hb_result *res)
{
    size_t n = hbi_strnlen((const char *)field, size);
    if (n == 0)
        return hbi_fail(res, HB_MALFORMED, "%s is empty", what);
    if (n == size)
        return hbi_fail(res, HB_MALFORMED, "%s is not NUL-terminated within its %z bytes", what, size);
    for (size_t i = 0; i < n; i++)
        if (!name_char(field[i]))
            return hbi_fail(res, HB_MALFORMED, "%s has byte 0x%x at position %z (allowed: A-Z a-z 0-9 _ . -)", what,
                            (unsigned)field[i], i);
    if (!hbi_all_zero(field + n, size - n))
        return hbi_fail(res, HB_MALFORMED, "%s padding after the NUL is not zero", what);
    return hbi_ok(res);
}

int hb_name_ok(const char *s, size_t field)
{
    size_t n = hbi_strnlen(s, field);
    if (n == 0 || n == field)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!name_char((uint8_t)s[i]))
            return 0;
    return 1;
}
