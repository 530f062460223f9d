/* Boot: from the platform description the architecture gathered (RAM,
 * reserved ranges, kernel devices) and the embedded root-task ELF to a
 * running root task holding every resource as a capability. Nothing here
 * is a heap: the root task's objects are carved out of free RAM once, and
 * all remaining memory is handed out as untyped. */
#include <arch/cap.h>
#include <arch/interrupts.h>
#include <arch/kobj_base.h>
#include <arch/machine.h>
#include <arch/registers.h>
#include <arch/vspace.h>
#include <kernel/addr.h>
#include <kernel/boot.h>
#include <hypos/trace_types.h>
#include <kernel/elf.h>
#include <kernel/mdb.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/thread.h>
#include <object/asid.h>
#include <object/capops.h>
#include <sel4/bootinfo.h>
#include <sel4/shared_types.h>

extern char _kernel_start[], _kernel_end[], _rootimage_start[], _rootimage_end[];
word_t boot_instret_at_entry;

#define MAX_FREE 32
#define ROOT_ASID 1

static region_t free_mem[MAX_FREE];
static word_t n_free;

static NORETURN void boot_fail(const char *why)
{
    kprintf("hypOS: boot failed: %s\n", why);
    arch_halt();
}

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
static void reserve(paddr_t b, paddr_t e)
{
    for (word_t i = 0; i < n_free; i++) {
        region_t r = free_mem[i];
        if (e <= r.base || b >= r.end)
            continue;
        if (b > r.base && e < r.end) {
            if (n_free == MAX_FREE)
                boot_fail("too many free memory fragments");
            free_mem[i].end = b;
            free_mem[n_free++] = (region_t){e, r.end};
        } else if (b > r.base) {
            free_mem[i].end = b;
        } else if (e < r.end) {
            free_mem[i].base = e;
        } else {
            free_mem[i] = free_mem[--n_free];
            i--;
        }
    }
}

/* The extra boot info (e.g. the device tree) must survive until it is
 * copied for the root task, so the free memory under it is held back
 * meanwhile and handed out after. */
static region_t held[MAX_FREE];
static word_t n_held;

static void hold(paddr_t b, paddr_t e)
{
    for (word_t i = 0; i < n_free; i++) {
        paddr_t hb = b > free_mem[i].base ? b : free_mem[i].base, he = e < free_mem[i].end ? e : free_mem[i].end;
        if (hb < he)
            held[n_held++] = (region_t){hb, he}; /* free regions are disjoint: at most n_free */
    }
    reserve(b, e);
}

static void release_held(void)
{
    for (word_t i = 0; i < n_held; i++) {
        if (n_free == MAX_FREE)
            boot_fail("too many free memory fragments");
        free_mem[n_free++] = held[i];
    }
    n_held = 0;
}

static paddr_t alloc_region(word_t size, word_t align_bits)
{
    sort_regions(free_mem, n_free);
    for (word_t i = 0; i < n_free; i++) {
        paddr_t b = ROUND_UP(free_mem[i].base, align_bits);
        if (b < free_mem[i].end && free_mem[i].end - b >= size) {
            reserve(b, b + size);
            return b;
        }
    }
    boot_fail("no free memory for the root task");
}

typedef struct boot_state {
    cte_t *cnode;
    word_t next_slot;
    seL4_BootInfo *bi;
} boot_state_t;

static cte_t *slot_at(boot_state_t *s, word_t i) { return &s->cnode[i]; }

static void provide(boot_state_t *s, word_t slot, cap_t c) { cte_insert_root(c, slot_at(s, slot)); }

static word_t provide_next(boot_state_t *s, cap_t c)
{
    word_t slot = s->next_slot++;
    if (slot >= BIT(seL4_RootCNodeSizeBits))
        boot_fail("root CNode too small");
    provide(s, slot, c);
    return slot;
}

