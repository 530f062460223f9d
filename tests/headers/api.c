/* Header completeness: every function, type and constant of seL4's C API
 * for hypOS's configuration (non-MCS, one core; the architecture's names
 * are in api_<arch>.h), with the
 * signature and value seL4 gives it. This file is compiled, not run: as
 * C (gnu11) and as C++17, for a debug and a release configuration
 * (tests/headers/run.sh). A function is referenced through a pointer of
 * the exact seL4 type, so a wrong signature fails to compile; constants
 * are checked against seL4's numbers, so an ABI change fails too. */
#include <sel4/sel4.h>
#include <sel4/config.h>
#include <autoconf.h>
#include <interfaces/sel4_client.h>
#include <sel4/arch/mapping.h>
#include <sel4/sel4_arch/mapping.h>
#include <sel4/sel4_arch/faults.h>
#include <sel4/arch/pfIPC.h>
#include <sel4/arch/exIPC.h>
#include <sel4/messages.h>
#include <sel4/bootinfo_types.h>
#include <sel4/assert.h>
#include <sel4/debug_assert.h>
#include <sel4/virtual_client.h>

#ifdef __cplusplus
#define CHECK(expr) static_assert(expr, #expr)
#else
#define CHECK(expr) _Static_assert(expr, #expr)
#endif

