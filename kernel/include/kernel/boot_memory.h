/* Physical memory at boot: the free list the kernel builds from the
 * platform (RAM minus firmware reservations and its own image), the one
 * region it carves for the root task's objects, and how it cuts what is
 * left (and the device space) into the boot untyped list.
 *
 * Pure computation on plain data, with no kernel state: the kernel runs it
 * once at boot, and the microkit host tool compiles this same code to
 * replay the boot untyped list of a board before it builds an image, so
 * that a system that does not fit is refused at build time. Errors are
 * returned as text; the kernel stops with it, the tool reports it. */
#pragma once
#include <kernel/boot.h>
#include <types.h>

#define BOOT_MEMORY_MAX_FREE 32

typedef struct boot_memory {
    region_t free[BOOT_MEMORY_MAX_FREE];
    word_t n_free;
    /* free memory held back (the extra boot info until it is copied) */
    region_t held[BOOT_MEMORY_MAX_FREE];
    word_t n_held;
} boot_memory_t;

/* The free list: RAM (clipped to the kernel's physical-memory window)
 * minus the platform's reservations (widened to whole pages) and the
 * kernel image [kernel_base, kernel_end); the extra boot info is held. */
const char *boot_memory_collect(boot_memory_t *m, const boot_platform_t *plat, paddr_t kernel_base, paddr_t kernel_end,
                                word_t phys_window_size);
/* The lowest free [b, b + size) with b aligned to 2^align_bits (first fit
 * over the free list sorted by address), taken out of the list. */
const char *boot_memory_alloc(boot_memory_t *m, word_t size, word_t align_bits, paddr_t *out);
/* Held memory becomes free again (as regions of its own: they are not
 * merged with their neighbours, so they are cut into untypeds apart). */
const char *boot_memory_release_held(boot_memory_t *m);

/* Called for each boot untyped in the order the kernel hands them out. */
typedef void (*boot_untyped_fn)(void *ctx, paddr_t base, word_t size_bits, bool device);
/* Every free RAM region (sorted by address) as the largest naturally
 * aligned blocks of seL4_MinUntypedBits..seL4_MaxUntypedBits, then all
 * physical space below plat->device_space_end that is not RAM and not a
 * kernel device as device untypeds. */
void boot_memory_untypeds(boot_memory_t *m, const boot_platform_t *plat, boot_untyped_fn emit, void *ctx);

/* The root task's objects in their one region: the CNode (the region is
 * aligned to its size), then one page each for the VSpace root, the ASID
 * pool, the IPC buffer, the boot info, the TCB, the page tables, the
 * image and the extra boot info. */
word_t boot_root_objects_bytes(word_t n_page_tables, word_t n_image_pages, word_t n_extra_pages);
word_t boot_root_objects_align_bits(void);
/* Pages of extra boot info for a chunk of extra_size bytes (its header
 * included), 0 when there is none. */
word_t boot_extra_info_pages(word_t extra_size);
