/* Invocation stubs of the MCS configuration, with seL4's C signatures:
 * the TCB methods whose arguments change (the fault endpoint becomes a
 * cap copied into the TCB, SetSchedParams names a scheduling context),
 * and the SchedControl and SchedContext methods (seL4 manual,
 * "Scheduling contexts"). Times are in microseconds. Included by
 * <sel4/client.h>. */
#pragma once
#include <sel4/types.h>
#include <sel4/functions.h>
#include <sel4/client.h>

/* Empty without MCS (the header then has nothing to offer). */
#ifdef CONFIG_KERNEL_MCS

/* ---- TCB ---- */
LIBSEL4_INLINE seL4_Error seL4_TCB_Configure(seL4_TCB service, seL4_CNode cspace_root, seL4_Word cspace_root_data,
                                             seL4_CPtr vspace_root, seL4_Word vspace_root_data, seL4_Word buffer,
                                             seL4_CPtr bufferFrame)
{
    seL4_Word a[3] = {cspace_root_data, vspace_root_data, buffer};
    seL4_SetCap(0, cspace_root);
    seL4_SetCap(1, vspace_root);
    seL4_SetCap(2, bufferFrame);
    return seL4_hyp_invoke(service, TCBConfigure, 3, 3, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_TCB_SetSpace(seL4_TCB service, seL4_CPtr fault_ep, seL4_CNode cspace_root,
                                            seL4_Word cspace_root_data, seL4_CPtr vspace_root,
                                            seL4_Word vspace_root_data)
{
    seL4_Word a[2] = {cspace_root_data, vspace_root_data};
    seL4_SetCap(0, fault_ep);
    seL4_SetCap(1, cspace_root);
    seL4_SetCap(2, vspace_root);
    return seL4_hyp_invoke(service, TCBSetSpace, 3, 2, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_TCB_SetSchedParams(seL4_TCB service, seL4_TCB authority, seL4_Word mcp,
                                                  seL4_Word priority, seL4_CPtr sched_context, seL4_CPtr fault_ep)
{
    seL4_Word a[2] = {mcp, priority};
    seL4_SetCap(0, authority);
    seL4_SetCap(1, sched_context);
    seL4_SetCap(2, fault_ep);
    return seL4_hyp_invoke(service, TCBSetSchedParams, 3, 2, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_TCB_SetTimeoutEndpoint(seL4_TCB service, seL4_CPtr timeout_fault_ep)
{
    seL4_SetCap(0, timeout_fault_ep);
    return seL4_hyp_invoke(service, TCBSetTimeoutEndpoint, 1, 0, NULL, NULL);
}

/* ---- SchedControl ---- */
/* (the flags, seL4_SchedContextFlag: <sel4/constants.h>) */

LIBSEL4_INLINE seL4_Error seL4_SchedControl_ConfigureFlags(seL4_SchedControl service, seL4_SchedContext schedcontext,
                                                           seL4_Time budget, seL4_Time period, seL4_Word extra_refills,
                                                           seL4_Word badge, seL4_Word flags)
{
    seL4_Word a[5] = {budget, period, extra_refills, badge, flags};
    seL4_SetCap(0, schedcontext);
    return seL4_hyp_invoke(service, SchedControlConfigureFlags, 1, 5, a, NULL);
}

/* (SchedControl_Configure, ConfigureFlags without flags: <sel4/virtual_client.h>) */

/* ---- SchedContext ---- */
LIBSEL4_INLINE seL4_Error seL4_SchedContext_Bind(seL4_SchedContext service, seL4_CPtr cap)
{
    seL4_SetCap(0, cap);
    return seL4_hyp_invoke(service, SchedContextBind, 1, 0, NULL, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_SchedContext_Unbind(seL4_SchedContext service)
{
    return seL4_hyp_invoke(service, SchedContextUnbind, 0, 0, NULL, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_SchedContext_UnbindObject(seL4_SchedContext service, seL4_CPtr cap)
{
    seL4_SetCap(0, cap);
    return seL4_hyp_invoke(service, SchedContextUnbindObject, 1, 0, NULL, NULL);
}

typedef struct seL4_SchedContext_Consumed {
    int error;
    seL4_Time consumed;
} seL4_SchedContext_Consumed_t;

/* The time the SC has been charged since the last Consumed or YieldTo. */
LIBSEL4_INLINE seL4_SchedContext_Consumed_t seL4_SchedContext_Consumed(seL4_SchedContext service)
{
    seL4_Word r[4];
    seL4_SchedContext_Consumed_t out;
    out.error = seL4_hyp_invoke(service, SchedContextConsumed, 0, 0, NULL, r);
    out.consumed = out.error ? 0 : r[0];
    return out;
}

typedef struct seL4_SchedContext_YieldTo {
    int error;
    seL4_Time consumed;
} seL4_SchedContext_YieldTo_t;

LIBSEL4_INLINE seL4_SchedContext_YieldTo_t seL4_SchedContext_YieldTo(seL4_SchedContext service)
{
    seL4_Word r[4];
    seL4_SchedContext_YieldTo_t out;
    out.error = seL4_hyp_invoke(service, SchedContextYieldTo, 0, 0, NULL, r);
    out.consumed = out.error ? 0 : r[0];
    return out;
}

#endif /* CONFIG_KERNEL_MCS */
