/* Invocation stubs with seL4's C signatures. Arguments travel as message
 * registers in declaration order (caps excluded); extra caps in the IPC
 * buffer. On error the reply's MR0..MR3 are copied into the IPC buffer so
 * that seL4_GetMR() reports the error details, as on seL4. */
#pragma once
#include <sel4/types.h>
#include <sel4/functions.h>
#include <sel4/syscalls.h>

static inline seL4_Error seL4_hyp_invoke(seL4_CPtr service, seL4_Word label, seL4_Word ncaps, seL4_Word nargs,
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

static inline seL4_Error seL4_Untyped_Retype(seL4_Untyped service, seL4_Word type, seL4_Word size_bits,
                                             seL4_CNode root, seL4_Word node_index, seL4_Word node_depth,
                                             seL4_Word node_offset, seL4_Word num_objects)
{
    seL4_Word a[6] = {type, size_bits, node_index, node_depth, node_offset, num_objects};
    seL4_SetCap(0, root);
    return seL4_hyp_invoke(service, UntypedRetype, 1, 6, a, NULL);
}

static inline seL4_Error seL4_CNode_Revoke(seL4_CNode service, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word a[2] = {index, depth};
    return seL4_hyp_invoke(service, CNodeRevoke, 0, 2, a, NULL);
}

static inline seL4_Error seL4_CNode_Delete(seL4_CNode service, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word a[2] = {index, depth};
    return seL4_hyp_invoke(service, CNodeDelete, 0, 2, a, NULL);
}

static inline seL4_Error seL4_CNode_CancelBadgedSends(seL4_CNode service, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word a[2] = {index, depth};
    return seL4_hyp_invoke(service, CNodeCancelBadgedSends, 0, 2, a, NULL);
}

static inline seL4_Error seL4_CNode_Copy(seL4_CNode service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                                         seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth,
                                         seL4_CapRights_t rights)
{
    seL4_Word a[5] = {dest_index, dest_depth, src_index, src_depth, rights.words[0]};
    seL4_SetCap(0, src_root);
    return seL4_hyp_invoke(service, CNodeCopy, 1, 5, a, NULL);
}

static inline seL4_Error seL4_CNode_Mint(seL4_CNode service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                                         seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth,
                                         seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_Word a[6] = {dest_index, dest_depth, src_index, src_depth, rights.words[0], badge};
    seL4_SetCap(0, src_root);
    return seL4_hyp_invoke(service, CNodeMint, 1, 6, a, NULL);
}

static inline seL4_Error seL4_CNode_Move(seL4_CNode service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                                         seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth)
{
    seL4_Word a[4] = {dest_index, dest_depth, src_index, src_depth};
    seL4_SetCap(0, src_root);
    return seL4_hyp_invoke(service, CNodeMove, 1, 4, a, NULL);
}

static inline seL4_Error seL4_CNode_Mutate(seL4_CNode service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                                           seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth,
                                           seL4_Word badge)
{
    seL4_Word a[5] = {dest_index, dest_depth, src_index, src_depth, badge};
    seL4_SetCap(0, src_root);
    return seL4_hyp_invoke(service, CNodeMutate, 1, 5, a, NULL);
}

static inline seL4_Error seL4_CNode_Rotate(seL4_CNode service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                                           seL4_Word dest_badge, seL4_CNode pivot_root, seL4_Word pivot_index,
                                           seL4_Uint8 pivot_depth, seL4_Word pivot_badge, seL4_CNode src_root,
                                           seL4_Word src_index, seL4_Uint8 src_depth)
{
    seL4_Word a[8] = {dest_index, dest_depth, dest_badge, pivot_index, pivot_depth, pivot_badge, src_index, src_depth};
    seL4_SetCap(0, pivot_root);
    seL4_SetCap(1, src_root);
    return seL4_hyp_invoke(service, CNodeRotate, 2, 8, a, NULL);
}

static inline seL4_Error seL4_CNode_SaveCaller(seL4_CNode service, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word a[2] = {index, depth};
    return seL4_hyp_invoke(service, CNodeSaveCaller, 0, 2, a, NULL);
}

typedef struct seL4_RISCV_Page_GetAddress {
    int error;
    seL4_Word paddr;
} seL4_RISCV_Page_GetAddress_t;

static inline seL4_RISCV_Page_GetAddress_t seL4_RISCV_Page_GetAddress(seL4_RISCV_Page service)
{
    seL4_Word res[4];
    seL4_RISCV_Page_GetAddress_t r;
    r.error = seL4_hyp_invoke(service, RISCVPageGetAddress, 0, 0, NULL, res);
    r.paddr = r.error == seL4_NoError ? res[0] : 0;
    return r;
}
