/* What kernel tracing needs from RISC-V: a timestamp and the order of the
 * ring's stores. */
#pragma once
#include <arch/machine.h>

/* The `time` counter (RISC-V unprivileged spec, "Zicntr"), readable in
 * S-mode without a trap on QEMU virt. */
static inline word_t arch_trace_time(void) { return csr_read(time); }

/* A record's stores become visible before the head count that publishes
 * it (RVWMO: `fence w,w` orders prior stores before later stores). */
static inline void arch_trace_publish_barrier(void) { asm volatile("fence w,w" ::: "memory"); }