static void add_untyped(boot_state_t *s, paddr_t b, word_t bits, bool device)
{
    word_t n = s->bi->untyped.end - s->bi->untyped.start;
    if (n >= seL4_MaxUntypedCaps) {
        kprintf("hypOS: boot: untyped list full, %lx (2^%lu) not handed out\n", b, bits);
        return;
    }
    /* RAM is handed out "used" up to the top: the first retype clears it
     * (preemptibly), keeping memory above a watermark zero (untyped.c) */
    provide_next(s, cap_untyped_new(b, bits, device, device ? 0 : BIT(bits)));
    s->bi->untypedList[n] = (seL4_UntypedDesc){.paddr = b, .sizeBits = (seL4_Uint8)bits, .isDevice = device};
    s->bi->untyped.end++;
}

/* Cover [b, e) with the largest naturally aligned blocks. */
static void add_untypeds(boot_state_t *s, paddr_t b, paddr_t e, bool device)
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
        add_untyped(s, b, bits, device);
        b += BIT(bits);
    }
}

/* Device untypeds for [b, e) minus the kernel's own device ranges. */
static void add_device_untypeds(boot_state_t *s, const boot_platform_t *plat, paddr_t b, paddr_t e)
{
    for (word_t i = 0; i < plat->n_kernel_devices && b < e; i++) {
        paddr_t kb = ROUND_DOWN(plat->kernel_devices[i].base, 12), ke = ROUND_UP(plat->kernel_devices[i].end, 12);
        if (kb >= ke || ke <= b || kb >= e)
            continue;
        if (kb > b)
            add_device_untypeds(s, plat, b, kb);
        b = ke;
    }
    if (b < e)
        add_untypeds(s, b, e, true);
}

/* Is w one of the space-separated words of str? */
bool has_word(const char *str, const char *w)
{
    for (const char *s = str; *s; s++) {
        if (s != str && s[-1] != ' ')
            continue;
        const char *a = s, *b = w;
        while (*b && *a == *b)
            a++, b++;
        if (!*b && (*a == 0 || *a == ' '))
            return true;
    }
    return false;
}

/* Where everything of the root task lives: its image in the ELF, its
 * virtual layout (image, IPC buffer page, boot info page, extra boot info
 * pages) and the physical pages of its objects, all in one region. */
typedef struct root_layout {
    elf_image_t img;
    word_t n_image, n_extra, n_pt, extra_len;
    vptr_t ipc_va, bi_va, extra_va;
    paddr_t cnode_pa, vspace_pa, pool_pa, ipc_pa, bi_pa, tcb_pa, extra_pa, image_pa;
    word_t *pt_orefs;
} root_layout_t;

/* The free list is RAM (as far as the physical-memory window
 * reaches) minus firmware reservations and the kernel image; everything
 * later comes out of it. The extra boot info is held back, not freed: it
 * must survive until it is copied for the root task. */
static void collect_free_memory(const boot_platform_t *plat)
{
    paddr_t kbase = (word_t)(uintptr_t)_kernel_start - KERNEL_VBASE + KERNEL_PBASE;
    paddr_t kend = (word_t)(uintptr_t)_kernel_end - KERNEL_VBASE + KERNEL_PBASE;
    for (word_t i = 0; i < plat->n_ram; i++) {
        region_t r = plat->ram[i];
        if (r.end > PHYS_WINDOW_SIZE)
            r.end = PHYS_WINDOW_SIZE;
        if (r.base < r.end && n_free < MAX_FREE)
            free_mem[n_free++] = r;
        debug_printf("  RAM       %016lx-%016lx\n", plat->ram[i].base, plat->ram[i].end);
    }
    for (word_t i = 0; i < plat->n_reserved; i++) {
        debug_printf("  reserved  %016lx-%016lx (firmware)\n", plat->reserved[i].base, plat->reserved[i].end);
        reserve(ROUND_DOWN(plat->reserved[i].base, 12), ROUND_UP(plat->reserved[i].end, 12));
    }
    debug_printf("  kernel    %016lx-%016lx\n", kbase, kend);
    reserve(kbase, kend);
    if (plat->extra_size)
        hold(ROUND_DOWN(plat->extra_pa, 12), ROUND_UP(plat->extra_pa + plat->extra_size, 12));
}

/* The root task's ELF is checked before anything is built for it,
 * so a bad image stops the boot with a reason; its size fixes how much
 * memory the root task's objects take. */
