/* Freestanding string/memory routines and a small formatter. */
#include <stdarg.h>

#include "internal.h"

void bpf__memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	while (n--)
		*d++ = *s++;
}

void bpf__memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	while (n--)
		*d++ = (uint8_t)c;
}

int bpf__memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

size_t bpf__strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

int bpf__strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (uint8_t)*a - (uint8_t)*b;
}

void bpf__strlcpy(char *dst, const char *src, size_t size)
{
	size_t i = 0;
	if (!size)
		return;
	for (; i + 1 < size && src[i]; i++)
		dst[i] = src[i];
	dst[i] = 0;
}

struct out {
	char *buf;
	size_t size, pos;
};

static void put(struct out *o, char c)
{
	if (o->pos + 1 < o->size)
		o->buf[o->pos] = c;
	o->pos++;
}

static void put_num(struct out *o, uint64_t v, unsigned base, bool neg,
                    bool upper)
{
	char tmp[24];
	int n = 0;
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	if (neg)
		put(o, '-');
	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	while (n)
		put(o, tmp[--n]);
}

int bpf__format(char *out, size_t size, const char *fmt, size_t fmt_len,
                const uint64_t *args, uint32_t nargs, bpf_str_ok_fn ok,
                const void *cbctx)
{
	struct out o = { out, size, 0 };
	uint32_t ai = 0;
	for (size_t i = 0; i < fmt_len && fmt[i]; i++) {
		char c = fmt[i];
		if (c != '%') {
			put(&o, c);
			continue;
		}
		if (++i >= fmt_len)
			break;
		int lng = 0;
		while (i < fmt_len && (fmt[i] == 'l' || fmt[i] == 'z')) {
			lng++;
			i++;
		}
		if (i >= fmt_len)
			break;
		c = fmt[i];
		if (c == '%') {
			put(&o, '%');
			continue;
		}
		uint64_t v = ai < nargs ? args[ai] : 0;
		ai++;
		switch (c) {
		case 'd':
		case 'i': {
			int64_t s = lng ? (int64_t)v : (int64_t)(int32_t)v;
			put_num(&o, s < 0 ? 0 - (uint64_t)s : (uint64_t)s, 10,
			        s < 0, false);
			break;
		}
		case 'u':
			put_num(&o, lng ? v : (uint32_t)v, 10, false, false);
			break;
		case 'x':
		case 'X':
			put_num(&o, lng ? v : (uint32_t)v, 16, false, c == 'X');
			break;
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_num(&o, v, 16, false, false);
			break;
		case 'c':
			put(&o, (char)v);
			break;
		case 's': {
			/* Read the string byte by byte, each checked, so that an
			 * unterminated string cannot run off its region. */
			const char *s = (const char *)(uintptr_t)v;
			for (size_t k = 0; k < 256; k++) {
				if (ok && !ok(cbctx, v + k, 1)) {
					if (k == 0) {
						const char *e = "(fault)";
						while (*e)
							put(&o, *e++);
					}
					break;
				}
				if (!s[k])
					break;
				put(&o, s[k]);
			}
			break;
		}
		default:
			put(&o, '%');
			put(&o, c);
			break;
		}
	}
	if (size)
		out[o.pos < size ? o.pos : size - 1] = 0;
	return (int)(o.pos < size ? o.pos : (size ? size - 1 : 0));
}

int bpf__snprintf(char *out, size_t size, const char *fmt, ...)
{
	uint64_t args[6];
	uint32_t n = 0;
	va_list ap;
	va_start(ap, fmt);
	/* Internal use only: every conversion consumes one u64-sized argument
	 * and %s takes a const char * (callers cast). */
	for (const char *p = fmt; *p && n < 6; p++) {
		if (*p != '%')
			continue;
		p++;
		while (*p == 'l' || *p == 'z')
			p++;
		if (*p == '%')
			continue;
		if (*p == 's' || *p == 'p')
			args[n++] = (uint64_t)(uintptr_t)va_arg(ap, const void *);
		else
			args[n++] = va_arg(ap, uint64_t);
	}
	va_end(ap);
	return bpf__format(out, size, fmt, (size_t)-1, args, n, NULL, NULL);
}
