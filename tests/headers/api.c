/* Header completeness: every function, type and constant of seL4's C API
 * for hypOS's configurations (riscv64 Sv39, one core; non-MCS, and MCS
 * with -DHYPOS_MCS), with the signature and value seL4 gives it in that
 * configuration. This file is compiled, not run: as C (gnu11) and as
 * C++17, for a debug and a release build of each configuration
 * (tests/headers/run.sh). A function is referenced through a pointer of
 * the exact seL4 type, so a wrong signature fails to compile; constants
 * are checked against seL4's numbers, so an ABI change fails too; names
 * seL4 has only in the other configuration are checked to be absent. */
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
/* `name` is declared nowhere (no function, enumerator, type or macro of
 * that name): redeclaring it as a type would not compile otherwise. */
#define ABSENT(name) typedef int name

/* ---------------- configuration (<sel4/config.h>, <autoconf.h>) ---------------- */
#if !defined(CONFIG_ARCH_RISCV) || !defined(CONFIG_ARCH_RISCV64) || !defined(CONFIG_WORD_SIZE) ||      \
    !defined(CONFIG_PT_LEVELS) || !defined(CONFIG_MAX_NUM_NODES) || !defined(CONFIG_NUM_PRIORITIES) || \
    !defined(CONFIG_NUM_DOMAINS) || !defined(CONFIG_ROOT_CNODE_SIZE_BITS) ||                           \
    !defined(CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS) || !defined(CONFIG_RETYPE_FAN_OUT_LIMIT) ||         \
    !defined(CONFIG_LIB_SEL4_INLINE_INVOCATIONS)
#error "a configuration macro is missing"
#endif
VALUE(CONFIG_WORD_SIZE, 64);
VALUE(CONFIG_PT_LEVELS, 3);
VALUE(CONFIG_MAX_NUM_NODES, 1);
VALUE(CONFIG_NUM_PRIORITIES, seL4_MaxPrio + 1);
VALUE(CONFIG_NUM_DOMAINS, seL4_NumDomains);
VALUE(CONFIG_ROOT_CNODE_SIZE_BITS, seL4_RootCNodeSizeBits);
VALUE(CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS, seL4_MaxUntypedCaps);
VALUE(CONFIG_RETYPE_FAN_OUT_LIMIT, seL4_UntypedRetypeMaxObjects);
#ifdef CONFIG_ENABLE_SMP_SUPPORT
#error "hypOS's configurations are single core"
#endif
/* MCS exactly when the build asks for it (make MCS=1 passes HYPOS_MCS) */
#if defined(HYPOS_MCS) != defined(CONFIG_KERNEL_MCS)
#error "CONFIG_KERNEL_MCS does not follow the build"
#endif
#ifdef CONFIG_KERNEL_MCS
#if !defined(CONFIG_BOOT_THREAD_TIME_SLICE) || !defined(CONFIG_KERNEL_WCET_SCALE)
#error "an MCS configuration macro is missing"
#endif
/* seL4 has no periodic tick with MCS: these are undefined there */
#if defined(CONFIG_TIMER_TICK_MS) || defined(CONFIG_TIME_SLICE)
#error "CONFIG_TIMER_TICK_MS / CONFIG_TIME_SLICE exist only without MCS"
#endif
VALUE(CONFIG_KERNEL_MCS, 1);
#else
#if !defined(CONFIG_TIMER_TICK_MS) || !defined(CONFIG_TIME_SLICE)
#error "a configuration macro is missing"
#endif
#endif
#if !defined(CONFIG_HAVE_FPU) || !defined(CONFIG_RISCV_EXT_F) || !defined(CONFIG_RISCV_EXT_D)
#error "hypOS switches the F/D registers of every thread"
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
TYPE(seL4_RISCV_Page);
TYPE(seL4_RISCV_PageTable);
TYPE(seL4_RISCV_ASIDControl);
TYPE(seL4_RISCV_ASIDPool);
TYPE(seL4_RISCV_VMAttributes);
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
CHECK(sizeof(seL4_RISCV_VMAttributes) == sizeof(long)); /* SEL4_FORCE_LONG_ENUM */
SEL4_COMPILE_ASSERT(compile_assert_works, 1)
SEL4_SIZE_SANITY(1, 2, 3)
VALUE(SEL4_OFFSETOF(seL4_IPCBuffer, msg), 8);

