/* Fault message layouts (label = fault type; words as MRs), non-MCS; the
 * register-carrying layouts are the architecture's. */
#pragma once
#include <sel4/types.h>

typedef enum {
    seL4_Fault_NullFault = 0,
    seL4_Fault_CapFault = 1,
    seL4_Fault_UnknownSyscall = 2,
    seL4_Fault_UserException = 3,
    seL4_Fault_VMFault = 5,
} seL4_FaultType;

#include <sel4/arch/faults.h>

enum {
    seL4_VMFault_IP = 0,
    seL4_VMFault_Addr,
    seL4_VMFault_PrefetchFault,
    seL4_VMFault_FSR,
    seL4_VMFault_Length,
};

/* A decoded fault message, as libsel4's seL4_getFault gives it. */
typedef struct seL4_Fault {
    seL4_Word type;
    seL4_Word mr[seL4_UnknownSyscall_Length];
} seL4_Fault_t;

static inline seL4_Fault_t seL4_getFault(seL4_MessageInfo_t tag)
{
    seL4_Fault_t f = {seL4_MessageInfo_get_label(tag), {0}};
    seL4_Word n = seL4_MessageInfo_get_length(tag);
    for (seL4_Word i = 0; i < n && i < seL4_UnknownSyscall_Length; i++)
        f.mr[i] = seL4_GetMR((int)i);
    return f;
}
static inline seL4_Word seL4_Fault_get_seL4_FaultType(seL4_Fault_t f) { return f.type; }
static inline seL4_Word seL4_Fault_CapFault_get_IP(seL4_Fault_t f) { return f.mr[seL4_CapFault_IP]; }
static inline seL4_Word seL4_Fault_CapFault_get_Addr(seL4_Fault_t f) { return f.mr[seL4_CapFault_Addr]; }
static inline seL4_Word seL4_Fault_CapFault_get_InRecvPhase(seL4_Fault_t f) { return f.mr[seL4_CapFault_InRecvPhase]; }
static inline seL4_Word seL4_Fault_CapFault_get_LookupFailureType(seL4_Fault_t f)
{
    return f.mr[seL4_CapFault_LookupFailureType];
}
static inline seL4_Word seL4_Fault_VMFault_get_IP(seL4_Fault_t f) { return f.mr[seL4_VMFault_IP]; }
static inline seL4_Word seL4_Fault_VMFault_get_Addr(seL4_Fault_t f) { return f.mr[seL4_VMFault_Addr]; }
static inline seL4_Word seL4_Fault_VMFault_get_PrefetchFault(seL4_Fault_t f) { return f.mr[seL4_VMFault_PrefetchFault]; }
static inline seL4_Word seL4_Fault_VMFault_get_FSR(seL4_Fault_t f) { return f.mr[seL4_VMFault_FSR]; }
static inline seL4_Word seL4_Fault_UnknownSyscall_get_FaultIP(seL4_Fault_t f) { return f.mr[seL4_UnknownSyscall_FaultIP]; }
static inline seL4_Word seL4_Fault_UnknownSyscall_get_Syscall(seL4_Fault_t f) { return f.mr[seL4_UnknownSyscall_Syscall]; }
static inline seL4_Word seL4_Fault_UserException_get_FaultIP(seL4_Fault_t f) { return f.mr[seL4_UserException_FaultIP]; }
static inline seL4_Word seL4_Fault_UserException_get_Number(seL4_Fault_t f) { return f.mr[seL4_UserException_Number]; }
