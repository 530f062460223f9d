#pragma once
/* Narrow interface from generic code to the architecture's address spaces. */
#include <types.h>
#include <object/structures.h>

void arch_init_kernel_vm(void);
void arch_switch_vspace(tcb_t *t);
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
