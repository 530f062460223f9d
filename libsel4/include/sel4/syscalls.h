/* seL4's system calls as C functions (seL4 manual ch. 2 and 4): the IPC
 * calls, their *WithMRs forms that pass MR0..MR3 by pointer instead of
 * through the IPC buffer, and the debug calls of debug builds. The MCS
 * configuration has its own Recv/ReplyRecv/Wait forms (with a reply
 * object) and no Reply: <sel4/syscalls_mcs.h>. */
#pragma once
#include <sel4/config.h>
#include <sel4/types.h>
#include <sel4/functions.h>
#include <sel4/arch/syscalls.h>


/* MRi for a *WithMRs send: *mri when given and inside the message length, else 0. */
LIBSEL4_INLINE seL4_Word seL4_hyp_mr_in(seL4_MessageInfo_t info, seL4_Word i, const seL4_Word *mr)
{
    return mr && seL4_MessageInfo_get_length(info) > i ? *mr : 0;
}
LIBSEL4_INLINE void seL4_hyp_mr_out(seL4_Word *mr, seL4_Word value)
{
    if (mr)
        *mr = value;
}

/* Copies MR0..MR3 between the IPC buffer and the four words that travel in registers. */
LIBSEL4_INLINE void seL4_hyp_mrs_from_buffer(seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    *mr0 = seL4_GetMR(0);
    *mr1 = seL4_GetMR(1);
    *mr2 = seL4_GetMR(2);
    *mr3 = seL4_GetMR(3);
}
LIBSEL4_INLINE void seL4_hyp_mrs_to_buffer(seL4_Word mr0, seL4_Word mr1, seL4_Word mr2, seL4_Word mr3)
{
    seL4_SetMR(0, mr0);
    seL4_SetMR(1, mr1);
    seL4_SetMR(2, mr2);
    seL4_SetMR(3, mr3);
}

/* ---- Send / NBSend ---- */
LIBSEL4_INLINE void seL4_Send(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    seL4_arch_sys_send(seL4_SysSend, dest, msgInfo.words[0], seL4_GetMR(0), seL4_GetMR(1), seL4_GetMR(2),
                       seL4_GetMR(3));
}

LIBSEL4_INLINE void seL4_SendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_Word *mr0, seL4_Word *mr1,
                                     seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_arch_sys_send(seL4_SysSend, dest, msgInfo.words[0], seL4_hyp_mr_in(msgInfo, 0, mr0),
                       seL4_hyp_mr_in(msgInfo, 1, mr1), seL4_hyp_mr_in(msgInfo, 2, mr2),
                       seL4_hyp_mr_in(msgInfo, 3, mr3));
}

LIBSEL4_INLINE void seL4_NBSend(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    seL4_arch_sys_send(seL4_SysNBSend, dest, msgInfo.words[0], seL4_GetMR(0), seL4_GetMR(1), seL4_GetMR(2),
                       seL4_GetMR(3));
}

LIBSEL4_INLINE void seL4_NBSendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_Word *mr0, seL4_Word *mr1,
                                       seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_arch_sys_send(seL4_SysNBSend, dest, msgInfo.words[0], seL4_hyp_mr_in(msgInfo, 0, mr0),
                       seL4_hyp_mr_in(msgInfo, 1, mr1), seL4_hyp_mr_in(msgInfo, 2, mr2),
                       seL4_hyp_mr_in(msgInfo, 3, mr3));
}

#ifndef CONFIG_KERNEL_MCS
/* ---- Reply (non-MCS: to the thread's stored reply capability) ---- */
LIBSEL4_INLINE void seL4_Reply(seL4_MessageInfo_t msgInfo)
{
    seL4_arch_sys_send(seL4_SysReply, 0, msgInfo.words[0], seL4_GetMR(0), seL4_GetMR(1), seL4_GetMR(2), seL4_GetMR(3));
}

LIBSEL4_INLINE void seL4_ReplyWithMRs(seL4_MessageInfo_t msgInfo, seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2,
                                      seL4_Word *mr3)
{
    seL4_arch_sys_send(seL4_SysReply, 0, msgInfo.words[0], seL4_hyp_mr_in(msgInfo, 0, mr0),
                       seL4_hyp_mr_in(msgInfo, 1, mr1), seL4_hyp_mr_in(msgInfo, 2, mr2),
                       seL4_hyp_mr_in(msgInfo, 3, mr3));
}