static void read_root_image(const boot_platform_t *plat, root_layout_t *l)
{
    /* Extra boot info (seL4 manual, boot info: chunks of {id, len} after the
     * boot info page): at most one chunk, e.g. the device tree. */
    l->extra_len = plat->extra_size ? sizeof(seL4_BootInfoHeader) + plat->extra_size : 0;
    l->n_extra = ROUND_UP(l->extra_len, 12) >> 12;

    const char *err = elf_read(_rootimage_start, (word_t)(_rootimage_end - _rootimage_start),
                               seL4_UserTop - (2 + l->n_extra) * 4096, &l->img);
    if (err)
        boot_fail(err);

    /* Root task layout: image, IPC buffer page, boot info page, extra boot info. */
    l->n_image = (l->img.hi - l->img.lo) >> 12;
    l->ipc_va = l->img.hi;
    l->bi_va = l->img.hi + 4096;
    l->extra_va = l->img.hi + 2 * 4096;
    l->n_pt = arch_boot_paging_count(l->img.lo, l->extra_va + (l->n_extra << 12));
}

/* One zeroed region holds every object of the root task (there is
 * no kernel heap); the extra boot info is copied into its pages, after
 * which the memory it came from is free like the rest. */
static void carve_root_objects(const boot_platform_t *plat, root_layout_t *l)
{
    word_t cnode_bytes = BIT(seL4_RootCNodeSizeBits + seL4_SlotBits);
    word_t pages =
        1 /* vspace */ + l->n_pt + l->n_image + 2 /* ipc, bi */ + l->n_extra + 1 /* asid pool */ + 1 /* tcb */;
    word_t total = cnode_bytes + (pages << 12);
    paddr_t rs = alloc_region(total, seL4_RootCNodeSizeBits + seL4_SlotBits);
    debug_printf("  rootserver %016lx-%016lx (%lu image pages)\n", rs, rs + total, l->n_image);
    clear_memory(oref_ptr(rs), total);

    paddr_t next = rs + cnode_bytes;
#define TAKE_PAGE() (next += 4096, next - 4096)
    l->cnode_pa = rs;
    l->vspace_pa = TAKE_PAGE();
    l->pool_pa = TAKE_PAGE();
    l->ipc_pa = TAKE_PAGE();
    l->bi_pa = TAKE_PAGE();
    l->tcb_pa = TAKE_PAGE();
    static word_t pt_orefs[64];
    if (l->n_pt > 64)
        boot_fail("root task image spans too many page tables");
    l->pt_orefs = pt_orefs;
    for (word_t i = 0; i < l->n_pt; i++)
        pt_orefs[i] = TAKE_PAGE();
#undef TAKE_PAGE
    l->extra_pa = next;
    next += l->n_extra << 12;
    l->image_pa = next;

    if (plat->extra_size) {
        seL4_BootInfoHeader *chunk = oref_ptr(l->extra_pa);
        *chunk = (seL4_BootInfoHeader){.id = plat->extra_id, .len = l->extra_len};
        copy_memory(chunk + 1, oref_ptr(plat->extra_pa), plat->extra_size);
    }
    release_held();
}

/* The root task's address space: the kernel's mappings, its image
 * (file bytes copied, the rest zero, rights from the segments), the IPC
 * buffer, boot info and extra boot info pages; page tables come from the
 * carved region through pool. */
static void map_root_address_space(const root_layout_t *l, boot_pt_pool_t *pool)
{
    arch_boot_init_root(l->vspace_pa);
    asid_boot_assign(l->pool_pa, ROOT_ASID, l->vspace_pa);
    for (word_t i = 0; i < l->n_image; i++) {
        vptr_t va = l->img.lo + (i << 12);
        bool w = false, x = false;
        for (word_t k = 0; k < l->img.n_seg; k++) {
            const elf_segment_t *sg = &l->img.seg[k];
            if (va + 4096 <= sg->vaddr || va >= sg->vaddr + sg->memsz)
                continue;
            w |= sg->writable;
            x |= sg->exec;
            /* copy the file bytes of this segment that fall in this page */
            word_t from = sg->vaddr > va ? sg->vaddr : va;
            word_t to = sg->vaddr + sg->filesz < va + 4096 ? sg->vaddr + sg->filesz : va + 4096;
            if (from < to)
                copy_memory((char *)oref_ptr(l->image_pa + (i << 12)) + (from - va),
                            _rootimage_start + sg->offset + (from - sg->vaddr), to - from);
        }
        arch_boot_map_frame(l->vspace_pa, va, l->image_pa + (i << 12), w, x, pool);
    }
    arch_boot_map_frame(l->vspace_pa, l->ipc_va, l->ipc_pa, true, false, pool);
    arch_boot_map_frame(l->vspace_pa, l->bi_va, l->bi_pa, true, false, pool);
    for (word_t i = 0; i < l->n_extra; i++)
        arch_boot_map_frame(l->vspace_pa, l->extra_va + (i << 12), l->extra_pa + (i << 12), true, false, pool);
}

