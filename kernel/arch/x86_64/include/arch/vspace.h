#pragma once
/* Narrow interface from generic code to the x86_64 address spaces
 * (4-level paging, Intel SDM Vol. 3A §4.5). */
#include <types.h>
#include <object/structures.h>
#include <arch/machine.h>
#include <arch/x86.h>
#include <arch/paging_cap.h>

void arch_init_kernel_vm(void);
/* Make t's address space current (CR3), checking its VSpace cap and ASID
 * pool entry; records the result in t->arch for the fast switch. */
void arch_switch_vspace(tcb_t *t);

/* Bumped whenever a thread's cached CR3 may have gone stale (a VSpace cap
 * leaves or enters a TCB, a paging structure is deleted, an ASID pool
 * entry changes); the next switch then takes the full check. */
extern word_t vspace_gen;
/* Bit 63 of vspace_gen: CR0.TS is clear (arch/fpu.h); the count never
 * reaches it. */
#define VSPACE_GEN_FPU_ON (1ull << 63)
static inline void arch_vspace_roots_changed(void) { vspace_gen++; }
static ALWAYS_INLINE bool arch_vspace_cached(const tcb_t *t) { return t->arch.cr3_gen == vspace_gen; }
static ALWAYS_INLINE void arch_switch_vspace_cached(const tcb_t *t)
{
    /* no PCIDs: writing CR3 drops every non-global translation (SDM Vol.
     * 3A §4.10.4.1), so a switch needs no further invalidation */
    if (read_cr3() != t->arch.cr3)
        write_cr3(t->arch.cr3);
}

/* A cap that may serve as a thread's VSpace: a PML4 that owns an ASID. */
static inline bool arch_is_vspace_root_cap(cap_t c)
{
    return cap_get_type(c) == cap_page_table && cap_paging_level(c) == PT_LEVEL_PML4 && cap_page_table_is_mapped(c);
}

void arch_unmap_frame(cap_t frame_cap);
void arch_finalise_page_table(cap_t pt_cap);

/* For the generic ASID code (object/asid.h). */
#define ARCH_LABEL_ASID_CONTROL_MAKE_POOL X86ASIDControlMakePool
#define ARCH_LABEL_ASID_POOL_ASSIGN X86ASIDPoolAssign
/* Why c cannot be given an ASID as a VSpace root, or NULL if it can: only
 * a PML4 that no pool entry names yet. */
static inline const char *arch_vspace_root_unassignable(cap_t c)
{
    if (cap_get_type(c) != cap_page_table || cap_paging_level(c) != PT_LEVEL_PML4 || cap_page_table_is_mapped(c))
        return "not an unassigned PML4";
    return NULL;
}
/* The root lost its ASID: forget the translations the ASID tagged. */
void arch_asid_root_removed(word_t asid, word_t root);

/* Building the root task's address space at boot. */
typedef struct boot_pt_pool {
    word_t *orefs;  /* paging structures set aside for this (zeroed) */
    word_t *vaddrs; /* filled in: first address each one maps */
    word_t count, used;
    word_t levels[64]; /* filled in: PT_LEVEL_* of each */
} boot_pt_pool_t;

word_t arch_boot_paging_count(vptr_t lo, vptr_t hi);
void arch_boot_init_root(word_t root_oref);
void arch_boot_map_frame(word_t root_oref, vptr_t va, paddr_t pa, bool writable, bool exec, boot_pt_pool_t *pool);
/* The cap of a VSpace root that holds asid (the root task's at boot, and
 * every root ASIDPool_Assign gives an ASID). */
static inline cap_t arch_vspace_root_cap(word_t root_oref, word_t asid)
{
    return cap_paging_new(root_oref, PT_LEVEL_PML4, true, asid, 0);
}
static inline cap_t arch_boot_paging_cap(const boot_pt_pool_t *pool, word_t i, word_t asid)
{
    return cap_paging_new(pool->orefs[i], pool->levels[i], true, asid, pool->vaddrs[i]);
}
