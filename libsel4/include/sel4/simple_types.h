/* Fixed-width integer types, the machine word and booleans. */
#pragma once
#include <stdint.h>

typedef int8_t seL4_Int8;
typedef uint8_t seL4_Uint8;
typedef int16_t seL4_Int16;
typedef uint16_t seL4_Uint16;
typedef int32_t seL4_Int32;
typedef uint32_t seL4_Uint32;
typedef int64_t seL4_Int64;
typedef uint64_t seL4_Uint64;

/* riscv64 (LP64): a word is 64 bits, an unsigned long; printf formats
 * for it (no <inttypes.h>: the kernel is built freestanding). */
typedef seL4_Uint64 seL4_Word;
typedef seL4_Word seL4_CPtr;
#define SEL4_WORD_IS_UINT64
#define SEL4_INT64_IS_LONG
#define SEL4_PRIx_word "lx"
#define SEL4_PRIu_word "lu"
#define SEL4_PRId_word "ld"
#define SEL4_PRIi_word "li"
#define SEL4_PRIo_word "lo"
#define SEL4_PRIX_word "lX"
#define _seL4_word_fmt l

/* Constants of type seL4_Time (64 bits, like the time values seL4's
 * libraries compute with): SEL4_TIME_UINT_TYPE(1000). Code that defines
 * it first keeps its own definition. */
#ifndef SEL4_TIME_UINT_TYPE
#define SEL4_TIME_UINT_TYPE(v) UINT64_C(v)
#endif

typedef seL4_Int8 seL4_Bool;
#define seL4_True 1
#define seL4_False 0

#ifdef __cplusplus
#define seL4_Null 0L
#else
#define seL4_Null ((void *)0)
#endif
