/* x86_64 boot: a multiboot loader (Multiboot Specification 0.6.96) passes
 * the physical address of its information structure, whose memory map
 * (§3.3, flags bit 6) says where RAM is. head.S has entered long mode. */
#include <arch/apic.h>
#include <arch/cap.h>
#include <arch/cpu.h>
#include <arch/fpu.h>
#include <arch/machine.h>
#include <arch/vspace.h>
#include <arch/x86.h>
#include <kernel/addr.h>
#include <kernel/boot.h>
#include <arch/kobj_base.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <sel4/arch/bootinfo.h>
#include <sel4/bootinfo.h>

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2badb002u
#define MB_INFO_CMDLINE (1u << 2)
#define MB_INFO_MMAP (1u << 6)
#define MB_MEMORY_AVAILABLE 1u
#define LOW_MEMORY_END 0x100000ull    /* real-mode and BIOS area: left alone */
#define DEVICE_SPACE_END (1ull << 39) /* the kernel window's reach */

typedef struct __attribute__((packed)) multiboot_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
} multiboot_info_t;

typedef struct __attribute__((packed)) multiboot_mmap_entry {
    uint32_t size; /* of the rest of the entry */
    uint64_t base, length;
    uint32_t type;
} multiboot_mmap_entry_t;

/* The X86_MBMMAP chunk's body, built here (the generic boot copies it
 * after the chunk header). */
static struct __attribute__((packed)) {
    uint32_t mmap_length;
    uint8_t entries[SEL4_MULTIBOOT_MAX_MMAP_ENTRIES * sizeof(seL4_X86_mb_mmap_t)];
} mbmmap;

static NORETURN void boot_fail(const char *why)
{
    kprintf("hypOS: boot failed: %s\n", why);
    arch_halt();
}

void boot_main(uint32_t magic, uint32_t info_pa);
void boot_main(uint32_t magic, uint32_t info_pa)
{
    serial_init();
    cpu_init();
    fpu_init();
    ioport_init();
    arch_init_kernel_vm();
    if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
        boot_fail("not started by a multiboot loader");
    const multiboot_info_t *mb = oref_ptr(info_pa);
    if (mb->flags & MB_INFO_CMDLINE)
        kernel_quiet = has_word(oref_ptr(mb->cmdline), "quiet");

#ifdef HYPOS_PRINTING
    kprintf("\nhypOS kernel (x86_64, 4-level paging%s) on CPU 0\n",
#ifdef HYPOS_DEBUG
            ", debug"
#else
            ""
#endif
    );
#endif
    if (!(mb->flags & MB_INFO_MMAP))
        boot_fail("the loader passed no memory map");

    boot_platform_t plat = {0};
    for (word_t off = 0; off + sizeof(multiboot_mmap_entry_t) <= mb->mmap_length;) {
        const multiboot_mmap_entry_t *e = oref_ptr(mb->mmap_addr + off);
        off += e->size + sizeof(e->size);
        if (e->type != MB_MEMORY_AVAILABLE || !e->length)
            continue;
        if (plat.n_ram == BOOT_MAX_REGIONS)
            boot_fail("too many RAM regions");
        /* partial pages at the edges are not usable as frames */
        paddr_t b = ROUND_UP(e->base, 12), end = ROUND_DOWN(e->base + e->length, 12);
        if (b < end)
            plat.ram[plat.n_ram++] = (region_t){b, end};
    }
    plat.reserved[plat.n_reserved++] = (region_t){0, LOW_MEMORY_END};
    plat.kernel_devices[plat.n_kernel_devices++] = (region_t){lapic_paddr(), lapic_paddr() + 4096};
    plat.kernel_devices[plat.n_kernel_devices++] = (region_t){IOAPIC_PADDR, IOAPIC_PADDR + 4096};
    plat.device_space_end = DEVICE_SPACE_END;
    /* seL4's X86_MBMMAP chunk (seL4_X86_BootInfo_mmap_t): the byte count,
     * then the loader's entries as it gave them, as many as fit */
    word_t n = mb->mmap_length < sizeof mbmmap.entries ? mb->mmap_length : sizeof mbmmap.entries;
    if (n < mb->mmap_length)
        kprintf("hypOS: the memory map has more than %u entries; the boot info keeps the first\n",
                SEL4_MULTIBOOT_MAX_MMAP_ENTRIES);
    copy_memory(mbmmap.entries, oref_ptr(mb->mmap_addr), n);
    mbmmap.mmap_length = (uint32_t)n;
    plat.extra_id = SEL4_BOOTINFO_HEADER_X86_MBMMAP;
    plat.extra_pa = (word_t)(uintptr_t)&mbmmap - KERNEL_VBASE + KERNEL_PBASE;
    plat.extra_size = sizeof mbmmap.mmap_length + n;
    boot_root_task(&plat);
}
