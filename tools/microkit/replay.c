/* The kernel's boot untyped list, replayed on the host.
 *
 * At boot the kernel (kernel/src/kernel/boot.c) takes RAM from the device
 * tree, removes the firmware's reservations and its own image, holds the
 * device tree back while it carves one region for the root task's objects
 * (first fit, aligned to the root CNode's size), and cuts what is left, and
 * the device space, into naturally aligned untypeds. The memory part of
 * that is kernel/src/kernel/boot_memory.c, which this tool compiles and
 * runs with the board's memory map and the sizes of the image it just
 * linked, so the list is the kernel's by construction. What the tool must
 * assume is the platform the firmware hands over; for qemu_virt_riscv64
 * booted as Microkit documents (-m size=2G, QEMU's default OpenSBI):
 *
 *  - RAM 0x80000000-0x100000000 (2 GiB);
 *  - OpenSBI's reserved-memory node 0x80000000-0x80080000 (its firmware);
 *  - the device tree where QEMU puts it, 2 MiB-aligned below the lower of
 *    RAM's end and 3 GiB: 0xbfe00000, 5278 bytes after OpenSBI's fixups
 *    (any size from 4097 to 8184 bytes gives the same list: what counts is
 *    the pages it spans, with and without the boot info chunk header);
 *  - the PLIC at 0xc000000-0xc600000 (the kernel's device, never untyped).
 *
 * The initialiser checks at boot that each untyped it carves from is the
 * one the tool replayed, and says so when the machine differs. */
#include "replay.h"
#include "elf.h"
#include "sdf.h"
#include <arch/kobj_base.h>
#include <hypos/trace_types.h>
#include <kernel/boot_memory.h>
#include <sel4/bootinfo.h>
#include <sel4/constants.h>
#include <stdlib.h>
#include <string.h>

#define BOARD_RAM_BASE 0x80000000ull
#define BOARD_RAM_SIZE (2ull << 30)
#define BOARD_FIRMWARE_BASE 0x80000000ull
#define BOARD_FIRMWARE_END 0x80080000ull
#define BOARD_DTB_BYTES 5278ull
#define BOARD_PLIC_BASE 0xc000000ull
#define BOARD_PLIC_END 0xc600000ull
#define BOARD_DEVICE_SPACE_END (1ull << 40) /* kernel/arch/riscv64/src/boot.c */

static uint64_t board_dtb_address(void)
{
    uint64_t end = BOARD_RAM_BASE + BOARD_RAM_SIZE, limit = 3ull << 30;
    uint64_t top = BOARD_RAM_BASE < limit && end > limit ? limit : end;
    return (top - BOARD_DTB_BYTES) & ~((2ull << 20) - 1);
}

static void board_platform(boot_platform_t *p)
{
    memset(p, 0, sizeof *p);
    p->ram[p->n_ram++] = (region_t){BOARD_RAM_BASE, BOARD_RAM_BASE + BOARD_RAM_SIZE};
    p->reserved[p->n_reserved++] = (region_t){BOARD_FIRMWARE_BASE, BOARD_FIRMWARE_END};
    p->kernel_devices[p->n_kernel_devices++] = (region_t){BOARD_PLIC_BASE, BOARD_PLIC_END};
    p->device_space_end = BOARD_DEVICE_SPACE_END;
    p->extra_id = SEL4_BOOTINFO_HEADER_FDT;
    p->extra_pa = board_dtb_address();
    p->extra_size = BOARD_DTB_BYTES;
}

/* Page tables the kernel builds for the root task's [lo, hi) in Sv39
 * (arch_boot_paging_count in kernel/arch/riscv64/src/vspace.c): one per
 * GiB and one per 2 MiB spanned. */
static uint64_t root_page_tables(uint64_t lo, uint64_t hi)
{
    return (((hi - 1) >> 30) - (lo >> 30) + 1) + (((hi - 1) >> 21) - (lo >> 21) + 1);
}

static void collect_untyped(void *ctx, paddr_t base, word_t bits, bool device)
{
    replay_t *r = ctx;
    if (r->n_untypeds >= seL4_MaxUntypedCaps) { /* the kernel drops them too */
        r->n_dropped++;
        return;
    }
    r->untypeds[r->n_untypeds++] = (replay_untyped_t){base, (uint32_t)bits, device};
}

static void check(const char *err)
{
    if (err)
        fail("replaying the kernel's boot for qemu_virt_riscv64: %s", err);
}

