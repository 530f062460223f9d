/* The runtime's small C library for x86_64 user programs: what the root
 * tasks, tests and benchmarks use of string.h, stdlib.h and stdio.h
 * (printf conversions d i u x X o c s p % with flags, width, precision
 * and length modifiers; no floating point). Output goes to
 * seL4_DebugPutChar. */
#include <sel4/sel4.h>
#include <assert.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) {
        while (n--)
            *d++ = *s++;
    } else {
        while (n--)
            d[n] = s[n];
    }
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b || !*a)
            return (unsigned char)*a - (unsigned char)*b;
    }
    return 0;
}

char *strcpy(char *restrict dst, const char *restrict src)
{
    char *d = dst;
    while ((*d++ = *src++))
        ;
    return dst;
}

char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

int abs(int v) { return v < 0 ? -v : v; }
long labs(long v) { return v < 0 ? -v : v; }

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
    while (size--) {
        unsigned char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

/* Heapsort: O(n log n) without extra memory (benchmarks sort 10000
 * samples at a time). */
static void sift_down(unsigned char *b, size_t size, size_t root, size_t n, int (*cmp)(const void *, const void *))
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && cmp(b + child * size, b + (child + 1) * size) < 0)
            child++;
        if (cmp(b + root * size, b + child * size) >= 0)
            return;
        swap_bytes(b + root * size, b + child * size, size);
        root = child;
    }
}

void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    unsigned char *b = base;
    for (size_t i = n / 2; i-- > 0;)
        sift_down(b, size, i, n, cmp);
    for (size_t end = n; end-- > 1;) {
        swap_bytes(b, b + end * size, size);
        sift_down(b, size, 0, end, cmp);
    }
}

/* C11 7.22.4.2 guarantees room for 32 registrations. */
#define ATEXIT_MAX 32
static void (*at_exit[ATEXIT_MAX])(void);
static int n_at_exit;

int atexit(void (*fn)(void))
{
    if (n_at_exit == ATEXIT_MAX)
        return -1;
    at_exit[n_at_exit++] = fn;
    return 0;
}

/* The handlers run in reverse order of registration, each once, even if
 * one of them registers another (C11 7.22.4.4). */
void exit(int status)
{
    while (n_at_exit > 0)
        at_exit[--n_at_exit]();
    _exit(status);
}

int errno;

static sighandler_t handlers[NSIG];

sighandler_t signal(int sig, sighandler_t handler)
{
    if (sig <= 0 || sig >= NSIG || sig == SIGKILL) {
        errno = EINVAL;
        return SIG_ERR;
    }
    sighandler_t old = handlers[sig];
    handlers[sig] = handler;
    return old;
}

/* A handler runs once (its slot goes back to the default, C11 7.14.1.1);
 * without one the signal goes to kill(), the runtime's default action. */
int raise(int sig)
{
    if (sig <= 0 || sig >= NSIG) {
        errno = EINVAL;
        return -1;
    }
    sighandler_t h = handlers[sig];
    if (h == SIG_IGN)
        return 0;
    if (h == SIG_DFL)
        return kill(getpid(), sig);
    handlers[sig] = SIG_DFL;
    h(sig);
    return 0;
}

void abort(void)
{
    raise(SIGABRT);
    /* a handler returned: abort does not (C11 7.22.4.1) */
    signal(SIGABRT, SIG_DFL);
    raise(SIGABRT);
    _exit(134);
}

void __assert_func(const char *file, int line, const char *func, const char *expr)
{
    printf("assertion \"%s\" failed: file \"%s\", line %d%s%s\n", expr, file, line, func ? ", function: " : "",
           func ? func : "");
    abort();
}

/* ---- formatted output ---- */

typedef struct out {
    char *buf; /* NULL: the console */
    size_t size, len;
} out_t;