/* seL4's well-known caps in slots 1-11, then (in this order, which
 * the boot info's slot regions describe) the paging structures, the image
 * frames and the extra boot info frames. */
static void provide_root_caps(boot_state_t *s, const root_layout_t *l, const boot_pt_pool_t *pool)
{
    seL4_BootInfo *bi = s->bi;
    provide(s, seL4_CapInitThreadTCB, cap_thread_new(l->tcb_pa));
    provide(s, seL4_CapInitThreadCNode,
            cap_cnode_new(l->cnode_pa, seL4_RootCNodeSizeBits, WORD_BITS - seL4_RootCNodeSizeBits, 0));
    provide(s, seL4_CapInitThreadVSpace, arch_vspace_root_cap(l->vspace_pa, ROOT_ASID));
    provide(s, seL4_CapIRQControl, cap_irq_control_new());
    provide(s, seL4_CapASIDControl, cap_asid_control_new());
    provide(s, seL4_CapInitThreadASIDPool, cap_asid_pool_new(l->pool_pa, 0));
    provide(s, seL4_CapBootInfoFrame, cap_frame_new(l->bi_pa, FRAME_4K, VM_READ_WRITE, false, ROOT_ASID, l->bi_va));
    provide(s, seL4_CapInitThreadIPCBuffer,
            cap_frame_new(l->ipc_pa, FRAME_4K, VM_READ_WRITE, false, ROOT_ASID, l->ipc_va));
    provide(s, seL4_CapDomain, cap_domain_new());
    /* hypOS's own: the first slot after seL4's well-known ones */
    provide(s, hypOS_CapTraceControl, cap_trace_control_new());
    if (!cap_is_null(arch_boot_io_port_control_cap()))
        provide(s, seL4_CapIOPortControl, arch_boot_io_port_control_cap());
#ifdef CONFIG_KERNEL_MCS
    /* the root thread's scheduling context shares the TCB's page */
    _Static_assert((1u << seL4_TCBBits) + (1u << seL4_MinSchedContextBits) <= 4096, "root SC fits the TCB's page");
    provide(s, seL4_CapInitThreadSC, cap_sched_context_new(l->tcb_pa + BIT(seL4_TCBBits), seL4_MinSchedContextBits));
    bi->schedcontrol.start = s->next_slot;
    provide_next(s, cap_sched_control_new(0));
    bi->schedcontrol.end = s->next_slot;
#endif

    bi->nodeID = 0;
    bi->numNodes = 1;
    bi->ipcBuffer = (seL4_IPCBuffer *)l->ipc_va;
    bi->initThreadCNodeSizeBits = seL4_RootCNodeSizeBits;
    /* the root task starts in the domain of the schedule's first slot, so
     * that it runs at once (as on seL4) */
    domain_schedule_init();
    bi->initThreadDomain = dom_current();
    bi->userImagePaging.start = s->next_slot;
    for (word_t i = 0; i < pool->used; i++)
        provide_next(s, arch_boot_paging_cap(pool, i, ROOT_ASID));
    bi->userImagePaging.end = s->next_slot;
    bi->userImageFrames.start = s->next_slot;
    for (word_t i = 0; i < l->n_image; i++)
        provide_next(s, cap_frame_new(l->image_pa + (i << 12), FRAME_4K, VM_READ_WRITE, false, ROOT_ASID,
                                      l->img.lo + (i << 12)));
    bi->userImageFrames.end = s->next_slot;
    bi->extraLen = l->extra_len;
    bi->extraBIPages.start = s->next_slot;
    for (word_t i = 0; i < l->n_extra; i++)
        provide_next(s, cap_frame_new(l->extra_pa + (i << 12), FRAME_4K, VM_READ_WRITE, false, ROOT_ASID,
                                      l->extra_va + (i << 12)));
    bi->extraBIPages.end = s->next_slot;
}

