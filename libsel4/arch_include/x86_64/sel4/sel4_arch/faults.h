/* x86_64 faults: unknown system call, user exception, VM fault; field
 * names and order as in the fault messages (<sel4/sel4_arch/constants.h>). */
#pragma once
#include <sel4/faults.h>

/* ---- UnknownSyscall: the general registers, pc, sp, flags, the number ---- */
SEL4_FAULT_FIELD(UnknownSyscall, RAX, seL4_UnknownSyscall_RAX)
SEL4_FAULT_FIELD(UnknownSyscall, RBX, seL4_UnknownSyscall_RBX)
SEL4_FAULT_FIELD(UnknownSyscall, RCX, seL4_UnknownSyscall_RCX)
SEL4_FAULT_FIELD(UnknownSyscall, RDX, seL4_UnknownSyscall_RDX)
SEL4_FAULT_FIELD(UnknownSyscall, RSI, seL4_UnknownSyscall_RSI)
SEL4_FAULT_FIELD(UnknownSyscall, RDI, seL4_UnknownSyscall_RDI)
SEL4_FAULT_FIELD(UnknownSyscall, RBP, seL4_UnknownSyscall_RBP)
SEL4_FAULT_FIELD(UnknownSyscall, R8, seL4_UnknownSyscall_R8)
SEL4_FAULT_FIELD(UnknownSyscall, R9, seL4_UnknownSyscall_R9)
SEL4_FAULT_FIELD(UnknownSyscall, R10, seL4_UnknownSyscall_R10)
SEL4_FAULT_FIELD(UnknownSyscall, R11, seL4_UnknownSyscall_R11)
SEL4_FAULT_FIELD(UnknownSyscall, R12, seL4_UnknownSyscall_R12)
SEL4_FAULT_FIELD(UnknownSyscall, R13, seL4_UnknownSyscall_R13)
SEL4_FAULT_FIELD(UnknownSyscall, R14, seL4_UnknownSyscall_R14)
SEL4_FAULT_FIELD(UnknownSyscall, R15, seL4_UnknownSyscall_R15)
SEL4_FAULT_FIELD(UnknownSyscall, FaultIP, seL4_UnknownSyscall_FaultIP)
SEL4_FAULT_FIELD(UnknownSyscall, SP, seL4_UnknownSyscall_SP)
SEL4_FAULT_FIELD(UnknownSyscall, FLAGS, seL4_UnknownSyscall_FLAGS)
SEL4_FAULT_FIELD(UnknownSyscall, Syscall, seL4_UnknownSyscall_Syscall)

