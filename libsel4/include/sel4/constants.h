/* seL4 ABI constants (non-MCS, single core), with seL4's values; the
 * architecture's (object and page sizes, ASIDs, the top of user space)
 * come from <sel4/arch/constants.h>; this header is shared by the kernel and user space so
 * that the two can never disagree. Plain #defines: the kernel also uses
 * some of them in preprocessor conditions. */
#pragma once
#include <sel4/arch/constants.h>
#include <kernel/gen_config.h>

#define seL4_WordBits 64
#define seL4_WordSizeBits 3
#define seL4_SlotBits 5
#define seL4_EndpointBits 4
#define seL4_NotificationBits 5
#define seL4_ReplyBits 5
#define seL4_RegisterSizeBits 3
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
#define seL4_InvalidPrio (-1)
#define seL4_NumDomains CONFIG_NUM_DOMAINS
#define seL4_MaxUntypedCaps 230
#define seL4_RootCNodeSizeBits 12
#define seL4_RetypeFanOutLimit 256
#define seL4_UntypedRetypeMaxObjects seL4_RetypeFanOutLimit


/* Rights bits in seL4_CapRights_t (LSB first). */
#define seL4_CapRightsWriteBit 0
#define seL4_CapRightsReadBit 1
#define seL4_CapRightsGrantBit 2
#define seL4_CapRightsGrantReplyBit 3
