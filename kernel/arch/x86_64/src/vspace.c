/* 4-level paging (Intel SDM Vol. 3A §4.5): the kernel's own mappings, the
 * root task's address space, seL4's x86_64 paging objects (PML4 as the
 * VSpace root, PDPT, page directory, page table; 4 KiB, 2 MiB and 1 GiB
 * frames) and ASID pools. Without PCIDs every CR3 write drops all
 * non-global translations, so only the current address space ever needs
 * invalidation. */
#include <api/invocation.h>
#include <arch/cap.h>
#include <arch/kobj_base.h>
#include <arch/machine.h>
#include <arch/vspace.h>
#include <arch/x86.h>
#include <kernel/addr.h>
#include <kernel/mdb.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <object/asid.h>
#include <object/frame.h>
#include <object/capops.h>
#include <sel4/invocation.h>

syscall_error_t decode_io_port_cap_invocation(invocation_t *inv); /* ioport.c */

#define PTE_P (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_US (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_PS (1ull << 7)
#define PTE_PAT_4K (1ull << 7)     /* in a 4 KiB page's entry */
#define PTE_PAT_LARGE (1ull << 12) /* in a 2 MiB or 1 GiB page's entry */
#define PTE_G (1ull << 8)
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull
#define PTES_PER_TABLE 512
#define KERNEL_FIRST_INDEX 256 /* PML4 slots 256-511: the kernel half */
#define ROOT_BITS 39           /* address bits a PML4 slot leaves to the levels below */
#define CPUID_PDPE1GB (1u << 26)
#define CR4_PGE (1ull << 7)

typedef word_t pte_t;

static pte_t kernel_pml4[PTES_PER_TABLE] __attribute__((aligned(4096)));
static pte_t window_pdpt[PTES_PER_TABLE] __attribute__((aligned(4096)));
static pte_t image_pdpt[PTES_PER_TABLE] __attribute__((aligned(4096)));
static word_t kernel_cr3;
word_t x86_cur_cr3;    /* arch/x86.h; set by the first write_cr3, before any read */
word_t vspace_gen = 1; /* TCBs start with cr3_gen 0: not cached */

static inline paddr_t pte_paddr(pte_t p) { return p & PTE_ADDR; }
/* the frame a leaf entry maps (a large page's bit 12 may be its PAT bit) */
static inline paddr_t pte_frame_paddr(pte_t p, word_t bits) { return p & PTE_ADDR & ~MASK(bits); }
static inline word_t index_at(vptr_t va, word_t bits) { return (va >> bits) & MASK(seL4_PageTableIndexBits); }
static inline paddr_t kernel_vaddr_to_paddr(const void *p)
{
    return (word_t)(uintptr_t)p - KERNEL_VBASE + KERNEL_PBASE;
}

void arch_init_kernel_vm(void)
{
    uint32_t r[4];
    cpuid(0x80000001u, 0, r);
    if (!(r[3] & CPUID_PDPE1GB)) {
        kprintf("hypOS: boot failed: the CPU has no 1 GiB pages (CPUID.80000001H:EDX.Page1GB)\n");
        arch_halt();
    }
    /* the window: data only, global, never executable */
    for (word_t i = 0; i < PHYS_WINDOW_SIZE >> 30; i++)
        window_pdpt[i] = (i << 30) | PTE_P | PTE_RW | PTE_PS | PTE_G | PTE_NX;
    image_pdpt[index_at(KERNEL_VBASE, 30)] = KERNEL_PBASE | PTE_P | PTE_RW | PTE_PS | PTE_G;
    kernel_pml4[index_at(KOBJ_BASE, ROOT_BITS)] = kernel_vaddr_to_paddr(window_pdpt) | PTE_P | PTE_RW;
    kernel_pml4[index_at(KERNEL_VBASE, ROOT_BITS)] = kernel_vaddr_to_paddr(image_pdpt) | PTE_P | PTE_RW;
    word_t cr4;
    asm volatile("mov %%cr4, %0" : "=r"(cr4));
    asm volatile("mov %0, %%cr4" ::"r"(cr4 | CR4_PGE));
    kernel_cr3 = kernel_vaddr_to_paddr(kernel_pml4);
    write_cr3(kernel_cr3);
}

