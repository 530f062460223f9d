/* The suite runs on both kernel configurations. seL4's MCS configuration
 * changes a few signatures: a receive that may be answered names the reply
 * object the caller's reply right goes to, a reply is a Send on that reply
 * object, TCB_Configure has no fault endpoint (SetSpace and SetSchedParams
 * carry it, as a cap copied into the TCB), and SetSchedParams names a
 * scheduling context. Tests written once call these api_* forms; without
 * MCS the reply and scheduling-context arguments are ignored (callers pass
 * seL4_CapNull or the value test_reply holds there, which is seL4_CapNull).
 *
 * test_reply is the calling thread's own reply object: each helper thread
 * gets one when it is created (MCS), and the test driver has one for the
 * whole run. */
#pragma once
#include <sel4/sel4.h>

#ifdef CONFIG_KERNEL_MCS
#define TEST_MCS 1
#else
#define TEST_MCS 0
#endif

extern __thread seL4_CPtr test_reply;

static inline seL4_MessageInfo_t api_recv(seL4_CPtr src, seL4_Word *badge, seL4_CPtr reply)
{
#ifdef CONFIG_KERNEL_MCS
    return seL4_Recv(src, badge, reply);
#else
    (void)reply;
    return seL4_Recv(src, badge);
#endif
}

static inline seL4_MessageInfo_t api_nbrecv(seL4_CPtr src, seL4_Word *badge, seL4_CPtr reply)
{
#ifdef CONFIG_KERNEL_MCS
    return seL4_NBRecv(src, badge, reply);
#else
    (void)reply;
    return seL4_NBRecv(src, badge);
#endif
}

static inline seL4_MessageInfo_t api_reply_recv(seL4_CPtr src, seL4_MessageInfo_t info, seL4_Word *badge,
                                                seL4_CPtr reply)
{
#ifdef CONFIG_KERNEL_MCS
    return seL4_ReplyRecv(src, info, badge, reply);
#else
    (void)reply;
    return seL4_ReplyRecv(src, info, badge);
#endif
}

static inline seL4_MessageInfo_t api_recv_with_mrs(seL4_CPtr src, seL4_Word *badge, seL4_Word *mr0, seL4_Word *mr1,
                                                   seL4_Word *mr2, seL4_Word *mr3, seL4_CPtr reply)
{
#ifdef CONFIG_KERNEL_MCS
    return seL4_RecvWithMRs(src, badge, reply, mr0, mr1, mr2, mr3);
#else
    (void)reply;
    return seL4_RecvWithMRs(src, badge, mr0, mr1, mr2, mr3);
#endif
}

static inline seL4_MessageInfo_t api_reply_recv_with_mrs(seL4_CPtr src, seL4_MessageInfo_t info, seL4_Word *badge,
                                                         seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3,
                                                         seL4_CPtr reply)
{
#ifdef CONFIG_KERNEL_MCS
    return seL4_ReplyRecvWithMRs(src, info, badge, mr0, mr1, mr2, mr3, reply);
#else
    (void)reply;
    return seL4_ReplyRecvWithMRs(src, info, badge, mr0, mr1, mr2, mr3);
#endif
}

/* Answer the Call whose reply right is in reply (MCS) or in the thread's
 * reply slot (without MCS). */
static inline void api_reply(seL4_CPtr reply, seL4_MessageInfo_t info)
{
#ifdef CONFIG_KERNEL_MCS
    seL4_Send(reply, info);
#else
    (void)reply;
    seL4_Reply(info);
#endif
}

static inline void api_reply_with_mrs(seL4_CPtr reply, seL4_MessageInfo_t info, seL4_Word *mr0, seL4_Word *mr1,
                                      seL4_Word *mr2, seL4_Word *mr3)
{
#ifdef CONFIG_KERNEL_MCS
    seL4_SendWithMRs(reply, info, mr0, mr1, mr2, mr3);
#else
    (void)reply;
    seL4_ReplyWithMRs(info, mr0, mr1, mr2, mr3);
#endif
}

/* Receive where no Call is expected (notifications, Send-only endpoints). */
static inline seL4_MessageInfo_t api_wait(seL4_CPtr src, seL4_Word *badge)
{
#ifdef CONFIG_KERNEL_MCS
    return seL4_Wait(src, badge);
#else
    return seL4_Recv(src, badge);
#endif
}

static inline seL4_MessageInfo_t api_nbwait(seL4_CPtr src, seL4_Word *badge)
{
#ifdef CONFIG_KERNEL_MCS
    return seL4_NBWait(src, badge);
#else
    return seL4_NBRecv(src, badge);
#endif
}

/* The fault endpoint argument of api_tcb_configure/api_tcb_set_space:
 * without MCS a CPtr the kernel looks up in the faulting thread's own
 * CSpace when the thread faults; with MCS a cap in the caller's CSpace,
 * copied into the TCB at once. A test whose thread has a CSpace of its own
 * names the endpoint both ways. */
#define API_FAULT_EP(in_caller_cspace, in_thread_cspace) (TEST_MCS ? (in_caller_cspace) : (in_thread_cspace))

/* Configure a TCB; with MCS the fault endpoint (a cap in the caller's
 * CSpace, seL4_CapNull for none) is set by a SetSpace that follows. */
static inline seL4_Error api_tcb_configure(seL4_CPtr tcb, seL4_CPtr fault_ep, seL4_CPtr cspace, seL4_Word cspace_data,
                                           seL4_CPtr vspace, seL4_Word vspace_data, seL4_Word buffer,
                                           seL4_CPtr buffer_frame)
{
#ifdef CONFIG_KERNEL_MCS
    seL4_Error e = seL4_TCB_Configure(tcb, cspace, cspace_data, vspace, vspace_data, buffer, buffer_frame);
    if (e == seL4_NoError && fault_ep != seL4_CapNull)
        e = seL4_TCB_SetSpace(tcb, fault_ep, cspace, cspace_data, vspace, vspace_data);
    return e;
#else
    return seL4_TCB_Configure(tcb, fault_ep, cspace, cspace_data, vspace, vspace_data, buffer, buffer_frame);
#endif
}

static inline seL4_Error api_tcb_set_space(seL4_CPtr tcb, seL4_CPtr fault_ep, seL4_CPtr cspace, seL4_Word cspace_data,
                                           seL4_CPtr vspace, seL4_Word vspace_data)
{
    return seL4_TCB_SetSpace(tcb, fault_ep, cspace, cspace_data, vspace, vspace_data);
}

/* SetSchedParams; with MCS it also binds sc (seL4_CapNull: unbind) and
 * sets the fault endpoint. */
static inline seL4_Error api_sched_params(seL4_CPtr tcb, seL4_CPtr authority, seL4_Word mcp, seL4_Word prio,
                                          seL4_CPtr sc, seL4_CPtr fault_ep)
{
#ifdef CONFIG_KERNEL_MCS
    return seL4_TCB_SetSchedParams(tcb, authority, mcp, prio, sc, fault_ep);
#else
    (void)sc, (void)fault_ep;
    return seL4_TCB_SetSchedParams(tcb, authority, mcp, prio);
#endif
}
