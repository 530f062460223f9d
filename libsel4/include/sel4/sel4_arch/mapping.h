/* Reading why a riscv64 (Sv39) Page_Map or PageTable_Map failed. */
#pragma once
#include <sel4/config.h>
#include <sel4/functions.h>

/* After a Page_Map that failed with seL4_FailedLookup, MR2 holds the number
 * of address bits the deepest page table reached still translates (30: no
 * second-level table, 21: no leaf table). */
#define SEL4_MAPPING_LOOKUP_LEVEL 2
#define SEL4_MAPPING_LOOKUP_NO_PT 21

LIBSEL4_INLINE seL4_Word seL4_MappingFailedLookupLevel(void) { return seL4_GetMR(SEL4_MAPPING_LOOKUP_LEVEL); }
