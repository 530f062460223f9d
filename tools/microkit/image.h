/* Turning a specification into a bootable image with the cross toolchain. */
#pragma once
#include "layout.h"
#include <stdint.h>

/* Fails the build early when the objects need more than the board's RAM
 * (the exact check is the placement in the replayed untypeds). */
void image_check_fits(const spec_builder_t *b);

typedef struct image_files {
    char image[4200];       /* the bootable image */
    char initialiser[4200]; /* the initialiser with its specification */
    char embedded[4200];    /* the same without debug sections, as the kernel embeds it */
} image_files_t;
/* Links the initialiser with the specification, then the kernel with the
 * initialiser as its root task, into `output`. With kernel_copy the
 * initialiser also carries a copy of the kernel's loadable bytes
 * (hypos_kernel_copy, measure_kernel_bytes) for the boot measurement:
 * the image is linked a second time with a copy of the right size, which
 * is then made byte-exact in place; *kernel (malloc'd) and *kernel_len
 * are those bytes. Without it the copy is empty. */
void image_build(const char *board_dir, const char *output, const uint8_t *spec, uint64_t size, image_files_t *files,
                 bool kernel_copy, uint8_t **kernel, uint64_t *kernel_len);
/* Replaces the specification in all three files by one of the same size. */
void image_patch_spec(const image_files_t *files, const uint8_t *old_spec, const uint8_t *new_spec, uint64_t size);
