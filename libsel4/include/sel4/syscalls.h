/* System calls with seL4's C signatures, over four primitives that the
 * architecture provides in <sel4/arch/syscalls.h> (its trap instruction
 * and register ABI): seL4_hyp_sys_send, _recv, _send_recv and _null. */
#pragma once
#include <sel4/types.h>
#include <sel4/functions.h>

#include <sel4/arch/syscalls.h>

static inline void seL4_Send(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    seL4_hyp_sys_send(seL4_SysSend, dest, msgInfo.words[0], seL4_GetMR(0), seL4_GetMR(1), seL4_GetMR(2),
                        seL4_GetMR(3));
}

static inline void seL4_NBSend(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    seL4_hyp_sys_send(seL4_SysNBSend, dest, msgInfo.words[0], seL4_GetMR(0), seL4_GetMR(1), seL4_GetMR(2),
                        seL4_GetMR(3));
}

static inline seL4_MessageInfo_t seL4_Call(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    seL4_Word mr0 = seL4_GetMR(0), mr1 = seL4_GetMR(1), mr2 = seL4_GetMR(2), mr3 = seL4_GetMR(3);
    seL4_MessageInfo_t out;
    seL4_hyp_sys_send_recv(seL4_SysCall, dest, NULL, msgInfo.words[0], &out.words[0], &mr0, &mr1, &mr2, &mr3);
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
    seL4_hyp_sys_send_recv(seL4_SysCall, dest, NULL, msgInfo.words[0], &out.words[0], &m0, &m1, &m2, &m3);
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
static inline seL4_MessageInfo_t seL4_hyp_recv(seL4_Word sys, seL4_CPtr src, seL4_Word *sender)
{
    seL4_Word badge, info, mr0, mr1, mr2, mr3;
    seL4_hyp_sys_recv(sys, src, &badge, &info, &mr0, &mr1, &mr2, &mr3);
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
    return seL4_hyp_recv(seL4_SysRecv, src, sender);
}

static inline seL4_MessageInfo_t seL4_NBRecv(seL4_CPtr src, seL4_Word *sender)
{
    return seL4_hyp_recv(seL4_SysNBRecv, src, sender);
}

static inline void seL4_Reply(seL4_MessageInfo_t msgInfo)
{
    seL4_hyp_sys_send(seL4_SysReply, 0, msgInfo.words[0], seL4_GetMR(0), seL4_GetMR(1), seL4_GetMR(2),
                        seL4_GetMR(3));
}

static inline seL4_MessageInfo_t seL4_ReplyRecv(seL4_CPtr src, seL4_MessageInfo_t msgInfo, seL4_Word *sender)
{
    seL4_Word mr0 = seL4_GetMR(0), mr1 = seL4_GetMR(1), mr2 = seL4_GetMR(2), mr3 = seL4_GetMR(3);
    seL4_MessageInfo_t out;
    seL4_hyp_sys_send_recv(seL4_SysReplyRecv, src, sender, msgInfo.words[0], &out.words[0], &mr0, &mr1, &mr2,
                             &mr3);
    seL4_SetMR(0, mr0);
    seL4_SetMR(1, mr1);
    seL4_SetMR(2, mr2);
    seL4_SetMR(3, mr3);
    return out;
}

static inline void seL4_Signal(seL4_CPtr dest)
{
    seL4_hyp_sys_send(seL4_SysSend, dest, seL4_MessageInfo_new(0, 0, 0, 0).words[0], 0, 0, 0, 0);
}

static inline void seL4_Wait(seL4_CPtr src, seL4_Word *sender) { seL4_Recv(src, sender); }

static inline seL4_MessageInfo_t seL4_Poll(seL4_CPtr src, seL4_Word *sender) { return seL4_NBRecv(src, sender); }

static inline void seL4_Yield(void) { seL4_hyp_sys_null(seL4_SysYield, 0); }

static inline void seL4_DebugPutChar(char c) { seL4_hyp_sys_null(seL4_SysDebugPutChar, (seL4_Word)(unsigned char)c); }

static inline void seL4_DebugHalt(void) { seL4_hyp_sys_null(seL4_SysDebugHalt, 0); }

static inline seL4_Uint32 seL4_DebugCapIdentify(seL4_CPtr cap)
{
    return (seL4_Uint32)seL4_hyp_sys_null(seL4_SysDebugCapIdentify, cap);
}

static inline void seL4_DebugNameThread(seL4_CPtr tcb, const char *name)
{
    char *dst = (char *)&seL4_GetIPCBuffer()->msg[0];
    size_t max = sizeof(seL4_GetIPCBuffer()->msg) - 1, i;
    for (i = 0; i < max && name[i]; i++)
        dst[i] = name[i];
    dst[i] = 0;
    seL4_hyp_sys_null(seL4_SysDebugNameThread, tcb);
}

/* hypOS extension: returns the number of kernel invariant violations found. */
static inline seL4_Word seL4_HypDebugCheckInvariants(void)
{
    return seL4_hyp_sys_null(seL4_SysHypDebugCheckInvariants, 0);
}

/* hypOS extension: Call/ReplyRecv system calls completed by the fastpath. */
static inline seL4_Word seL4_HypDebugFastpathCount(void)
{
    return seL4_hyp_sys_null(seL4_SysHypDebugFastpathCount, 0);
}