LIBSEL4_INLINE seL4_Fault_t seL4_Fault_UnknownSyscall_new(
    seL4_Uint64 RAX, seL4_Uint64 RBX, seL4_Uint64 RCX, seL4_Uint64 RDX, seL4_Uint64 RSI, seL4_Uint64 RDI,
    seL4_Uint64 RBP, seL4_Uint64 R8, seL4_Uint64 R9, seL4_Uint64 R10, seL4_Uint64 R11, seL4_Uint64 R12, seL4_Uint64 R13,
    seL4_Uint64 R14, seL4_Uint64 R15, seL4_Uint64 FaultIP, seL4_Uint64 SP, seL4_Uint64 FLAGS, seL4_Uint64 Syscall)
{
    seL4_Fault_t f = seL4_hyp_fault_of_type(seL4_Fault_UnknownSyscall);
    seL4_Uint64 v[] = {RAX, RBX, RCX, RDX, RSI, RDI,     RBP, R8,    R9,     R10,
                       R11, R12, R13, R14, R15, FaultIP, SP,  FLAGS, Syscall};
    for (unsigned i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        f.words[1 + i] = v[i];
    return f;
}
LIBSEL4_INLINE void seL4_Fault_UnknownSyscall_ptr_new(seL4_Fault_t *f, seL4_Uint64 RAX, seL4_Uint64 RBX,
                                                      seL4_Uint64 RCX, seL4_Uint64 RDX, seL4_Uint64 RSI,
                                                      seL4_Uint64 RDI, seL4_Uint64 RBP, seL4_Uint64 R8, seL4_Uint64 R9,
                                                      seL4_Uint64 R10, seL4_Uint64 R11, seL4_Uint64 R12,
                                                      seL4_Uint64 R13, seL4_Uint64 R14, seL4_Uint64 R15,
                                                      seL4_Uint64 FaultIP, seL4_Uint64 SP, seL4_Uint64 FLAGS,
                                                      seL4_Uint64 Syscall)
{
    *f = seL4_Fault_UnknownSyscall_new(RAX, RBX, RCX, RDX, RSI, RDI, RBP, R8, R9, R10, R11, R12, R13, R14, R15, FaultIP,
                                       SP, FLAGS, Syscall);
}

/* ---- UserException: pc, sp, flags, the vector and its error code ---- */
SEL4_FAULT_FIELD(UserException, FaultIP, seL4_UserException_FaultIP)
SEL4_FAULT_FIELD(UserException, SP, seL4_UserException_SP)
SEL4_FAULT_FIELD(UserException, FLAGS, seL4_UserException_FLAGS)
SEL4_FAULT_FIELD(UserException, Number, seL4_UserException_Number)
SEL4_FAULT_FIELD(UserException, Code, seL4_UserException_Code)

LIBSEL4_INLINE seL4_Fault_t seL4_Fault_UserException_new(seL4_Uint64 FaultIP, seL4_Uint64 SP, seL4_Uint64 FLAGS,
                                                         seL4_Uint64 Number, seL4_Uint64 Code)
{
    seL4_Fault_t f = seL4_hyp_fault_of_type(seL4_Fault_UserException);
    f.words[1 + seL4_UserException_FaultIP] = FaultIP;
    f.words[1 + seL4_UserException_SP] = SP;
    f.words[1 + seL4_UserException_FLAGS] = FLAGS;
    f.words[1 + seL4_UserException_Number] = Number;
    f.words[1 + seL4_UserException_Code] = Code;
    return f;
}
LIBSEL4_INLINE void seL4_Fault_UserException_ptr_new(seL4_Fault_t *f, seL4_Uint64 FaultIP, seL4_Uint64 SP,
                                                     seL4_Uint64 FLAGS, seL4_Uint64 Number, seL4_Uint64 Code)
{
    *f = seL4_Fault_UserException_new(FaultIP, SP, FLAGS, Number, Code);
}

/* ---- VMFault: pc, faulting address, instruction fetch?, the page-fault error code ---- */
SEL4_FAULT_FIELD(VMFault, IP, seL4_VMFault_IP)
SEL4_FAULT_FIELD(VMFault, Addr, seL4_VMFault_Addr)
SEL4_FAULT_FIELD(VMFault, PrefetchFault, seL4_VMFault_PrefetchFault)
SEL4_FAULT_FIELD(VMFault, FSR, seL4_VMFault_FSR)

LIBSEL4_INLINE seL4_Fault_t seL4_Fault_VMFault_new(seL4_Uint64 IP, seL4_Uint64 Addr, seL4_Uint64 PrefetchFault,
                                                   seL4_Uint64 FSR)
{
    seL4_Fault_t f = seL4_hyp_fault_of_type(seL4_Fault_VMFault);
    f.words[1 + seL4_VMFault_IP] = IP;
    f.words[1 + seL4_VMFault_Addr] = Addr;
    f.words[1 + seL4_VMFault_PrefetchFault] = PrefetchFault;
    f.words[1 + seL4_VMFault_FSR] = FSR;
    return f;
}
LIBSEL4_INLINE void seL4_Fault_VMFault_ptr_new(seL4_Fault_t *f, seL4_Uint64 IP, seL4_Uint64 Addr,
                                               seL4_Uint64 PrefetchFault, seL4_Uint64 FSR)
{
    *f = seL4_Fault_VMFault_new(IP, Addr, PrefetchFault, FSR);
}

/* The x86_64 faults; anything else reads as a NullFault. */
LIBSEL4_INLINE seL4_Fault_t seL4_getArchFault(seL4_MessageInfo_t tag)
{
    switch (seL4_MessageInfo_get_label(tag)) {
    case seL4_Fault_UnknownSyscall:
        return seL4_Fault_UnknownSyscall_new(
            seL4_GetMR(seL4_UnknownSyscall_RAX), seL4_GetMR(seL4_UnknownSyscall_RBX),
            seL4_GetMR(seL4_UnknownSyscall_RCX), seL4_GetMR(seL4_UnknownSyscall_RDX),
            seL4_GetMR(seL4_UnknownSyscall_RSI), seL4_GetMR(seL4_UnknownSyscall_RDI),
            seL4_GetMR(seL4_UnknownSyscall_RBP), seL4_GetMR(seL4_UnknownSyscall_R8), seL4_GetMR(seL4_UnknownSyscall_R9),
            seL4_GetMR(seL4_UnknownSyscall_R10), seL4_GetMR(seL4_UnknownSyscall_R11),
            seL4_GetMR(seL4_UnknownSyscall_R12), seL4_GetMR(seL4_UnknownSyscall_R13),
            seL4_GetMR(seL4_UnknownSyscall_R14), seL4_GetMR(seL4_UnknownSyscall_R15),
            seL4_GetMR(seL4_UnknownSyscall_FaultIP), seL4_GetMR(seL4_UnknownSyscall_SP),
            seL4_GetMR(seL4_UnknownSyscall_FLAGS), seL4_GetMR(seL4_UnknownSyscall_Syscall));
    case seL4_Fault_UserException:
        return seL4_Fault_UserException_new(seL4_GetMR(seL4_UserException_FaultIP), seL4_GetMR(seL4_UserException_SP),
                                            seL4_GetMR(seL4_UserException_FLAGS), seL4_GetMR(seL4_UserException_Number),
                                            seL4_GetMR(seL4_UserException_Code));
    case seL4_Fault_VMFault:
        return seL4_Fault_VMFault_new(seL4_GetMR(seL4_VMFault_IP), seL4_GetMR(seL4_VMFault_Addr),
                                      seL4_GetMR(seL4_VMFault_PrefetchFault), seL4_GetMR(seL4_VMFault_FSR));
    default:
        return seL4_Fault_NullFault_new();
    }
}