/* A pointer of seL4's exact type to the function `name`. */
#define FN(ret, name, params)             \
    extern ret(*const ref_##name) params; \
    ret(*const ref_##name) params = name
/* A type exists and is complete. */
#define TYPE(T)                             \
    extern const unsigned long size_of_##T; \
    const unsigned long size_of_##T = sizeof(T)
/* A constant exists and has seL4's value. */
#define VALUE(name, value) CHECK((name) == (value))

/* ---------------- configuration (<sel4/config.h>, <autoconf.h>) ---------------- */
#if !defined(CONFIG_WORD_SIZE) || !defined(CONFIG_PT_LEVELS) || !defined(CONFIG_MAX_NUM_NODES) ||               \
    !defined(CONFIG_NUM_PRIORITIES) || !defined(CONFIG_NUM_DOMAINS) || !defined(CONFIG_ROOT_CNODE_SIZE_BITS) || \
    !defined(CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS) || !defined(CONFIG_RETYPE_FAN_OUT_LIMIT) ||                  \
    !defined(CONFIG_LIB_SEL4_INLINE_INVOCATIONS)
#error "a configuration macro is missing"
#endif
VALUE(CONFIG_WORD_SIZE, 64);
VALUE(CONFIG_MAX_NUM_NODES, 1);
VALUE(CONFIG_NUM_PRIORITIES, seL4_MaxPrio + 1);
VALUE(CONFIG_NUM_DOMAINS, seL4_NumDomains);
VALUE(CONFIG_ROOT_CNODE_SIZE_BITS, seL4_RootCNodeSizeBits);
VALUE(CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS, seL4_MaxUntypedCaps);
VALUE(CONFIG_RETYPE_FAN_OUT_LIMIT, seL4_UntypedRetypeMaxObjects);
#if defined(CONFIG_KERNEL_MCS) || defined(CONFIG_ENABLE_SMP_SUPPORT)
#error "hypOS's configuration is non-MCS, single core"
#endif
/* debug kernels: CONFIG_DEBUG_BUILD and CONFIG_PRINTING; release: neither */
#if defined(HYPOS_DEBUG) != defined(CONFIG_DEBUG_BUILD) || defined(HYPOS_PRINTING) != defined(CONFIG_PRINTING)
#error "CONFIG_DEBUG_BUILD / CONFIG_PRINTING do not follow the build"
#endif

/* ---------------- simple types and macros ---------------- */
TYPE(seL4_Int8);
TYPE(seL4_Uint8);
TYPE(seL4_Int16);
TYPE(seL4_Uint16);
TYPE(seL4_Int32);
TYPE(seL4_Uint32);
TYPE(seL4_Int64);
TYPE(seL4_Uint64);
TYPE(seL4_Word);
TYPE(seL4_CPtr);
TYPE(seL4_Bool);
TYPE(seL4_NodeId);
TYPE(seL4_PAddr);
TYPE(seL4_Domain);
TYPE(seL4_CNode);
TYPE(seL4_IRQHandler);
TYPE(seL4_IRQControl);
TYPE(seL4_TCB);
TYPE(seL4_Untyped);
TYPE(seL4_DomainSet);
TYPE(seL4_SchedContext);
TYPE(seL4_SchedControl);
TYPE(seL4_Time);
TYPE(seL4_VMAttributes);
CHECK(sizeof(seL4_Word) == 8 && sizeof(seL4_CPtr) == 8 && sizeof(seL4_Bool) == 1 && sizeof(seL4_Time) == 8);
CHECK(sizeof(seL4_Uint32) == 4 && sizeof(seL4_Int16) == 2);
VALUE(seL4_True, 1);
VALUE(seL4_False, 0);
VALUE(seL4_NilData, 0);
VALUE(LIBSEL4_BIT(3), 8ul);
CHECK(sizeof(SEL4_TIME_UINT_TYPE(1)) == sizeof(seL4_Time) && SEL4_TIME_UINT_TYPE(1000) * 1000000000 > 0xffffffffu);
#if !defined(SEL4_WORD_IS_UINT64) || !defined(SEL4_INT64_IS_LONG)
#error "word type macros missing"
#endif
SEL4_COMPILE_ASSERT(compile_assert_works, 1)
SEL4_SIZE_SANITY(1, 2, 3)
VALUE(SEL4_OFFSETOF(seL4_IPCBuffer, msg), 8);

/* ---------------- constants (object sizes, limits) ---------------- */
VALUE(seL4_WordBits, 64);
VALUE(seL4_WordSizeBits, 3);
VALUE(seL4_SlotBits, 5);
VALUE(seL4_EndpointBits, 4);
VALUE(seL4_NotificationBits, 5);
VALUE(seL4_ReplyBits, 5);
VALUE(seL4_PageTableBits, 12);
VALUE(seL4_PageTableEntryBits, 3);
VALUE(seL4_PageTableIndexBits, 9);
VALUE(seL4_PageBits, 12);
VALUE(seL4_LargePageBits, 21);
VALUE(seL4_HugePageBits, 30);
VALUE(seL4_VSpaceBits, 12);
VALUE(seL4_ASIDPoolBits, 12);
VALUE(seL4_ASIDPoolIndexBits, 9);
VALUE(seL4_IPCBufferSizeBits, 10);
VALUE(seL4_MinUntypedBits, 4);
VALUE(seL4_RegisterSizeBits, 3);
VALUE(seL4_MsgLengthBits, 7);
VALUE(seL4_MsgMaxLength, 120);
VALUE(seL4_MsgExtraCapBits, 2);
VALUE(seL4_MsgMaxExtraCaps, 3);
VALUE(seL4_MaxPrio, 255);
VALUE(seL4_MinPrio, 0);
VALUE(seL4_InvalidPrio, -1);
VALUE(seL4_UntypedRetypeMaxObjects, 256);
VALUE(seL4_BootInfoFrameBits, 12);
VALUE(seL4_BootInfoFrameSize, 4096);

/* ---------------- system call numbers ---------------- */
TYPE(seL4_Syscall_ID);
VALUE(seL4_SysCall, -1);
VALUE(seL4_SysReplyRecv, -2);
VALUE(seL4_SysSend, -3);
VALUE(seL4_SysNBSend, -4);
VALUE(seL4_SysRecv, -5);
VALUE(seL4_SysReply, -6);
VALUE(seL4_SysYield, -7);
VALUE(seL4_SysNBRecv, -8);
VALUE(seL4_SysDebugPutChar, -9);
VALUE(seL4_SysDebugDumpScheduler, -10);
VALUE(seL4_SysDebugHalt, -11);
VALUE(seL4_SysDebugCapIdentify, -12);
VALUE(seL4_SysDebugSnapshot, -13);
VALUE(seL4_SysDebugNameThread, -14);
VALUE(seL4_SysHypDebugCheckInvariants, -101);
VALUE(seL4_SysHypDebugFastpathCount, -102);
VALUE(seL4_SysHypDebugPreempt, -103);
VALUE(seL4_SysHypDebugFpuSwitches, -104);

/* ---------------- object types ---------------- */
TYPE(seL4_ObjectType);
TYPE(api_object_t);
TYPE(seL4_ModeObjectType);
TYPE(seL4_ArchObjectType);
TYPE(object_t);
VALUE(seL4_UntypedObject, 0);
VALUE(seL4_TCBObject, 1);
VALUE(seL4_EndpointObject, 2);
VALUE(seL4_NotificationObject, 3);
VALUE(seL4_CapTableObject, 4);
VALUE(seL4_NonArchObjectTypeCount, 5);

/* ---------------- invocation labels ---------------- */
VALUE(InvalidInvocation, 0);
VALUE(UntypedRetype, 1);
VALUE(TCBReadRegisters, 2);
VALUE(TCBWriteRegisters, 3);
VALUE(TCBCopyRegisters, 4);
VALUE(TCBConfigure, 5);
VALUE(TCBSetPriority, 6);
VALUE(TCBSetMCPriority, 7);
VALUE(TCBSetSchedParams, 8);
VALUE(TCBSetIPCBuffer, 9);
VALUE(TCBSetSpace, 10);
VALUE(TCBSuspend, 11);
VALUE(TCBResume, 12);
VALUE(TCBBindNotification, 13);
VALUE(TCBUnbindNotification, 14);
VALUE(TCBSetTLSBase, 15);
VALUE(TCBSetFlags, 16);
VALUE(CNodeRevoke, 17);
VALUE(CNodeDelete, 18);
VALUE(CNodeCancelBadgedSends, 19);
VALUE(CNodeCopy, 20);
VALUE(CNodeMint, 21);
VALUE(CNodeMove, 22);
VALUE(CNodeMutate, 23);
VALUE(CNodeRotate, 24);
VALUE(CNodeSaveCaller, 25);
VALUE(IRQIssueIRQHandler, 26);
VALUE(IRQAckIRQ, 27);
VALUE(IRQSetIRQHandler, 28);
VALUE(IRQClearIRQHandler, 29);
VALUE(DomainSetSet, 30);
VALUE(DomainScheduleConfigure, 31);
VALUE(DomainScheduleSetStart, 32);
VALUE(nInvocationLabels, 33);

/* ---------------- errors and lookup failures ---------------- */
TYPE(seL4_Error);
TYPE(seL4_LookupFailureType);
VALUE(seL4_NoError, 0);
VALUE(seL4_InvalidArgument, 1);
VALUE(seL4_InvalidCapability, 2);
VALUE(seL4_IllegalOperation, 3);
VALUE(seL4_RangeError, 4);
VALUE(seL4_AlignmentError, 5);
VALUE(seL4_FailedLookup, 6);
VALUE(seL4_TruncatedMessage, 7);
VALUE(seL4_DeleteFirst, 8);
VALUE(seL4_RevokeFirst, 9);
VALUE(seL4_NotEnoughMemory, 10);
VALUE(seL4_NumErrors, 11);
VALUE(seL4_NoFailure, 0);
VALUE(seL4_InvalidRoot, 1);
VALUE(seL4_MissingCapability, 2);
VALUE(seL4_DepthMismatch, 3);
VALUE(seL4_GuardMismatch, 4);

/* ---------------- layouts ---------------- */
TYPE(seL4_MessageInfo_t);
TYPE(seL4_CapRights_t);
TYPE(seL4_CNode_CapData_t);
TYPE(seL4_IPCBuffer);
TYPE(seL4_UserContext);
TYPE(seL4_SlotRegion);
TYPE(seL4_SlotPos);
TYPE(seL4_UntypedDesc);
TYPE(seL4_BootInfo);
TYPE(seL4_BootInfoHeader);
TYPE(seL4_BootInfoID);
CHECK(sizeof(seL4_MessageInfo_t) == 8 && sizeof(seL4_CapRights_t) == 8 && sizeof(seL4_CNode_CapData_t) == 8);
CHECK(sizeof(seL4_IPCBuffer) == 1024 && SEL4_OFFSETOF(seL4_IPCBuffer, userData) == 121 * 8);
CHECK(SEL4_OFFSETOF(seL4_IPCBuffer, caps_or_badges) == 122 * 8 &&
      SEL4_OFFSETOF(seL4_IPCBuffer, receiveDepth) == 127 * 8);
CHECK(sizeof(seL4_UntypedDesc) == 16 && sizeof(seL4_SlotRegion) == 16 && sizeof(seL4_BootInfoHeader) == 16);
CHECK(SEL4_OFFSETOF(seL4_BootInfo, ipcBuffer) == 4 * 8 && SEL4_OFFSETOF(seL4_BootInfo, untyped) == 19 * 8);
CHECK(SEL4_OFFSETOF(seL4_BootInfo, untypedList) == 21 * 8 && sizeof(seL4_BootInfo) <= 4096);
VALUE(seL4_CapNull, 0);
VALUE(seL4_CapInitThreadTCB, 1);
VALUE(seL4_CapInitThreadCNode, 2);
VALUE(seL4_CapInitThreadVSpace, 3);
VALUE(seL4_CapIRQControl, 4);
VALUE(seL4_CapASIDControl, 5);
VALUE(seL4_CapInitThreadASIDPool, 6);
VALUE(seL4_CapIOPortControl, 7);
VALUE(seL4_CapIOSpace, 8);
VALUE(seL4_CapBootInfoFrame, 9);
VALUE(seL4_CapInitThreadIPCBuffer, 10);
VALUE(seL4_CapDomain, 11);
VALUE(seL4_CapSMMUSIDControl, 12);
VALUE(seL4_CapSMMUCBControl, 13);
VALUE(seL4_CapInitThreadSC, 14);
VALUE(seL4_CapSMC, 15);
VALUE(seL4_NumInitialCaps, 16);
VALUE(SEL4_BOOTINFO_HEADER_PADDING, 0);
VALUE(SEL4_BOOTINFO_HEADER_X86_VBE, 1);
VALUE(SEL4_BOOTINFO_HEADER_X86_MBMMAP, 2);
VALUE(SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP, 3);
VALUE(SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER, 4);
VALUE(SEL4_BOOTINFO_HEADER_X86_TSC_FREQ, 5);
VALUE(SEL4_BOOTINFO_HEADER_FDT, 6);
VALUE(SEL4_BOOTINFO_HEADER_NUM, 7);
TYPE(seL4_TCBFlag);
VALUE(seL4_TCBFlag_NoFlag, 0);
VALUE(seL4_TCBFlag_fpuDisabled, 1);
VALUE(seL4_TCBFlag_MASK, 1);
VALUE(seL4_CapRightsWriteBit, 0);
VALUE(seL4_CapRightsReadBit, 1);
VALUE(seL4_CapRightsGrantBit, 2);
VALUE(seL4_CapRightsGrantReplyBit, 3);

/* ---------------- fault messages ---------------- */
TYPE(seL4_Fault_t);
TYPE(seL4_Fault_tag_t);
TYPE(seL4_FaultType);
TYPE(seL4_CapFault_Msg);
TYPE(seL4_VMFault_Msg);
TYPE(seL4_UnknownSyscall_Msg);
TYPE(seL4_UserException_Msg);
VALUE(seL4_Fault_NullFault, 0);
VALUE(seL4_Fault_CapFault, 1);
VALUE(seL4_Fault_UnknownSyscall, 2);
VALUE(seL4_Fault_UserException, 3);
VALUE(seL4_Fault_VMFault, 5);
VALUE(seL4_CapFault_IP, 0);
VALUE(seL4_CapFault_Addr, 1);
VALUE(seL4_CapFault_InRecvPhase, 2);
VALUE(seL4_CapFault_LookupFailureType, 3);
VALUE(seL4_CapFault_BitsLeft, 4);
VALUE(seL4_CapFault_DepthMismatch_BitsFound, 5);
VALUE(seL4_CapFault_GuardMismatch_GuardFound, 5);
VALUE(seL4_CapFault_GuardMismatch_BitsFound, 6);
VALUE(seL4_VMFault_IP, 0);
VALUE(seL4_VMFault_Addr, 1);
VALUE(seL4_VMFault_PrefetchFault, 2);
VALUE(seL4_VMFault_FSR, 3);
VALUE(seL4_VMFault_Length, 4);
VALUE(SEL4_MAPPING_LOOKUP_LEVEL, 2);

/* ---------------- system calls ---------------- */
FN(void, seL4_Send, (seL4_CPtr, seL4_MessageInfo_t));
FN(void, seL4_SendWithMRs, (seL4_CPtr, seL4_MessageInfo_t, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *));
FN(void, seL4_NBSend, (seL4_CPtr, seL4_MessageInfo_t));
FN(void, seL4_NBSendWithMRs, (seL4_CPtr, seL4_MessageInfo_t, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *));
FN(void, seL4_Reply, (seL4_MessageInfo_t));
FN(void, seL4_ReplyWithMRs, (seL4_MessageInfo_t, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *));
FN(void, seL4_Signal, (seL4_CPtr));
FN(seL4_MessageInfo_t, seL4_Recv, (seL4_CPtr, seL4_Word *));
FN(seL4_MessageInfo_t, seL4_RecvWithMRs, (seL4_CPtr, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *));
FN(seL4_MessageInfo_t, seL4_NBRecv, (seL4_CPtr, seL4_Word *));
FN(seL4_MessageInfo_t, seL4_Call, (seL4_CPtr, seL4_MessageInfo_t));
FN(seL4_MessageInfo_t, seL4_CallWithMRs,
   (seL4_CPtr, seL4_MessageInfo_t, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *));
FN(seL4_MessageInfo_t, seL4_ReplyRecv, (seL4_CPtr, seL4_MessageInfo_t, seL4_Word *));
FN(seL4_MessageInfo_t, seL4_ReplyRecvWithMRs,
   (seL4_CPtr, seL4_MessageInfo_t, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *));
FN(void, seL4_Yield, (void));
FN(void, seL4_Wait, (seL4_CPtr, seL4_Word *));
FN(seL4_MessageInfo_t, seL4_Poll, (seL4_CPtr, seL4_Word *));
#ifdef CONFIG_PRINTING
FN(void, seL4_DebugPutChar, (char));
FN(void, seL4_DebugPutString, (char *));
FN(void, seL4_DebugDumpScheduler, (void));
FN(void, seL4_DebugHalt, (void));
#endif
#ifdef CONFIG_DEBUG_BUILD
FN(seL4_Uint32, seL4_DebugCapIdentify, (seL4_CPtr));
FN(void, seL4_DebugNameThread, (seL4_CPtr, const char *));
FN(seL4_Word, seL4_HypDebugCheckInvariants, (void));
FN(seL4_Word, seL4_HypDebugFastpathCount, (void));
FN(seL4_Word, seL4_HypDebugPreempt, (seL4_Word));
FN(seL4_Word, seL4_HypDebugFpuSwitches, (seL4_Bool));
VALUE(seL4_HypPreemptCheck, 1ul << 32);
#endif

/* ---------------- IPC buffer and boot info ---------------- */
FN(seL4_IPCBuffer *, seL4_GetIPCBuffer, (void));
FN(void, seL4_SetIPCBuffer, (seL4_IPCBuffer *));
FN(seL4_Word, seL4_GetMR, (int));
FN(void, seL4_SetMR, (int, seL4_Word));
FN(seL4_Word, seL4_GetUserData, (void));
FN(void, seL4_SetUserData, (seL4_Word));
FN(seL4_Word, seL4_GetBadge, (int));
FN(seL4_CPtr, seL4_GetCap, (int));
FN(void, seL4_SetCap, (int, seL4_CPtr));
FN(void, seL4_GetCapReceivePath, (seL4_CPtr *, seL4_CPtr *, seL4_Word *));
FN(void, seL4_SetCapReceivePath, (seL4_CPtr, seL4_CPtr, seL4_Word));
FN(seL4_BootInfo *, seL4_GetBootInfo, (void));
FN(void, seL4_InitBootInfo, (seL4_BootInfo *));
FN(seL4_Word, seL4_MappingFailedLookupLevel, (void));
FN(void, __assert_fail, (const char *, const char *, int, const char *));

/* ---------------- word records ---------------- */
#define RECORD_FIELD(T, F)                        \
    FN(seL4_Uint64, T##_get_##F, (T##_t));        \
    FN(T##_t, T##_set_##F, (T##_t, seL4_Uint64)); \
    FN(seL4_Uint64, T##_ptr_get_##F, (T##_t *));  \
    FN(void, T##_ptr_set_##F, (T##_t *, seL4_Uint64))
FN(seL4_MessageInfo_t, seL4_MessageInfo_new, (seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64));
FN(void, seL4_MessageInfo_ptr_new, (seL4_MessageInfo_t *, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64));
RECORD_FIELD(seL4_MessageInfo, label);
RECORD_FIELD(seL4_MessageInfo, capsUnwrapped);
RECORD_FIELD(seL4_MessageInfo, extraCaps);
RECORD_FIELD(seL4_MessageInfo, length);
FN(seL4_CapRights_t, seL4_CapRights_new, (seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64));
FN(void, seL4_CapRights_ptr_new, (seL4_CapRights_t *, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64));
RECORD_FIELD(seL4_CapRights, capAllowGrantReply);
RECORD_FIELD(seL4_CapRights, capAllowGrant);
RECORD_FIELD(seL4_CapRights, capAllowRead);
RECORD_FIELD(seL4_CapRights, capAllowWrite);
FN(seL4_CNode_CapData_t, seL4_CNode_CapData_new, (seL4_Uint64, seL4_Uint64));
FN(void, seL4_CNode_CapData_ptr_new, (seL4_CNode_CapData_t *, seL4_Uint64, seL4_Uint64));
RECORD_FIELD(seL4_CNode_CapData, guard);
RECORD_FIELD(seL4_CNode_CapData, guardSize);

/* ---------------- faults ---------------- */
#define FAULT_FIELD(T, F)                                                    \
    FN(seL4_Uint64, seL4_Fault_##T##_get_##F, (seL4_Fault_t));               \
    FN(seL4_Fault_t, seL4_Fault_##T##_set_##F, (seL4_Fault_t, seL4_Uint64)); \
    FN(seL4_Uint64, seL4_Fault_##T##_ptr_get_##F, (seL4_Fault_t *));         \
    FN(void, seL4_Fault_##T##_ptr_set_##F, (seL4_Fault_t *, seL4_Uint64))
FN(seL4_Fault_t, seL4_getFault, (seL4_MessageInfo_t));
FN(seL4_Fault_t, seL4_getArchFault, (seL4_MessageInfo_t));
FN(seL4_Bool, seL4_isNullFault_tag, (seL4_MessageInfo_t));
FN(seL4_Bool, seL4_isCapFault_tag, (seL4_MessageInfo_t));
FN(seL4_Bool, seL4_isUnknownSyscall_tag, (seL4_MessageInfo_t));
FN(seL4_Bool, seL4_isUserException_tag, (seL4_MessageInfo_t));
FN(seL4_Bool, seL4_isVMFault_tag, (seL4_MessageInfo_t));
FN(seL4_Uint64, seL4_Fault_get_seL4_FaultType, (seL4_Fault_t));
FN(seL4_Uint64, seL4_Fault_ptr_get_seL4_FaultType, (seL4_Fault_t *));
FN(seL4_Fault_t, seL4_Fault_NullFault_new, (void));
FN(void, seL4_Fault_NullFault_ptr_new, (seL4_Fault_t *));
FN(seL4_Fault_t, seL4_Fault_CapFault_new,
   (seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64));
FN(void, seL4_Fault_CapFault_ptr_new,
   (seL4_Fault_t *, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64));
FAULT_FIELD(CapFault, IP);
FAULT_FIELD(CapFault, Addr);
FAULT_FIELD(CapFault, InRecvPhase);
FAULT_FIELD(CapFault, LookupFailureType);
FAULT_FIELD(CapFault, MR4);
FAULT_FIELD(CapFault, MR5);
FAULT_FIELD(CapFault, MR6);
FN(seL4_Fault_t, seL4_Fault_VMFault_new, (seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64));
FN(void, seL4_Fault_VMFault_ptr_new, (seL4_Fault_t *, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64));
FAULT_FIELD(VMFault, IP);
FAULT_FIELD(VMFault, Addr);
FAULT_FIELD(VMFault, PrefetchFault);
FAULT_FIELD(VMFault, FSR);

/* ---------------- object invocations ---------------- */
FN(seL4_Error, seL4_Untyped_Retype,
   (seL4_Untyped, seL4_Word, seL4_Word, seL4_CNode, seL4_Word, seL4_Word, seL4_Word, seL4_Word));
FN(seL4_Error, seL4_TCB_ReadRegisters, (seL4_TCB, seL4_Bool, seL4_Uint8, seL4_Word, seL4_UserContext *));
FN(seL4_Error, seL4_TCB_WriteRegisters, (seL4_TCB, seL4_Bool, seL4_Uint8, seL4_Word, seL4_UserContext *));
FN(seL4_Error, seL4_TCB_CopyRegisters, (seL4_TCB, seL4_TCB, seL4_Bool, seL4_Bool, seL4_Bool, seL4_Bool, seL4_Uint8));
FN(seL4_Error, seL4_TCB_Configure,
   (seL4_TCB, seL4_Word, seL4_CNode, seL4_Word, seL4_CPtr, seL4_Word, seL4_Word, seL4_CPtr));
FN(seL4_Error, seL4_TCB_SetPriority, (seL4_TCB, seL4_TCB, seL4_Word));
FN(seL4_Error, seL4_TCB_SetMCPriority, (seL4_TCB, seL4_TCB, seL4_Word));
FN(seL4_Error, seL4_TCB_SetSchedParams, (seL4_TCB, seL4_TCB, seL4_Word, seL4_Word));
FN(seL4_Error, seL4_TCB_SetIPCBuffer, (seL4_TCB, seL4_Word, seL4_CPtr));
FN(seL4_Error, seL4_TCB_SetSpace, (seL4_TCB, seL4_Word, seL4_CNode, seL4_Word, seL4_CPtr, seL4_Word));
FN(seL4_Error, seL4_TCB_Suspend, (seL4_TCB));
FN(seL4_Error, seL4_TCB_Resume, (seL4_TCB));
FN(seL4_Error, seL4_TCB_BindNotification, (seL4_TCB, seL4_CPtr));
FN(seL4_Error, seL4_TCB_UnbindNotification, (seL4_TCB));
FN(seL4_Error, seL4_TCB_SetTLSBase, (seL4_TCB, seL4_Word));
TYPE(seL4_TCB_SetFlags_t);
FN(seL4_TCB_SetFlags_t, seL4_TCB_SetFlags, (seL4_TCB, seL4_Word, seL4_Word));
FN(seL4_Error, seL4_CNode_Revoke, (seL4_CNode, seL4_Word, seL4_Uint8));
FN(seL4_Error, seL4_CNode_Delete, (seL4_CNode, seL4_Word, seL4_Uint8));
FN(seL4_Error, seL4_CNode_CancelBadgedSends, (seL4_CNode, seL4_Word, seL4_Uint8));
FN(seL4_Error, seL4_CNode_Copy,
   (seL4_CNode, seL4_Word, seL4_Uint8, seL4_CNode, seL4_Word, seL4_Uint8, seL4_CapRights_t));
FN(seL4_Error, seL4_CNode_Mint,
   (seL4_CNode, seL4_Word, seL4_Uint8, seL4_CNode, seL4_Word, seL4_Uint8, seL4_CapRights_t, seL4_Word));
FN(seL4_Error, seL4_CNode_Move, (seL4_CNode, seL4_Word, seL4_Uint8, seL4_CNode, seL4_Word, seL4_Uint8));
FN(seL4_Error, seL4_CNode_Mutate, (seL4_CNode, seL4_Word, seL4_Uint8, seL4_CNode, seL4_Word, seL4_Uint8, seL4_Word));
FN(seL4_Error, seL4_CNode_Rotate,
   (seL4_CNode, seL4_Word, seL4_Uint8, seL4_Word, seL4_CNode, seL4_Word, seL4_Uint8, seL4_Word, seL4_CNode, seL4_Word,
    seL4_Uint8));
FN(seL4_Error, seL4_CNode_SaveCaller, (seL4_CNode, seL4_Word, seL4_Uint8));
FN(seL4_Error, seL4_IRQControl_Get, (seL4_IRQControl, seL4_Word, seL4_CNode, seL4_Word, seL4_Uint8));
FN(seL4_Error, seL4_IRQHandler_Ack, (seL4_IRQHandler));
FN(seL4_Error, seL4_IRQHandler_SetNotification, (seL4_IRQHandler, seL4_CPtr));
FN(seL4_Error, seL4_IRQHandler_Clear, (seL4_IRQHandler));
FN(seL4_Error, seL4_DomainSet_Set, (seL4_DomainSet, seL4_Uint8, seL4_TCB));
FN(seL4_Error, seL4_DomainSet_ScheduleConfigure, (seL4_DomainSet, seL4_Word, seL4_Uint8, seL4_Time));
FN(seL4_Error, seL4_DomainSet_ScheduleSetStart, (seL4_DomainSet, seL4_Word));
/* ---------------- the architecture's part ---------------- */
#if defined(CONFIG_ARCH_RISCV64)
#include "api_riscv64.h"
#elif defined(CONFIG_ARCH_X86_64)
#include "api_x86_64.h"
#else
#error "no API list for this architecture"
#endif

/* Expressions as programs write them: the rights macros, seL4_Null, the
 * result structs' fields, format macros. */
extern void uses(seL4_CPtr ep);
void uses(seL4_CPtr ep)
{
    seL4_CapRights_t all[] = {seL4_ReadWrite,     seL4_AllRights, seL4_CanRead, seL4_CanWrite, seL4_CanGrant,
                              seL4_CanGrantReply, seL4_NoWrite,   seL4_NoRead,  seL4_NoRights};
    seL4_Word badge = 0, mr0 = 1;
    seL4_MessageInfo_t info = seL4_MessageInfo_new(7, 0, 0, 1);
    (void)seL4_CallWithMRs(ep, info, &mr0, seL4_Null, seL4_Null, seL4_Null);
    seL4_Word ga = uses_arch();
    seL4_TCB_SetFlags_t fl = seL4_TCB_SetFlags(seL4_CapInitThreadTCB, seL4_TCBFlag_NoFlag, seL4_TCBFlag_fpuDisabled);
    seL4_Fault_t f = seL4_getFault(seL4_Recv(ep, &badge));
    seL4_SetMR(0, ga + (seL4_Word)fl.error + fl.flags + all[0].words[0] + seL4_Fault_get_seL4_FaultType(f));
    (void)seL4_TCB_Configure(seL4_CapInitThreadTCB, 0, seL4_CapInitThreadCNode, seL4_NilData, seL4_CapInitThreadVSpace,
                             seL4_NilData, 0, seL4_CapNull);
    static const char fmt[] = "%" SEL4_PRIx_word " %" SEL4_PRIu_word " %" SEL4_PRId_word;
    (void)fmt;
    seL4_Assert(badge != 1);
    seL4_DebugAssert(badge != 2);
    seL4_CompileTimeAssert(sizeof(seL4_Word) == 8);
    if (badge == 3)
        seL4_Fail("badge 3");
}
