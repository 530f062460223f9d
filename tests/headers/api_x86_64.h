/* seL4's C API, x86_64's part (4-level paging, x87/SSE state, I/O ports,
 * I/O APIC and MSI interrupts; no VT-x, no IOMMU), included by api.c. The
 * PAT-based attributes seL4_X86_Uncacheable and seL4_X86_WriteCombining
 * are not offered (the kernel does not program the PAT). */
/* ---------------- configuration ---------------- */
#if !defined(CONFIG_ARCH_X86) || !defined(CONFIG_ARCH_X86_64) || !defined(CONFIG_PLAT_PC99)
#error "not the x86_64 configuration"
#endif
VALUE(CONFIG_PT_LEVELS, 4);
#if !defined(CONFIG_HAVE_FPU) || !defined(CONFIG_FXSAVE)
#error "hypOS switches the x87/SSE state of every thread, with FXSAVE"
#endif

/* ---------------- types ---------------- */
TYPE(seL4_X86_Page);
TYPE(seL4_X86_PageTable);
TYPE(seL4_X86_PageDirectory);
TYPE(seL4_X86_PDPT);
TYPE(seL4_X64_PML4);
TYPE(seL4_X86_ASIDControl);
TYPE(seL4_X86_ASIDPool);
TYPE(seL4_X86_IOPortControl);
TYPE(seL4_X86_IOPort);
TYPE(seL4_X86_VMAttributes);
TYPE(seL4_X86_ObjectType);
CHECK(sizeof(seL4_X86_VMAttributes) == sizeof(long)); /* SEL4_FORCE_LONG_ENUM */

/* ---------------- constants ---------------- */
VALUE(seL4_TCBBits, 11);
VALUE(seL4_PageDirBits, 12);
VALUE(seL4_PDPTBits, 12);
VALUE(seL4_PML4Bits, 12);
VALUE(seL4_NumASIDPoolsBits, 3);
VALUE(seL4_MaxUntypedBits, 47);
VALUE(seL4_UserTop, 0x00007ffffffff000ul);
VALUE(seL4_X86_PDPTObject, 5);
VALUE(seL4_X64_PML4Object, 6);
VALUE(seL4_X64_HugePageObject, 7);
VALUE(seL4_ModeObjectTypeCount, 8);
VALUE(seL4_X86_4K, 8);
VALUE(seL4_X86_LargePageObject, 9);
VALUE(seL4_X86_PageTableObject, 10);
VALUE(seL4_X86_PageDirectoryObject, 11);
VALUE(seL4_ObjectTypeCount, 12);
VALUE(seL4_X64_VSpaceObject, 6);

/* ---------------- invocation labels ---------------- */
VALUE(X86PDPTMap, 33);
VALUE(X86PDPTUnmap, 34);
VALUE(nSeL4ArchInvocationLabels, 35);
VALUE(X86PageDirectoryMap, 35);
VALUE(X86PageDirectoryUnmap, 36);
VALUE(X86PageTableMap, 37);
VALUE(X86PageTableUnmap, 38);
VALUE(X86PageMap, 39);
VALUE(X86PageUnmap, 40);
VALUE(X86PageGetAddress, 41);
VALUE(X86ASIDControlMakePool, 42);
VALUE(X86ASIDPoolAssign, 43);
VALUE(X86IOPortControlIssue, 44);
VALUE(X86IOPortIn8, 45);
VALUE(X86IOPortIn16, 46);
VALUE(X86IOPortIn32, 47);
VALUE(X86IOPortOut8, 48);
VALUE(X86IOPortOut16, 49);
VALUE(X86IOPortOut32, 50);
VALUE(X86IRQIssueIRQHandlerIOAPIC, 51);
VALUE(X86IRQIssueIRQHandlerMSI, 52);
VALUE(nArchInvocationLabels, 53);

