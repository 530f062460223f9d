/* riscv64 counters for the benchmarks: instret, which under QEMU with
 * -icount shift=0 counts retired guest instructions exactly. */
#pragma once
#include <sel4/sel4.h>

static inline seL4_Word bench_rdinstret(void)
{
    seL4_Word v;
    asm volatile("rdinstret %0" : "=r"(v)::"memory");
    return v;
}

/* Counter read immediately before the trap; the kernel preserves t0. */
#define BENCH_TIMED_SYSCALL(sys, cap, info, t)            \
    do {                                                  \
        register seL4_Word a0 asm("a0") = (cap);          \
        register seL4_Word a1 asm("a1") = (info);         \
        register seL4_Word a7 asm("a7") = (sys);          \
        register seL4_Word t0 asm("t0");                  \
        asm volatile("rdinstret t0\n\tecall"              \
                     : "=&r"(t0), "+r"(a0), "+r"(a1)      \
                     : "r"(a7)                            \
                     : "a2", "a3", "a4", "a5", "memory"); \
        (t) = t0;                                         \
    } while (0)

/* A load from addr between two counter reads. */
#define BENCH_TIMED_LOAD(addr, t0, t1)                                              \
    do {                                                                            \
        seL4_Word _v;                                                               \
        asm volatile("rdinstret %0\n\tld %1, 0(%2)\n\trdinstret %3"                 \
                     : "=&r"(t0), "=&r"(_v), "+r"(*(seL4_Word[]){(addr)}), "=r"(t1) \
                     :                                                              \
                     : "memory");                                                   \
        (void)_v;                                                                   \
    } while (0)

/* One FP register write (the build is rv64imac, so it is inline assembly
 * with D enabled for this instruction only): makes the FP state Dirty. */
#define BENCH_FPU_VARIANTS 1
static inline void bench_dirty_fp(seL4_Word i)
{
    asm volatile(".option push\n.option arch, +d\nfmv.d.x ft0, %0\n.option pop" ::"r"(i));
}
