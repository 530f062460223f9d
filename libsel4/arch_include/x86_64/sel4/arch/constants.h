/* seL4 ABI constants of x86_64 (4-level paging, non-MCS): object sizes,
 * page sizes, ASIDs and the top of user space. */
#pragma once

#define seL4_TCBBits 11
#define seL4_PageTableBits 12
#define seL4_PageTableEntryBits 3
#define seL4_PageTableIndexBits 9
#define seL4_PageDirBits 12
#define seL4_PDPTBits 12
#define seL4_PML4Bits 12
#define seL4_PageBits 12
#define seL4_LargePageBits 21
#define seL4_HugePageBits 30
#define seL4_VSpaceBits seL4_PML4Bits
#define seL4_ASIDPoolBits 12
#define seL4_ASIDPoolIndexBits 9
#define seL4_NumASIDPoolsBits 3
#define seL4_MaxUntypedBits 47
#define seL4_UserTop 0x00007ffffffff000ul
#define seL4_UserVSpaceTop 0x00007fffffffeffful