/* ---------------- layouts, attributes, cap tags ---------------- */
CHECK(sizeof(seL4_UserContext) == 20 * 8 && SEL4_OFFSETOF(seL4_UserContext, rflags) == 2 * 8);
CHECK(SEL4_OFFSETOF(seL4_UserContext, rdi) == 8 * 8 && SEL4_OFFSETOF(seL4_UserContext, r8) == 10 * 8);
CHECK(SEL4_OFFSETOF(seL4_UserContext, fs_base) == 18 * 8 && SEL4_OFFSETOF(seL4_UserContext, gs_base) == 19 * 8);
VALUE(seL4_X86_Default_VMAttributes, 0);
VALUE(seL4_X86_WriteBack, 0);
VALUE(seL4_X86_WriteThrough, 1);
VALUE(seL4_X86_CacheDisabled, 2);
VALUE(seL4_CapTag_Frame, 1);
VALUE(seL4_CapTag_PageTable, 3);
VALUE(seL4_CapTag_PageDirectory, 5);
VALUE(seL4_CapTag_PDPT, 7);
VALUE(seL4_CapTag_PML4, 9);
VALUE(seL4_CapTag_ASIDControl, 11);
VALUE(seL4_CapTag_ASIDPool, 13);
VALUE(seL4_CapTag_IOPort, 19);
VALUE(seL4_CapTag_IOPortControl, 31);

/* ---------------- fault messages ---------------- */
VALUE(seL4_UnknownSyscall_RAX, 0);
VALUE(seL4_UnknownSyscall_RBX, 1);
VALUE(seL4_UnknownSyscall_RCX, 2);
VALUE(seL4_UnknownSyscall_RDX, 3);
VALUE(seL4_UnknownSyscall_RSI, 4);
VALUE(seL4_UnknownSyscall_RDI, 5);
VALUE(seL4_UnknownSyscall_RBP, 6);
VALUE(seL4_UnknownSyscall_R8, 7);
VALUE(seL4_UnknownSyscall_R9, 8);
VALUE(seL4_UnknownSyscall_R10, 9);
VALUE(seL4_UnknownSyscall_R11, 10);
VALUE(seL4_UnknownSyscall_R12, 11);
VALUE(seL4_UnknownSyscall_R13, 12);
VALUE(seL4_UnknownSyscall_R14, 13);
VALUE(seL4_UnknownSyscall_R15, 14);
VALUE(seL4_UnknownSyscall_FaultIP, 15);
VALUE(seL4_UnknownSyscall_SP, 16);
VALUE(seL4_UnknownSyscall_FLAGS, 17);
VALUE(seL4_UnknownSyscall_Syscall, 18);
VALUE(seL4_UnknownSyscall_Length, 19);
VALUE(seL4_UserException_FaultIP, 0);
VALUE(seL4_UserException_SP, 1);
VALUE(seL4_UserException_FLAGS, 2);
VALUE(seL4_UserException_Number, 3);
VALUE(seL4_UserException_Code, 4);
VALUE(seL4_UserException_Length, 5);
VALUE(SEL4_MAPPING_LOOKUP_NO_PT, 21);
VALUE(SEL4_MAPPING_LOOKUP_NO_PD, 30);
VALUE(SEL4_MAPPING_LOOKUP_NO_PDPT, 39);
#define U64 seL4_Uint64
FN(seL4_Fault_t, seL4_Fault_UnknownSyscall_new,
   (U64, U64, U64, U64, U64, U64, U64, U64, U64, U64, U64, U64, U64, U64, U64, U64, U64, U64, U64));
FN(void, seL4_Fault_UnknownSyscall_ptr_new,
   (seL4_Fault_t *, U64, U64, U64, U64, U64, U64, U64, U64, U64, U64, U64, U64, U64, U64, U64, U64, U64, U64, U64));
#undef U64
FAULT_FIELD(UnknownSyscall, RAX);
FAULT_FIELD(UnknownSyscall, RBX);
FAULT_FIELD(UnknownSyscall, RCX);
FAULT_FIELD(UnknownSyscall, RDX);
FAULT_FIELD(UnknownSyscall, RSI);
FAULT_FIELD(UnknownSyscall, RDI);
FAULT_FIELD(UnknownSyscall, RBP);
FAULT_FIELD(UnknownSyscall, R8);
FAULT_FIELD(UnknownSyscall, R9);
FAULT_FIELD(UnknownSyscall, R10);
FAULT_FIELD(UnknownSyscall, R11);
FAULT_FIELD(UnknownSyscall, R12);
FAULT_FIELD(UnknownSyscall, R13);
FAULT_FIELD(UnknownSyscall, R14);
FAULT_FIELD(UnknownSyscall, R15);
FAULT_FIELD(UnknownSyscall, FaultIP);
FAULT_FIELD(UnknownSyscall, SP);
FAULT_FIELD(UnknownSyscall, FLAGS);
FAULT_FIELD(UnknownSyscall, Syscall);
FN(seL4_Fault_t, seL4_Fault_UserException_new, (seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64));
FN(void, seL4_Fault_UserException_ptr_new,
   (seL4_Fault_t *, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64, seL4_Uint64));
