/* Every configuration macro of the kernel and of libsel4, for programs
 * that #include <autoconf.h> as they do on seL4. */
#pragma once
#include <kernel/gen_config.h>
#include <sel4/gen_config.h>
