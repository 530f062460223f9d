/* Layouts shared by kernel and user space: message info word, IPC buffer,
 * boot info, capability type tags (sel4-api.md §3). */
#pragma once
#include <stdint.h>
#include <sel4/constants.h>

typedef uint64_t seL4_Word;
typedef seL4_Word seL4_CPtr;
typedef int8_t seL4_Int8;
typedef uint8_t seL4_Uint8;
typedef uint16_t seL4_Uint16;
typedef uint32_t seL4_Uint32;
typedef uint64_t seL4_Uint64;
typedef seL4_Word seL4_NodeId;
typedef seL4_Word seL4_PAddr;
typedef seL4_Word seL4_Domain;
typedef seL4_Word seL4_Bool;

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

_Static_assert(sizeof(seL4_IPCBuffer) == (1u << seL4_IPCBufferSizeBits), "IPC buffer is 128 words");

typedef struct seL4_SlotRegion {
    seL4_Word start; /* first slot */
    seL4_Word end;   /* first slot after the region */
} seL4_SlotRegion;

typedef struct seL4_UntypedDesc {
    seL4_Word paddr;
    seL4_Uint8 sizeBits;
    seL4_Uint8 isDevice;
    seL4_Uint8 padding[sizeof(seL4_Word) - 2 * sizeof(seL4_Uint8)];
} seL4_UntypedDesc;

typedef struct seL4_BootInfo {
    seL4_Word extraLen;
    seL4_NodeId nodeID;
    seL4_Word numNodes;
    seL4_Word numIOPTLevels;
    seL4_IPCBuffer *ipcBuffer;
    seL4_SlotRegion empty;
    seL4_SlotRegion sharedFrames;
    seL4_SlotRegion userImageFrames;
    seL4_SlotRegion userImagePaging;
    seL4_SlotRegion ioSpaceCaps;
    seL4_SlotRegion extraBIPages;
    seL4_Word initThreadCNodeSizeBits;
    seL4_Domain initThreadDomain;
    seL4_SlotRegion untyped;
    seL4_UntypedDesc untypedList[seL4_MaxUntypedCaps];
} seL4_BootInfo;

_Static_assert(sizeof(seL4_BootInfo) <= 4096, "boot info fits one frame");

typedef struct seL4_BootInfoHeader {
    seL4_Word id;
    seL4_Word len;
} seL4_BootInfoHeader;

enum {
    seL4_BootInfoFrameSize = 1u << seL4_PageBits,
};

enum seL4_RootCNodeCapSlots {
    seL4_CapNull = 0,
    seL4_CapInitThreadTCB = 1,
    seL4_CapInitThreadCNode = 2,
    seL4_CapInitThreadVSpace = 3,
    seL4_CapIRQControl = 4,
    seL4_CapASIDControl = 5,
    seL4_CapInitThreadASIDPool = 6,
    seL4_CapIOPortControl = 7,
    seL4_CapIOSpace = 8,
    seL4_CapBootInfoFrame = 9,
    seL4_CapInitThreadIPCBuffer = 10,
    seL4_CapDomain = 11,
    seL4_CapSMMUSIDControl = 12,
    seL4_CapSMMUCBControl = 13,
    seL4_CapInitThreadSC = 14,
    seL4_CapSMC = 15,
    seL4_NumInitialCaps = 16
};

/* Capability type tags as seL4_DebugCapIdentify reports them: the generic
 * objects' tags; the architecture's (frames, paging structures, ASIDs)
 * are in <sel4/arch/shared_types.h>. */
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
};

#include <sel4/arch/shared_types.h>