void replay_boot(const char *image_path, const char *root_path, bool mcs, replay_t *r)
{
    memset(r, 0, sizeof *r);
    const char *why;
    elf_file_t *img = elf_load(image_path, &why), *root = img ? elf_load(root_path, &why) : NULL;
    if (!img || !root)
        fail("image '%s' %s", img ? root_path : image_path, why);
    uint64_t ks, ke, size;
    if (!elf_symbol(img, "_kernel_start", &ks, &size) || !elf_symbol(img, "_kernel_end", &ke, &size))
        fail("image '%s' has no symbols _kernel_start/_kernel_end: the SDK's kernel.ld is not the kernel's",
             image_path);
    r->kernel_base = ks - KERNEL_VBASE + KERNEL_PBASE;
    r->kernel_end = ke - KERNEL_VBASE + KERNEL_PBASE;
    r->root_lo = UINT64_MAX;
    for (int i = 0; i < root->n_segs; i++) {
        uint64_t a = root->segs[i].vaddr, b = a + root->segs[i].memsz;
        r->root_lo = a < r->root_lo ? a : r->root_lo;
        r->root_hi = b > r->root_hi ? b : r->root_hi;
    }
    r->root_lo &= ~0xfffull;
    r->root_hi = (r->root_hi + 0xfff) & ~0xfffull;
    elf_free(img);
    elf_free(root);

    boot_platform_t plat;
    board_platform(&plat);
    static boot_memory_t mem;
    check(boot_memory_collect(&mem, &plat, r->kernel_base, r->kernel_end, PHYS_WINDOW_SIZE));
    /* the root task's layout: image, IPC buffer, boot info, extra boot info */
    uint64_t n_extra = boot_extra_info_pages(plat.extra_size);
    uint64_t n_image = (r->root_hi - r->root_lo) >> 12;
    uint64_t n_pt = root_page_tables(r->root_lo, r->root_hi + 2 * 4096 + (n_extra << 12));
    r->root_region_bytes = boot_root_objects_bytes(n_pt, n_image, n_extra);
    check(boot_memory_alloc(&mem, r->root_region_bytes, boot_root_objects_align_bits(), &r->root_region));
    check(boot_memory_release_held(&mem));
    for (word_t i = 0; i < mem.n_free && i < 32; i++) {
        r->free_base[r->n_free] = mem.free[i].base;
        r->free_end[r->n_free++] = mem.free[i].end;
    }
    boot_memory_untypeds(&mem, &plat, collect_untyped, r);
    /* slots: seL4's initial caps and hypOS's trace control cap (and the MCS
     * kernel's SchedControl), the root task's page tables, image frames
     * and extra boot info frames, then the untypeds (boot_root_task,
     * provide_root_caps, provide_untypeds) */
    r->first_free_slot =
        (uint32_t)(hypOS_CapTraceControl + 1 + (mcs ? 1 : 0) + n_pt + n_image + n_extra + (uint64_t)r->n_untypeds);
}

/* ---- placement ---- */

typedef struct block {
    uint32_t first, count; /* objects (consecutive in the builder) */
    uint64_t size, align;
} block_t;

static int by_alignment_then_size(const void *pa, const void *pb)
{
    const block_t *a = pa, *b = pb;
    if (a->align != b->align)
        return a->align > b->align ? -1 : 1;
    if (a->size != b->size)
        return a->size > b->size ? -1 : 1;
    return a->first < b->first ? -1 : 1;
}

static uint64_t align_up(uint64_t x, uint64_t a) { return (x + a - 1) & ~(a - 1); }

/* Untyped fillers the initialiser retypes to move a watermark from next to to. */
static uint32_t count_fillers(uint64_t next, uint64_t to)
{
    uint32_t n = 0;
    while (next < to) {
        next += 1ull << spec_filler_bits(next, to);
        n++;
    }
    return n;
}

static _Noreturn void fail_object(const obj_origin_t *o, const char *fmt, const char *detail)
{
    if (o->loc.line)
        fail_at(o->loc, fmt, o->what, detail);
    fail(fmt, o->what, detail);
}

/* Where a fixed address lies if no untyped covers it, in words. */
static const char *what_is_at(const replay_t *r, uint64_t pa, uint64_t end)
{
    static char buf[200];
    if (pa < BOARD_FIRMWARE_END && end > BOARD_FIRMWARE_BASE)
        return "0x80000000-0x80080000 is the firmware's (OpenSBI reserves it)";
    if (pa < r->kernel_end && end > r->kernel_base) {
        snprintf(buf, sizeof buf, "0x%llx-0x%llx is the kernel image (with the initialiser and the specification)",
                 (unsigned long long)r->kernel_base, (unsigned long long)r->kernel_end);
        return buf;
    }
    if (pa < r->root_region + r->root_region_bytes && end > r->root_region) {
        snprintf(buf, sizeof buf, "0x%llx-0x%llx holds the initialiser's kernel objects and image",
                 (unsigned long long)r->root_region, (unsigned long long)(r->root_region + r->root_region_bytes));
        return buf;
    }
    if (pa < BOARD_PLIC_END && end > BOARD_PLIC_BASE)
        return "0xc000000-0xc600000 is the PLIC, which the kernel drives";
    return "no boot untyped covers it";
}