/* ---------------- constants (object sizes, limits) ---------------- */
VALUE(seL4_WordBits, 64);
VALUE(seL4_WordSizeBits, 3);
VALUE(seL4_SlotBits, 5);
VALUE(seL4_TCBBits, 10);
VALUE(seL4_EndpointBits, 4);
#ifdef CONFIG_KERNEL_MCS
/* an MCS notification also names its bound scheduling context */
VALUE(seL4_NotificationBits, 6);
#else
VALUE(seL4_NotificationBits, 5);
#endif
VALUE(seL4_ReplyBits, 5);
VALUE(seL4_PageTableBits, 12);
VALUE(seL4_PageTableEntryBits, 3);
VALUE(seL4_PageTableIndexBits, 9);
VALUE(seL4_PageBits, 12);
VALUE(seL4_LargePageBits, 21);
VALUE(seL4_HugePageBits, 30);
VALUE(seL4_TeraPageBits, 39);
VALUE(seL4_VSpaceBits, 12);
VALUE(seL4_ASIDPoolBits, 12);
VALUE(seL4_ASIDPoolIndexBits, 9);
VALUE(seL4_NumASIDPoolsBits, 7);
VALUE(seL4_IPCBufferSizeBits, 10);
VALUE(seL4_MinUntypedBits, 4);
VALUE(seL4_MaxUntypedBits, 38);
VALUE(seL4_RegisterSizeBits, 3);
VALUE(seL4_MsgLengthBits, 7);
VALUE(seL4_MsgMaxLength, 120);
VALUE(seL4_MsgExtraCapBits, 2);
VALUE(seL4_MsgMaxExtraCaps, 3);
VALUE(seL4_MaxPrio, 255);
VALUE(seL4_MinPrio, 0);
VALUE(seL4_InvalidPrio, -1);
VALUE(seL4_UntypedRetypeMaxObjects, 256);
VALUE(seL4_UserTop, 0x3ffffff000ul);
VALUE(seL4_BootInfoFrameBits, 12);
VALUE(seL4_BootInfoFrameSize, 4096);
#ifdef CONFIG_KERNEL_MCS
VALUE(seL4_MinSchedContextBits, 7);
VALUE(seL4_CoreSchedContextBytes, 128);
VALUE(seL4_RefillSizeBytes, 16);
VALUE(seL4_MinRefills, 2); /* hypOS's name for the two refills every SC has */
/* the smallest SC holds the core part, and half of it would not */
CHECK(seL4_CoreSchedContextBytes <= LIBSEL4_BIT(seL4_MinSchedContextBits) &&
      seL4_CoreSchedContextBytes > LIBSEL4_BIT(seL4_MinSchedContextBits - 1));
FN(seL4_Word, seL4_MaxExtraRefills, (seL4_Word));
TYPE(seL4_SchedContextFlag);
VALUE(seL4_SchedContext_NoFlag, 0);
VALUE(seL4_SchedContext_Sporadic, 1);
CHECK(sizeof(seL4_SchedContextFlag) == sizeof(long)); /* SEL4_FORCE_LONG_ENUM */
#else
ABSENT(seL4_MinSchedContextBits);
ABSENT(seL4_MaxExtraRefills);
ABSENT(seL4_SchedContext_Sporadic);
#endif

/* ---------------- system call numbers ---------------- */
TYPE(seL4_Syscall_ID);
#ifdef CONFIG_KERNEL_MCS
/* eleven API calls (Reply gone; NBSendRecv, NBSendWait, Wait, NBWait
 * new), so every number after ReplyRecv moves, the debug ones by 3 */
VALUE(seL4_SysCall, -1);
VALUE(seL4_SysReplyRecv, -2);
VALUE(seL4_SysNBSendRecv, -3);
VALUE(seL4_SysNBSendWait, -4);
VALUE(seL4_SysSend, -5);
VALUE(seL4_SysNBSend, -6);
VALUE(seL4_SysRecv, -7);
VALUE(seL4_SysNBRecv, -8);
VALUE(seL4_SysWait, -9);
VALUE(seL4_SysNBWait, -10);
VALUE(seL4_SysYield, -11);
VALUE(seL4_SysDebugPutChar, -12);
VALUE(seL4_SysDebugDumpScheduler, -13);
VALUE(seL4_SysDebugHalt, -14);
VALUE(seL4_SysDebugCapIdentify, -15);
VALUE(seL4_SysDebugSnapshot, -16);
VALUE(seL4_SysDebugNameThread, -17);
VALUE(seL4_SysSetTLSBase, -33);
ABSENT(seL4_SysReply);
#else
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
VALUE(seL4_SysSetTLSBase, -30);
ABSENT(seL4_SysNBSendRecv);
ABSENT(seL4_SysNBSendWait);
ABSENT(seL4_SysWait);
ABSENT(seL4_SysNBWait);
#endif
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
#ifdef CONFIG_KERNEL_MCS
/* two more generic objects: every architecture type moves by 2 */
VALUE(seL4_SchedContextObject, 5);
VALUE(seL4_ReplyObject, 6);
VALUE(seL4_NonArchObjectTypeCount, 7);
VALUE(seL4_RISCV_Giga_Page, 7);
VALUE(seL4_ModeObjectTypeCount, 8);
VALUE(seL4_RISCV_4K_Page, 8);
VALUE(seL4_RISCV_Mega_Page, 9);
VALUE(seL4_RISCV_PageTableObject, 10);
VALUE(seL4_RISCV_VSpaceObject, 10);
VALUE(seL4_ObjectTypeCount, 11);
#else
VALUE(seL4_NonArchObjectTypeCount, 5);
VALUE(seL4_RISCV_Giga_Page, 5);
VALUE(seL4_ModeObjectTypeCount, 6);
VALUE(seL4_RISCV_4K_Page, 6);
VALUE(seL4_RISCV_Mega_Page, 7);
VALUE(seL4_RISCV_PageTableObject, 8);
VALUE(seL4_RISCV_VSpaceObject, 8);
VALUE(seL4_ObjectTypeCount, 9);
ABSENT(seL4_SchedContextObject);
ABSENT(seL4_ReplyObject);
#endif

