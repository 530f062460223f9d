/* seL4's C API, riscv64's part (Sv39, F and D), included by api.c. */
/* ---------------- configuration ---------------- */
#if !defined(CONFIG_ARCH_RISCV) || !defined(CONFIG_ARCH_RISCV64)
#error "not the riscv64 configuration"
#endif
VALUE(CONFIG_PT_LEVELS, 3);
#if !defined(CONFIG_HAVE_FPU) || !defined(CONFIG_RISCV_EXT_F) || !defined(CONFIG_RISCV_EXT_D)
#error "hypOS switches the F/D registers of every thread"
#endif
TYPE(seL4_RISCV_Page);
TYPE(seL4_RISCV_PageTable);
TYPE(seL4_RISCV_ASIDControl);
TYPE(seL4_RISCV_ASIDPool);
TYPE(seL4_RISCV_VMAttributes);
CHECK(sizeof(seL4_RISCV_VMAttributes) == sizeof(long)); /* SEL4_FORCE_LONG_ENUM */
VALUE(seL4_TCBBits, 10);
VALUE(seL4_TeraPageBits, 39);
VALUE(seL4_NumASIDPoolsBits, 7);
VALUE(seL4_MaxUntypedBits, 38);
VALUE(seL4_UserTop, 0x3ffffff000ul);
VALUE(seL4_RISCV_Giga_Page, 5);
VALUE(seL4_ModeObjectTypeCount, 6);
VALUE(seL4_RISCV_4K_Page, 6);
VALUE(seL4_RISCV_Mega_Page, 7);
VALUE(seL4_RISCV_PageTableObject, 8);
VALUE(seL4_RISCV_VSpaceObject, 8);
VALUE(seL4_ObjectTypeCount, 9);
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
CHECK(sizeof(seL4_UserContext) == 32 * 8 && SEL4_OFFSETOF(seL4_UserContext, tp) == 31 * 8);
CHECK(SEL4_OFFSETOF(seL4_UserContext, a0) == 16 * 8 && SEL4_OFFSETOF(seL4_UserContext, t0) == 24 * 8);
VALUE(seL4_RISCV_ExecuteNever, 1);
VALUE(seL4_RISCV_Default_VMAttributes, 0);
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
VALUE(SEL4_MAPPING_LOOKUP_NO_PT, 21);
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
FN(seL4_Error, seL4_IRQControl_GetTrigger, (seL4_IRQControl, seL4_Word, seL4_Word, seL4_CNode, seL4_Word, seL4_Uint8));
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

/* Expressions as programs write them (api.c's uses() adds the result). */
static seL4_Word uses_arch(void)
{
    seL4_RISCV_Page_GetAddress_t ga = seL4_RISCV_Page_GetAddress(seL4_CapInitThreadIPCBuffer);
    (void)seL4_RISCV_Page_Map(seL4_CapInitThreadIPCBuffer, seL4_CapInitThreadVSpace, 0x1000, seL4_ReadWrite,
                              seL4_RISCV_Default_VMAttributes);
    return (seL4_Word)ga.error + ga.paddr;
}
