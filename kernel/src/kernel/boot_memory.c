/* Physical memory at boot (see boot_memory.h): kernel-independent, so
 * that the host tool that builds system images runs the same code. */
#include <kernel/boot_memory.h>
#include <sel4/bootinfo_types.h>
#include <sel4/constants.h>

static void sort_regions(region_t *r, word_t n)
{
    for (word_t i = 1; i < n; i++)
        for (word_t j = i; j > 0 && r[j].base < r[j - 1].base; j--) {
            region_t t = r[j];
            r[j] = r[j - 1];
            r[j - 1] = t;
        }
}

/* Remove [b, e) from the free list, splitting regions as needed. */
static const char *reserve(boot_memory_t *m, paddr_t b, paddr_t e)
{
    for (word_t i = 0; i < m->n_free; i++) {
        region_t r = m->free[i];
        if (e <= r.base || b >= r.end)
            continue;
        if (b > r.base && e < r.end) {
            if (m->n_free == BOOT_MEMORY_MAX_FREE)
                return "too many free memory fragments";
            m->free[i].end = b;
            m->free[m->n_free++] = (region_t){e, r.end};
        } else if (b > r.base) {
            m->free[i].end = b;
        } else if (e < r.end) {
            m->free[i].base = e;
        } else {
            m->free[i] = m->free[--m->n_free];
            i--;
        }
    }
    return NULL;
}

/* Like reserve, but what was free in [b, e) is kept to be released later. */
static const char *hold(boot_memory_t *m, paddr_t b, paddr_t e)
{
    for (word_t i = 0; i < m->n_free; i++) {
        paddr_t hb = b > m->free[i].base ? b : m->free[i].base, he = e < m->free[i].end ? e : m->free[i].end;
        if (hb < he)
            m->held[m->n_held++] = (region_t){hb, he}; /* free regions are disjoint: at most n_free */
    }
    return reserve(m, b, e);
}

const char *boot_memory_collect(boot_memory_t *m, const boot_platform_t *plat, paddr_t kernel_base, paddr_t kernel_end,
                                word_t phys_window_size)
{
    *m = (boot_memory_t){0};
    for (word_t i = 0; i < plat->n_ram; i++) {
        region_t r = plat->ram[i];
        if (r.end > phys_window_size)
            r.end = phys_window_size;
        if (r.base < r.end && m->n_free < BOOT_MEMORY_MAX_FREE)
            m->free[m->n_free++] = r;
    }
    const char *err = NULL;
    for (word_t i = 0; i < plat->n_reserved && !err; i++)
        err = reserve(m, ROUND_DOWN(plat->reserved[i].base, 12), ROUND_UP(plat->reserved[i].end, 12));
    if (!err)
        err = reserve(m, kernel_base, kernel_end);
    if (!err && plat->extra_size)
        err = hold(m, ROUND_DOWN(plat->extra_pa, 12), ROUND_UP(plat->extra_pa + plat->extra_size, 12));
    return err;
}

const char *boot_memory_alloc(boot_memory_t *m, word_t size, word_t align_bits, paddr_t *out)
{
    sort_regions(m->free, m->n_free);
    for (word_t i = 0; i < m->n_free; i++) {
        paddr_t b = ROUND_UP(m->free[i].base, align_bits);
        if (b < m->free[i].end && m->free[i].end - b >= size) {
            *out = b;
            return reserve(m, b, b + size);
        }
    }
    return "no free memory for the root task";
}

const char *boot_memory_release_held(boot_memory_t *m)
{
    for (word_t i = 0; i < m->n_held; i++) {
        if (m->n_free == BOOT_MEMORY_MAX_FREE)
            return "too many free memory fragments";
        m->free[m->n_free++] = m->held[i];
    }
    m->n_held = 0;
    sort_regions(m->free, m->n_free);
    return NULL;
}

/* Cover [b, e) with the largest naturally aligned blocks. */
static void cut_untypeds(paddr_t b, paddr_t e, bool device, boot_untyped_fn emit, void *ctx)
{
    while (b < e) {
        word_t bits = b ? (word_t)__builtin_ctzll(b) : 63;
        if (bits > seL4_MaxUntypedBits)
            bits = seL4_MaxUntypedBits;
        while (bits >= seL4_MinUntypedBits && BIT(bits) > e - b)
            bits--;
        if (bits < seL4_MinUntypedBits) {
            b = ROUND_UP(b + 1, seL4_MinUntypedBits);
            continue;
        }
        emit(ctx, b, bits, device);
        b += BIT(bits);
    }
}

/* Device untypeds for [b, e) minus the kernel's own device ranges. */
static void device_untypeds(const boot_platform_t *plat, paddr_t b, paddr_t e, boot_untyped_fn emit, void *ctx)
{
    for (word_t i = 0; i < plat->n_kernel_devices && b < e; i++) {
        paddr_t kb = ROUND_DOWN(plat->kernel_devices[i].base, 12), ke = ROUND_UP(plat->kernel_devices[i].end, 12);
        if (kb >= ke || ke <= b || kb >= e)
            continue;
        if (kb > b)
            device_untypeds(plat, b, kb, emit, ctx);
        b = ke;
    }
    if (b < e)
        cut_untypeds(b, e, true, emit, ctx);
}

void boot_memory_untypeds(boot_memory_t *m, const boot_platform_t *plat, boot_untyped_fn emit, void *ctx)
{
    sort_regions(m->free, m->n_free);
    for (word_t i = 0; i < m->n_free; i++)
        cut_untypeds(m->free[i].base, m->free[i].end, false, emit, ctx);
    region_t ram[BOOT_MAX_REGIONS];
    word_t n_ram = plat->n_ram;
    for (word_t i = 0; i < n_ram; i++)
        ram[i] = plat->ram[i];
    sort_regions(ram, n_ram);
    /* The kernel drives some devices itself (interrupt controllers): their
     * registers are never device untyped (as seL4 keeps kernel devices out
     * of them). */
    paddr_t dev = 0;
    for (word_t i = 0; i <= n_ram; i++) {
        paddr_t stop = i < n_ram ? ram[i].base : plat->device_space_end;
        if (stop > dev)
            device_untypeds(plat, dev, stop, emit, ctx);
        if (i < n_ram && ram[i].end > dev)
            dev = ram[i].end;
    }
}

word_t boot_root_objects_bytes(word_t n_page_tables, word_t n_image_pages, word_t n_extra_pages)
{
    word_t pages = 1 /* vspace */ + n_page_tables + n_image_pages + 2 /* ipc, bi */ + n_extra_pages +
                   1 /* asid pool */ + 1 /* tcb */;
    return BIT(seL4_RootCNodeSizeBits + seL4_SlotBits) + (pages << 12);
}

word_t boot_root_objects_align_bits(void) { return seL4_RootCNodeSizeBits + seL4_SlotBits; }

word_t boot_extra_info_pages(word_t extra_size)
{
    return extra_size ? ROUND_UP(sizeof(seL4_BootInfoHeader) + extra_size, 12) >> 12 : 0;
}