static void emit(out_t *o, char c)
{
    if (!o->buf) {
#ifdef CONFIG_PRINTING /* a release kernel has no console */
        seL4_DebugPutChar(c);
#endif
    } else if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void emit_padding(out_t *o, char c, int n)
{
    while (n-- > 0)
        emit(o, c);
}

typedef struct spec {
    bool left, zero, alt, plus, space;
    int width, precision; /* precision -1: none */
} spec_t;

static void emit_number(out_t *o, const spec_t *sp, uintmax_t v, bool negative, unsigned base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    while (v) {
        tmp[n++] = digits[v % base];
        v /= base;
    }
    int ndigits = n;
    int want = sp->precision < 0 ? 1 : sp->precision;
    int zeros = want > ndigits ? want - ndigits : 0;
    const char *prefix = negative ? "-" : sp->plus ? "+" : sp->space ? " " : "";
    if (sp->alt && base == 16 && ndigits)
        prefix = upper ? "0X" : "0x";
    if (sp->alt && base == 8 && !zeros && (ndigits == 0 || tmp[n - 1] != '0'))
        zeros = 1;
    int body = (int)strlen(prefix) + zeros + ndigits;
    int pad = sp->width > body ? sp->width - body : 0;
    if (!sp->left && !(sp->zero && sp->precision < 0))
        emit_padding(o, ' ', pad);
    for (const char *p = prefix; *p; p++)
        emit(o, *p);
    if (!sp->left && sp->zero && sp->precision < 0)
        emit_padding(o, '0', pad);
    emit_padding(o, '0', zeros);
    while (n)
        emit(o, tmp[--n]);
    if (sp->left)
        emit_padding(o, ' ', pad);
}

static void format(out_t *o, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            emit(o, *fmt);
            continue;
        }
        spec_t sp = {.precision = -1};
        for (;; fmt++) {
            char f = fmt[1];
            if (f == '-')
                sp.left = true;
            else if (f == '0')
                sp.zero = true;
            else if (f == '#')
                sp.alt = true;
            else if (f == '+')
                sp.plus = true;
            else if (f == ' ')
                sp.space = true;
            else
                break;
        }
        fmt++;
        if (*fmt == '*') {
            sp.width = va_arg(ap, int);
            if (sp.width < 0) {
                sp.left = true;
                sp.width = -sp.width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                sp.width = sp.width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {
            fmt++;
            sp.precision = 0;
            if (*fmt == '*') {
                sp.precision = va_arg(ap, int);
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9')
                    sp.precision = sp.precision * 10 + (*fmt++ - '0');
            }
        }
        int len = 0; /* 0 int, 1 long, 2 long long, -1 short, -2 char */
        for (;; fmt++) {
            if (*fmt == 'l' || *fmt == 'z' || *fmt == 'j' || *fmt == 't')
                len++;
            else if (*fmt == 'h')
                len--;
            else
                break;
        }
        switch (*fmt) {
        case 'd':
        case 'i': {
            intmax_t v = len >= 1 ? va_arg(ap, long) : va_arg(ap, int);
            if (len == -1)
                v = (short)v;
            else if (len <= -2)
                v = (signed char)v;
            emit_number(o, &sp, v < 0 ? -(uintmax_t)v : (uintmax_t)v, v < 0, 10, false);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            uintmax_t v = len >= 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
            if (len == -1)
                v = (unsigned short)v;
            else if (len <= -2)
                v = (unsigned char)v;
            unsigned base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
            emit_number(o, &sp, v, false, base, *fmt == 'X');
            break;
        }
        case 'p': {
            sp.alt = true;
            emit_number(o, &sp, (uintptr_t)va_arg(ap, void *), false, 16, false);
            break;
        }
        case 'c': {
            emit_padding(o, ' ', sp.left ? 0 : sp.width - 1);
            emit(o, (char)va_arg(ap, int));
            emit_padding(o, ' ', sp.left ? sp.width - 1 : 0);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            int n = 0;
            while (s[n] && (sp.precision < 0 || n < sp.precision))
                n++;
            emit_padding(o, ' ', sp.left ? 0 : sp.width - n);
            for (int i = 0; i < n; i++)
                emit(o, s[i]);
            emit_padding(o, ' ', sp.left ? sp.width - n : 0);
            break;
        }
        case '%':
            emit(o, '%');
            break;
        default: /* unknown conversion: shown as written */
            emit(o, '%');
            if (!*fmt)
                return;
            emit(o, *fmt);
            break;
        }
    }
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    static char none[1];
    out_t o = {size ? buf : none, size ? size : 1, 0};
    format(&o, fmt, ap);
    o.buf[o.len < o.size ? o.len : o.size - 1] = 0;
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *fmt, va_list ap)
{
    out_t o = {NULL, 0, 0};
    format(&o, fmt, ap);
    return (int)o.len;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int putchar(int c)
{
    out_t o = {NULL, 0, 0};
    emit(&o, (char)c);
    return (unsigned char)c;
}

int puts(const char *s)
{
    out_t o = {NULL, 0, 0};
    while (*s)
        emit(&o, *s++);
    emit(&o, '\n');
    return 0;
}