/* ---------------- invocation labels ---------------- */
#ifdef CONFIG_KERNEL_MCS
/* TCBSetTimeoutEndpoint after SetSchedParams, no CNodeSaveCaller, the
 * SchedControl and SchedContext methods after the domain ones */
VALUE(InvalidInvocation, 0);
VALUE(UntypedRetype, 1);
VALUE(TCBReadRegisters, 2);
VALUE(TCBWriteRegisters, 3);
VALUE(TCBCopyRegisters, 4);
VALUE(TCBConfigure, 5);
VALUE(TCBSetPriority, 6);
VALUE(TCBSetMCPriority, 7);
VALUE(TCBSetSchedParams, 8);
VALUE(TCBSetTimeoutEndpoint, 9);
VALUE(TCBSetIPCBuffer, 10);
VALUE(TCBSetSpace, 11);
VALUE(TCBSuspend, 12);
VALUE(TCBResume, 13);
VALUE(TCBBindNotification, 14);
VALUE(TCBUnbindNotification, 15);
VALUE(TCBSetTLSBase, 16);
VALUE(TCBSetFlags, 17);
VALUE(CNodeRevoke, 18);
VALUE(CNodeDelete, 19);
VALUE(CNodeCancelBadgedSends, 20);
VALUE(CNodeCopy, 21);
VALUE(CNodeMint, 22);
VALUE(CNodeMove, 23);
VALUE(CNodeMutate, 24);
VALUE(CNodeRotate, 25);
VALUE(IRQIssueIRQHandler, 26);
VALUE(IRQAckIRQ, 27);
VALUE(IRQSetIRQHandler, 28);
VALUE(IRQClearIRQHandler, 29);
VALUE(DomainSetSet, 30);
VALUE(DomainScheduleConfigure, 31);
VALUE(DomainScheduleSetStart, 32);
VALUE(SchedControlConfigureFlags, 33);
VALUE(SchedContextBind, 34);
VALUE(SchedContextUnbind, 35);
VALUE(SchedContextUnbindObject, 36);
VALUE(SchedContextConsumed, 37);
VALUE(SchedContextYieldTo, 38);
VALUE(nInvocationLabels, 39);
VALUE(nSeL4ArchInvocationLabels, 39);
VALUE(RISCVPageTableMap, 39);
VALUE(RISCVPageTableUnmap, 40);
VALUE(RISCVPageMap, 41);
VALUE(RISCVPageUnmap, 42);
VALUE(RISCVPageGetAddress, 43);
VALUE(RISCVASIDControlMakePool, 44);
VALUE(RISCVASIDPoolAssign, 45);
VALUE(RISCVIRQIssueIRQHandlerTrigger, 46);
VALUE(nArchInvocationLabels, 47);
ABSENT(CNodeSaveCaller);
#else
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
VALUE(nSeL4ArchInvocationLabels, 33);
VALUE(RISCVPageTableMap, 33);
VALUE(RISCVPageTableUnmap, 34);
VALUE(RISCVPageMap, 35);
VALUE(RISCVPageUnmap, 36);
VALUE(RISCVPageGetAddress, 37);
VALUE(RISCVASIDControlMakePool, 38);
VALUE(RISCVASIDPoolAssign, 39);
VALUE(RISCVIRQIssueIRQHandlerTrigger, 40);
VALUE(nArchInvocationLabels, 41);
ABSENT(TCBSetTimeoutEndpoint);
ABSENT(SchedControlConfigureFlags);
ABSENT(SchedContextBind);
ABSENT(SchedContextUnbind);
ABSENT(SchedContextUnbindObject);
ABSENT(SchedContextConsumed);
ABSENT(SchedContextYieldTo);
#endif

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
CHECK(sizeof(seL4_UserContext) == 32 * 8 && SEL4_OFFSETOF(seL4_UserContext, tp) == 31 * 8);
CHECK(SEL4_OFFSETOF(seL4_UserContext, a0) == 16 * 8 && SEL4_OFFSETOF(seL4_UserContext, t0) == 24 * 8);
CHECK(sizeof(seL4_UntypedDesc) == 16 && sizeof(seL4_SlotRegion) == 16 && sizeof(seL4_BootInfoHeader) == 16);
CHECK(SEL4_OFFSETOF(seL4_BootInfo, ipcBuffer) == 4 * 8 && sizeof(seL4_BootInfo) <= 4096);
#ifdef CONFIG_KERNEL_MCS
/* the SchedControl caps' slot region between initThreadDomain and untyped */
CHECK(SEL4_OFFSETOF(seL4_BootInfo, schedcontrol) == 19 * 8 && SEL4_OFFSETOF(seL4_BootInfo, untyped) == 21 * 8);
CHECK(SEL4_OFFSETOF(seL4_BootInfo, untypedList) == 23 * 8);
#else
CHECK(SEL4_OFFSETOF(seL4_BootInfo, untyped) == 19 * 8 && SEL4_OFFSETOF(seL4_BootInfo, untypedList) == 21 * 8);
#endif
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
VALUE(seL4_RISCV_ExecuteNever, 1);
VALUE(seL4_RISCV_Default_VMAttributes, 0);
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
#ifdef CONFIG_KERNEL_MCS
/* the timeout fault takes 5, VMFault moves to 6 */
VALUE(seL4_Fault_Timeout, 5);
VALUE(seL4_Fault_VMFault, 6);
TYPE(seL4_TimeoutMsg);
VALUE(seL4_Timeout_Data, 0);
VALUE(seL4_Timeout_Consumed, 1);
VALUE(seL4_Timeout_Length, 2);
TYPE(seL4_TimeoutReply_Msg);
VALUE(seL4_TimeoutReply_FaultIP, 0);
VALUE(seL4_TimeoutReply_LR, 1);
VALUE(seL4_TimeoutReply_SP, 2);
VALUE(seL4_TimeoutReply_GP, 3);
VALUE(seL4_TimeoutReply_s0, 4);
VALUE(seL4_TimeoutReply_s1, 5);
VALUE(seL4_TimeoutReply_s2, 6);
VALUE(seL4_TimeoutReply_s3, 7);
VALUE(seL4_TimeoutReply_s4, 8);
VALUE(seL4_TimeoutReply_s5, 9);
VALUE(seL4_TimeoutReply_s6, 10);
VALUE(seL4_TimeoutReply_s7, 11);
VALUE(seL4_TimeoutReply_s8, 12);
VALUE(seL4_TimeoutReply_s9, 13);
VALUE(seL4_TimeoutReply_s10, 14);
VALUE(seL4_TimeoutReply_s11, 15);
VALUE(seL4_TimeoutReply_a0, 16);
VALUE(seL4_TimeoutReply_a1, 17);
VALUE(seL4_TimeoutReply_a2, 18);
VALUE(seL4_TimeoutReply_a3, 19);
VALUE(seL4_TimeoutReply_a4, 20);
VALUE(seL4_TimeoutReply_a5, 21);
VALUE(seL4_TimeoutReply_a6, 22);
VALUE(seL4_TimeoutReply_a7, 23);
VALUE(seL4_TimeoutReply_t0, 24);
VALUE(seL4_TimeoutReply_t1, 25);
VALUE(seL4_TimeoutReply_t2, 26);
VALUE(seL4_TimeoutReply_t3, 27);
VALUE(seL4_TimeoutReply_t4, 28);
VALUE(seL4_TimeoutReply_t5, 29);
VALUE(seL4_TimeoutReply_t6, 30);
VALUE(seL4_TimeoutReply_TP, 31);
VALUE(seL4_TimeoutReply_Length, 32);
/* the reply's registers are seL4_UserContext's, in its order */
CHECK(seL4_TimeoutReply_Length * sizeof(seL4_Word) == sizeof(seL4_UserContext));
CHECK(SEL4_OFFSETOF(seL4_UserContext, a0) == seL4_TimeoutReply_a0 * 8 &&
      SEL4_OFFSETOF(seL4_UserContext, tp) == seL4_TimeoutReply_TP * 8);
