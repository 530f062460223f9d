/* Freestanding string/memory routines and a small formatter. */
#include <stdarg.h>

#include "internal.h"
#include "bpf/verifier.h"

void bpf__memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	while (n--)
		*d++ = *s++;
}

/* Word stores that may alias any object (GCC/Clang may_alias), for the
 * word-at-a-time part of bpf__memset. */
typedef uint64_t __attribute__((may_alias)) bpf__word_alias;

void bpf__memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	/* Aligned words first: the JIT's per-run record and the verifier's
	 * states are cleared on every run or step, and a byte loop costs
	 * four instructions per byte on riscv64. */
	if (!((uintptr_t)d & 7)) {
		bpf__word_alias w = 0x0101010101010101ULL * (uint8_t)c;
		for (; n >= 8; n -= 8, d += 8)
			*(bpf__word_alias *)d = w;
	}
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

/* ------------------------------------------------------------------ */
/* The formatter: one engine for trace_printk (arguments are an array of
 * u64 a program passed), the loader's messages and the verifier's log
 * (C varargs typed by the conversion). */

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

/* Where conversions take their arguments from. */
struct fmt_src {
	const uint64_t *array; /* program arguments, one u64 per conversion */
	uint32_t n, next;
	va_list *ap;      /* C callers: typed by the conversion */
	bool flags_width; /* '-' '+' '#' and a field width are parsed */
	size_t str_max;   /* longest %s copied */
	bpf_str_ok_fn ok; /* %s bytes readable? NULL: yes */
	const void *cbctx;
};

/* The next argument as a u64 (signed values sign-extended).  lng counts
 * 'l' modifiers, z is set for 'z'. */
static uint64_t next_arg(struct fmt_src *a, char conv, int lng, bool z)
{
	if (!a->ap) {
		uint64_t v = a->next < a->n ? a->array[a->next] : 0;
		a->next++;
		return v;
	}
	switch (conv) {
	case 'd':
	case 'i':
		if (z || lng == 1)
			return (uint64_t)(int64_t)va_arg(*a->ap, long);
		if (lng)
			return (uint64_t)va_arg(*a->ap, long long);
		return (uint64_t)(int64_t)va_arg(*a->ap, int);
	case 's':
	case 'p':
		return (uint64_t)(uintptr_t)va_arg(*a->ap, const void *);
	default: /* u x X c */
		if (z)
			return va_arg(*a->ap, size_t);
		if (lng == 1)
			return va_arg(*a->ap, unsigned long);
		if (lng)
			return va_arg(*a->ap, unsigned long long);
		return va_arg(*a->ap, unsigned);
	}
}

