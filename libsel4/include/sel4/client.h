/* Invocation stubs with seL4's C signatures. Arguments travel as message
 * registers in declaration order (caps excluded); extra caps in the IPC
 * buffer. On error the reply's MR0..MR3 are copied into the IPC buffer so
 * that seL4_GetMR() reports the error details, as on seL4. */
#pragma once
#include <sel4/types.h>
#include <sel4/functions.h>
#include <sel4/syscalls.h>

LIBSEL4_INLINE seL4_Error seL4_hyp_invoke(seL4_CPtr service, seL4_Word label, seL4_Word ncaps, seL4_Word nargs,
                                          seL4_Word *args, seL4_Word *results)
{
    seL4_Word r[4] = {0, 0, 0, 0};
    for (seL4_Word i = 0; i < nargs; i++) {
        if (i < 4)
            r[i] = args[i];
        else
            seL4_SetMR((int)i, args[i]);
    }
    seL4_MessageInfo_t out =
        seL4_CallWithMRs(service, seL4_MessageInfo_new(label, 0, ncaps, nargs), &r[0], &r[1], &r[2], &r[3]);
    seL4_Error err = (seL4_Error)seL4_MessageInfo_get_label(out);
    if (err != seL4_NoError || results) {
        for (int i = 0; i < 4; i++)
            seL4_SetMR(i, r[i]);
    }
    if (results)
        for (int i = 0; i < 4; i++)
            results[i] = r[i];
    return err;
}