#else
VALUE(seL4_Fault_VMFault, 5);
ABSENT(seL4_Fault_Timeout);
ABSENT(seL4_Timeout_Data);
ABSENT(seL4_TimeoutReply_Length);
#endif
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
VALUE(seL4_UnknownSyscall_FaultIP, 0);
VALUE(seL4_UnknownSyscall_SP, 1);
VALUE(seL4_UnknownSyscall_RA, 2);
VALUE(seL4_UnknownSyscall_A0, 3);
VALUE(seL4_UnknownSyscall_A1, 4);
VALUE(seL4_UnknownSyscall_A2, 5);
VALUE(seL4_UnknownSyscall_A3, 6);
VALUE(seL4_UnknownSyscall_A4, 7);
VALUE(seL4_UnknownSyscall_A5, 8);
VALUE(seL4_UnknownSyscall_A6, 9);
VALUE(seL4_UnknownSyscall_Syscall, 10);
VALUE(seL4_UnknownSyscall_Length, 11);
VALUE(seL4_UserException_FaultIP, 0);
VALUE(seL4_UserException_SP, 1);
VALUE(seL4_UserException_Number, 2);
VALUE(seL4_UserException_Code, 3);
VALUE(seL4_UserException_Length, 4);
VALUE(SEL4_MAPPING_LOOKUP_LEVEL, 2);
VALUE(SEL4_MAPPING_LOOKUP_NO_PT, 21);

