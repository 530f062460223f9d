#pragma once
#include <object/cap.h>
#include <sel4/shared_types.h>

/* Paging-structure caps: all four levels use the generic page-table cap;
 * the level sits in the low bits of its mapped-address word (always 4 KiB
 * aligned). Level 3 is the PML4, the VSpace root. */
#define PT_LEVEL_PT 0u
#define PT_LEVEL_PD 1u
#define PT_LEVEL_PDPT 2u
#define PT_LEVEL_PML4 3u
static inline cap_t cap_paging_new(word_t oref, word_t level, bool mapped, word_t asid, word_t vaddr)
{
    return cap_page_table_new(oref, mapped, asid, (vaddr & ~MASK(12)) | level);
}
static inline word_t cap_paging_level(cap_t c) { return cap_page_table_vaddr(c) & 3; }
static inline word_t cap_paging_vaddr(cap_t c) { return cap_page_table_vaddr(c) & ~MASK(12); }

/* seL4_DebugCapIdentify tells the four levels apart, as on seL4. */
static inline word_t arch_cap_tag(cap_t c)
{
    static const unsigned char level_tag[4] = {seL4_CapTag_PageTable, seL4_CapTag_PageDirectory, seL4_CapTag_PDPT,
                                               seL4_CapTag_PML4};
    if (cap_get_type(c) == cap_page_table)
        return level_tag[cap_paging_level(c)];
    return cap_get_type(c);
}
