/* Compile-time configuration (CONFIG_* macros) for seL4 programs. */
#pragma once
#include <autoconf.h>
