/* riscv64 boot: OpenSBI passes the hart id and the device tree; the tree
 * says where RAM, the PLIC and the timer are. */
#include <arch/interrupts.h>
#include <arch/machine.h>
#include <arch/vspace.h>
#include <kernel/addr.h>
#include <kernel/boot.h>
#include <kernel/fdt.h>
#include <kernel/printk.h>
#include <sel4/bootinfo.h>

#define DEVICE_SPACE_END (1ull << 40)
#define FDT_MAX_SIZE (1ull << 20)

static fdt_info_t fdt;

void boot_main(word_t hart_id, paddr_t dtb)
{
    arch_init_kernel_vm();

    const char *err = fdt_parse(oref_ptr(dtb), FDT_MAX_SIZE, &fdt);
    if (err) {
        kprintf("hypOS: boot failed: %s\n", err);
        arch_halt();
    }
    kernel_quiet = has_word(fdt.bootargs, "quiet");

#ifdef HYPOS_PRINTING
    kprintf("\nhypOS kernel (riscv64, Sv39%s) on hart %lu\n",
#ifdef HYPOS_DEBUG
            ", debug",
#else
            "",
#endif
            hart_id);
#else
    (void)hart_id;
#endif

    boot_platform_t plat = {0};
    for (word_t i = 0; i < fdt.n_ram; i++)
        plat.ram[plat.n_ram++] = fdt.ram[i];
    for (word_t i = 0; i < fdt.n_reserved; i++)
        plat.reserved[plat.n_reserved++] = fdt.reserved[i];
    plat.kernel_devices[plat.n_kernel_devices++] = fdt.plic;
    plat.device_space_end = DEVICE_SPACE_END;
    plat.extra_id = SEL4_BOOTINFO_HEADER_FDT;
    plat.extra_pa = dtb;
    plat.extra_size = fdt.size;
    boot_root_task(&plat);
}

void arch_init_interrupts(void)
{
    arch_init_plic_and_timer(fdt.plic.base, fdt.plic.end - fdt.plic.base, fdt.timebase_hz);
}
