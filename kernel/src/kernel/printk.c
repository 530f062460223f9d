/* Kernel console output through the architecture's putchar. */
#include <kernel/assert.h>
#include <arch/machine.h>
#include <kernel/printk.h>
#include <arch/machine.h>
#include <stdarg.h>

bool kernel_quiet;

void kputs(const char *s)
{
    while (*s)
        arch_putchar(*s++);
}

static void put_num(word_t v, unsigned base, bool neg, int width, char pad)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg)
        buf[n++] = '-';
    while (n < width--)
        arch_putchar(pad);
    while (n)
        arch_putchar(buf[--n]);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            arch_putchar(*fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        int width = 0;
        bool is_long = false;
        if (*fmt == '0')
            pad = '0';
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') {
            is_long = true;
            fmt++;
        }
        switch (*fmt) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            kputs(s ? s : "(null)");
            break;
        }
        case 'c':
            arch_putchar((char)va_arg(ap, int));
            break;
        case 'd': {
            sword_t v = is_long ? va_arg(ap, long) : va_arg(ap, int);
            put_num(v < 0 ? (word_t)-v : (word_t)v, 10, v < 0, width, pad);
            break;
        }
        case 'u':
            put_num(is_long ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, false, width, pad);
            break;
        case 'x':
            put_num(is_long ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, false, width, pad);
            break;
        case 'p':
            kputs("0x");
            put_num((word_t)(uintptr_t)va_arg(ap, void *), 16, false, 16, '0');
            break;
        case '%':
            arch_putchar('%');
            break;
        default:
            arch_putchar('?');
            break;
        }
    }
    va_end(ap);
}

#ifdef HYPOS_DEBUG
NORETURN void kassert_failed(const char *cond, const char *file, int line)
{
    kprintf("hypOS: KERNEL PANIC: assertion failed: %s (%s:%d)\n", cond, file, line);
    arch_halt();
}
#endif
