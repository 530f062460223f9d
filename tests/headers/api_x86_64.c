/* Header completeness on x86_64: what seL4's C API has only on x86_64
 * (object types, the paging, ASID, I/O port and IRQ methods, memory types,
 * register and fault layouts, the boot info's memory map chunk), with the
 * signature and value seL4 gives it in hypOS's configurations (one core,
 * no IOMMU, no VT-x; non-MCS, and MCS with -DHYPOS_MCS). A program written
 * against these names ports by recompiling. Compiled, not run, as C and
 * C++ (tests/headers/run.sh); api.c checks the architecture-independent
 * part of the API the same way. */
#include <sel4/sel4.h>
#include <sel4/config.h>
#include <autoconf.h>
#include <sel4/arch/mapping.h>
#include <sel4/sel4_arch/mapping.h>
#include <sel4/sel4_arch/faults.h>

#ifdef __cplusplus
#define CHECK(expr) static_assert(expr, #expr)
#else
#define CHECK(expr) _Static_assert(expr, #expr)
#endif
/* A pointer of seL4's exact type to the function `name`. */
#define FN(ret, name, params)             \
    extern ret(*const ref_##name) params; \
    ret(*const ref_##name) params = name
#define TYPE(T)                             \
    extern const unsigned long size_of_##T; \
    const unsigned long size_of_##T = sizeof(T)
#define VALUE(name, value) CHECK((name) == (value))
#define ABSENT(name) typedef int name

/* ---------------- configuration ---------------- */
#if !defined(CONFIG_ARCH_X86) || !defined(CONFIG_ARCH_X86_64) || !defined(CONFIG_PLAT_PC99) || \
    !defined(CONFIG_WORD_SIZE) || !defined(CONFIG_PT_LEVELS)
#error "a configuration macro is missing"
#endif
#if defined(CONFIG_ARCH_RISCV) || defined(CONFIG_IOMMU) || defined(CONFIG_VTX)
#error "a configuration macro of another architecture or feature is set"
#endif
VALUE(CONFIG_WORD_SIZE, 64);
VALUE(CONFIG_PT_LEVELS, 4);

/* ---------------- object types: x86_64 mode types, then x86 ones ---------------- */
#ifdef CONFIG_KERNEL_MCS
#define ARCH_SHIFT 2 /* SchedContext and Reply come first */
#else
#define ARCH_SHIFT 0
#endif
VALUE(seL4_NonArchObjectTypeCount, 5 + ARCH_SHIFT);
VALUE(seL4_X86_PDPTObject, 5 + ARCH_SHIFT);
VALUE(seL4_X64_PML4Object, 6 + ARCH_SHIFT);
VALUE(seL4_X64_HugePageObject, 7 + ARCH_SHIFT);
VALUE(seL4_ModeObjectTypeCount, 8 + ARCH_SHIFT);
VALUE(seL4_X86_4K, 8 + ARCH_SHIFT);
VALUE(seL4_X86_LargePageObject, 9 + ARCH_SHIFT);
VALUE(seL4_X86_PageTableObject, 10 + ARCH_SHIFT);
VALUE(seL4_X86_PageDirectoryObject, 11 + ARCH_SHIFT);
VALUE(seL4_ObjectTypeCount, 12 + ARCH_SHIFT);
VALUE(seL4_X64_VSpaceObject, seL4_X64_PML4Object);
TYPE(seL4_X86_ObjectType);

/* ---------------- invocation labels: x86_64's, then x86's ---------------- */
#ifdef CONFIG_KERNEL_MCS
#define LABELS 39
#else
#define LABELS 33
#endif
VALUE(nInvocationLabels, LABELS);
VALUE(X86PDPTMap, LABELS);
VALUE(X86PDPTUnmap, LABELS + 1);
VALUE(nSeL4ArchInvocationLabels, LABELS + 2);
VALUE(X86PageDirectoryMap, LABELS + 2);
VALUE(X86PageDirectoryUnmap, LABELS + 3);
VALUE(X86PageTableMap, LABELS + 4);
VALUE(X86PageTableUnmap, LABELS + 5);
VALUE(X86PageMap, LABELS + 6);
VALUE(X86PageUnmap, LABELS + 7);
VALUE(X86PageGetAddress, LABELS + 8);
VALUE(X86ASIDControlMakePool, LABELS + 9);
VALUE(X86ASIDPoolAssign, LABELS + 10);
VALUE(X86IOPortControlIssue, LABELS + 11);
VALUE(X86IOPortIn8, LABELS + 12);
VALUE(X86IOPortIn16, LABELS + 13);
VALUE(X86IOPortIn32, LABELS + 14);
VALUE(X86IOPortOut8, LABELS + 15);
VALUE(X86IOPortOut16, LABELS + 16);
VALUE(X86IOPortOut32, LABELS + 17);
VALUE(X86IRQIssueIRQHandlerIOAPIC, LABELS + 18);
VALUE(X86IRQIssueIRQHandlerMSI, LABELS + 19);
VALUE(nArchInvocationLabels, LABELS + 20);

/* ---------------- sizes and limits ---------------- */
VALUE(seL4_PageBits, 12);
VALUE(seL4_LargePageBits, 21);
VALUE(seL4_HugePageBits, 30);
VALUE(seL4_PageTableBits, 12);
VALUE(seL4_PageTableEntryBits, 3);
VALUE(seL4_PageTableIndexBits, 9);
VALUE(seL4_PageDirBits, 12);
VALUE(seL4_PDPTBits, 12);
VALUE(seL4_PML4Bits, 12);
VALUE(seL4_VSpaceBits, seL4_PML4Bits);
VALUE(seL4_ASIDPoolBits, 12);
VALUE(seL4_ASIDPoolIndexBits, 9);
VALUE(seL4_NumASIDPoolsBits, 3);
VALUE(seL4_TCBBits, 11);
VALUE(seL4_MaxUntypedBits, 47);
VALUE(seL4_UserTop, 0x00007ffffffff000ul);
VALUE(seL4_CapIOPortControl, 7);

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
TYPE(seL4_X86_Page_GetAddress_t);
TYPE(seL4_X86_IOPort_In8_t);
TYPE(seL4_X86_IOPort_In16_t);
TYPE(seL4_X86_IOPort_In32_t);
CHECK(sizeof(seL4_X86_VMAttributes) == sizeof(long));

/* memory types: the entry's PWT (1), PCD (2) and PAT (4) bits */
VALUE(seL4_X86_WriteBack, 0);
VALUE(seL4_X86_WriteThrough, 1);
VALUE(seL4_X86_CacheDisabled, 2);
VALUE(seL4_X86_Uncacheable, 3);
VALUE(seL4_X86_WriteCombining, 4);
VALUE(seL4_X86_Default_VMAttributes, 0);

/* seL4_UserContext: 20 words in seL4's x86_64 order */
TYPE(seL4_UserContext);
CHECK(sizeof(seL4_UserContext) == 20 * 8);
CHECK(SEL4_OFFSETOF(seL4_UserContext, rip) == 0 && SEL4_OFFSETOF(seL4_UserContext, rsp) == 8 &&
      SEL4_OFFSETOF(seL4_UserContext, rflags) == 16 && SEL4_OFFSETOF(seL4_UserContext, rax) == 24 &&
      SEL4_OFFSETOF(seL4_UserContext, rdi) == 8 * 8 && SEL4_OFFSETOF(seL4_UserContext, rbp) == 9 * 8 &&
      SEL4_OFFSETOF(seL4_UserContext, r8) == 10 * 8 && SEL4_OFFSETOF(seL4_UserContext, r15) == 17 * 8 &&
      SEL4_OFFSETOF(seL4_UserContext, fs_base) == 18 * 8 && SEL4_OFFSETOF(seL4_UserContext, gs_base) == 19 * 8);

/* ---------------- fault messages ---------------- */
VALUE(seL4_VMFault_IP, 0);
VALUE(seL4_VMFault_Addr, 1);
VALUE(seL4_VMFault_PrefetchFault, 2);
VALUE(seL4_VMFault_FSR, 3);
VALUE(seL4_VMFault_Length, 4);
VALUE(seL4_UnknownSyscall_RAX, 0);
VALUE(seL4_UnknownSyscall_RBX, 1);
VALUE(seL4_UnknownSyscall_RCX, 2);
VALUE(seL4_UnknownSyscall_RDX, 3);
VALUE(seL4_UnknownSyscall_RSI, 4);
VALUE(seL4_UnknownSyscall_RDI, 5);
VALUE(seL4_UnknownSyscall_RBP, 6);
VALUE(seL4_UnknownSyscall_R8, 7);
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
#ifdef CONFIG_KERNEL_MCS
VALUE(seL4_Timeout_Data, 0);
VALUE(seL4_Timeout_Consumed, 1);
VALUE(seL4_TimeoutReply_FaultIP, 0);
VALUE(seL4_TimeoutReply_RSP, 1);
VALUE(seL4_TimeoutReply_FLAGS, 2);
VALUE(seL4_TimeoutReply_GS_BASE, 19);
VALUE(seL4_TimeoutReply_Length, 20);
#endif
FN(seL4_Word, seL4_Fault_VMFault_get_IP, (seL4_Fault_t));
FN(seL4_Word, seL4_Fault_VMFault_get_Addr, (seL4_Fault_t));
FN(seL4_Word, seL4_Fault_VMFault_get_FSR, (seL4_Fault_t));
FN(seL4_Word, seL4_Fault_UnknownSyscall_get_RAX, (seL4_Fault_t));
FN(seL4_Word, seL4_Fault_UnknownSyscall_get_FaultIP, (seL4_Fault_t));
FN(seL4_Word, seL4_Fault_UnknownSyscall_get_Syscall, (seL4_Fault_t));
FN(seL4_Word, seL4_Fault_UserException_get_Number, (seL4_Fault_t));
FN(seL4_Word, seL4_Fault_UserException_get_Code, (seL4_Fault_t));

/* ---------------- methods (seL4's x86_64 client, no IOMMU or VT-x) ---------------- */
FN(seL4_Error, seL4_X86_PDPT_Map, (seL4_X86_PDPT, seL4_X64_PML4, seL4_Word, seL4_X86_VMAttributes));
FN(seL4_Error, seL4_X86_PDPT_Unmap, (seL4_X86_PDPT));
FN(seL4_Error, seL4_X86_PageDirectory_Map, (seL4_X86_PageDirectory, seL4_CPtr, seL4_Word, seL4_X86_VMAttributes));
FN(seL4_Error, seL4_X86_PageDirectory_Unmap, (seL4_X86_PageDirectory));
FN(seL4_Error, seL4_X86_PageTable_Map, (seL4_X86_PageTable, seL4_CPtr, seL4_Word, seL4_X86_VMAttributes));
FN(seL4_Error, seL4_X86_PageTable_Unmap, (seL4_X86_PageTable));
FN(seL4_Error, seL4_X86_Page_Map, (seL4_X86_Page, seL4_CPtr, seL4_Word, seL4_CapRights_t, seL4_X86_VMAttributes));
FN(seL4_Error, seL4_X86_Page_Unmap, (seL4_X86_Page));
FN(seL4_X86_Page_GetAddress_t, seL4_X86_Page_GetAddress, (seL4_X86_Page));
FN(seL4_Error, seL4_X86_ASIDControl_MakePool, (seL4_X86_ASIDControl, seL4_Untyped, seL4_CNode, seL4_Word, seL4_Uint8));
FN(seL4_Error, seL4_X86_ASIDPool_Assign, (seL4_X86_ASIDPool, seL4_CPtr));
FN(seL4_Error, seL4_X86_IOPortControl_Issue,
   (seL4_X86_IOPortControl, seL4_Word, seL4_Word, seL4_CNode, seL4_Word, seL4_Uint8));
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
FN(seL4_Word, seL4_MappingFailedLookupLevel, (void));
/* what x86_64 does not have in these configurations */
ABSENT(seL4_IRQControl_GetTrigger);
ABSENT(seL4_X86_Page_MapIO);
ABSENT(seL4_X86_IOPageTable_Map);

/* results carry seL4's fields */
CHECK(SEL4_OFFSETOF(seL4_X86_Page_GetAddress_t, error) == 0 && SEL4_OFFSETOF(seL4_X86_Page_GetAddress_t, paddr) == 8);
CHECK(sizeof(((seL4_X86_IOPort_In8_t *)0)->result) == 1 && sizeof(((seL4_X86_IOPort_In16_t *)0)->result) == 2 &&
      sizeof(((seL4_X86_IOPort_In32_t *)0)->result) == 4);

/* ---------------- boot info: the multiboot memory map chunk ---------------- */
VALUE(SEL4_BOOTINFO_HEADER_X86_MBMMAP, 2);
VALUE(SEL4_MULTIBOOT_MAX_MMAP_ENTRIES, 50);
VALUE(SEL4_MULTIBOOT_RAM_REGION_TYPE, 1);
TYPE(seL4_X86_mb_mmap_t);
TYPE(seL4_X86_BootInfo_mmap_t);
CHECK(sizeof(seL4_X86_mb_mmap_t) == 24);
CHECK(SEL4_OFFSETOF(seL4_X86_mb_mmap_t, base_addr) == 4 && SEL4_OFFSETOF(seL4_X86_mb_mmap_t, length) == 12 &&
      SEL4_OFFSETOF(seL4_X86_mb_mmap_t, type) == 20);
CHECK(SEL4_OFFSETOF(seL4_X86_BootInfo_mmap_t, mmap_length) == sizeof(seL4_BootInfoHeader) &&
      SEL4_OFFSETOF(seL4_X86_BootInfo_mmap_t, mmap) == sizeof(seL4_BootInfoHeader) + 4);
