/* System call stubs for riscv64: ecall with a7 = number, a0 = cap/badge,
 * a1 = message info, a2..a5 = MR0..MR3 (sel4-api.md §1). */
#pragma once
#include <sel4/types.h>
#include <sel4/functions.h>

static inline void seL4_riscv_sys_send(seL4_Word sys, seL4_Word dest, seL4_Word info, seL4_Word mr0,
                                       seL4_Word mr1, seL4_Word mr2, seL4_Word mr3)
{
    register seL4_Word a0 asm("a0") = dest;
    register seL4_Word a1 asm("a1") = info;
    register seL4_Word a2 asm("a2") = mr0;
    register seL4_Word a3 asm("a3") = mr1;
    register seL4_Word a4 asm("a4") = mr2;
    register seL4_Word a5 asm("a5") = mr3;
    register seL4_Word a7 asm("a7") = sys;
    asm volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5) : "r"(a7) : "memory");
}

static inline void seL4_riscv_sys_recv(seL4_Word sys, seL4_Word src, seL4_Word *badge, seL4_Word *info,
                                       seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    register seL4_Word a0 asm("a0") = src;
    register seL4_Word a1 asm("a1") = 0;
    register seL4_Word a2 asm("a2");
    register seL4_Word a3 asm("a3");
    register seL4_Word a4 asm("a4");
    register seL4_Word a5 asm("a5");
    register seL4_Word a7 asm("a7") = sys;
    asm volatile("ecall"
                 : "+r"(a0), "+r"(a1), "=r"(a2), "=r"(a3), "=r"(a4), "=r"(a5)
                 : "r"(a7)
                 : "memory");
    *badge = a0;
    *info = a1;
    *mr0 = a2;
    *mr1 = a3;
    *mr2 = a4;
    *mr3 = a5;
}

static inline void seL4_riscv_sys_send_recv(seL4_Word sys, seL4_Word dest, seL4_Word *badge, seL4_Word info,
                                            seL4_Word *out_info, seL4_Word *mr0, seL4_Word *mr1,
                                            seL4_Word *mr2, seL4_Word *mr3)
{
    register seL4_Word a0 asm("a0") = dest;
    register seL4_Word a1 asm("a1") = info;
    register seL4_Word a2 asm("a2") = *mr0;
    register seL4_Word a3 asm("a3") = *mr1;
    register seL4_Word a4 asm("a4") = *mr2;
    register seL4_Word a5 asm("a5") = *mr3;
    register seL4_Word a7 asm("a7") = sys;
    asm volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5) : "r"(a7) : "memory");
    if (badge)
        *badge = a0;
    *out_info = a1;
    *mr0 = a2;
    *mr1 = a3;
    *mr2 = a4;
    *mr3 = a5;
}

static inline seL4_Word seL4_riscv_sys_null(seL4_Word sys, seL4_Word arg)
{
    register seL4_Word a0 asm("a0") = arg;
    register seL4_Word a7 asm("a7") = sys;
    asm volatile("ecall" : "+r"(a0) : "r"(a7) : "a1", "a2", "a3", "a4", "a5", "memory");
    return a0;
}

static inline void seL4_Send(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    seL4_riscv_sys_send(seL4_SysSend, dest, msgInfo.words[0], seL4_GetMR(0), seL4_GetMR(1), seL4_GetMR(2),
                        seL4_GetMR(3));
}

static inline void seL4_NBSend(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    seL4_riscv_sys_send(seL4_SysNBSend, dest, msgInfo.words[0], seL4_GetMR(0), seL4_GetMR(1), seL4_GetMR(2),
                        seL4_GetMR(3));
}

static inline seL4_MessageInfo_t seL4_Call(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    seL4_Word mr0 = seL4_GetMR(0), mr1 = seL4_GetMR(1), mr2 = seL4_GetMR(2), mr3 = seL4_GetMR(3);
    seL4_MessageInfo_t out;
    seL4_riscv_sys_send_recv(seL4_SysCall, dest, NULL, msgInfo.words[0], &out.words[0], &mr0, &mr1, &mr2, &mr3);
    seL4_SetMR(0, mr0);
    seL4_SetMR(1, mr1);
    seL4_SetMR(2, mr2);
    seL4_SetMR(3, mr3);
    return out;
}

static inline seL4_MessageInfo_t seL4_CallWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_Word *mr0,
                                                  seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_Word m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    seL4_Word len = seL4_MessageInfo_get_length(msgInfo);
    if (mr0 && len > 0)
        m0 = *mr0;
    if (mr1 && len > 1)
        m1 = *mr1;
    if (mr2 && len > 2)
        m2 = *mr2;
    if (mr3 && len > 3)
        m3 = *mr3;
    seL4_MessageInfo_t out;
    seL4_riscv_sys_send_recv(seL4_SysCall, dest, NULL, msgInfo.words[0], &out.words[0], &m0, &m1, &m2, &m3);
    if (mr0)
        *mr0 = m0;
    if (mr1)
        *mr1 = m1;
    if (mr2)
        *mr2 = m2;
    if (mr3)
        *mr3 = m3;
    return out;
}

