/* The boundary between an architecture's boot code and the generic boot.
 * The architecture finds out what the machine has (from a device tree, a
 * multiboot memory map, ...), sets up its own kernel mappings and console,
 * and hands the result to boot_root_task, which builds the root task. */
#pragma once
#include <types.h>
#include <kernel/fdt.h> /* region_t */

#define BOOT_MAX_REGIONS 32

typedef struct boot_platform {
    region_t ram[BOOT_MAX_REGIONS]; /* usable RAM */
    word_t n_ram;
    region_t reserved[BOOT_MAX_REGIONS]; /* inside RAM but not free (firmware) */
    word_t n_reserved;
    /* registers of devices the kernel drives: never device untyped */
    region_t kernel_devices[4];
    word_t n_kernel_devices;
    /* physical space below this that is not RAM becomes device untyped */
    paddr_t device_space_end;
    /* one extra boot info chunk (seL4_BootInfoHeader id) copied from
     * [extra_pa, extra_pa + extra_size) for the root task; size 0: none */
    word_t extra_id;
    paddr_t extra_pa;
    word_t extra_size;
} boot_platform_t;

/* Build the root task from the embedded image and run it. The kernel's
 * window onto physical memory must be set up already. */
NORETURN void boot_root_task(const boot_platform_t *plat);

/* Is w one of the space-separated words of str (the kernel command line)? */
bool has_word(const char *str, const char *w);

/* The architecture's cycle or instruction counter at kernel entry, passed
 * to the root task so a benchmark can measure the boot (0 if unknown). */
extern word_t boot_instret_at_entry;
