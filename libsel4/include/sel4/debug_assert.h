/* seL4_DebugAssert(expr): seL4_Assert unless NDEBUG is defined (release
 * and bench builds define it), then nothing. */
#pragma once
#ifdef NDEBUG
#define seL4_DebugAssert(expr) ((void)0)
#else
#include <sel4/assert.h>
#define seL4_DebugAssert(expr) seL4_Assert(expr)
#endif
