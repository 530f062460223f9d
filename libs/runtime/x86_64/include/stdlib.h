/* The runtime's small C library for x86_64: process exit and sorting. */
#pragma once
#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

__attribute__((noreturn)) void exit(int status);
__attribute__((noreturn)) void abort(void);
__attribute__((noreturn)) void _exit(int status);
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
int abs(int v);
long labs(long v);
