/* The boot untyped list of qemu_virt_riscv64 with 2 GiB of RAM, replayed
 * on the host with the kernel's own boot-memory code, and the placement
 * of every object of a system in it. */
#pragma once
#include "layout.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct replay_untyped {
    uint64_t paddr;
    uint32_t bits;
    bool device;
} replay_untyped_t;

typedef struct replay {
    /* inputs: where the image puts the kernel and what the root task is */
    uint64_t kernel_base, kernel_end;
    uint64_t root_lo, root_hi; /* the initialiser's virtual extent */
    /* the kernel's decisions */
    uint64_t root_region, root_region_bytes;
    uint64_t free_base[32], free_end[32];
    int n_free;
    replay_untyped_t untypeds[256];
    int n_untypeds, n_dropped;
    uint32_t first_free_slot; /* the boot info's empty.start */
} replay_t;

/* Replays the kernel's boot for the image at image_path (its symbols
 * _kernel_start/_kernel_end) embedding the root task ELF at root_path. */
void replay_boot(const char *image_path, const char *root_path, bool mcs, replay_t *r);
/* Places every object of the specification in the replayed untyped list
 * (sets each object's untyped and paddr, and b->n_fillers); an object that
 * does not fit is an error naming where the system file declares it. */
void replay_place(const replay_t *r, spec_builder_t *b);
/* The replay and every object's address, for the report. */
void replay_report(const replay_t *r, const spec_builder_t *b, FILE *out);
