/* Attribute and helper macros used throughout libsel4; C and C++. */
#pragma once
#include <sel4/config.h>

#ifndef CONST
#define CONST __attribute__((__const__))
#endif
#ifndef PURE
#define PURE __attribute__((__pure__))
#endif

#define SEL4_PACKED __attribute__((packed))
#define SEL4_DEPRECATED(msg) __attribute__((deprecated(msg)))
#define LIBSEL4_UNUSED __attribute__((unused))
#define LIBSEL4_WEAK __attribute__((weak))
#define LIBSEL4_NOINLINE __attribute__((noinline))

/* Every libsel4 function is a static inline function in a header. */
#define LIBSEL4_INLINE static inline
#define LIBSEL4_INLINE_FUNC static inline

/* A compile-time check that reads the same in C11 and C++11 and later
 * (C++ has no _Static_assert keyword; C before C11 has neither). */
#if defined(__cplusplus)
#define SEL4_COMPILE_ASSERT(name, expr) static_assert(expr, #name);
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define SEL4_COMPILE_ASSERT(name, expr) _Static_assert(expr, #name);
#else
#define SEL4_COMPILE_ASSERT(name, expr) typedef int sel4_assert_##name[(expr) ? 1 : -1];
#endif

#define SEL4_SIZE_SANITY(index, entry, size) SEL4_COMPILE_ASSERT(index##entry##size, (index) + (entry) == (size))
#define SEL4_OFFSETOF(type, member) __builtin_offsetof(type, member)

/* Enums that the kernel ABI passes as words are kept word sized whatever
 * the compiler's enum packing: the last enumerator is the largest long. */
#define SEL4_FORCE_LONG_ENUM(type) _enum_pad_##type = ((1ULL << ((sizeof(long) * 8) - 1)) - 1)

#define LIBSEL4_BIT(n) (1ul << (n))

/* C++ programs link against the C runtime: declarations of functions and
 * variables defined in C get C linkage. */
#ifdef __cplusplus
#define LIBSEL4_BEGIN_DECLS extern "C" {
#define LIBSEL4_END_DECLS }
#else
#define LIBSEL4_BEGIN_DECLS
#define LIBSEL4_END_DECLS
#endif
