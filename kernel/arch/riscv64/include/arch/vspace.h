#pragma once
/* Narrow interface from generic code to the architecture's address spaces. */
#include <types.h>
#include <object/structures.h>
#include <arch/machine.h>

void arch_init_kernel_vm(void);
/* Make t's address space the current one (satp), checking its VSpace cap
 * and ASID pool entry; records the result in t->arch for the fast switch. */
void arch_switch_vspace(tcb_t *t);

/* Bumped whenever a thread's cached satp may have gone stale: a VSpace cap
 * leaves or enters a TCB, a page-table cap is deleted, an ASID pool entry
 * changes. Rare, and it only sends the next switch through the full check. */
extern word_t vspace_gen;
static inline void arch_vspace_roots_changed(void) { vspace_gen++; }

/* For the IPC fastpath: t's cached satp is current, so the switch below
 * needs neither the cap nor the ASID pool (otherwise the slow path runs
 * and refreshes the cache). A thread with live FPU state never matches
 * (SATP_GEN_FPU); arch_fastpath_switch_ready in arch/fpu.h handles it. */
static ALWAYS_INLINE bool arch_vspace_cached(const tcb_t *t) { return t->arch.satp_gen == vspace_gen; }
extern bool full_hw_asids;
static ALWAYS_INLINE void arch_switch_vspace_cached(const tcb_t *t)
{
    word_t satp = t->arch.satp;
    if (csr_read(satp) != satp) {
        csr_write(satp, satp);
        if (unlikely(!full_hw_asids)) /* tags may be shared: see arch_switch_vspace */
            asm volatile("sfence.vma" ::: "memory");
    }
}

/* A cap that may serve as a thread's VSpace: a page table that owns an ASID. */
static inline bool arch_is_vspace_root_cap(cap_t c)
{
    return cap_get_type(c) == cap_page_table && cap_page_table_is_mapped(c);
}

void arch_unmap_frame(cap_t frame_cap);
void arch_finalise_page_table(cap_t pt_cap);

/* For the generic ASID code (object/asid.h). */
#define ARCH_LABEL_ASID_CONTROL_MAKE_POOL RISCVASIDControlMakePool
#define ARCH_LABEL_ASID_POOL_ASSIGN RISCVASIDPoolAssign
/* Why c cannot be given an ASID as a VSpace root, or NULL if it can: any
 * page table that is not mapped (riscv64 has one kind of table). */
static inline const char *arch_vspace_root_unassignable(cap_t c)
{
    if (cap_get_type(c) != cap_page_table || cap_page_table_is_mapped(c))
        return "not an unmapped page table";
    return NULL;
}
/* The root lost its ASID: forget the translations the ASID tagged. */
void arch_asid_root_removed(word_t asid, word_t root);

/* Building the root task's address space at boot. */
typedef struct boot_pt_pool {
    word_t *orefs;  /* page tables set aside for this (zeroed) */
    word_t *vaddrs; /* filled in: first address each table maps */
    word_t count, used;
} boot_pt_pool_t;

word_t arch_boot_paging_count(vptr_t lo, vptr_t hi);
void arch_boot_init_root(word_t root_oref);
void arch_boot_map_frame(word_t root_oref, vptr_t va, paddr_t pa, bool writable, bool exec, boot_pt_pool_t *pool);
/* The cap of a VSpace root that holds asid (the root task's at boot, and
 * every root ASIDPool_Assign gives an ASID), and the caps the root task
 * gets for the page tables the pool provided (in the order they were
 * used). */
static inline cap_t arch_vspace_root_cap(word_t root_oref, word_t asid)
{
    return cap_page_table_new(root_oref, true, asid, 0);
}
static inline cap_t arch_boot_paging_cap(const boot_pt_pool_t *pool, word_t i, word_t asid)
{
    return cap_page_table_new(pool->orefs[i], true, asid, pool->vaddrs[i]);
}
