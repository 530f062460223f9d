/* RISC-V VSpace invocations with seL4's C signatures (seL4 API reference,
 * "RISC-V-Specific Object Methods"). Arguments travel as message registers
 * in declaration order, caps in the IPC buffer, as in client.h. */
#pragma once
#include <sel4/client.h>

#include <sel4/arch/mapping.h>

typedef struct seL4_RISCV_Page_GetAddress {
    int error;
    seL4_Word paddr;
} seL4_RISCV_Page_GetAddress_t;

LIBSEL4_INLINE seL4_RISCV_Page_GetAddress_t seL4_RISCV_Page_GetAddress(seL4_RISCV_Page service)
{
    seL4_Word res[4];
    seL4_RISCV_Page_GetAddress_t r;
    r.error = seL4_hyp_invoke(service, RISCVPageGetAddress, 0, 0, NULL, res);
    r.paddr = r.error == seL4_NoError ? res[0] : 0;
    return r;
}

LIBSEL4_INLINE seL4_Error seL4_RISCV_PageTable_Map(seL4_RISCV_PageTable service, seL4_RISCV_PageTable vspace,
                                                   seL4_Word vaddr, seL4_RISCV_VMAttributes attr)
{
    seL4_Word a[2] = {vaddr, attr};
    seL4_SetCap(0, vspace);
    return seL4_hyp_invoke(service, RISCVPageTableMap, 1, 2, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_RISCV_PageTable_Unmap(seL4_RISCV_PageTable service)
{
    return seL4_hyp_invoke(service, RISCVPageTableUnmap, 0, 0, NULL, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_RISCV_Page_Map(seL4_RISCV_Page service, seL4_RISCV_PageTable vspace, seL4_Word vaddr,
                                              seL4_CapRights_t rights, seL4_RISCV_VMAttributes attr)
{
    seL4_Word a[3] = {vaddr, rights.words[0], attr};
    seL4_SetCap(0, vspace);
    return seL4_hyp_invoke(service, RISCVPageMap, 1, 3, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_RISCV_Page_Unmap(seL4_RISCV_Page service)
{
    return seL4_hyp_invoke(service, RISCVPageUnmap, 0, 0, NULL, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_RISCV_ASIDControl_MakePool(seL4_RISCV_ASIDControl service, seL4_Untyped untyped,
                                                          seL4_CNode root, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word a[2] = {index, depth};
    seL4_SetCap(0, untyped);
    seL4_SetCap(1, root);
    return seL4_hyp_invoke(service, RISCVASIDControlMakePool, 2, 2, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_RISCV_ASIDPool_Assign(seL4_RISCV_ASIDPool service, seL4_CPtr vspace)
{
    seL4_SetCap(0, vspace);
    return seL4_hyp_invoke(service, RISCVASIDPoolAssign, 1, 0, NULL, NULL);
}