/* Every byte of free RAM as untyped, then all physical space that
 * is not RAM (below device_space_end) as device untyped, so the root task
 * holds every resource the kernel does not use itself. */
static void provide_untypeds(boot_state_t *s, const boot_platform_t *plat)
{
    seL4_BootInfo *bi = s->bi;
    bi->untyped.start = bi->untyped.end = s->next_slot;
    sort_regions(free_mem, n_free);
    for (word_t i = 0; i < n_free; i++) {
        debug_printf("  untyped   %016lx-%016lx\n", free_mem[i].base, free_mem[i].end);
        add_untypeds(s, free_mem[i].base, free_mem[i].end, false);
    }
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
            add_device_untypeds(s, plat, dev, stop);
        if (i < n_ram && ram[i].end > dev)
            dev = ram[i].end;
    }
    bi->empty = (seL4_SlotRegion){s->next_slot, BIT(seL4_RootCNodeSizeBits)};
}

/* The root thread: its TCB holds copies of its CSpace, VSpace and
 * buffer caps, it runs at the highest priority with authority over all of
 * them, and it starts at the ELF entry with the boot info address in its
 * first argument register. */
static tcb_t *init_root_thread(boot_state_t *s, const root_layout_t *l)
{
    tcb_t *tcb = oref_ptr(l->tcb_pa);
    tcb_init(tcb);
    cte_insert(slot_at(s, seL4_CapInitThreadCNode)->cap, slot_at(s, seL4_CapInitThreadCNode), &tcb->ctes[tcbCTable]);
    cte_insert(slot_at(s, seL4_CapInitThreadVSpace)->cap, slot_at(s, seL4_CapInitThreadVSpace), &tcb->ctes[tcbVTable]);
    cte_insert(slot_at(s, seL4_CapInitThreadIPCBuffer)->cap, slot_at(s, seL4_CapInitThreadIPCBuffer),
               &tcb->ctes[tcbBuffer]);
    setup_reply_master(tcb);
    tcb->priority = tcb->mcp = seL4_MaxPrio;
    tcb->domain = dom_current();
    tcb->ipc_buffer = l->ipc_va;
    tcb->ctx.regs[REG_PC] = l->img.entry;
    tcb->ctx.regs[REG_A0] = l->bi_va;
    tcb->ctx.regs[REG_A1] = boot_instret_at_entry; /* hypOS: lets a benchmark measure boot cost */
    tcb->state = ThreadState_Running;
    ks_cur_thread = tcb;
#ifdef CONFIG_KERNEL_MCS
    boot_root_sched_context(tcb, oref_ptr(l->tcb_pa + BIT(seL4_TCBBits)));
#endif
    const char name[] = "rootserver";
    for (word_t i = 0; i < sizeof(name); i++)
        tcb->name[i] = name[i];
    return tcb;
}

void boot_root_task(const boot_platform_t *plat)
{
    root_layout_t l;
    collect_free_memory(plat);
    read_root_image(plat, &l);
    carve_root_objects(plat, &l);

    static word_t pt_vaddrs[64];
    boot_pt_pool_t pool = {.orefs = l.pt_orefs, .vaddrs = pt_vaddrs, .count = l.n_pt};
    map_root_address_space(&l, &pool);

    boot_state_t s = {.cnode = oref_ptr(l.cnode_pa), .next_slot = hypOS_CapTraceControl + 1, .bi = oref_ptr(l.bi_pa)};
    provide_root_caps(&s, &l, &pool);
    provide_untypeds(&s, plat);
    tcb_t *tcb = init_root_thread(&s, &l);

    /* Interrupts on (the timer and the interrupt controller), then
     * the first return to user mode. */
    arch_init_interrupts();
    debug_printf("hypOS: %lu untyped caps, slots %lu-%lu free; starting root task at %lx\n",
                 s.bi->untyped.end - s.bi->untyped.start, s.bi->empty.start, s.bi->empty.end - 1, l.img.entry);
    arch_activate_and_return(tcb);
}
