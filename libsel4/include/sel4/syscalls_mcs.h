/* The receive system calls of the MCS configuration (seL4 manual,
 * "Scheduling contexts" and "Reply objects"): a receive that may be
 * answered with a Call names the reply object the caller's reply right is
 * placed in; replying is a Send to that reply object. Wait and NBWait
 * receive without a reply object; NBSendRecv and NBSendWait first make a
 * non-blocking send. Included by <sel4/syscalls.h>. */
#pragma once
#include <sel4/config.h>
#include <sel4/types.h>
#include <sel4/functions.h>
#include <sel4/arch/syscalls.h>
#include <sel4/syscalls.h>

/* Empty without MCS (the header then has nothing to offer). */
#ifdef CONFIG_KERNEL_MCS

/* One receive: src in the cap register, reply object, send destination
 * (NBSendRecv/NBSendWait) and MR0..MR3 both ways. mrN NULL: that MR goes
 * through the IPC buffer instead. */
LIBSEL4_INLINE seL4_MessageInfo_t seL4_hyp_mcs_call(seL4_Word sys, seL4_CPtr src, seL4_CPtr reply, seL4_CPtr dest,
                                                    seL4_MessageInfo_t info, seL4_Word *badge, seL4_Word *mr0,
                                                    seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3, seL4_Bool sends)
{
    seL4_Word m0, m1, m2, m3;
    if (sends) {
        if (mr0 || mr1 || mr2 || mr3) {
            m0 = seL4_hyp_mr_in(info, 0, mr0);
            m1 = seL4_hyp_mr_in(info, 1, mr1);
            m2 = seL4_hyp_mr_in(info, 2, mr2);
            m3 = seL4_hyp_mr_in(info, 3, mr3);
        } else {
            seL4_hyp_mrs_from_buffer(&m0, &m1, &m2, &m3);
        }
    } else {
        m0 = m1 = m2 = m3 = 0;
    }
    seL4_MessageInfo_t out;
    seL4_arch_sys_mcs(sys, src, reply, dest, badge, info.words[0], &out.words[0], &m0, &m1, &m2, &m3);
    if (mr0 || mr1 || mr2 || mr3) {
        seL4_hyp_mr_out(mr0, m0);
        seL4_hyp_mr_out(mr1, m1);
        seL4_hyp_mr_out(mr2, m2);
        seL4_hyp_mr_out(mr3, m3);
    } else {
        seL4_hyp_mrs_to_buffer(m0, m1, m2, m3);
    }
    return out;
}

#define SEL4_HYP_NO_MSG seL4_MessageInfo_new(0, 0, 0, 0)

/* ---- Recv / NBRecv: with the reply object a Call's reply right goes to ---- */
LIBSEL4_INLINE seL4_MessageInfo_t seL4_Recv(seL4_CPtr src, seL4_Word *sender, seL4_CPtr reply)
{
    return seL4_hyp_mcs_call(seL4_SysRecv, src, reply, 0, SEL4_HYP_NO_MSG, sender, NULL, NULL, NULL, NULL, 0);
}
/* (RecvWithMRs names the reply object before the MRs, as seL4 does; the
 * other *WithMRs forms name it last.) */
LIBSEL4_INLINE seL4_MessageInfo_t seL4_RecvWithMRs(seL4_CPtr src, seL4_Word *sender, seL4_CPtr reply, seL4_Word *mr0,
                                                   seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    return seL4_hyp_mcs_call(seL4_SysRecv, src, reply, 0, SEL4_HYP_NO_MSG, sender, mr0, mr1, mr2, mr3, 0);
}
LIBSEL4_INLINE seL4_MessageInfo_t seL4_NBRecv(seL4_CPtr src, seL4_Word *sender, seL4_CPtr reply)
{
    return seL4_hyp_mcs_call(seL4_SysNBRecv, src, reply, 0, SEL4_HYP_NO_MSG, sender, NULL, NULL, NULL, NULL, 0);
}

