/* What nanopb needs from a C library, for PDs (freestanding, no libc):
 * the freestanding headers plus memcpy/memset (libmicrokit's) and strnlen
 * (agent/util.c). Used through -DPB_SYSTEM_HEADER. */
#pragma once
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
size_t strnlen(const char *s, size_t max);
