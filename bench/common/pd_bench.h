/* For benchmark PDs (Microkit systems): the retired-instruction counter
 * and a BENCH line through the debug console, in the format of
 * bench/common/bench.h's bench_report. riscv64 only, as the system
 * builder is. */
#pragma once
#include <microkit.h>

static inline seL4_Word instret(void)
{
    seL4_Word v;
    __asm__ volatile("csrr %0, instret" : "=r"(v));
    return v;
}

static inline void put_u(seL4_Word x)
{
    char b[24];
    int n = 0;
    do
        b[n++] = (char)('0' + x % 10);
    while ((x /= 10) && n < 24);
    while (n)
        microkit_dbg_putc(b[--n]);
}

/* Sorts v (insertion sort: PDs have no libc) and prints median, min, max. */
static inline void report(const char *name, seL4_Word *v, int n)
{
    for (int i = 1; i < n; i++)
        for (int k = i; k > 0 && v[k - 1] > v[k]; k--) {
            seL4_Word t = v[k];
            v[k] = v[k - 1];
            v[k - 1] = t;
        }
    microkit_dbg_puts("BENCH ");
    microkit_dbg_puts(name);
    microkit_dbg_puts(" instructions median=");
    put_u(v[n / 2]);
    microkit_dbg_puts(" min=");
    put_u(v[0]);
    microkit_dbg_puts(" max=");
    put_u(v[n - 1]);
    microkit_dbg_puts(" n=");
    put_u((seL4_Word)n);
    microkit_dbg_puts("\n");
}
