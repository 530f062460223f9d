/* Sv39 page tables (RISC-V privileged spec v1.12, §4.4): the kernel's own
 * mappings, the root task's address space, and unmapping on deletion. */
#include <api/invocation.h>
#include <arch/kobj_base.h>
#include <arch/machine.h>
#include <arch/vspace.h>
#include <kernel/addr.h>
#include <kernel/mdb.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <object/asid.h>
#include <object/frame.h>
#include <object/capops.h>
#include <sel4/invocation.h>

#define PTE_V (1ull << 0)
#define PTE_R (1ull << 1)
#define PTE_W (1ull << 2)
#define PTE_X (1ull << 3)
#define PTE_U (1ull << 4)
#define PTE_G (1ull << 5)
#define PTE_A (1ull << 6)
#define PTE_D (1ull << 7)
#define PTES_PER_TABLE 512
#define KERNEL_FIRST_INDEX 256 /* upper half of the Sv39 space */
#define SATP_SV39 (8ull << 60)
#define SATP_ASID_MASK (0xffffull << 44)
#define VM_ATTR_EXECUTE_NEVER 1u /* seL4_RISCV_ExecuteNever */

typedef word_t pte_t;

static pte_t kernel_pt[PTES_PER_TABLE] __attribute__((aligned(4096)));
bool full_hw_asids;        /* the hart implements all 16 ASID bits */
static word_t kernel_satp; /* the kernel's own page table, no ASID */
word_t vspace_gen = 1;     /* TCBs start with satp_gen 0: not cached */

static inline pte_t pte_make(paddr_t pa, word_t flags) { return ((pa >> 12) << 10) | flags; }
static inline paddr_t pte_paddr(pte_t p) { return (p >> 10) << 12; }
static inline bool pte_is_leaf(pte_t p) { return p & (PTE_R | PTE_W | PTE_X); }
static inline word_t vpn(vptr_t va, int level) { return (va >> (12 + 9 * level)) & 0x1ff; }
static inline paddr_t kernel_vaddr_to_paddr(const void *p)
{
    return (word_t)(uintptr_t)p - KERNEL_VBASE + KERNEL_PBASE;
}

void arch_init_kernel_vm(void)
{
    for (word_t i = 0; i < PHYS_WINDOW_SIZE >> 30; i++)
        kernel_pt[KERNEL_FIRST_INDEX + i] = pte_make(i << 30, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_G);
    kernel_pt[vpn(KERNEL_VBASE, 2)] = pte_make(KERNEL_PBASE, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | PTE_G);
    asm volatile("sfence.vma" ::: "memory");
    word_t satp = SATP_SV39 | (kernel_vaddr_to_paddr(kernel_pt) >> 12);
    kernel_satp = satp;
    /* ASIDLEN is up to the hart (privileged spec §4.1.11): write ones to
     * the ASID field and see which stick. Only all 16 bits let the kernel
     * use its ASIDs as hardware tags without aliasing. */
    csr_write(satp, satp | SATP_ASID_MASK);
    full_hw_asids = (csr_read(satp) & SATP_ASID_MASK) == SATP_ASID_MASK;
    csr_write(satp, satp);
    asm volatile("sfence.vma" ::: "memory");
}

void arch_switch_vspace(tcb_t *t)
{
    cap_t v = t->ctes[tcbVTable].cap;
    word_t satp = kernel_satp;
    /* only a root that still owns its ASID is used; otherwise the thread
     * runs on the kernel's table and its first access faults */
    if (likely(cap_get_type(v) == cap_page_table && cap_page_table_is_mapped(v) &&
               vspace_for_asid(cap_page_table_asid(v)) == cap_page_table_ptr(v)))
        satp = SATP_SV39 | (cap_page_table_asid(v) << 44) | (cap_page_table_ptr(v) >> 12);
    if (csr_read(satp) != satp) {
        csr_write(satp, satp);
        /* with fewer hardware ASID bits two address spaces may share a
         * tag, so nothing cached for the previous one may survive */
        if (!full_hw_asids)
            asm volatile("sfence.vma" ::: "memory");
    }
    t->arch.satp = satp;
    t->arch.satp_gen = vspace_gen;
}

/* TLB maintenance (privileged spec §4.2.1, SFENCE.VMA): with rs1 = va and
 * rs2 = asid only the leaf entries for va in that address space are
 * invalidated, which covers a superpage leaf too; with rs1 = zero every
 * entry of the address space goes, including cached non-leaf entries,
 * which is what removing or adding a page table needs. User mappings are
 * never global (G = 0), so an ASID-tagged fence reaches all of them. A
 * fence is also issued after an invalid PTE becomes valid: without Svvptc
 * the hart may keep using a stale "invalid" translation until fenced. */
static void flush_page(word_t asid, vptr_t va) { asm volatile("sfence.vma %0, %1" ::"r"(va), "r"(asid) : "memory"); }
static void flush_asid(word_t asid) { asm volatile("sfence.vma zero, %0" ::"r"(asid) : "memory"); }

