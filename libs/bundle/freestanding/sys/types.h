/* <sys/types.h> for the libsodium subset in a PD: nothing beyond sizes. */
#ifndef HB_FREESTANDING_SYS_TYPES_H
#define HB_FREESTANDING_SYS_TYPES_H
#include <stddef.h>
#include <stdint.h>
#endif
