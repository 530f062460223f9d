/* Sv39 page tables (RISC-V privileged spec v1.12, §4.4): the kernel's own
 * mappings, the root task's address space, and unmapping on deletion. */
#include <api/invocation.h>
#include <arch/kobj_base.h>
#include <arch/machine.h>
#include <arch/vspace.h>
#include <kernel/addr.h>
#include <kernel/printk.h>
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

typedef word_t pte_t;

static pte_t kernel_pt[PTES_PER_TABLE] __attribute__((aligned(4096)));
static word_t asid_table[1u << seL4_NumASIDPoolsBits]; /* pool orefs */

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
    csr_write(satp, SATP_SV39 | (kernel_vaddr_to_paddr(kernel_pt) >> 12));
    asm volatile("sfence.vma" ::: "memory");
}

/* The vspace root that has this ASID, or 0. */
static word_t vspace_for_asid(word_t asid)
{
    word_t pool = asid_table[asid >> seL4_ASIDPoolIndexBits];
    if (!pool || asid == 0)
        return 0;
    return ((word_t *)oref_ptr(pool))[asid & MASK(seL4_ASIDPoolIndexBits)];
}

void arch_switch_vspace(tcb_t *t)
{
    cap_t v = t->ctes[tcbVTable].cap;
    word_t satp = SATP_SV39 | (kernel_vaddr_to_paddr(kernel_pt) >> 12);
    if (cap_get_type(v) == cap_page_table && cap_page_table_is_mapped(v) &&
        vspace_for_asid(cap_page_table_asid(v)) == cap_page_table_ptr(v))
        satp = SATP_SV39 | (cap_page_table_asid(v) << 44) | (cap_page_table_ptr(v) >> 12);
    if (csr_read(satp) != satp)
        csr_write(satp, satp);
}

static void flush_page(word_t asid, vptr_t va) { asm volatile("sfence.vma %0, %1" ::"r"(va), "r"(asid) : "memory"); }
static void flush_asid(word_t asid) { asm volatile("sfence.vma zero, %0" ::"r"(asid) : "memory"); }

/* Walk to the PTE that maps va at `level` (2 = 1 GiB ... 0 = 4 KiB). */
static pte_t *walk(word_t root, vptr_t va, int level)
{
    pte_t *pt = oref_ptr(root);
    for (int l = 2; l > level; l--) {
        pte_t p = pt[vpn(va, l)];
        if (!(p & PTE_V) || pte_is_leaf(p))
            return NULL;
        pt = oref_ptr(pte_paddr(p));
    }
    return &pt[vpn(va, level)];
}

static int frame_level(word_t size) { return size == FRAME_4K ? 0 : size == FRAME_2M ? 1 : 2; }

void arch_unmap_frame(cap_t c)
{
    word_t asid = cap_frame_asid(c), root = vspace_for_asid(asid);
    if (!root)
        return;
    pte_t *p = walk(root, cap_frame_vaddr(c), frame_level(cap_frame_size(c)));
    if (p && (*p & PTE_V) && pte_is_leaf(*p) && pte_paddr(*p) == cap_frame_ptr(c)) {
        *p = 0;
        flush_page(asid, cap_frame_vaddr(c));
    }
}

void arch_finalise_page_table(cap_t c)
{
    if (!cap_page_table_is_mapped(c))
        return;
    word_t asid = cap_page_table_asid(c), pt = cap_page_table_ptr(c), root = vspace_for_asid(asid);
    if (!root)
        return;
    if (root == pt) {
        /* a vspace root: it loses its ASID */
        word_t *pool = oref_ptr(asid_table[asid >> seL4_ASIDPoolIndexBits]);
        pool[asid & MASK(seL4_ASIDPoolIndexBits)] = 0;
        flush_asid(asid);
        return;
    }
    for (int level = 2; level >= 1; level--) {
        pte_t *p = walk(root, cap_page_table_vaddr(c), level);
        if (p && (*p & PTE_V) && !pte_is_leaf(*p) && pte_paddr(*p) == pt) {
            *p = 0;
            flush_asid(asid);
            return;
        }
    }
}

void arch_finalise_asid_pool(cap_t c)
{
    word_t base = cap_asid_pool_base(c);
    word_t i = base >> seL4_ASIDPoolIndexBits;
    if (asid_table[i] == cap_asid_pool_ptr(c)) {
        word_t *pool = oref_ptr(asid_table[i]);
        for (word_t a = 0; a < BIT(seL4_ASIDPoolIndexBits); a++)
            if (pool[a])
                flush_asid(base + a);
        asid_table[i] = 0;
    }
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

void arch_boot_assign_asid(word_t pool_oref, word_t asid, word_t root_oref)
{
    asid_table[asid >> seL4_ASIDPoolIndexBits] = pool_oref;
    ((word_t *)oref_ptr(pool_oref))[asid & MASK(seL4_ASIDPoolIndexBits)] = root_oref;
}

/* Mapping invocations arrive with the VSpace issue; GetAddress needs none. */
syscall_error_t decode_arch_invocation(invocation_t *inv)
{
    if (cap_get_type(inv->cap) == cap_frame && inv->label == RISCVPageGetAddress) {
        set_mr(inv->thread, inv->buffer, 0, cap_frame_ptr(inv->cap));
        inv->reply_length = 1;
        return NO_ERROR;
    }
    return err_simple(seL4_IllegalOperation, "this VSpace operation is not implemented yet");
}
