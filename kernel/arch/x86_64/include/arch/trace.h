/* What kernel tracing needs from x86_64: a timestamp and the order of the
 * ring's stores. */
#pragma once
#include <arch/x86.h>

static inline word_t arch_trace_time(void) { return rdtsc(); }

/* x86 keeps stores in program order (Intel SDM vol. 3A, 9.2.2): only the
 * compiler must not reorder them. */
static inline void arch_trace_publish_barrier(void) { asm volatile("" ::: "memory"); }