static inline bool pte_is_table(pte_t p) { return (p & PTE_V) && !pte_is_leaf(p); }

/* seL4's lookupPTSlot: follow valid non-leaf entries from the root as far
 * as they go (Sv39 walk, privileged spec §4.3.2) and return the last slot
 * reached together with the number of address bits it translates: 30 for
 * a root slot, 21 for a second-level slot, 12 for a leaf-table slot. */
typedef struct pt_slot {
    pte_t *pte;
    word_t bits_left;
} pt_slot_t;

static pt_slot_t lookup_pt_slot(word_t root, vptr_t va)
{
    word_t bits = seL4_PageBits + 2 * seL4_PageTableIndexBits;
    pte_t *pte = (pte_t *)oref_ptr(root) + ((va >> bits) & MASK(seL4_PageTableIndexBits));
    while (pte_is_table(*pte) && bits > seL4_PageBits) {
        bits -= seL4_PageTableIndexBits;
        pte = (pte_t *)oref_ptr(pte_paddr(*pte)) + ((va >> bits) & MASK(seL4_PageTableIndexBits));
    }
    return (pt_slot_t){pte, bits};
}

/* Remove the leaf that maps this frame at va, if it is still there. */
static void unmap_page(word_t size, word_t asid, vptr_t va, paddr_t frame)
{
    word_t root = vspace_for_asid(asid);
    if (!root)
        return;
    pt_slot_t s = lookup_pt_slot(root, va);
    if (s.bits_left != frame_size_bits(size) || !(*s.pte & PTE_V) || !pte_is_leaf(*s.pte) || pte_paddr(*s.pte) != frame)
        return;
    *s.pte = 0;
    flush_page(asid, va);
}

/* Unlink page table pt from the address space asid, where it was mapped to
 * cover va. Roots are never unlinked this way. */
static void unmap_page_table(word_t asid, vptr_t va, word_t pt)
{
    word_t root = vspace_for_asid(asid);
    if (!root || root == pt)
        return;
    word_t table = root;
    pte_t *link = NULL;
    for (word_t bits = seL4_PageBits + 2 * seL4_PageTableIndexBits; bits > seL4_PageBits && table != pt;
         bits -= seL4_PageTableIndexBits) {
        link = (pte_t *)oref_ptr(table) + ((va >> bits) & MASK(seL4_PageTableIndexBits));
        if (!pte_is_table(*link))
            return;
        table = pte_paddr(*link);
    }
    if (table != pt || !link)
        return;
    *link = 0;
    flush_asid(asid);
}

/* A root lost its ASID: every TLB entry tagged with it goes, so the ASID
 * can be handed out again safely (object/asid.h). */
void arch_asid_root_removed(word_t asid, word_t root)
{
    (void)root;
    flush_asid(asid);
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
    if (vspace_for_asid(asid) == pt)
        asid_delete_root(asid, pt);
    else
        unmap_page_table(asid, cap_page_table_vaddr(c), pt);
}

word_t arch_boot_paging_count(vptr_t lo, vptr_t hi)
{
    return (((hi - 1) >> 30) - (lo >> 30) + 1) + (((hi - 1) >> 21) - (lo >> 21) + 1);
}

void arch_boot_init_root(word_t root_oref)
{
    pte_t *root = oref_ptr(root_oref);
    for (int i = KERNEL_FIRST_INDEX; i < PTES_PER_TABLE; i++)
        root[i] = kernel_pt[i];
}

void arch_boot_map_frame(word_t root_oref, vptr_t va, paddr_t pa, bool writable, bool exec, boot_pt_pool_t *pool)
{
    pte_t *pt = oref_ptr(root_oref);
    for (int l = 2; l > 0; l--) {
        pte_t *p = &pt[vpn(va, l)];
        if (!(*p & PTE_V)) {
            word_t next = pool->orefs[pool->used];
            pool->vaddrs[pool->used++] = ROUND_DOWN(va, 12 + 9 * l);
            *p = pte_make(next, PTE_V);
        }
        pt = oref_ptr(pte_paddr(*p));
    }
    pt[vpn(va, 0)] = pte_make(pa, PTE_V | PTE_R | PTE_U | PTE_A | PTE_D | (writable ? PTE_W : 0) | (exec ? PTE_X : 0));
}

/* ---- Invocations (seL4 API reference, RISC-V: PageTable, Page, ASIDControl,
 * ASIDPool). Each decode checks in seL4's order and fails with seL4's error;
 * the perform step after the last check cannot fail. */

/* Leaf PTE for a user frame (privileged spec §4.3.1, Table 4.5): R, W, X,
 * U set from the rights; A and D preset so that no implementation has to
 * fault or update them in hardware. Write without read is reserved in Sv39,
 * so VM rights have no write-only value; no rights and no execute is no
 * mapping at all, as on seL4. */
