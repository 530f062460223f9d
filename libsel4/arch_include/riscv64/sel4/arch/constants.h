/* riscv64 (Sv39) constants shared by kernel and user space: object and
 * page sizes, ASIDs, the top of user space. */
#pragma once

#define seL4_TCBBits 10
#define seL4_PageTableBits 12
#define seL4_PageTableEntryBits 3
#define seL4_PageTableIndexBits 9
#define seL4_PageBits 12
#define seL4_LargePageBits 21
#define seL4_HugePageBits 30
#define seL4_TeraPageBits 39 /* Sv48 only; named for completeness */
#define seL4_VSpaceBits seL4_PageTableBits
#define seL4_ASIDPoolBits 12
#define seL4_ASIDPoolIndexBits 9
#define seL4_NumASIDPoolsBits 7
#define seL4_MaxUntypedBits 38
#define seL4_UserTop 0x0000003ffffff000ul
#define seL4_UserVSpaceTop 0x0000003fffffefffful
