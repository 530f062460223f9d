/* Turning a specification into a bootable image with the cross toolchain. */
#pragma once
#include "layout.h"
#include <stdint.h>

/* Fails the build when the objects cannot fit the board's RAM or the
 * initialiser's capability slots. */
void image_check_fits(const spec_builder_t *b, uint64_t spec_size);
/* Links the initialiser with the specification, then the kernel with the
 * initialiser as its root task, into `output`. */
void image_build(const char *board_dir, const char *output, const uint8_t *spec, uint64_t size);
