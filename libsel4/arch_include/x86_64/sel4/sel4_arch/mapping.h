/* Reading why an x86_64 Map failed. */
#pragma once
#include <sel4/config.h>
#include <sel4/functions.h>

/* After a Map that failed with seL4_FailedLookup, MR2 holds the number of
 * address bits the deepest paging structure reached still translates
 * (39: no PDPT, 30: no page directory, 21: no page table). */
#define SEL4_MAPPING_LOOKUP_LEVEL 2
#define SEL4_MAPPING_LOOKUP_NO_PT 21
#define SEL4_MAPPING_LOOKUP_NO_PD 30
#define SEL4_MAPPING_LOOKUP_NO_PDPT 39

LIBSEL4_INLINE seL4_Word seL4_MappingFailedLookupLevel(void) { return seL4_GetMR(SEL4_MAPPING_LOOKUP_LEVEL); }
