/* x86_64 layouts shared by kernel and user space: the architecture's
 * capability tags (seL4_DebugCapIdentify). */
#pragma once

/* The architecture's tags, in seL4's pattern of odd numbers for arch caps
 * (the kernel keeps all four paging levels in one cap type and reports
 * the level through these tags). */
enum seL4_ArchCapTypeTag {
    seL4_CapTag_Frame = 1,
    seL4_CapTag_PageTable = 3,
    seL4_CapTag_PageDirectory = 5,
    seL4_CapTag_PDPT = 7,
    seL4_CapTag_PML4 = 9,
    seL4_CapTag_ASIDControl = 11,
    seL4_CapTag_ASIDPool = 13,
    seL4_CapTag_IOPort = 19,
    seL4_CapTag_IOPortControl = 31,
};
