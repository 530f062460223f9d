#pragma once
#include <types.h>

/* Minimal formatted output to the kernel console: %s %c %d %u %x %p with
 * an optional 'l' and a field width / zero padding. */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kputs(const char *s);
extern bool kernel_quiet; /* set by the "quiet" boot argument */

#ifdef HYPOS_DEBUG
#define debug_printf(...) kprintf(__VA_ARGS__)
#else
#define debug_printf(...) ((void)0)
#endif