/* ---- Recv / NBRecv: they differ only in the syscall number ---- */
LIBSEL4_INLINE seL4_MessageInfo_t seL4_hyp_recv(seL4_Word sys, seL4_CPtr src, seL4_Word *sender, seL4_Word *mr0,
                                                seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_Word badge, info, m0, m1, m2, m3;
    seL4_arch_sys_recv(sys, src, &badge, &info, &m0, &m1, &m2, &m3);
    seL4_hyp_mr_out(mr0, m0);
    seL4_hyp_mr_out(mr1, m1);
    seL4_hyp_mr_out(mr2, m2);
    seL4_hyp_mr_out(mr3, m3);
    seL4_hyp_mr_out(sender, badge);
    seL4_MessageInfo_t m = {{info}};
    return m;
}

LIBSEL4_INLINE seL4_MessageInfo_t seL4_Recv(seL4_CPtr src, seL4_Word *sender)
{
    seL4_Word m0, m1, m2, m3;
    seL4_MessageInfo_t info = seL4_hyp_recv(seL4_SysRecv, src, sender, &m0, &m1, &m2, &m3);
    seL4_hyp_mrs_to_buffer(m0, m1, m2, m3);
    return info;
}

LIBSEL4_INLINE seL4_MessageInfo_t seL4_RecvWithMRs(seL4_CPtr src, seL4_Word *sender, seL4_Word *mr0, seL4_Word *mr1,
                                                   seL4_Word *mr2, seL4_Word *mr3)
{
    return seL4_hyp_recv(seL4_SysRecv, src, sender, mr0, mr1, mr2, mr3);
}

LIBSEL4_INLINE seL4_MessageInfo_t seL4_NBRecv(seL4_CPtr src, seL4_Word *sender)
{
    seL4_Word m0, m1, m2, m3;
    seL4_MessageInfo_t info = seL4_hyp_recv(seL4_SysNBRecv, src, sender, &m0, &m1, &m2, &m3);
    seL4_hyp_mrs_to_buffer(m0, m1, m2, m3);
    return info;
}

#endif

/* ---- Call ---- */
LIBSEL4_INLINE seL4_MessageInfo_t seL4_Call(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    seL4_Word mr0, mr1, mr2, mr3;
    seL4_hyp_mrs_from_buffer(&mr0, &mr1, &mr2, &mr3);
    seL4_MessageInfo_t out;
    seL4_arch_sys_send_recv(seL4_SysCall, dest, NULL, msgInfo.words[0], &out.words[0], &mr0, &mr1, &mr2, &mr3);
    seL4_hyp_mrs_to_buffer(mr0, mr1, mr2, mr3);
    return out;
}

LIBSEL4_INLINE seL4_MessageInfo_t seL4_CallWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_Word *mr0,
                                                   seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_Word m0 = seL4_hyp_mr_in(msgInfo, 0, mr0), m1 = seL4_hyp_mr_in(msgInfo, 1, mr1);
    seL4_Word m2 = seL4_hyp_mr_in(msgInfo, 2, mr2), m3 = seL4_hyp_mr_in(msgInfo, 3, mr3);
    seL4_MessageInfo_t out;
    seL4_arch_sys_send_recv(seL4_SysCall, dest, NULL, msgInfo.words[0], &out.words[0], &m0, &m1, &m2, &m3);
    seL4_hyp_mr_out(mr0, m0);
    seL4_hyp_mr_out(mr1, m1);
    seL4_hyp_mr_out(mr2, m2);
    seL4_hyp_mr_out(mr3, m3);
    return out;
}

#ifndef CONFIG_KERNEL_MCS
/* ---- ReplyRecv (non-MCS) ---- */
LIBSEL4_INLINE seL4_MessageInfo_t seL4_ReplyRecv(seL4_CPtr src, seL4_MessageInfo_t msgInfo, seL4_Word *sender)
{
    seL4_Word mr0, mr1, mr2, mr3;
    seL4_hyp_mrs_from_buffer(&mr0, &mr1, &mr2, &mr3);
    seL4_MessageInfo_t out;
    seL4_arch_sys_send_recv(seL4_SysReplyRecv, src, sender, msgInfo.words[0], &out.words[0], &mr0, &mr1, &mr2, &mr3);
    seL4_hyp_mrs_to_buffer(mr0, mr1, mr2, mr3);
    return out;
}

LIBSEL4_INLINE seL4_MessageInfo_t seL4_ReplyRecvWithMRs(seL4_CPtr src, seL4_MessageInfo_t msgInfo, seL4_Word *sender,
                                                        seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_Word m0 = seL4_hyp_mr_in(msgInfo, 0, mr0), m1 = seL4_hyp_mr_in(msgInfo, 1, mr1);
    seL4_Word m2 = seL4_hyp_mr_in(msgInfo, 2, mr2), m3 = seL4_hyp_mr_in(msgInfo, 3, mr3);
    seL4_MessageInfo_t out;
    seL4_arch_sys_send_recv(seL4_SysReplyRecv, src, sender, msgInfo.words[0], &out.words[0], &m0, &m1, &m2, &m3);
    seL4_hyp_mr_out(mr0, m0);
    seL4_hyp_mr_out(mr1, m1);
    seL4_hyp_mr_out(mr2, m2);
    seL4_hyp_mr_out(mr3, m3);
    return out;
}

