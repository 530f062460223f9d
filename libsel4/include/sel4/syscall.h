/* System call numbers, numbered as seL4 16.0.0 numbers them (negative, in
 * the order of seL4's syscall list, compiled-out calls included). */
#pragma once
#include <sel4/config.h>

typedef enum {
#ifdef CONFIG_KERNEL_MCS
    /* with scheduling contexts: NBSendRecv, NBSendWait, Wait and NBWait
     * join the API block and Reply leaves it, so every number moves */
    seL4_SysCall = -1,
    seL4_SysReplyRecv = -2,
    seL4_SysNBSendRecv = -3,
    seL4_SysNBSendWait = -4,
    seL4_SysSend = -5,
    seL4_SysNBSend = -6,
    seL4_SysRecv = -7,
    seL4_SysNBRecv = -8,
    seL4_SysWait = -9,
    seL4_SysNBWait = -10,
    seL4_SysYield = -11,
    seL4_SysDebugPutChar = -12,
    seL4_SysDebugDumpScheduler = -13,
    seL4_SysDebugHalt = -14,
    seL4_SysDebugCapIdentify = -15,
    seL4_SysDebugSnapshot = -16,
    seL4_SysDebugNameThread = -17,
    seL4_SysDebugSendIPI = -18,
    seL4_SysDebugGetThreadAffinity = -19,
    seL4_SysDebugRun = -20,
    seL4_SysBenchmarkFlushCaches = -21,
    seL4_SysBenchmarkResetLog = -22,
    seL4_SysBenchmarkFinalizeLog = -23,
    seL4_SysBenchmarkSetLogBuffer = -24,
    seL4_SysBenchmarkNullSyscall = -25,
    seL4_SysSetTLSBase = -33,
#else
    seL4_SysCall = -1,
    seL4_SysReplyRecv = -2,
    seL4_SysSend = -3,
    seL4_SysNBSend = -4,
    seL4_SysRecv = -5,
    seL4_SysReply = -6,
    seL4_SysYield = -7,
    seL4_SysNBRecv = -8,
    seL4_SysDebugPutChar = -9,
    seL4_SysDebugDumpScheduler = -10,
    seL4_SysDebugHalt = -11,
    seL4_SysDebugCapIdentify = -12,
    seL4_SysDebugSnapshot = -13,
    seL4_SysDebugNameThread = -14,
    seL4_SysDebugSendIPI = -15,
    seL4_SysDebugGetThreadAffinity = -16,
    seL4_SysDebugRun = -17,
    seL4_SysBenchmarkFlushCaches = -18,
    seL4_SysBenchmarkResetLog = -19,
    seL4_SysBenchmarkFinalizeLog = -20,
    seL4_SysBenchmarkSetLogBuffer = -21,
    seL4_SysBenchmarkNullSyscall = -22,
    seL4_SysSetTLSBase = -30,
#endif
    /* hypOS extension (debug builds): run the kernel's invariant checks
     * (derivation tree, object overlap) and return the number of violations. */
    seL4_SysHypDebugCheckInvariants = -101,
    /* hypOS extension (debug builds): how many Call and ReplyRecv system
     * calls the IPC fastpath has completed since boot. */
    seL4_SysHypDebugFastpathCount = -102,
    /* hypOS extension (debug builds): with n > 0, also stop long-running
     * operations at every n-th preemption point as if an interrupt were
     * pending (0: only real interrupts; bit 32: also check the kernel's
     * invariants at each); returns how many system calls
     * have been restarted after a preemption since boot. */
    seL4_SysHypDebugPreempt = -103,
    /* hypOS extension (debug builds): how many times since boot the kernel
     * has loaded a thread's F/D registers (argument 0) or saved them
     * (argument 1). */
    seL4_SysHypDebugFpuSwitches = -104,
} seL4_Syscall_ID;

#ifdef CONFIG_KERNEL_MCS
#define seL4_SysFirstAPI seL4_SysYield
#else
#define seL4_SysFirstAPI seL4_SysNBRecv
#endif
#define seL4_SysLastAPI seL4_SysCall
