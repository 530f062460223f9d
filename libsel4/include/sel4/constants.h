/* seL4 ABI constants shared by every architecture (non-MCS, single core);
 * the architecture's own (page sizes, TCB size, user address range) come
 * from <sel4/arch/constants.h>.
 * Values are seL4's (see shared/reference/sel4-api.md §2, §3); this header is
 * shared by the kernel and user space so that the two can never disagree. */
#pragma once
#include <sel4/arch/constants.h>

#define seL4_WordBits 64
#define seL4_WordSizeBits 3
#define seL4_SlotBits 5
#define seL4_EndpointBits 4
#define seL4_NotificationBits 5
#define seL4_ReplyBits 5
#define seL4_IPCBufferSizeBits 10
#define seL4_MinUntypedBits 4
#define seL4_MinCNodeRadix 1

#define seL4_MsgLengthBits 7
#define seL4_MsgMaxLength 120
#define seL4_MsgExtraCapBits 2
#define seL4_MsgMaxExtraCaps 3
#define seL4_FastMessageRegisters 4

#define seL4_MaxPrio 255
#define seL4_MinPrio 0
#define seL4_NumDomains 1
#define seL4_MaxUntypedCaps 230
#define seL4_RootCNodeSizeBits 12
#define seL4_RetypeFanOutLimit 256


/* Rights bits in seL4_CapRights_t (LSB first). */
#define seL4_CapRightsWriteBit 0
#define seL4_CapRightsReadBit 1
#define seL4_CapRightsGrantBit 2
#define seL4_CapRightsGrantReplyBit 3
