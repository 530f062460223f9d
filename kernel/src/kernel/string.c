/* The compiler may emit calls to these for struct copies and clears. */
#include <types.h>

void *memset(void *d, int c, size_t n)
{
    unsigned char *p = d;
    while (n--)
        *p++ = (unsigned char)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

/* Zero a region whose size is a multiple of 64 bytes and whose start is
 * 8-byte aligned: eight stores per loop iteration. */
void clear_memory(void *p, word_t bytes)
{
    word_t *w = p, *end = (word_t *)((char *)p + bytes);
    for (; w < end; w += 8) {
        w[0] = 0;
        w[1] = 0;
        w[2] = 0;
        w[3] = 0;
        w[4] = 0;
        w[5] = 0;
        w[6] = 0;
        w[7] = 0;
    }
}

/* Words while both sides are 8-byte aligned, then the tail byte by byte. */
void copy_memory(void *dst, const void *src, word_t bytes)
{
    word_t words = (((uintptr_t)dst | (uintptr_t)src) & 7) == 0 ? bytes / 8 : 0;
    word_t *d = dst;
    const word_t *s = src;
    for (word_t i = 0; i < words; i++)
        d[i] = s[i];
    memcpy(d + words, s + words, bytes - words * 8);
}
