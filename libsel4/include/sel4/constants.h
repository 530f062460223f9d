/* seL4 ABI constants (non-MCS, single core), with seL4's values; the
 * architecture's (object and page sizes, ASIDs, the top of user space)
 * come from <sel4/arch/constants.h>; this header is shared by the kernel and user space so
 * that the two can never disagree. Plain #defines: the kernel also uses
 * some of them in preprocessor conditions. */
#pragma once
#include <sel4/config.h>
#include <sel4/arch/constants.h>
#include <kernel/gen_config.h>

#define seL4_WordBits 64
#define seL4_WordSizeBits 3
#define seL4_SlotBits 5
#define seL4_EndpointBits 4
#ifdef CONFIG_KERNEL_MCS
/* an MCS notification also names the scheduling context bound to it */
#define seL4_NotificationBits 6
#else
#define seL4_NotificationBits 5
#endif
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

#ifdef CONFIG_KERNEL_MCS
/* Scheduling contexts (seL4 manual, "Scheduling contexts"): an object of
 * 2^n bytes, n >= seL4_MinSchedContextBits, holds a fixed part with room
 * for the two refills every SC has and seL4_RefillSizeBytes per extra
 * refill. */
#define seL4_MinSchedContextBits 7
#define seL4_CoreSchedContextBytes 128
#define seL4_RefillSizeBytes 16
#define seL4_MinRefills 2

#include <sel4/macros.h>
#include <sel4/simple_types.h>

/* Extra refills (beyond the two) an SC object of 2^size bytes holds: the
 * largest extra_refills SchedControl_ConfigureFlags accepts for it. A
 * function, as seL4 declares it, so that programs may take its address. */
LIBSEL4_INLINE seL4_Word seL4_MaxExtraRefills(seL4_Word size)
{
    return (((seL4_Word)1 << size) - seL4_CoreSchedContextBytes) / seL4_RefillSizeBytes;
}

/* The flags argument of seL4_SchedControl_ConfigureFlags, bitwise OR'd.
 * Sporadic: the SC is a sporadic server (what it used is replenished one
 * period after the use began); without it a configured SC with budget <
 * period behaves the same way in hypOS, but seL4 programs pass the flag
 * to say so explicitly. */
typedef enum {
    seL4_SchedContext_NoFlag = 0x0,
    seL4_SchedContext_Sporadic = 0x1,
    SEL4_FORCE_LONG_ENUM(seL4_SchedContextFlag),
} seL4_SchedContextFlag;
#endif