void replay_place(const replay_t *r, spec_builder_t *b)
{
    int nu = r->n_untypeds;
    uint64_t *next = calloc((size_t)nu + 1, sizeof *next);
    bool *opened = calloc((size_t)nu + 1, sizeof *opened);
    for (int k = 0; k < nu; k++)
        next[k] = r->untypeds[k].paddr;
    b->n_fillers = 0;
    b->n_untypeds = (uint32_t)nu;
    for (int k = 0; k < nu; k++)
        b->untypeds[k] = (spec_untyped_t){r->untypeds[k].paddr, r->untypeds[k].bits, r->untypeds[k].device};

    /* fixed objects first, by address, each from the untyped covering it */
    uint32_t *fixed = malloc(sizeof *fixed * (b->n_objs + 1));
    uint32_t n_fixed = 0;
    for (uint32_t i = 0; i < b->n_objs; i++)
        if (b->objs[i].flags & SPEC_OBJ_FIXED)
            fixed[n_fixed++] = i;
    for (uint32_t x = 1; x < n_fixed; x++) /* insertion sort: few, mostly in order */
        for (uint32_t y = x; y > 0 && b->objs[fixed[y]].paddr < b->objs[fixed[y - 1]].paddr; y--) {
            uint32_t t = fixed[y];
            fixed[y] = fixed[y - 1];
            fixed[y - 1] = t;
        }
    for (uint32_t x = 0; x < n_fixed; x++) {
        spec_object_t *o = &b->objs[fixed[x]];
        uint64_t size = spec_object_bytes(o->type, o->size_bits), end = o->paddr + size;
        int k = 0;
        while (k < nu &&
               !(o->paddr >= r->untypeds[k].paddr && end <= r->untypeds[k].paddr + (1ull << r->untypeds[k].bits)))
            k++;
        char detail[300];
        if (k == nu) {
            snprintf(detail, sizeof detail, "0x%llx-0x%llx: %s", (unsigned long long)o->paddr, (unsigned long long)end,
                     what_is_at(r, o->paddr, end));
            fail_object(&b->origins[fixed[x]], "%s: its physical address is not free at boot, %s", detail);
        }
        if (next[k] > o->paddr) {
            snprintf(detail, sizeof detail, "0x%llx", (unsigned long long)o->paddr);
            fail_object(&b->origins[fixed[x]], "%s: physical address %s is taken by another fixed object", detail);
        }
        if (o->paddr > align_up(next[k], size))
            b->n_fillers += count_fillers(next[k], o->paddr);
        o->untyped = (uint32_t)k;
        opened[k] = true;
        next[k] = end;
    }
    free(fixed);

    /* the rest as blocks: a memory region's frames together (contiguous,
     * as Microkit places regions), every other object on its own; largest
     * alignment first, then largest size, so no block leaves a gap. The
     * kernel clears a boot untyped whole at its first retype (untyped.c),
     * so the initialiser's time grows with the untypeds it opens: a block
     * goes into the first untyped already opened that has room, else it
     * opens the smallest one that fits it. */
    block_t *blocks = malloc(sizeof *blocks * (b->n_objs + 1));
    uint32_t nb = 0;
    uint64_t need = 0;
    for (uint32_t i = 0; i < b->n_objs;) {
        spec_object_t *o = &b->objs[i];
        if (o->flags & SPEC_OBJ_FIXED) {
            i++;
            continue;
        }
        uint64_t size = spec_object_bytes(o->type, o->size_bits);
        block_t bl = {i, 1, size, size};
        int mr = b->origins[i].mr;
        while (mr >= 0 && i + bl.count < b->n_objs && b->origins[i + bl.count].mr == mr &&
               b->origins[i + bl.count].what == b->origins[i].what)
            bl.size += size, bl.count++;
        blocks[nb++] = bl;
        need += bl.size;
        i += bl.count;
    }
    qsort(blocks, nb, sizeof *blocks, by_alignment_then_size);
    for (uint32_t x = 0; x < nb; x++) {
        block_t *bl = &blocks[x];
        int k = -1;
        for (int pass = 0; pass < 2 && k < 0; pass++)
            for (int j = 0; j < nu; j++) {
                uint64_t end = r->untypeds[j].paddr + (1ull << r->untypeds[j].bits);
                if (r->untypeds[j].device || opened[j] != (pass == 0) || align_up(next[j], bl->align) + bl->size > end)
                    continue;
                if (pass == 0) {
                    k = j;
                    break;
                }
                if (k < 0 || r->untypeds[j].bits < r->untypeds[k].bits)
                    k = j;
            }
        if (k < 0) {
            uint64_t largest = 0, left = 0;
            for (int j = 0; j < nu; j++) {
                if (r->untypeds[j].device)
                    continue;
                uint64_t end = r->untypeds[j].paddr + (1ull << r->untypeds[j].bits), at = align_up(next[j], bl->align);
                left += end - next[j];
                if (at < end && end - at > largest)
                    largest = end - at;
            }
            char detail[400];
            snprintf(detail, sizeof detail,
                     "it needs 0x%llx bytes in one piece (aligned to 0x%llx), the largest piece left is 0x%llx; "
                     "0x%llx bytes of RAM are left at boot after the kernel, the initialiser and the objects "
                     "placed before it, the system's objects need 0x%llx in all (the report lists the boot untypeds)",
                     (unsigned long long)bl->size, (unsigned long long)bl->align, (unsigned long long)largest,
                     (unsigned long long)left, (unsigned long long)need);
            fail_object(&b->origins[bl->first], "%s does not fit in the memory of qemu_virt_riscv64 (2 GiB): %s",
                        detail);
        }
        opened[k] = true;
        uint64_t at = align_up(next[k], bl->align);
        for (uint32_t j = 0; j < bl->count; j++) {
            spec_object_t *o = &b->objs[bl->first + j];
            o->untyped = (uint32_t)k;
            o->paddr = at + (uint64_t)j * (bl->size / bl->count);
        }
        next[k] = at + bl->size;
    }
    free(blocks);
    free(next);
    free(opened);

    /* capability slots of the initialiser: fillers, objects, extra caps
     * (and a scratch slot on MCS) after the boot info's first free slot */
    uint64_t slots = (uint64_t)r->first_free_slot + b->n_fillers + b->n_objs + b->n_extra + (sdf_mcs ? 1 : 0);
    if (slots > (1ull << seL4_RootCNodeSizeBits))
        fail("the system needs %llu capability slots in the initialiser's CNode, which has %llu (%u taken at boot): "
             "fewer objects (pages, PDs) are needed",
             (unsigned long long)(slots - r->first_free_slot),
             (unsigned long long)((1ull << seL4_RootCNodeSizeBits) - r->first_free_slot), r->first_free_slot);
}

