/* x86_64 constants for the fault messages (seL4 manual sec. 6.2 and the
 * x86 appendix); object sizes are in <sel4/arch/constants.h>. */
#pragma once
#include <sel4/config.h>
#include <sel4/macros.h>
#include <sel4/constants.h>

typedef enum {
    seL4_VMFault_IP = 0,
    seL4_VMFault_Addr,
    seL4_VMFault_PrefetchFault,
    seL4_VMFault_FSR,
    seL4_VMFault_Length,
    SEL4_FORCE_LONG_ENUM(seL4_VMFault_Msg),
} seL4_VMFault_Msg;

typedef enum {
    seL4_UnknownSyscall_RAX = 0,
    seL4_UnknownSyscall_RBX,
    seL4_UnknownSyscall_RCX,
    seL4_UnknownSyscall_RDX,
    seL4_UnknownSyscall_RSI,
    seL4_UnknownSyscall_RDI,
    seL4_UnknownSyscall_RBP,
    seL4_UnknownSyscall_R8,
    seL4_UnknownSyscall_R9,
    seL4_UnknownSyscall_R10,
    seL4_UnknownSyscall_R11,
    seL4_UnknownSyscall_R12,
    seL4_UnknownSyscall_R13,
    seL4_UnknownSyscall_R14,
    seL4_UnknownSyscall_R15,
    seL4_UnknownSyscall_FaultIP,
    seL4_UnknownSyscall_SP,
    seL4_UnknownSyscall_FLAGS,
    seL4_UnknownSyscall_Syscall,
    seL4_UnknownSyscall_Length,
    SEL4_FORCE_LONG_ENUM(seL4_UnknownSyscall_Msg),
} seL4_UnknownSyscall_Msg;

typedef enum {
    seL4_UserException_FaultIP = 0,
    seL4_UserException_SP,
    seL4_UserException_FLAGS,
    seL4_UserException_Number,
    seL4_UserException_Code,
    seL4_UserException_Length,
    SEL4_FORCE_LONG_ENUM(seL4_UserException_Msg),
} seL4_UserException_Msg;

#ifdef CONFIG_KERNEL_MCS
/* The timeout fault (scheduling contexts only): its message, and the
 * registers a reply to it may write back, in seL4_UserContext order. */
typedef enum {
    seL4_Timeout_Data = 0,
    seL4_Timeout_Consumed,
    seL4_Timeout_Length,
    SEL4_FORCE_LONG_ENUM(seL4_Timeout_Msg),
} seL4_TimeoutMsg;

typedef enum {
    seL4_TimeoutReply_FaultIP = 0,
    seL4_TimeoutReply_RSP,
    seL4_TimeoutReply_FLAGS,
    seL4_TimeoutReply_RAX,
    seL4_TimeoutReply_RBX,
    seL4_TimeoutReply_RCX,
    seL4_TimeoutReply_RDX,
    seL4_TimeoutReply_RSI,
    seL4_TimeoutReply_RDI,
    seL4_TimeoutReply_RBP,
    seL4_TimeoutReply_R8,
    seL4_TimeoutReply_R9,
    seL4_TimeoutReply_R10,
    seL4_TimeoutReply_R11,
    seL4_TimeoutReply_R12,
    seL4_TimeoutReply_R13,
    seL4_TimeoutReply_R14,
    seL4_TimeoutReply_R15,
    seL4_TimeoutReply_FS_BASE,
    seL4_TimeoutReply_GS_BASE,
    seL4_TimeoutReply_Length,
    SEL4_FORCE_LONG_ENUM(seL4_TimeoutReply_Msg),
} seL4_TimeoutReply_Msg;
#endif
