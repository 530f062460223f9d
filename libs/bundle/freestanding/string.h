/* The few <string.h> declarations the libsodium subset needs when it is
 * built for a PD without a C library. The calls are renamed to the
 * library's own hb__mem* functions after compilation (see Makefile). */
#ifndef HB_FREESTANDING_STRING_H
#define HB_FREESTANDING_STRING_H
#include <stddef.h>
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
#endif
