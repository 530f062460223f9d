/* The runtime's small C library for x86_64: process exit and sorting. */
#pragma once
#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

__attribute__((noreturn)) void exit(int status);
/* up to 32 functions exit() calls, the last registered first (C11 7.22.4.2) */
int atexit(void (*fn)(void));
__attribute__((noreturn)) void abort(void);
__attribute__((noreturn)) void _exit(int status);
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
int abs(int v);
long labs(long v);