/* ---- ReplyRecv: Send to the reply object, then Recv on src with it ---- */
LIBSEL4_INLINE seL4_MessageInfo_t seL4_ReplyRecv(seL4_CPtr src, seL4_MessageInfo_t msgInfo, seL4_Word *sender,
                                                 seL4_CPtr reply)
{
    return seL4_hyp_mcs_call(seL4_SysReplyRecv, src, reply, 0, msgInfo, sender, NULL, NULL, NULL, NULL, 1);
}
LIBSEL4_INLINE seL4_MessageInfo_t seL4_ReplyRecvWithMRs(seL4_CPtr src, seL4_MessageInfo_t msgInfo, seL4_Word *sender,
                                                        seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3,
                                                        seL4_CPtr reply)
{
    return seL4_hyp_mcs_call(seL4_SysReplyRecv, src, reply, 0, msgInfo, sender, mr0, mr1, mr2, mr3, 1);
}

/* ---- NBSendRecv / NBSendWait: NBSend to dest, then Recv (Wait) on src ---- */
LIBSEL4_INLINE seL4_MessageInfo_t seL4_NBSendRecv(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_CPtr src,
                                                  seL4_Word *sender, seL4_CPtr reply)
{
    return seL4_hyp_mcs_call(seL4_SysNBSendRecv, src, reply, dest, msgInfo, sender, NULL, NULL, NULL, NULL, 1);
}
LIBSEL4_INLINE seL4_MessageInfo_t seL4_NBSendRecvWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_CPtr src,
                                                         seL4_Word *sender, seL4_Word *mr0, seL4_Word *mr1,
                                                         seL4_Word *mr2, seL4_Word *mr3, seL4_CPtr reply)
{
    return seL4_hyp_mcs_call(seL4_SysNBSendRecv, src, reply, dest, msgInfo, sender, mr0, mr1, mr2, mr3, 1);
}
LIBSEL4_INLINE seL4_MessageInfo_t seL4_NBSendWait(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_CPtr src,
                                                  seL4_Word *sender)
{
    /* the destination travels in the reply register (Wait needs none) */
    return seL4_hyp_mcs_call(seL4_SysNBSendWait, src, dest, 0, msgInfo, sender, NULL, NULL, NULL, NULL, 1);
}
LIBSEL4_INLINE seL4_MessageInfo_t seL4_NBSendWaitWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_CPtr src,
                                                         seL4_Word *sender, seL4_Word *mr0, seL4_Word *mr1,
                                                         seL4_Word *mr2, seL4_Word *mr3)
{
    return seL4_hyp_mcs_call(seL4_SysNBSendWait, src, dest, 0, msgInfo, sender, mr0, mr1, mr2, mr3, 1);
}

/* ---- Wait / NBWait: receive without a reply object ---- */
LIBSEL4_INLINE seL4_MessageInfo_t seL4_Wait(seL4_CPtr src, seL4_Word *sender)
{
    return seL4_hyp_mcs_call(seL4_SysWait, src, 0, 0, SEL4_HYP_NO_MSG, sender, NULL, NULL, NULL, NULL, 0);
}
LIBSEL4_INLINE seL4_MessageInfo_t seL4_WaitWithMRs(seL4_CPtr src, seL4_Word *sender, seL4_Word *mr0, seL4_Word *mr1,
                                                   seL4_Word *mr2, seL4_Word *mr3)
{
    return seL4_hyp_mcs_call(seL4_SysWait, src, 0, 0, SEL4_HYP_NO_MSG, sender, mr0, mr1, mr2, mr3, 0);
}
LIBSEL4_INLINE seL4_MessageInfo_t seL4_NBWait(seL4_CPtr src, seL4_Word *sender)
{
    return seL4_hyp_mcs_call(seL4_SysNBWait, src, 0, 0, SEL4_HYP_NO_MSG, sender, NULL, NULL, NULL, NULL, 0);
}
/* (seL4 has no NBWaitWithMRs: NBWait passes MR0..MR3 through the IPC buffer) */

/* ---- Poll: NBWait on a notification ---- */
LIBSEL4_INLINE seL4_MessageInfo_t seL4_Poll(seL4_CPtr src, seL4_Word *sender) { return seL4_NBWait(src, sender); }

#endif /* CONFIG_KERNEL_MCS */