void replay_report(const replay_t *r, const spec_builder_t *b, FILE *out)
{
    fprintf(out,
            "boot memory (replayed for qemu_virt_riscv64, -m size=2G): RAM 0x%llx-0x%llx, firmware 0x%llx-0x%llx, "
            "device tree 0x%llx (%llu bytes), kernel image 0x%llx-0x%llx, initialiser's objects and image "
            "0x%llx-0x%llx\n",
            (unsigned long long)BOARD_RAM_BASE, (unsigned long long)(BOARD_RAM_BASE + BOARD_RAM_SIZE),
            (unsigned long long)BOARD_FIRMWARE_BASE, (unsigned long long)BOARD_FIRMWARE_END,
            (unsigned long long)board_dtb_address(), (unsigned long long)BOARD_DTB_BYTES,
            (unsigned long long)r->kernel_base, (unsigned long long)r->kernel_end, (unsigned long long)r->root_region,
            (unsigned long long)(r->root_region + r->root_region_bytes));
    for (int i = 0; i < r->n_free; i++)
        fprintf(out, "free RAM at boot 0x%llx-0x%llx\n", (unsigned long long)r->free_base[i],
                (unsigned long long)r->free_end[i]);
    uint64_t *used = calloc((size_t)r->n_untypeds + 1, sizeof *used);
    for (uint32_t i = 0; i < b->n_objs; i++)
        used[b->objs[i].untyped] += spec_object_bytes(b->objs[i].type, b->objs[i].size_bits);
    for (int k = 0; k < r->n_untypeds; k++)
        fprintf(out, "boot untyped %d: 0x%llx (2^%u)%s, 0x%llx bytes of objects\n", k,
                (unsigned long long)r->untypeds[k].paddr, r->untypeds[k].bits, r->untypeds[k].device ? " device" : "",
                (unsigned long long)used[k]);
    if (r->n_dropped)
        fprintf(out, "boot untypeds the kernel drops (its list is full): %d\n", r->n_dropped);
    free(used);
    fprintf(out, "initialiser: first free slot %u, %u filler untypeds\n", r->first_free_slot, b->n_fillers);
    for (uint32_t i = 0; i < b->n_objs; i++) {
        const spec_object_t *o = &b->objs[i];
        const obj_origin_t *g = &b->origins[i];
        fprintf(out, "object %u at 0x%llx (untyped %u): %s of %s", i, (unsigned long long)o->paddr, o->untyped,
                spec_object_kind(o->type), g->what);
        if (g->loc.line)
            fprintf(out, " (line %d)", g->loc.line);
        fputc('\n', out);
    }
}
