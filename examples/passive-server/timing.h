/* Time on QEMU virt: the time CSR counts at 10 MHz (debug and benchmark
 * kernels let user code read it). */
#pragma once
#include <stdint.h>

#define TICKS_PER_US 10

static inline uint64_t now_ticks(void)
{
    uint64_t t;
    __asm__ volatile("csrr %0, time" : "=r"(t));
    return t;
}

/* Spins until this thread has run for `us` microseconds: only gaps shorter
 * than 50 us between two readings count as running, a longer one means
 * another thread ran (or this one waited for its budget). */
static inline void run_for(uint64_t us)
{
    uint64_t ran = 0, last = now_ticks();
    while (ran < us * TICKS_PER_US) {
        uint64_t t = now_ticks();
        if (t - last < 50 * TICKS_PER_US)
            ran += t - last;
        last = t;
    }
}