/* ---------------- system calls ---------------- */
FN(void, seL4_Send, (seL4_CPtr, seL4_MessageInfo_t));
FN(void, seL4_SendWithMRs, (seL4_CPtr, seL4_MessageInfo_t, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *));
FN(void, seL4_NBSend, (seL4_CPtr, seL4_MessageInfo_t));
FN(void, seL4_NBSendWithMRs, (seL4_CPtr, seL4_MessageInfo_t, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *));
FN(void, seL4_Signal, (seL4_CPtr));
FN(seL4_MessageInfo_t, seL4_Call, (seL4_CPtr, seL4_MessageInfo_t));
FN(seL4_MessageInfo_t, seL4_CallWithMRs,
   (seL4_CPtr, seL4_MessageInfo_t, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *));
FN(void, seL4_Yield, (void));
FN(seL4_MessageInfo_t, seL4_Poll, (seL4_CPtr, seL4_Word *));
#ifdef CONFIG_KERNEL_MCS
/* receives that a Call may answer name the reply object (RecvWithMRs
 * before the MRs, the others last); replying is a Send to it */
FN(seL4_MessageInfo_t, seL4_Recv, (seL4_CPtr, seL4_Word *, seL4_CPtr));
FN(seL4_MessageInfo_t, seL4_RecvWithMRs,
   (seL4_CPtr, seL4_Word *, seL4_CPtr, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *));
FN(seL4_MessageInfo_t, seL4_NBRecv, (seL4_CPtr, seL4_Word *, seL4_CPtr));
FN(seL4_MessageInfo_t, seL4_ReplyRecv, (seL4_CPtr, seL4_MessageInfo_t, seL4_Word *, seL4_CPtr));
FN(seL4_MessageInfo_t, seL4_ReplyRecvWithMRs,
   (seL4_CPtr, seL4_MessageInfo_t, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *, seL4_CPtr));
FN(seL4_MessageInfo_t, seL4_NBSendRecv, (seL4_CPtr, seL4_MessageInfo_t, seL4_CPtr, seL4_Word *, seL4_CPtr));
FN(seL4_MessageInfo_t, seL4_NBSendRecvWithMRs,
   (seL4_CPtr, seL4_MessageInfo_t, seL4_CPtr, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *,
    seL4_CPtr));
FN(seL4_MessageInfo_t, seL4_NBSendWait, (seL4_CPtr, seL4_MessageInfo_t, seL4_CPtr, seL4_Word *));
FN(seL4_MessageInfo_t, seL4_NBSendWaitWithMRs,
   (seL4_CPtr, seL4_MessageInfo_t, seL4_CPtr, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *));