static pte_t make_user_pte(paddr_t pa, bool exec, word_t vm_rights)
{
    bool read = vm_rights != VM_KERNEL_ONLY, write = vm_rights == VM_READ_WRITE;
    if (!read && !write && !exec)
        return 0;
    return pte_make(pa, PTE_V | PTE_U | PTE_A | PTE_D | (read ? PTE_R : 0) | (write ? PTE_W : 0) | (exec ? PTE_X : 0));
}

static void invoke_page_table_unmap(cte_t *slot)
{
    cap_t cap = slot->cap;
    word_t pt = cap_page_table_ptr(cap);
    if (cap_page_table_is_mapped(cap)) {
        unmap_page_table(cap_page_table_asid(cap), cap_page_table_vaddr(cap), pt);
        /* frames mapped through it are gone; the table starts empty */
        clear_memory(oref_ptr(pt), BIT(seL4_PageTableBits));
    }
    slot->cap = cap_page_table_new(pt, false, 0, 0);
}

static void invoke_page_table_map(cte_t *slot, word_t asid, vptr_t vaddr, pte_t *pte)
{
    word_t pt = cap_page_table_ptr(slot->cap);
    slot->cap = cap_page_table_new(pt, true, asid, vaddr);
    *pte = pte_make(pt, PTE_V); /* non-leaf: D, A, U must be zero (§4.3.1) */
    flush_asid(asid);
}

static syscall_error_t decode_page_table_invocation(invocation_t *inv)
{
    cap_t cap = inv->cap;
    word_t pt = cap_page_table_ptr(cap);

    if (inv->label == RISCVPageTableUnmap) {
        if (!cte_is_final(inv->slot))
            return err_simple(seL4_RevokeFirst, "other caps to this page table exist");
        if (cap_page_table_is_mapped(cap) && vspace_for_asid(cap_page_table_asid(cap)) == pt)
            return err_simple(seL4_RevokeFirst, "a vspace root cannot be unmapped");
        invoke_page_table_unmap(inv->slot);
        return NO_ERROR;
    }
    if (inv->label != RISCVPageTableMap)
        return err_simple(seL4_IllegalOperation, "not a page table method");
    if (inv->length < 2 || inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "PageTable_Map needs vaddr, attributes and a vspace");
    if (cap_page_table_is_mapped(cap))
        return err_invalid_cap(0, "page table is already mapped");

    vptr_t vaddr = inv_arg(inv, 0);
    cap_t vcap = inv->extra[0]->cap;
    if (!arch_is_vspace_root_cap(vcap))
        return err_invalid_cap(1, "not an assigned vspace root");
    if (vaddr >= seL4_UserTop)
        return err_invalid_arg(0, "address is not in user space");
    word_t root;
    syscall_error_t e = find_vspace_root(vcap, &root);
    if (e.type != seL4_NoError)
        return e;
    pt_slot_t s = lookup_pt_slot(root, vaddr);
    if (s.bits_left == seL4_PageBits || (*s.pte & PTE_V))
        return err_simple(seL4_DeleteFirst, "a page table or frame already maps this address");

    invoke_page_table_map(inv->slot, cap_page_table_asid(vcap), ROUND_DOWN(vaddr, s.bits_left), s.pte);
    return NO_ERROR;
}

static void invoke_frame_map(cte_t *slot, word_t asid, vptr_t vaddr, pte_t *pte, pte_t new_pte)
{
    slot->cap = cap_frame_set_mapping(slot->cap, asid, vaddr);
    *pte = new_pte;
    flush_page(asid, vaddr);
}

static syscall_error_t decode_frame_invocation(invocation_t *inv)
{
    cap_t cap = inv->cap;
    switch (inv->label) {
    case RISCVPageMap:
        break;
    case RISCVPageUnmap:
        invoke_frame_unmap(inv->slot);
        return NO_ERROR;
    case RISCVPageGetAddress:
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
    if (s.bits_left != bits)
        return err_lookup(false, lf_missing(s.bits_left), "no page table at the level this frame needs");
    e = check_frame_map_target(cap, &a, *s.pte & PTE_V, pte_paddr(*s.pte));
    if (e.type != seL4_NoError)
        return e;

    word_t vm = mask_frame_rights(cap_frame_vmrights(cap), a.rights);
    invoke_frame_map(inv->slot, a.asid, a.vaddr, s.pte,
                     make_user_pte(cap_frame_ptr(cap), !(a.attr & VM_ATTR_EXECUTE_NEVER), vm));
    return NO_ERROR;
}

syscall_error_t decode_arch_invocation(invocation_t *inv)
{
    switch (cap_get_type(inv->cap)) {
    case cap_frame:
        return decode_frame_invocation(inv);
    case cap_page_table:
        return decode_page_table_invocation(inv);
    case cap_asid_control:
        return decode_asid_control_invocation(inv);
    case cap_asid_pool:
        return decode_asid_pool_invocation(inv);
    default:
        return err_simple(seL4_IllegalOperation, "not an architecture object");
    }
}