LIBSEL4_INLINE seL4_Error seL4_Untyped_Retype(seL4_Untyped service, seL4_Word type, seL4_Word size_bits,
                                              seL4_CNode root, seL4_Word node_index, seL4_Word node_depth,
                                              seL4_Word node_offset, seL4_Word num_objects)
{
    seL4_Word a[6] = {type, size_bits, node_index, node_depth, node_offset, num_objects};
    seL4_SetCap(0, root);
    return seL4_hyp_invoke(service, UntypedRetype, 1, 6, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_CNode_Revoke(seL4_CNode service, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word a[2] = {index, depth};
    return seL4_hyp_invoke(service, CNodeRevoke, 0, 2, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_CNode_Delete(seL4_CNode service, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word a[2] = {index, depth};
    return seL4_hyp_invoke(service, CNodeDelete, 0, 2, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_CNode_CancelBadgedSends(seL4_CNode service, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word a[2] = {index, depth};
    return seL4_hyp_invoke(service, CNodeCancelBadgedSends, 0, 2, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_CNode_Copy(seL4_CNode service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                                          seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth,
                                          seL4_CapRights_t rights)
{
    seL4_Word a[5] = {dest_index, dest_depth, src_index, src_depth, rights.words[0]};
    seL4_SetCap(0, src_root);
    return seL4_hyp_invoke(service, CNodeCopy, 1, 5, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_CNode_Mint(seL4_CNode service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                                          seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth,
                                          seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_Word a[6] = {dest_index, dest_depth, src_index, src_depth, rights.words[0], badge};
    seL4_SetCap(0, src_root);
    return seL4_hyp_invoke(service, CNodeMint, 1, 6, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_CNode_Move(seL4_CNode service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                                          seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth)
{
    seL4_Word a[4] = {dest_index, dest_depth, src_index, src_depth};
    seL4_SetCap(0, src_root);
    return seL4_hyp_invoke(service, CNodeMove, 1, 4, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_CNode_Mutate(seL4_CNode service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                                            seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth,
                                            seL4_Word badge)
{
    seL4_Word a[5] = {dest_index, dest_depth, src_index, src_depth, badge};
    seL4_SetCap(0, src_root);
    return seL4_hyp_invoke(service, CNodeMutate, 1, 5, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_CNode_Rotate(seL4_CNode service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                                            seL4_Word dest_badge, seL4_CNode pivot_root, seL4_Word pivot_index,
                                            seL4_Uint8 pivot_depth, seL4_Word pivot_badge, seL4_CNode src_root,
                                            seL4_Word src_index, seL4_Uint8 src_depth)
{
    seL4_Word a[8] = {dest_index, dest_depth, dest_badge, pivot_index, pivot_depth, pivot_badge, src_index, src_depth};
    seL4_SetCap(0, pivot_root);
    seL4_SetCap(1, src_root);
    return seL4_hyp_invoke(service, CNodeRotate, 2, 8, a, NULL);
}

#ifndef CONFIG_KERNEL_MCS
LIBSEL4_INLINE seL4_Error seL4_CNode_SaveCaller(seL4_CNode service, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word a[2] = {index, depth};
    return seL4_hyp_invoke(service, CNodeSaveCaller, 0, 2, a, NULL);
}
#endif

/* ---- TCB ---- */
#ifndef CONFIG_KERNEL_MCS
/* (the MCS forms: <sel4/client_mcs.h>) */
LIBSEL4_INLINE seL4_Error seL4_TCB_Configure(seL4_TCB service, seL4_Word fault_ep, seL4_CNode cspace_root,
                                             seL4_Word cspace_root_data, seL4_CPtr vspace_root,
                                             seL4_Word vspace_root_data, seL4_Word buffer, seL4_CPtr bufferFrame)
{
    seL4_Word a[4] = {fault_ep, cspace_root_data, vspace_root_data, buffer};
    seL4_SetCap(0, cspace_root);
    seL4_SetCap(1, vspace_root);
    seL4_SetCap(2, bufferFrame);
    return seL4_hyp_invoke(service, TCBConfigure, 3, 4, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_TCB_SetSpace(seL4_TCB service, seL4_Word fault_ep, seL4_CNode cspace_root,
                                            seL4_Word cspace_root_data, seL4_CPtr vspace_root,
                                            seL4_Word vspace_root_data)
{
    seL4_Word a[3] = {fault_ep, cspace_root_data, vspace_root_data};
    seL4_SetCap(0, cspace_root);
    seL4_SetCap(1, vspace_root);
    return seL4_hyp_invoke(service, TCBSetSpace, 2, 3, a, NULL);
}

#endif

LIBSEL4_INLINE seL4_Error seL4_TCB_SetIPCBuffer(seL4_TCB service, seL4_Word buffer, seL4_CPtr bufferFrame)
{
    seL4_Word a[1] = {buffer};
    seL4_SetCap(0, bufferFrame);
    return seL4_hyp_invoke(service, TCBSetIPCBuffer, 1, 1, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_TCB_SetPriority(seL4_TCB service, seL4_TCB authority, seL4_Word priority)
{
    seL4_Word a[1] = {priority};
    seL4_SetCap(0, authority);
    return seL4_hyp_invoke(service, TCBSetPriority, 1, 1, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_TCB_SetMCPriority(seL4_TCB service, seL4_TCB authority, seL4_Word mcp)
{
    seL4_Word a[1] = {mcp};
    seL4_SetCap(0, authority);
    return seL4_hyp_invoke(service, TCBSetMCPriority, 1, 1, a, NULL);
}

#ifndef CONFIG_KERNEL_MCS
/* (the MCS forms: <sel4/client_mcs.h>) */
LIBSEL4_INLINE seL4_Error seL4_TCB_SetSchedParams(seL4_TCB service, seL4_TCB authority, seL4_Word mcp,
                                                  seL4_Word priority)
{
    seL4_Word a[2] = {mcp, priority};
    seL4_SetCap(0, authority);
    return seL4_hyp_invoke(service, TCBSetSchedParams, 1, 2, a, NULL);
}

#endif

LIBSEL4_INLINE seL4_Error seL4_TCB_Suspend(seL4_TCB service)
{
    return seL4_hyp_invoke(service, TCBSuspend, 0, 0, NULL, NULL);
}
LIBSEL4_INLINE seL4_Error seL4_TCB_Resume(seL4_TCB service)
{
    return seL4_hyp_invoke(service, TCBResume, 0, 0, NULL, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_TCB_ReadRegisters(seL4_TCB service, seL4_Bool suspend_source, seL4_Uint8 arch_flags,
                                                 seL4_Word count, seL4_UserContext *regs)
{
    seL4_Word a[2] = {(suspend_source & 1ul) | ((seL4_Word)arch_flags << 8), count};
    seL4_Word r[4];
    seL4_Error e = seL4_hyp_invoke(service, TCBReadRegisters, 0, 2, a, r);
    if (e == seL4_NoError) {
        seL4_Word *out = (seL4_Word *)regs;
        for (seL4_Word i = 0; i < count && i < sizeof(*regs) / sizeof(seL4_Word); i++)
            out[i] = i < 4 ? r[i] : seL4_GetMR((int)i);
    }
    return e;
}

LIBSEL4_INLINE seL4_Error seL4_TCB_WriteRegisters(seL4_TCB service, seL4_Bool resume_target, seL4_Uint8 arch_flags,
                                                  seL4_Word count, seL4_UserContext *regs)
{
    seL4_Word a[2 + sizeof(seL4_UserContext) / sizeof(seL4_Word)];
    seL4_Word n = count < sizeof(*regs) / sizeof(seL4_Word) ? count : sizeof(*regs) / sizeof(seL4_Word);
    a[0] = (resume_target & 1ul) | ((seL4_Word)arch_flags << 8);
    a[1] = count;
    for (seL4_Word i = 0; i < n; i++)
        a[2 + i] = ((seL4_Word *)regs)[i];
    return seL4_hyp_invoke(service, TCBWriteRegisters, 0, 2 + n, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_TCB_CopyRegisters(seL4_TCB service, seL4_TCB source, seL4_Bool suspend_source,
                                                 seL4_Bool resume_target, seL4_Bool transfer_frame,
                                                 seL4_Bool transfer_integer, seL4_Uint8 arch_flags)
{
    seL4_Word a[1] = {(suspend_source & 1ul) | ((resume_target & 1ul) << 1) | ((transfer_frame & 1ul) << 2) |
                      ((transfer_integer & 1ul) << 3) | ((seL4_Word)arch_flags << 8)};
    seL4_SetCap(0, source);
    return seL4_hyp_invoke(service, TCBCopyRegisters, 1, 1, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_TCB_BindNotification(seL4_TCB service, seL4_CPtr notification)
{
    seL4_SetCap(0, notification);
    return seL4_hyp_invoke(service, TCBBindNotification, 1, 0, NULL, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_TCB_UnbindNotification(seL4_TCB service)
{
    return seL4_hyp_invoke(service, TCBUnbindNotification, 0, 0, NULL, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_TCB_SetTLSBase(seL4_TCB service, seL4_Word tls_base)
{
    seL4_Word a[1] = {tls_base};
    return seL4_hyp_invoke(service, TCBSetTLSBase, 0, 1, a, NULL);
}

typedef struct seL4_TCB_SetFlags {
    int error;
    seL4_Word flags;
} seL4_TCB_SetFlags_t;

LIBSEL4_INLINE seL4_TCB_SetFlags_t seL4_TCB_SetFlags(seL4_TCB service, seL4_Word clear, seL4_Word set)
{
    seL4_Word a[2] = {clear, set}, r[4];
    seL4_TCB_SetFlags_t out;
    out.error = seL4_hyp_invoke(service, TCBSetFlags, 0, 2, a, r);
    out.flags = out.error ? 0 : r[0];
    return out;
}

/* ---- DomainSet: domains 0..seL4_NumDomains-1 (make DOMAIN_SCHEDULE=...) ---- */
LIBSEL4_INLINE seL4_Error seL4_DomainSet_Set(seL4_DomainSet service, seL4_Uint8 domain, seL4_TCB thread)
{
    seL4_Word a[1] = {domain};
    seL4_SetCap(0, thread);
    return seL4_hyp_invoke(service, DomainSetSet, 1, 1, a, NULL);
}

/* Runtime domain schedules (seL4 15.0.0): entry `index` of the kernel's
 * schedule becomes (domain, duration); duration is in kernel timer ticks
 * here, and 0 (with domain 0) marks the end of the schedule. */
LIBSEL4_INLINE seL4_Error seL4_DomainSet_ScheduleConfigure(seL4_DomainSet service, seL4_Word index, seL4_Uint8 domain,
                                                           seL4_Time duration)
{
    seL4_Word a[3] = {index, domain, duration};
    return seL4_hyp_invoke(service, DomainScheduleConfigure, 0, 3, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_DomainSet_ScheduleSetStart(seL4_DomainSet service, seL4_Word index)
{
    seL4_Word a[1] = {index};
    return seL4_hyp_invoke(service, DomainScheduleSetStart, 0, 1, a, NULL);
}

#ifdef CONFIG_KERNEL_MCS
#include <sel4/client_mcs.h>
#endif