FN(seL4_MessageInfo_t, seL4_Wait, (seL4_CPtr, seL4_Word *));
FN(seL4_MessageInfo_t, seL4_WaitWithMRs, (seL4_CPtr, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *));
FN(seL4_MessageInfo_t, seL4_NBWait, (seL4_CPtr, seL4_Word *));
ABSENT(seL4_Reply);
ABSENT(seL4_ReplyWithMRs);
ABSENT(seL4_NBWaitWithMRs);
#else
FN(void, seL4_Reply, (seL4_MessageInfo_t));
FN(void, seL4_ReplyWithMRs, (seL4_MessageInfo_t, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *));
FN(seL4_MessageInfo_t, seL4_Recv, (seL4_CPtr, seL4_Word *));
FN(seL4_MessageInfo_t, seL4_RecvWithMRs, (seL4_CPtr, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *));
FN(seL4_MessageInfo_t, seL4_NBRecv, (seL4_CPtr, seL4_Word *));
FN(seL4_MessageInfo_t, seL4_ReplyRecv, (seL4_CPtr, seL4_MessageInfo_t, seL4_Word *));
FN(seL4_MessageInfo_t, seL4_ReplyRecvWithMRs,
   (seL4_CPtr, seL4_MessageInfo_t, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *, seL4_Word *));
FN(void, seL4_Wait, (seL4_CPtr, seL4_Word *));
ABSENT(seL4_NBSendRecv);
ABSENT(seL4_NBSendWait);
ABSENT(seL4_NBWait);
ABSENT(seL4_WaitWithMRs);
#endif
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
FN(seL4_Fault_t, seL4_Fault_UnknownSyscall_new,
   (seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64,
    seL4_Uint64, seL4_Uint64));
FN(void, seL4_Fault_UnknownSyscall_ptr_new,
   (seL4_Fault_t *, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64,
    seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64));
FAULT_FIELD(UnknownSyscall, FaultIP);
FAULT_FIELD(UnknownSyscall, SP);
FAULT_FIELD(UnknownSyscall, RA);
FAULT_FIELD(UnknownSyscall, A0);
FAULT_FIELD(UnknownSyscall, A1);
FAULT_FIELD(UnknownSyscall, A2);
FAULT_FIELD(UnknownSyscall, A3);
FAULT_FIELD(UnknownSyscall, A4);
FAULT_FIELD(UnknownSyscall, A5);
FAULT_FIELD(UnknownSyscall, A6);
FAULT_FIELD(UnknownSyscall, Syscall);
FN(seL4_Fault_t, seL4_Fault_UserException_new, (seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64));
FN(void, seL4_Fault_UserException_ptr_new, (seL4_Fault_t *, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64));
FAULT_FIELD(UserException, FaultIP);
FAULT_FIELD(UserException, SP);
FAULT_FIELD(UserException, Number);
FAULT_FIELD(UserException, Code);
FN(seL4_Fault_t, seL4_Fault_VMFault_new, (seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64));
FN(void, seL4_Fault_VMFault_ptr_new, (seL4_Fault_t *, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64));
FAULT_FIELD(VMFault, IP);
FAULT_FIELD(VMFault, Addr);
FAULT_FIELD(VMFault, PrefetchFault);
FAULT_FIELD(VMFault, FSR);
#ifdef CONFIG_KERNEL_MCS
FN(seL4_Bool, seL4_isTimeoutFault_tag, (seL4_MessageInfo_t));
FN(seL4_Fault_t, seL4_Fault_Timeout_new, (seL4_Uint64, seL4_Uint64));
FN(void, seL4_Fault_Timeout_ptr_new, (seL4_Fault_t *, seL4_Uint64, seL4_Uint64));
FAULT_FIELD(Timeout, data);
FAULT_FIELD(Timeout, consumed);
FN(seL4_MessageInfo_t, seL4_TimeoutReply_new, (seL4_Bool, seL4_UserContext, seL4_Word));
#else
ABSENT(seL4_isTimeoutFault_tag);
ABSENT(seL4_TimeoutReply_new);
#endif

/* ---------------- object invocations ---------------- */
FN(seL4_Error, seL4_Untyped_Retype,
   (seL4_Untyped, seL4_Word, seL4_Word, seL4_CNode, seL4_Word, seL4_Word, seL4_Word, seL4_Word));
FN(seL4_Error, seL4_TCB_ReadRegisters, (seL4_TCB, seL4_Bool, seL4_Uint8, seL4_Word, seL4_UserContext *));
FN(seL4_Error, seL4_TCB_WriteRegisters, (seL4_TCB, seL4_Bool, seL4_Uint8, seL4_Word, seL4_UserContext *));
FN(seL4_Error, seL4_TCB_CopyRegisters, (seL4_TCB, seL4_TCB, seL4_Bool, seL4_Bool, seL4_Bool, seL4_Bool, seL4_Uint8));
#ifdef CONFIG_KERNEL_MCS
/* the fault endpoint is a cap copied into the TCB: no longer an argument
 * of Configure, a cap (seL4_CPtr) to SetSpace and SetSchedParams */
