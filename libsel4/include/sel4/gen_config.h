/* How libsel4 itself is built: every call is an inline function. */
#pragma once

#define CONFIG_LIB_SEL4_INLINE_INVOCATIONS 1
