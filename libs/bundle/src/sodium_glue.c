/*
 * What the libsodium subset needs from the rest of libsodium and from the
 * C library, written for this library so that it links into PDs that have
 * no C library. The Makefile renames the subset's memcpy/memmove/memset/
 * abort references to the hb__* functions here, so nothing clashes with a
 * C library (host) or another PD library's own memcpy.
 */
#include <stddef.h>
#include <stdint.h>

#include <hypos/hbcrypto.h>

void *hb__memcpy(void *dst, const void *src, size_t n);
void *hb__memmove(void *dst, const void *src, size_t n);
void *hb__memset(void *dst, int c, size_t n);
void hb__abort(void);
void sodium_memzero(void *p, size_t n);
int sodium_memcmp(const void *a, const void *b, size_t n);
int sodium_is_zero(const unsigned char *p, size_t n);

void *hb__memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

void *hb__memmove(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (d < s) {
        while (n--)
            *d++ = *s++;
    } else {
        while (n--)
            d[n] = s[n];
    }
    return dst;
}

void *hb__memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;
    while (n--)
        *d++ = (uint8_t)c;
    return dst;
}

/* libsodium aborts only on internal inconsistencies (a scalar that cannot
 * occur). A PD has no process to end: stop here, visibly in a debugger. */
void hb__abort(void)
{
    for (;;)
        __asm__ volatile("" ::: "memory");
}

/* Stores through a volatile pointer so that clearing secrets (nonces,
 * expanded keys) is not removed as a dead store. */
void sodium_memzero(void *p, size_t n)
{
    volatile uint8_t *v = p;
    while (n--)
        *v++ = 0;
}

/* Accumulates every difference so that the time taken does not depend on
 * where the inputs differ: 0 when equal, -1 otherwise. */
int sodium_memcmp(const void *a, const void *b, size_t n)
{
    const volatile uint8_t *x = a, *y = b;
    uint8_t diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= x[i] ^ y[i];
    return (int)((1 & ((diff - 1u) >> 8)) - 1u);
}

int sodium_is_zero(const unsigned char *p, size_t n)
{
    const volatile unsigned char *v = p;
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= v[i];
    return (int)(1 & ((acc - 1u) >> 8));
}

int hb_equal_ct(const void *a, const void *b, size_t len) { return sodium_memcmp(a, b, len); }
