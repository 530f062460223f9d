/* Boot measurements (hypOS): a memory region marked hypos:boot_log="true"
 * makes the initialiser hash the kernel, the specification and every PD's
 * program image before any thread starts and write the results there
 * (the first entries of the agent's measurement log). The tool checks the
 * region, lays the measurements out and, once the image is final, writes
 * the values it expects to IMAGE.measurements for hyposctl attest --expect. */
#pragma once
#include "layout.h"
#include "sdf.h"
#include <stdio.h>

/* The boot log region's rules: one at most, no prefill or phys_addr, 4 KiB
 * pages, room for the log, mapped read-only by every PD that maps it. */
void measure_check(const sdf_system_t *sys);
/* The index of the boot log region, or -1. */
int measure_region(const sdf_system_t *sys);
/* The kernel's loadable bytes in the linked image: every PT_LOAD
 * segment's file bytes in program header order, the embedded root task
 * image [_rootimage_start, _rootimage_end) left out. malloc'd. */
uint8_t *measure_kernel_bytes(const char *image, uint64_t *len);
/* Computes every measurement as the initialiser will (placed: the final
 * specification) and writes them to path and to the report. */
void measure_write(const spec_builder_t *b, const uint8_t *placed, uint64_t placed_size, const uint8_t *kernel,
                   uint64_t kernel_len, const char *image, const char *path, FILE *report);
