/* Layouts shared by kernel and user space: message info word, IPC buffer,
 * capability type tags (seL4 manual ch. 4 and 10). */
#pragma once
#include <sel4/macros.h>
#include <sel4/simple_types.h>
#include <sel4/constants.h>

typedef seL4_Word seL4_NodeId;
typedef seL4_Word seL4_PAddr;
typedef seL4_Word seL4_Domain;

/* seL4_MessageInfo: label 63..12, capsUnwrapped 11..9, extraCaps 8..7, length 6..0 */
typedef struct seL4_MessageInfo {
    seL4_Word words[1];
} seL4_MessageInfo_t;

typedef struct seL4_IPCBuffer_ {
    seL4_MessageInfo_t tag;
    seL4_Word msg[seL4_MsgMaxLength];
    seL4_Word userData;
    seL4_Word caps_or_badges[seL4_MsgMaxExtraCaps];
    seL4_CPtr receiveCNode;
    seL4_CPtr receiveIndex;
    seL4_Word receiveDepth;
} __attribute__((__aligned__(1u << seL4_IPCBufferSizeBits))) seL4_IPCBuffer;

SEL4_COMPILE_ASSERT(ipc_buffer_is_128_words, sizeof(seL4_IPCBuffer) == (1u << seL4_IPCBufferSizeBits))


/* Capability type tags as seL4_DebugCapIdentify reports them: the generic
 * objects'; the architecture's are in <sel4/arch/shared_types.h>. */
enum seL4_CapTypeTag {
    seL4_CapTag_Null = 0,
    seL4_CapTag_Untyped = 2,
    seL4_CapTag_Endpoint = 4,
    seL4_CapTag_Notification = 6,
    seL4_CapTag_Reply = 8,
    seL4_CapTag_CNode = 10,
    seL4_CapTag_Thread = 12,
    seL4_CapTag_IRQControl = 14,
    seL4_CapTag_IRQHandler = 16,
    seL4_CapTag_Zombie = 18,
    seL4_CapTag_Domain = 20,
#ifdef CONFIG_KERNEL_MCS
    seL4_CapTag_SchedContext = 22,
    seL4_CapTag_SchedControl = 24,
#endif
};
#include <sel4/arch/shared_types.h>

#include <sel4/bootinfo_types.h>
#include <sel4/sel4_arch/types.h>