void arch_switch_vspace(tcb_t *t)
{
    cap_t v = t->ctes[tcbVTable].cap;
    word_t cr3 = kernel_cr3;
    /* only a root that still owns its ASID is used; otherwise the thread
     * runs on the kernel's tables and its first access faults */
    if (likely(arch_is_vspace_root_cap(v) && vspace_for_asid(cap_page_table_asid(v)) == cap_page_table_ptr(v)))
        cr3 = cap_page_table_ptr(v);
    if (read_cr3() != cr3)
        write_cr3(cr3);
    t->arch.cr3 = cr3;
    /* fpu_activate sets the holder's bit 63 again */
    t->arch.cr3_gen = vspace_gen & ~VSPACE_GEN_FPU_ON;
}

static bool is_current(word_t root) { return read_cr3() == root; }
static void flush_page(word_t root, vptr_t va)
{
    if (is_current(root))
        invlpg(va);
}
static void flush_all(word_t root)
{
    if (is_current(root))
        write_cr3(root);
}

/* An entry that points to a lower-level table: present, and not a large
 * page (PS is reserved in PML4 entries and means a leaf in PDPT/PD ones). */
static inline bool pte_is_table(pte_t p, word_t bits) { return (p & PTE_P) && (bits == ROOT_BITS || !(p & PTE_PS)); }

/* Follow present table entries from the root as far as they go and return
 * the last slot reached with the address bits it leaves: 39 for a PML4
 * slot, 30 for a PDPT slot, 21 for a page-directory slot, 12 for a
 * page-table slot (SDM Vol. 3A §4.5.4, linear-address translation). */
typedef struct pt_slot {
    pte_t *pte;
    word_t bits_left;
} pt_slot_t;

static pt_slot_t lookup_pt_slot(word_t root, vptr_t va)
{
    word_t bits = ROOT_BITS;
    pte_t *pte = (pte_t *)oref_ptr(root) + index_at(va, bits);
    while (pte_is_table(*pte, bits) && bits > seL4_PageBits) {
        bits -= seL4_PageTableIndexBits;
        pte = (pte_t *)oref_ptr(pte_paddr(*pte)) + index_at(va, bits);
    }
    return (pt_slot_t){pte, bits};
}

/* Address bits of the slot a paging structure of this level is linked
 * from: a page table from a page-directory slot (21), ... */
static inline word_t link_bits(word_t level) { return seL4_PageBits + seL4_PageTableIndexBits * (level + 1); }

static void unmap_page(word_t size, word_t asid, vptr_t va, paddr_t frame)
{
    word_t root = vspace_for_asid(asid);
    if (!root)
        return;
    pt_slot_t s = lookup_pt_slot(root, va);
    word_t bits = frame_size_bits(size);
    if (s.bits_left != bits || !(*s.pte & PTE_P) || (bits > seL4_PageBits && !(*s.pte & PTE_PS)) ||
        pte_frame_paddr(*s.pte, bits) != frame)
        return;
    *s.pte = 0;
    flush_page(root, va);
}

/* Unlink paging structure pt (level < PML4) from the address space asid,
 * where it was mapped to cover va. */
static void unmap_page_table(word_t asid, vptr_t va, word_t pt, word_t level)
{
    word_t root = vspace_for_asid(asid);
    if (!root || root == pt)
        return;
    word_t table = root, target = link_bits(level);
    for (word_t bits = ROOT_BITS; bits > target; bits -= seL4_PageTableIndexBits) {
        pte_t e = ((pte_t *)oref_ptr(table))[index_at(va, bits)];
        if (!pte_is_table(e, bits))
            return;
        table = pte_paddr(e);
    }
    pte_t *link = (pte_t *)oref_ptr(table) + index_at(va, target);
    if (!pte_is_table(*link, target) || pte_paddr(*link) != pt)
        return;
    *link = 0;
    flush_all(root);
}

/* A root lost its ASID (object/asid.h). Without PCIDs only the loaded
 * root has translations: if it is this one, the CPU moves to the kernel's
 * tables before the memory can be reused. */
void arch_asid_root_removed(word_t asid, word_t root)
{
    (void)asid;
    if (is_current(root))
        write_cr3(kernel_cr3);
}

void arch_unmap_frame(cap_t c)
{
    if (cap_frame_asid(c))
        unmap_page(cap_frame_size(c), cap_frame_asid(c), cap_frame_vaddr(c), cap_frame_ptr(c));
}

void arch_finalise_page_table(cap_t c)
{
    if (!cap_page_table_is_mapped(c))
        return;
    word_t asid = cap_page_table_asid(c), pt = cap_page_table_ptr(c);
    if (cap_paging_level(c) == PT_LEVEL_PML4)
        asid_delete_root(asid, pt);
    else
        unmap_page_table(asid, cap_paging_vaddr(c), pt, cap_paging_level(c));
}

