/* riscv64 faults: unknown system call, user exception, VM fault; field
 * names and order as in the fault messages (<sel4/sel4_arch/constants.h>). */
#pragma once
#include <sel4/faults.h>

/* ---- UnknownSyscall: pc, sp, ra, a0..a6, the syscall number (a7) ---- */
SEL4_FAULT_FIELD(UnknownSyscall, FaultIP, seL4_UnknownSyscall_FaultIP)
SEL4_FAULT_FIELD(UnknownSyscall, SP, seL4_UnknownSyscall_SP)
SEL4_FAULT_FIELD(UnknownSyscall, RA, seL4_UnknownSyscall_RA)
SEL4_FAULT_FIELD(UnknownSyscall, A0, seL4_UnknownSyscall_A0)
SEL4_FAULT_FIELD(UnknownSyscall, A1, seL4_UnknownSyscall_A1)
SEL4_FAULT_FIELD(UnknownSyscall, A2, seL4_UnknownSyscall_A2)
SEL4_FAULT_FIELD(UnknownSyscall, A3, seL4_UnknownSyscall_A3)
SEL4_FAULT_FIELD(UnknownSyscall, A4, seL4_UnknownSyscall_A4)
SEL4_FAULT_FIELD(UnknownSyscall, A5, seL4_UnknownSyscall_A5)
SEL4_FAULT_FIELD(UnknownSyscall, A6, seL4_UnknownSyscall_A6)
SEL4_FAULT_FIELD(UnknownSyscall, Syscall, seL4_UnknownSyscall_Syscall)

LIBSEL4_INLINE seL4_Fault_t seL4_Fault_UnknownSyscall_new(seL4_Uint64 FaultIP, seL4_Uint64 SP, seL4_Uint64 RA,
                                                          seL4_Uint64 A0, seL4_Uint64 A1, seL4_Uint64 A2,
                                                          seL4_Uint64 A3, seL4_Uint64 A4, seL4_Uint64 A5,
                                                          seL4_Uint64 A6, seL4_Uint64 Syscall)
{
    seL4_Fault_t f = seL4_hyp_fault_of_type(seL4_Fault_UnknownSyscall);
    seL4_Uint64 v[] = {FaultIP, SP, RA, A0, A1, A2, A3, A4, A5, A6, Syscall};
    for (unsigned i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        f.words[1 + i] = v[i];
    return f;
}
LIBSEL4_INLINE void seL4_Fault_UnknownSyscall_ptr_new(seL4_Fault_t *f, seL4_Uint64 FaultIP, seL4_Uint64 SP,
                                                      seL4_Uint64 RA, seL4_Uint64 A0, seL4_Uint64 A1, seL4_Uint64 A2,
                                                      seL4_Uint64 A3, seL4_Uint64 A4, seL4_Uint64 A5, seL4_Uint64 A6,
                                                      seL4_Uint64 Syscall)
{
    *f = seL4_Fault_UnknownSyscall_new(FaultIP, SP, RA, A0, A1, A2, A3, A4, A5, A6, Syscall);
}

/* ---- UserException: pc, sp, the exception number (scause) and code ---- */
SEL4_FAULT_FIELD(UserException, FaultIP, seL4_UserException_FaultIP)
SEL4_FAULT_FIELD(UserException, SP, seL4_UserException_SP)
SEL4_FAULT_FIELD(UserException, Number, seL4_UserException_Number)
SEL4_FAULT_FIELD(UserException, Code, seL4_UserException_Code)

LIBSEL4_INLINE seL4_Fault_t seL4_Fault_UserException_new(seL4_Uint64 FaultIP, seL4_Uint64 SP, seL4_Uint64 Number,
                                                         seL4_Uint64 Code)
{
    seL4_Fault_t f = seL4_hyp_fault_of_type(seL4_Fault_UserException);
    f.words[1 + seL4_UserException_FaultIP] = FaultIP;
    f.words[1 + seL4_UserException_SP] = SP;
    f.words[1 + seL4_UserException_Number] = Number;
    f.words[1 + seL4_UserException_Code] = Code;
    return f;
}
LIBSEL4_INLINE void seL4_Fault_UserException_ptr_new(seL4_Fault_t *f, seL4_Uint64 FaultIP, seL4_Uint64 SP,
                                                     seL4_Uint64 Number, seL4_Uint64 Code)
{
    *f = seL4_Fault_UserException_new(FaultIP, SP, Number, Code);
}

/* ---- VMFault: pc, faulting address, instruction fetch?, cause (1 fetch, 5 load, 7 store) ---- */
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

/* The riscv64 faults; anything else reads as a NullFault. */
LIBSEL4_INLINE seL4_Fault_t seL4_getArchFault(seL4_MessageInfo_t tag)
{
    switch (seL4_MessageInfo_get_label(tag)) {
    case seL4_Fault_UnknownSyscall:
        return seL4_Fault_UnknownSyscall_new(
            seL4_GetMR(seL4_UnknownSyscall_FaultIP), seL4_GetMR(seL4_UnknownSyscall_SP),
            seL4_GetMR(seL4_UnknownSyscall_RA), seL4_GetMR(seL4_UnknownSyscall_A0), seL4_GetMR(seL4_UnknownSyscall_A1),
            seL4_GetMR(seL4_UnknownSyscall_A2), seL4_GetMR(seL4_UnknownSyscall_A3), seL4_GetMR(seL4_UnknownSyscall_A4),
            seL4_GetMR(seL4_UnknownSyscall_A5), seL4_GetMR(seL4_UnknownSyscall_A6),
            seL4_GetMR(seL4_UnknownSyscall_Syscall));
    case seL4_Fault_UserException:
        return seL4_Fault_UserException_new(seL4_GetMR(seL4_UserException_FaultIP), seL4_GetMR(seL4_UserException_SP),
                                            seL4_GetMR(seL4_UserException_Number), seL4_GetMR(seL4_UserException_Code));
    case seL4_Fault_VMFault:
        return seL4_Fault_VMFault_new(seL4_GetMR(seL4_VMFault_IP), seL4_GetMR(seL4_VMFault_Addr),
                                      seL4_GetMR(seL4_VMFault_PrefetchFault), seL4_GetMR(seL4_VMFault_FSR));
    default:
        return seL4_Fault_NullFault_new();
    }
}