static int fmt_engine(char *outbuf, size_t size, const char *fmt, size_t fmt_len, struct fmt_src *a)
{
	struct out o = {outbuf, size, 0};
	for (size_t i = 0; i < fmt_len && fmt[i]; i++) {
		char c = fmt[i];
		if (c != '%') {
			put(&o, c);
			continue;
		}
		if (++i >= fmt_len)
			break;
		bool left = false, plus = false, alt = false;
		unsigned width = 0;
		if (a->flags_width) {
			for (; i < fmt_len; i++) {
				if (fmt[i] == '-')
					left = true;
				else if (fmt[i] == '+')
					plus = true;
				else if (fmt[i] == '#')
					alt = true;
				else
					break;
			}
			while (i < fmt_len && fmt[i] >= '0' && fmt[i] <= '9' && width < 1000)
				width = width * 10 + (unsigned)(fmt[i++] - '0');
		}
		int lng = 0;
		bool z = false;
		while (i < fmt_len && (fmt[i] == 'l' || fmt[i] == 'z')) {
			z |= fmt[i] == 'z';
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
		/* The converted text goes to tmp (or is the string str), then
		 * out with its padding. */
		char tmp[40];
		size_t tn = 0;
		const char *str = NULL;
		size_t slen = 0;
		switch (c) {
		case 'd':
		case 'i':
		case 'u':
		case 'x':
		case 'X':
		case 'p': {
			uint64_t v = next_arg(a, c, lng, z);
			bool neg = false;
			unsigned base = c == 'x' || c == 'X' || c == 'p' ? 16 : 10;
			if (c == 'd' || c == 'i') {
				int64_t s = lng ? (int64_t)v : (int64_t)(int32_t)v;
				neg = s < 0;
				v = neg ? 0 - (uint64_t)s : (uint64_t)s;
			} else if (!lng && c != 'p') {
				v = (uint32_t)v;
			}
			if (neg)
				tmp[tn++] = '-';
			else if (plus && (c == 'd' || c == 'i'))
				tmp[tn++] = '+';
			if (c == 'p' || (alt && base == 16)) {
				tmp[tn++] = '0';
				tmp[tn++] = 'x';
			}
			const char *digits = c == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
			char dg[24];
			int k = 0;
			do {
				dg[k++] = digits[v % base];
				v /= base;
			} while (v);
			while (k)
				tmp[tn++] = dg[--k];
			break;
		}
		case 'c':
			tmp[tn++] = (char)next_arg(a, c, lng, z);
			break;
		case 's': {
			uint64_t v = next_arg(a, c, lng, z);
			str = (const char *)(uintptr_t)v;
			/* Each byte is checked before it is read, so an
			 * unterminated string cannot run off its region. */
			for (; slen < a->str_max; slen++) {
				if (a->ok && !a->ok(a->cbctx, v + slen, 1)) {
					if (slen == 0)
						str = "(fault)", slen = 7;
					break;
				}
				if (!str) {
					str = "(null)", slen = 6;
					break;
				}
				if (!str[slen])
					break;
			}
			break;
		}
		default:
			/* Unknown conversion: printed as is; a program's argument
			 * array still advances (C varargs cannot: type unknown). */
			if (!a->ap)
				a->next++;
			put(&o, '%');
			put(&o, c);
			continue;
		}
		size_t len = str ? slen : tn;
		if (!left)
			for (size_t k = len; k < width; k++)
				put(&o, ' ');
		for (size_t k = 0; k < len; k++)
			put(&o, str ? str[k] : tmp[k]);
		if (left)
			for (size_t k = len; k < width; k++)
				put(&o, ' ');
	}
	if (size)
		outbuf[o.pos < size ? o.pos : size - 1] = 0;
	return (int)(o.pos < size ? o.pos : (size ? size - 1 : 0));
}

int bpf__format(char *out, size_t size, const char *fmt, size_t fmt_len, const uint64_t *args,
                uint32_t nargs, bpf_str_ok_fn ok, const void *cbctx)
{
	struct fmt_src a = {.array = args, .n = nargs, .str_max = 256, .ok = ok, .cbctx = cbctx};
	return fmt_engine(out, size, fmt, fmt_len, &a);
}

int bpf__snprintf(char *out, size_t size, const char *fmt, ...)
{
	uint64_t args[6];
	uint32_t n = 0;
	va_list ap;
	va_start(ap, fmt);
	/* The loader's messages: every conversion consumes one u64-sized
	 * argument and %s takes a const char * (callers cast). */
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

int bpf__vsnprintf(char *out, size_t size, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	struct fmt_src a = {.ap = &copy, .flags_width = true, .str_max = (size_t)-1};
	int n = fmt_engine(out, size, fmt, (size_t)-1, &a);
	va_end(copy);
	return n;
}

int bpf__csnprintf(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = bpf__vsnprintf(out, size, fmt, ap);
	va_end(ap);
	return n;
}

/* ------------------------------------------------------------------ */
/* The arena allocator (declared in bpf/verifier.h): a bump allocator
 * with power-of-two free lists over a caller buffer, for embedders with
 * no heap. */

static unsigned size_class(size_t n)
{
	unsigned c = 4; /* 16 bytes */
	while (((size_t)1 << c) < n)
		c++;
	return c;
}

static void *arena_alloc(void *ctx, size_t size)
{
	struct bpf_arena *a = ctx;
	unsigned c = size_class(size);
	if (c >= 40)
		return NULL;
	if (a->free_lists[c]) {
		void *p = a->free_lists[c];
		a->free_lists[c] = *(void **)p;
		return p;
	}
	size_t sz = (size_t)1 << c;
	if (a->size - a->used < sz)
		return NULL;
	void *p = a->base + a->used;
	a->used += sz;
	return p;
}

static void arena_free(void *ctx, void *p, size_t size)
{
	struct bpf_arena *a = ctx;
	unsigned c = size_class(size);
	*(void **)p = a->free_lists[c];
	a->free_lists[c] = p;
}

void bpf_arena_init(struct bpf_arena *a, void *buf, size_t size)
{
	bpf__memset(a, 0, sizeof(*a));
	uintptr_t b = ((uintptr_t)buf + 15) & ~(uintptr_t)15;
	size_t lost = (size_t)(b - (uintptr_t)buf);
	a->base = (uint8_t *)b;
	a->size = size > lost ? size - lost : 0;
}

void bpf_arena_allocator(struct bpf_arena *a, struct bpf_allocator *out)
{
	out->alloc = arena_alloc;
	out->free = arena_free;
	out->actx = a;
}
