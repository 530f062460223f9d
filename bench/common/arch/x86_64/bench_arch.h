/* x86_64 counters for the benchmarks: the TSC, which under QEMU with
 * -icount shift=0 counts retired guest instructions exactly. RDTSC splits
 * its result over EDX:EAX, and SYSCALL wants the number in RDX, so three
 * instructions (shift, or, move) lie between the counter read and the
 * trap; the figures include them. */
#pragma once
#include <sel4/sel4.h>

static inline seL4_Word bench_rdinstret(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return (seL4_Word)hi << 32 | lo;
}

/* Counter read just before the trap; the kernel preserves RAX. */
#define BENCH_TIMED_SYSCALL(sys, cap, info, t)                                                   \
    do {                                                                                         \
        seL4_Word _di = (cap), _si = (info), _t;                                                 \
        asm volatile("rdtsc\n\tshlq $32, %%rdx\n\torq %%rdx, %%rax\n\tmovq %3, %%rdx\n\tsyscall" \
                     : "=&a"(_t), "+D"(_di), "+S"(_si)                                           \
                     : "i"(sys)                                                                  \
                     : "rdx", "rcx", "r11", "r8", "r9", "r10", "r15", "memory");                 \
        (t) = _t;                                                                                \
    } while (0)

/* A load from addr between two counter reads. */
#define BENCH_TIMED_LOAD(addr, t0, t1)                                                       \
    do {                                                                                     \
        seL4_Word _a = (addr), _lo, _hi;                                                     \
        asm volatile("rdtsc\n\tshlq $32, %%rdx\n\torq %%rdx, %%rax\n\tmovq %%rax, %%rcx\n\t" \
                     "movq (%3), %%r8\n\trdtsc"                                              \
                     : "=&c"(t0), "=&a"(_lo), "=&d"(_hi)                                     \
                     : "r"(_a)                                                               \
                     : "r8", "memory");                                                      \
        (t1) = _hi << 32 | (uint32_t)_lo;                                                    \
    } while (0)

/* One SSE register write (the build has no SSE, so it is inline
 * assembly): makes the thread an FPU user whose registers changed. */
#define BENCH_FPU_VARIANTS 1
static inline void bench_dirty_fp(seL4_Word i) { asm volatile("movq %0, %%xmm0" ::"r"(i)); }
