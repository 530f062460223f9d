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

void arch_unmap_frame(cap_t frame_cap);
void arch_finalise_page_table(cap_t pt_cap);
void arch_finalise_asid_pool(cap_t pool_cap);

/* Building the root task's address space at boot. */
typedef struct boot_pt_pool {
    word_t *orefs;  /* page tables set aside for this (zeroed) */
    word_t *vaddrs; /* filled in: first address each table maps */
    word_t count, used;
} boot_pt_pool_t;

word_t arch_boot_paging_count(vptr_t lo, vptr_t hi);
void arch_boot_init_root(word_t root_oref);
void arch_boot_map_frame(word_t root_oref, vptr_t va, paddr_t pa, bool writable, bool exec, boot_pt_pool_t *pool);
/* Make ASID pool 0 the pool at pool_oref and give root_oref ASID asid. */
void arch_boot_assign_asid(word_t pool_oref, word_t asid, word_t root_oref);