FAULT_FIELD(UserException, FaultIP);
FAULT_FIELD(UserException, SP);
FAULT_FIELD(UserException, FLAGS);
FAULT_FIELD(UserException, Number);
FAULT_FIELD(UserException, Code);

/* ---------------- object invocations ---------------- */
FN(seL4_Error, seL4_X86_PDPT_Map, (seL4_X86_PDPT, seL4_X64_PML4, seL4_Word, seL4_X86_VMAttributes));
FN(seL4_Error, seL4_X86_PDPT_Unmap, (seL4_X86_PDPT));
FN(seL4_Error, seL4_X86_PageDirectory_Map, (seL4_X86_PageDirectory, seL4_CPtr, seL4_Word, seL4_X86_VMAttributes));
FN(seL4_Error, seL4_X86_PageDirectory_Unmap, (seL4_X86_PageDirectory));
FN(seL4_Error, seL4_X86_PageTable_Map, (seL4_X86_PageTable, seL4_CPtr, seL4_Word, seL4_X86_VMAttributes));
FN(seL4_Error, seL4_X86_PageTable_Unmap, (seL4_X86_PageTable));
FN(seL4_Error, seL4_X86_Page_Map, (seL4_X86_Page, seL4_CPtr, seL4_Word, seL4_CapRights_t, seL4_X86_VMAttributes));
FN(seL4_Error, seL4_X86_Page_Unmap, (seL4_X86_Page));
TYPE(seL4_X86_Page_GetAddress_t);
FN(seL4_X86_Page_GetAddress_t, seL4_X86_Page_GetAddress, (seL4_X86_Page));
FN(seL4_Error, seL4_X86_ASIDControl_MakePool, (seL4_X86_ASIDControl, seL4_Untyped, seL4_CNode, seL4_Word, seL4_Uint8));
FN(seL4_Error, seL4_X86_ASIDPool_Assign, (seL4_X86_ASIDPool, seL4_CPtr));
FN(seL4_Error, seL4_X86_IOPortControl_Issue,
   (seL4_X86_IOPortControl, seL4_Word, seL4_Word, seL4_CNode, seL4_Word, seL4_Uint8));
TYPE(seL4_X86_IOPort_In8_t);
TYPE(seL4_X86_IOPort_In16_t);
TYPE(seL4_X86_IOPort_In32_t);
FN(seL4_X86_IOPort_In8_t, seL4_X86_IOPort_In8, (seL4_X86_IOPort, seL4_Uint16));
FN(seL4_X86_IOPort_In16_t, seL4_X86_IOPort_In16, (seL4_X86_IOPort, seL4_Uint16));
FN(seL4_X86_IOPort_In32_t, seL4_X86_IOPort_In32, (seL4_X86_IOPort, seL4_Uint16));
FN(seL4_Error, seL4_X86_IOPort_Out8, (seL4_X86_IOPort, seL4_Word, seL4_Word));
FN(seL4_Error, seL4_X86_IOPort_Out16, (seL4_X86_IOPort, seL4_Word, seL4_Word));
FN(seL4_Error, seL4_X86_IOPort_Out32, (seL4_X86_IOPort, seL4_Word, seL4_Word));
FN(seL4_Error, seL4_IRQControl_GetIOAPIC,
   (seL4_IRQControl, seL4_CNode, seL4_Word, seL4_Uint8, seL4_Word, seL4_Word, seL4_Word, seL4_Word, seL4_Word));
FN(seL4_Error, seL4_IRQControl_GetMSI,
   (seL4_IRQControl, seL4_CNode, seL4_Word, seL4_Uint8, seL4_Word, seL4_Word, seL4_Word, seL4_Word, seL4_Word));

/* Expressions as programs write them (api.c's uses() adds the result). */
static seL4_Word uses_arch(void)
{
    seL4_X86_Page_GetAddress_t ga = seL4_X86_Page_GetAddress(seL4_CapInitThreadIPCBuffer);
    seL4_X86_IOPort_In16_t in = seL4_X86_IOPort_In16(seL4_CapIOPortControl, 0x70);
    (void)seL4_X86_Page_Map(seL4_CapInitThreadIPCBuffer, seL4_CapInitThreadVSpace, 0x1000, seL4_ReadWrite,
                            seL4_X86_Default_VMAttributes);
    return (seL4_Word)ga.error + ga.paddr + (seL4_Word)in.error + in.result;
}
