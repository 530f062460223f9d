/* Basic kernel types. The kernel is freestanding: no libc headers beyond
 * the compiler's own. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t word_t;
typedef int64_t sword_t;
typedef word_t paddr_t;
typedef word_t vptr_t;

#define WORD_BITS 64
#define BIT(n) (1ull << (n))
#define MASK(n) ((n) >= 64 ? ~0ull : BIT(n) - 1ull)
#define ROUND_UP(x, bits) (((x) + MASK(bits)) & ~MASK(bits))
#define ROUND_DOWN(x, bits) ((x) & ~MASK(bits))
#define IS_ALIGNED(x, bits) (((x)&MASK(bits)) == 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define UNUSED __attribute__((unused))
#define NORETURN __attribute__((noreturn))
#define ALWAYS_INLINE inline __attribute__((always_inline))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
