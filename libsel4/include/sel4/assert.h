/* Assertions that do not depend on NDEBUG: seL4_Assert(expr) and
 * seL4_Fail(message) report through __assert_fail (the runtime prints the
 * message and aborts the program); seL4_CompileTimeAssert(expr) fails the
 * build. The NDEBUG-dependent seL4_DebugAssert is in <sel4/debug_assert.h>. */
#pragma once
#include <sel4/macros.h>

LIBSEL4_BEGIN_DECLS
void __assert_fail(const char *str, const char *file, int line, const char *function);
LIBSEL4_END_DECLS

#define seL4_Fail(s) __assert_fail(s, __FILE__, __LINE__, __func__)
#define seL4_Assert(expr)                                       \
    do {                                                        \
        if (!(expr))                                            \
            __assert_fail(#expr, __FILE__, __LINE__, __func__); \
    } while (0)
#define seL4_CompileTimeAssert(expr) SEL4_COMPILE_ASSERT(seL4_CompileTimeAssert, expr)
