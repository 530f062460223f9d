#pragma once
#include <types.h>

/* bytes: a multiple of 64; p: 8-byte aligned */
void clear_memory(void *p, word_t bytes);
void copy_memory(void *dst, const void *src, word_t bytes);
