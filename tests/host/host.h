/* Tiny TAP harness for host unit tests. */
#pragma once
#include <stdio.h>

extern int host_failures;
#define HCHECK(c)                                                            \
    do {                                                                     \
        if (!(c)) {                                                          \
            printf("#   %s:%d: check failed: %s\n", __FILE__, __LINE__, #c); \
            host_failures++;                                                 \
        }                                                                    \
    } while (0)
void host_test(const char *name, const char *desc, void (*fn)(void));
void *arena_alloc(unsigned long size_bits); /* zeroed, aligned to its size */
unsigned long arena_oref(void *p);
void arena_reset(void);