/* ---- the root task's address space ---- */

word_t arch_boot_paging_count(vptr_t lo, vptr_t hi)
{
    word_t n = 0;
    for (word_t bits = ROOT_BITS; bits > seL4_PageBits; bits -= seL4_PageTableIndexBits)
        n += ((hi - 1) >> bits) - (lo >> bits) + 1;
    return n;
}

void arch_boot_init_root(word_t root_oref)
{
    pte_t *root = oref_ptr(root_oref);
    for (int i = KERNEL_FIRST_INDEX; i < PTES_PER_TABLE; i++)
        root[i] = kernel_pml4[i];
}

/* Non-leaf entries allow everything; the leaf decides (SDM Vol. 3A §4.6:
 * access rights combine over all levels). */
#define TABLE_FLAGS (PTE_P | PTE_RW | PTE_US)

void arch_boot_map_frame(word_t root_oref, vptr_t va, paddr_t pa, bool writable, bool exec, boot_pt_pool_t *pool)
{
    pte_t *table = oref_ptr(root_oref);
    for (word_t bits = ROOT_BITS; bits > seL4_PageBits; bits -= seL4_PageTableIndexBits) {
        pte_t *p = &table[index_at(va, bits)];
        if (!(*p & PTE_P)) {
            word_t i = pool->used++;
            pool->vaddrs[i] = ROUND_DOWN(va, bits);
            pool->levels[i] = (bits - seL4_PageBits) / seL4_PageTableIndexBits - 1;
            *p = pool->orefs[i] | TABLE_FLAGS;
        }
        table = oref_ptr(pte_paddr(*p));
    }
    table[index_at(va, seL4_PageBits)] = pa | PTE_P | PTE_US | (writable ? PTE_RW : 0) | (exec ? 0 : PTE_NX);
}

/* ---- Invocations (seL4 API reference, x86: PDPT, PageDirectory,
 * PageTable, Page, ASIDControl, ASIDPool). Each decode checks in seL4's
 * order and fails with seL4's error; the perform step after the last
 * check cannot fail. */

/* VM attributes (seL4_X86_VMAttributes): bit 0 write-through (PWT), bit 1
 * cache disabled (PCD), bit 2 the PAT bit, which selects PAT entries 4-7
 * (cpu.c makes entry 4 write-combining); the PAT bit is bit 7 of a 4 KiB
 * page's entry and bit 12 of a 2 MiB or 1 GiB page's (SDM Vol. 3A
 * §4.5, tables 4-15 to 4-19). Frames are executable, as on seL4 x86,
 * unless the caller adds hypOS's bit 3 (seL4_X86_ExecuteNever): then the
 * entry's XD bit forbids instruction fetches (EFER.NXE is on, §4.6). */
static pte_t make_user_pte(paddr_t pa, word_t bits, word_t vm_rights, word_t attr)
{
    pte_t p = pa | PTE_P | ((attr & 1) ? PTE_PWT : 0) | ((attr & 2) ? PTE_PCD : 0) | ((attr & 8) ? PTE_NX : 0);
    if (attr & 4)
        p |= bits > seL4_PageBits ? PTE_PAT_LARGE : PTE_PAT_4K;
    if (bits > seL4_PageBits)
        p |= PTE_PS;
    if (vm_rights != VM_KERNEL_ONLY)
        p |= PTE_US;
    if (vm_rights == VM_READ_WRITE)
        p |= PTE_RW;
    return p;
}

static void invoke_paging_unmap(cte_t *slot)
{
    cap_t cap = slot->cap;
    word_t pt = cap_page_table_ptr(cap), level = cap_paging_level(cap);
    if (cap_page_table_is_mapped(cap)) {
        unmap_page_table(cap_page_table_asid(cap), cap_paging_vaddr(cap), pt, level);
        /* what was mapped through it is gone; it starts empty */
        clear_memory(oref_ptr(pt), BIT(seL4_PageTableBits));
    }
    slot->cap = cap_paging_new(pt, level, false, 0, 0);
}

static void invoke_paging_map(cte_t *slot, word_t asid, vptr_t vaddr, pte_t *pte)
{
    word_t pt = cap_page_table_ptr(slot->cap);
    slot->cap = cap_paging_new(pt, cap_paging_level(slot->cap), true, asid, vaddr);
    *pte = pt | TABLE_FLAGS;
    /* an entry that was not present is never cached (SDM Vol. 3A §4.10.2.3) */
}