/* ---- Notifications: Wait = Recv, Poll = NBRecv ---- */
LIBSEL4_INLINE void seL4_Wait(seL4_CPtr src, seL4_Word *sender) { seL4_Recv(src, sender); }

LIBSEL4_INLINE seL4_MessageInfo_t seL4_Poll(seL4_CPtr src, seL4_Word *sender) { return seL4_NBRecv(src, sender); }
#else
#include <sel4/syscalls_mcs.h>
#endif

/* ---- Signal: a Send on a notification ---- */
LIBSEL4_INLINE void seL4_Signal(seL4_CPtr dest)
{
    seL4_arch_sys_send(seL4_SysSend, dest, seL4_MessageInfo_new(0, 0, 0, 0).words[0], 0, 0, 0, 0);
}

LIBSEL4_INLINE void seL4_Yield(void) { seL4_arch_sys_null(seL4_SysYield, 0); }

/* ---- Debug calls: the console exists in debug and bench builds ---- */
#ifdef CONFIG_PRINTING
LIBSEL4_INLINE void seL4_DebugPutChar(char c) { seL4_arch_sys_null(seL4_SysDebugPutChar, (seL4_Word)(unsigned char)c); }

LIBSEL4_INLINE void seL4_DebugPutString(char *str)
{
    for (; *str; str++)
        seL4_DebugPutChar(*str);
}

/* Prints a table of every thread: name, state, pc, priority, core. */
LIBSEL4_INLINE void seL4_DebugDumpScheduler(void) { seL4_arch_sys_null(seL4_SysDebugDumpScheduler, 0); }

/* hypOS keeps DebugHalt wherever the console is (seL4: debug builds only),
 * so that a bench run can end. It powers the machine off. */
LIBSEL4_INLINE void seL4_DebugHalt(void) { seL4_arch_sys_null(seL4_SysDebugHalt, 0); }
#endif

#ifdef CONFIG_DEBUG_BUILD
/* The type of the capability at cap (seL4_CapTag_*; 0 if there is none). */
LIBSEL4_INLINE seL4_Uint32 seL4_DebugCapIdentify(seL4_CPtr cap)
{
    return (seL4_Uint32)seL4_arch_sys_null(seL4_SysDebugCapIdentify, cap);
}

/* Names the thread in kernel messages; the name travels in the IPC buffer. */
LIBSEL4_INLINE void seL4_DebugNameThread(seL4_CPtr tcb, const char *name)
{
    char *dst = (char *)&seL4_GetIPCBuffer()->msg[0];
    size_t max = sizeof(seL4_GetIPCBuffer()->msg) - 1, i;
    for (i = 0; i < max && name[i]; i++)
        dst[i] = name[i];
    dst[i] = 0;
    seL4_arch_sys_null(seL4_SysDebugNameThread, tcb);
}

/* hypOS extension: returns the number of kernel invariant violations found. */
LIBSEL4_INLINE seL4_Word seL4_HypDebugCheckInvariants(void)
{
    return seL4_arch_sys_null(seL4_SysHypDebugCheckInvariants, 0);
}

/* hypOS extension: force a preemption at every n-th preemption point of
 * long-running operations (0: off); with seL4_HypPreemptCheck added, the
 * kernel also runs its invariant checks at each (their violations count
 * in the next seL4_HypDebugCheckInvariants). Returns the number of system
 * calls restarted after a preemption so far. */
#define seL4_HypPreemptCheck (1ul << 32)
LIBSEL4_INLINE seL4_Word seL4_HypDebugPreempt(seL4_Word every)
{
    return seL4_arch_sys_null(seL4_SysHypDebugPreempt, every);
}

/* hypOS extension: F/D register file loads (saves = false) or saves
 * (saves = true) the kernel has made since boot. */
LIBSEL4_INLINE seL4_Word seL4_HypDebugFpuSwitches(seL4_Bool saves)
{
    return seL4_arch_sys_null(seL4_SysHypDebugFpuSwitches, saves ? 1 : 0);
}

/* hypOS extension: Call/ReplyRecv system calls completed by the fastpath. */
LIBSEL4_INLINE seL4_Word seL4_HypDebugFastpathCount(void)
{
    return seL4_arch_sys_null(seL4_SysHypDebugFastpathCount, 0);
}
#endif