/* Recv and NBRecv differ only in the syscall number. */
static inline seL4_MessageInfo_t seL4_riscv_recv(seL4_Word sys, seL4_CPtr src, seL4_Word *sender)
{
    seL4_Word badge, info, mr0, mr1, mr2, mr3;
    seL4_riscv_sys_recv(sys, src, &badge, &info, &mr0, &mr1, &mr2, &mr3);
    seL4_SetMR(0, mr0);
    seL4_SetMR(1, mr1);
    seL4_SetMR(2, mr2);
    seL4_SetMR(3, mr3);
    if (sender)
        *sender = badge;
    seL4_MessageInfo_t m = {{info}};
    return m;
}

static inline seL4_MessageInfo_t seL4_Recv(seL4_CPtr src, seL4_Word *sender)
{
    return seL4_riscv_recv(seL4_SysRecv, src, sender);
}

static inline seL4_MessageInfo_t seL4_NBRecv(seL4_CPtr src, seL4_Word *sender)
{
    return seL4_riscv_recv(seL4_SysNBRecv, src, sender);
}

static inline void seL4_Reply(seL4_MessageInfo_t msgInfo)
{
    seL4_riscv_sys_send(seL4_SysReply, 0, msgInfo.words[0], seL4_GetMR(0), seL4_GetMR(1), seL4_GetMR(2),
                        seL4_GetMR(3));
}

static inline seL4_MessageInfo_t seL4_ReplyRecv(seL4_CPtr src, seL4_MessageInfo_t msgInfo, seL4_Word *sender)
{
    seL4_Word mr0 = seL4_GetMR(0), mr1 = seL4_GetMR(1), mr2 = seL4_GetMR(2), mr3 = seL4_GetMR(3);
    seL4_MessageInfo_t out;
    seL4_riscv_sys_send_recv(seL4_SysReplyRecv, src, sender, msgInfo.words[0], &out.words[0], &mr0, &mr1, &mr2,
                             &mr3);
    seL4_SetMR(0, mr0);
    seL4_SetMR(1, mr1);
    seL4_SetMR(2, mr2);
    seL4_SetMR(3, mr3);
    return out;
}

static inline void seL4_Signal(seL4_CPtr dest)
{
    seL4_riscv_sys_send(seL4_SysSend, dest, seL4_MessageInfo_new(0, 0, 0, 0).words[0], 0, 0, 0, 0);
}

static inline void seL4_Wait(seL4_CPtr src, seL4_Word *sender) { seL4_Recv(src, sender); }

static inline seL4_MessageInfo_t seL4_Poll(seL4_CPtr src, seL4_Word *sender) { return seL4_NBRecv(src, sender); }

static inline void seL4_Yield(void) { seL4_riscv_sys_null(seL4_SysYield, 0); }

static inline void seL4_DebugPutChar(char c) { seL4_riscv_sys_null(seL4_SysDebugPutChar, (seL4_Word)(unsigned char)c); }

static inline void seL4_DebugHalt(void) { seL4_riscv_sys_null(seL4_SysDebugHalt, 0); }

static inline seL4_Uint32 seL4_DebugCapIdentify(seL4_CPtr cap)
{
    return (seL4_Uint32)seL4_riscv_sys_null(seL4_SysDebugCapIdentify, cap);
}

static inline void seL4_DebugNameThread(seL4_CPtr tcb, const char *name)
{
    char *dst = (char *)&seL4_GetIPCBuffer()->msg[0];
    size_t max = sizeof(seL4_GetIPCBuffer()->msg) - 1, i;
    for (i = 0; i < max && name[i]; i++)
        dst[i] = name[i];
    dst[i] = 0;
    seL4_riscv_sys_null(seL4_SysDebugNameThread, tcb);
}

/* hypOS extension: returns the number of kernel invariant violations found. */
static inline seL4_Word seL4_HypDebugCheckInvariants(void)
{
    return seL4_riscv_sys_null(seL4_SysHypDebugCheckInvariants, 0);
}

/* hypOS extension: force a preemption at every n-th preemption point of
 * long-running operations (0: off); with seL4_HypPreemptCheck added, the
 * kernel also runs its invariant checks at each (their violations count
 * in the next seL4_HypDebugCheckInvariants). Returns the number of system
 * calls restarted after a preemption so far. */
#define seL4_HypPreemptCheck (1ul << 32)
static inline seL4_Word seL4_HypDebugPreempt(seL4_Word every)
{
    return seL4_riscv_sys_null(seL4_SysHypDebugPreempt, every);
}

/* hypOS extension: Call/ReplyRecv system calls completed by the fastpath. */
static inline seL4_Word seL4_HypDebugFastpathCount(void)
{
    return seL4_riscv_sys_null(seL4_SysHypDebugFastpathCount, 0);
}