static const word_t map_label[3] = {X86PageTableMap, X86PageDirectoryMap, X86PDPTMap};
static const word_t unmap_label[3] = {X86PageTableUnmap, X86PageDirectoryUnmap, X86PDPTUnmap};

static syscall_error_t decode_paging_invocation(invocation_t *inv)
{
    cap_t cap = inv->cap;
    word_t level = cap_paging_level(cap);
    if (level == PT_LEVEL_PML4)
        return err_simple(seL4_IllegalOperation, "a PML4 is a VSpace root and has no methods");

    if (inv->label == unmap_label[level]) {
        if (!cte_is_final(inv->slot))
            return err_simple(seL4_RevokeFirst, "other caps to this paging structure exist");
        invoke_paging_unmap(inv->slot);
        return NO_ERROR;
    }
    if (inv->label != map_label[level])
        return err_simple(seL4_IllegalOperation, "not a method of this paging structure");
    if (inv->length < 2 || inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "Map needs vaddr, attributes and a vspace");
    if (cap_page_table_is_mapped(cap))
        return err_invalid_cap(0, "paging structure is already mapped");

    vptr_t vaddr = inv_arg(inv, 0);
    cap_t vcap = inv->extra[0]->cap;
    if (!arch_is_vspace_root_cap(vcap))
        return err_invalid_cap(1, "not an assigned PML4");
    if (vaddr >= seL4_UserTop)
        return err_invalid_arg(0, "address is not in user space");
    word_t root;
    syscall_error_t e = find_vspace_root(vcap, &root);
    if (e.type != seL4_NoError)
        return e;
    pt_slot_t s = lookup_pt_slot(root, vaddr);
    word_t want = link_bits(level);
    if (s.bits_left > want)
        return err_lookup(false, lf_missing(s.bits_left), "no paging structure at the level above");
    if (s.bits_left < want || (*s.pte & PTE_P))
        return err_simple(seL4_DeleteFirst, "a paging structure or frame already maps this address");

    invoke_paging_map(inv->slot, cap_page_table_asid(vcap), ROUND_DOWN(vaddr, want), s.pte);
    return NO_ERROR;
}

static void invoke_frame_map(cte_t *slot, word_t root, word_t asid, vptr_t vaddr, pte_t *pte, pte_t new_pte)
{
    slot->cap = cap_frame_set_mapping(slot->cap, asid, vaddr);
    *pte = new_pte;
    flush_page(root, vaddr); /* a remap may change rights in place */
}

static syscall_error_t decode_frame_invocation(invocation_t *inv)
{
    cap_t cap = inv->cap;
    switch (inv->label) {
    case X86PageMap:
        break;
    case X86PageUnmap:
        invoke_frame_unmap(inv->slot);
        return NO_ERROR;
    case X86PageGetAddress:
        invoke_frame_get_address(inv);
        return NO_ERROR;
    default:
        return err_simple(seL4_IllegalOperation, "not a frame method");
    }

    word_t bits = frame_size_bits(cap_frame_size(cap));
    frame_map_args_t a;
    syscall_error_t e = decode_frame_map_args(inv, bits, &a);
    if (e.type != seL4_NoError)
        return e;
    pt_slot_t s = lookup_pt_slot(a.root, a.vaddr);
    if (s.bits_left > bits)
        return err_lookup(false, lf_missing(s.bits_left), "no paging structure at the level this frame needs");
    if (s.bits_left < bits)
        return err_simple(seL4_DeleteFirst, "a paging structure is mapped where this frame would go");
    e = check_frame_map_target(cap, &a, *s.pte & PTE_P, pte_frame_paddr(*s.pte, bits));
    if (e.type != seL4_NoError)
        return e;

    word_t vm = mask_frame_rights(cap_frame_vmrights(cap), a.rights);
    invoke_frame_map(inv->slot, a.root, a.asid, a.vaddr, s.pte, make_user_pte(cap_frame_ptr(cap), bits, vm, a.attr));
    return NO_ERROR;
}

syscall_error_t decode_arch_invocation(invocation_t *inv)
{
    if (arch_cap_is_own(inv->cap))
        return decode_io_port_cap_invocation(inv);
    switch (cap_get_type(inv->cap)) {
    case cap_frame:
        return decode_frame_invocation(inv);
    case cap_page_table:
        return decode_paging_invocation(inv);
    case cap_asid_control:
        return decode_asid_control_invocation(inv);
    case cap_asid_pool:
        return decode_asid_pool_invocation(inv);
    default:
        return err_simple(seL4_IllegalOperation, "not an architecture object");
    }
}
