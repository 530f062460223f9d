/* <stdlib.h> for the libsodium subset in a PD: only abort(), which the
 * library renames to hb__abort (src/sodium_glue.c). */
#ifndef HB_FREESTANDING_STDLIB_H
#define HB_FREESTANDING_STDLIB_H
#include <stddef.h>
void abort(void) __attribute__((noreturn));
#endif
