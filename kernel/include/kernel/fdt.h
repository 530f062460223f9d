/* Flattened device tree reader (Devicetree Specification v0.4, ch. 5). */
#pragma once
#include <types.h>

#define FDT_MAX_REGIONS 16

typedef struct region {
    paddr_t base, end; /* [base, end) */
} region_t;

typedef struct fdt_info {
    word_t size; /* the blob's totalsize */
    region_t ram[FDT_MAX_REGIONS];
    word_t n_ram;
    region_t reserved[FDT_MAX_REGIONS];
    word_t n_reserved;
    char bootargs[128];
    word_t timebase_hz;
    region_t plic;
} fdt_info_t;

/* Parse the blob at fdt (at most max_size bytes readable). Returns NULL on
 * success or a reason the blob was rejected. */
const char *fdt_parse(const void *fdt, word_t max_size, fdt_info_t *out);