FN(seL4_Error, seL4_TCB_Configure, (seL4_TCB, seL4_CNode, seL4_Word, seL4_CPtr, seL4_Word, seL4_Word, seL4_CPtr));
FN(seL4_Error, seL4_TCB_SetSchedParams, (seL4_TCB, seL4_TCB, seL4_Word, seL4_Word, seL4_CPtr, seL4_CPtr));
FN(seL4_Error, seL4_TCB_SetSpace, (seL4_TCB, seL4_CPtr, seL4_CNode, seL4_Word, seL4_CPtr, seL4_Word));
FN(seL4_Error, seL4_TCB_SetTimeoutEndpoint, (seL4_TCB, seL4_CPtr));
#else
FN(seL4_Error, seL4_TCB_Configure,
   (seL4_TCB, seL4_Word, seL4_CNode, seL4_Word, seL4_CPtr, seL4_Word, seL4_Word, seL4_CPtr));
FN(seL4_Error, seL4_TCB_SetSchedParams, (seL4_TCB, seL4_TCB, seL4_Word, seL4_Word));
FN(seL4_Error, seL4_TCB_SetSpace, (seL4_TCB, seL4_Word, seL4_CNode, seL4_Word, seL4_CPtr, seL4_Word));
ABSENT(seL4_TCB_SetTimeoutEndpoint);
#endif
FN(seL4_Error, seL4_TCB_SetPriority, (seL4_TCB, seL4_TCB, seL4_Word));
FN(seL4_Error, seL4_TCB_SetMCPriority, (seL4_TCB, seL4_TCB, seL4_Word));
FN(seL4_Error, seL4_TCB_SetIPCBuffer, (seL4_TCB, seL4_Word, seL4_CPtr));
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
#ifdef CONFIG_KERNEL_MCS
ABSENT(seL4_CNode_SaveCaller);
#else
FN(seL4_Error, seL4_CNode_SaveCaller, (seL4_CNode, seL4_Word, seL4_Uint8));
#endif
FN(seL4_Error, seL4_IRQControl_Get, (seL4_IRQControl, seL4_Word, seL4_CNode, seL4_Word, seL4_Uint8));
FN(seL4_Error, seL4_IRQControl_GetTrigger, (seL4_IRQControl, seL4_Word, seL4_Word, seL4_CNode, seL4_Word, seL4_Uint8));
FN(seL4_Error, seL4_IRQHandler_Ack, (seL4_IRQHandler));
FN(seL4_Error, seL4_IRQHandler_SetNotification, (seL4_IRQHandler, seL4_CPtr));
FN(seL4_Error, seL4_IRQHandler_Clear, (seL4_IRQHandler));
FN(seL4_Error, seL4_DomainSet_Set, (seL4_DomainSet, seL4_Uint8, seL4_TCB));
FN(seL4_Error, seL4_DomainSet_ScheduleConfigure, (seL4_DomainSet, seL4_Word, seL4_Uint8, seL4_Time));
FN(seL4_Error, seL4_DomainSet_ScheduleSetStart, (seL4_DomainSet, seL4_Word));
#ifdef CONFIG_KERNEL_MCS
FN(seL4_Error, seL4_SchedControl_ConfigureFlags,
   (seL4_SchedControl, seL4_SchedContext, seL4_Time, seL4_Time, seL4_Word, seL4_Word, seL4_Word));
FN(seL4_Error, seL4_SchedControl_Configure,
   (seL4_SchedControl, seL4_SchedContext, seL4_Time, seL4_Time, seL4_Word, seL4_Word));
FN(seL4_Error, seL4_SchedContext_Bind, (seL4_SchedContext, seL4_CPtr));
FN(seL4_Error, seL4_SchedContext_Unbind, (seL4_SchedContext));
FN(seL4_Error, seL4_SchedContext_UnbindObject, (seL4_SchedContext, seL4_CPtr));
/* results: {int error; seL4_Time consumed;}, also as struct tags */
TYPE(seL4_SchedContext_Consumed_t);
FN(seL4_SchedContext_Consumed_t, seL4_SchedContext_Consumed, (seL4_SchedContext));
TYPE(seL4_SchedContext_YieldTo_t);
FN(seL4_SchedContext_YieldTo_t, seL4_SchedContext_YieldTo, (seL4_SchedContext));
CHECK(sizeof(struct seL4_SchedContext_Consumed) == 16 && sizeof(struct seL4_SchedContext_YieldTo) == 16);
CHECK(SEL4_OFFSETOF(seL4_SchedContext_Consumed_t, consumed) == 8 &&
      SEL4_OFFSETOF(seL4_SchedContext_YieldTo_t, consumed) == 8);
#else
ABSENT(seL4_SchedControl_ConfigureFlags);
ABSENT(seL4_SchedControl_Configure);
ABSENT(seL4_SchedContext_Bind);
ABSENT(seL4_SchedContext_Consumed_t);
#endif
FN(seL4_Error, seL4_RISCV_PageTable_Map,
   (seL4_RISCV_PageTable, seL4_RISCV_PageTable, seL4_Word, seL4_RISCV_VMAttributes));
FN(seL4_Error, seL4_RISCV_PageTable_Unmap, (seL4_RISCV_PageTable));
FN(seL4_Error, seL4_RISCV_Page_Map,
   (seL4_RISCV_Page, seL4_RISCV_PageTable, seL4_Word, seL4_CapRights_t, seL4_RISCV_VMAttributes));
FN(seL4_Error, seL4_RISCV_Page_Unmap, (seL4_RISCV_Page));
TYPE(seL4_RISCV_Page_GetAddress_t);
FN(seL4_RISCV_Page_GetAddress_t, seL4_RISCV_Page_GetAddress, (seL4_RISCV_Page));
FN(seL4_Error, seL4_RISCV_ASIDControl_MakePool,
   (seL4_RISCV_ASIDControl, seL4_Untyped, seL4_CNode, seL4_Word, seL4_Uint8));
FN(seL4_Error, seL4_RISCV_ASIDPool_Assign, (seL4_RISCV_ASIDPool, seL4_CPtr));

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
    seL4_RISCV_Page_GetAddress_t ga = seL4_RISCV_Page_GetAddress(seL4_CapInitThreadIPCBuffer);
    seL4_TCB_SetFlags_t fl = seL4_TCB_SetFlags(seL4_CapInitThreadTCB, seL4_TCBFlag_NoFlag, seL4_TCBFlag_fpuDisabled);
#ifdef CONFIG_KERNEL_MCS
    seL4_Fault_t f = seL4_getFault(seL4_Recv(ep, &badge, seL4_CapNull));
#else
    seL4_Fault_t f = seL4_getFault(seL4_Recv(ep, &badge));
#endif
    seL4_SetMR(0, (seL4_Word)ga.error + ga.paddr + (seL4_Word)fl.error + fl.flags + all[0].words[0] +
                      seL4_Fault_get_seL4_FaultType(f));
    (void)seL4_RISCV_Page_Map(seL4_CapInitThreadIPCBuffer, seL4_CapInitThreadVSpace, 0x1000, seL4_ReadWrite,
                              seL4_RISCV_Default_VMAttributes);
#ifdef CONFIG_KERNEL_MCS
    (void)seL4_TCB_Configure(seL4_CapInitThreadTCB, seL4_CapInitThreadCNode, seL4_NilData, seL4_CapInitThreadVSpace,
                             seL4_NilData, 0, seL4_CapNull);
    /* a sporadic server of 1 ms every 10 ms on the first SchedControl cap */
    seL4_BootInfo *bi = seL4_GetBootInfo();
    (void)seL4_SchedControl_ConfigureFlags(bi->schedcontrol.start, seL4_CapInitThreadSC, 1000, 10000,
                                           seL4_MaxExtraRefills(seL4_MinSchedContextBits + 1), badge,
                                           seL4_SchedContext_Sporadic);
    seL4_SchedContext_Consumed_t used = seL4_SchedContext_Consumed(seL4_CapInitThreadSC);
    seL4_UserContext regs;
    (void)seL4_TCB_ReadRegisters(seL4_CapInitThreadTCB, 0, 0, seL4_TimeoutReply_Length, &regs);
    regs.a0 = used.consumed;
    if (seL4_isTimeoutFault_tag(seL4_MessageInfo_new(seL4_Fault_Timeout, 0, 0, seL4_Timeout_Length)))
        (void)seL4_TimeoutReply_new(seL4_True, regs, seL4_TimeoutReply_Length);
#else
    (void)seL4_TCB_Configure(seL4_CapInitThreadTCB, 0, seL4_CapInitThreadCNode, seL4_NilData, seL4_CapInitThreadVSpace,
                             seL4_NilData, 0, seL4_CapNull);
#endif
    static const char fmt[] = "%" SEL4_PRIx_word " %" SEL4_PRIu_word " %" SEL4_PRId_word;
    (void)fmt;
    seL4_Assert(badge != 1);
    seL4_DebugAssert(badge != 2);
    seL4_CompileTimeAssert(sizeof(seL4_Word) == 8);
    if (badge == 3)
        seL4_Fail("badge 3");
}
