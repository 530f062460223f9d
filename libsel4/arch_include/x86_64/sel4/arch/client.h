/* x86_64 VSpace invocations with seL4's C signatures (seL4 API reference,
 * "x86-Specific Object Methods"). Arguments travel as message registers
 * in declaration order, caps in the IPC buffer, as in client.h. */
#pragma once
#include <sel4/client.h>
#include <sel4/invocation.h>

#include <sel4/arch/mapping.h>

LIBSEL4_INLINE seL4_Error seL4_hyp_x86_map(seL4_CPtr service, seL4_Word label, seL4_CPtr vspace, seL4_Word vaddr,
                                           seL4_X86_VMAttributes attr)
{
    seL4_Word a[2] = {vaddr, attr};
    seL4_SetCap(0, vspace);
    return seL4_hyp_invoke(service, label, 1, 2, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_X86_PDPT_Map(seL4_X86_PDPT service, seL4_X64_PML4 pml4, seL4_Word vaddr,
                                            seL4_X86_VMAttributes attr)
{
    return seL4_hyp_x86_map(service, X86PDPTMap, pml4, vaddr, attr);
}
LIBSEL4_INLINE seL4_Error seL4_X86_PDPT_Unmap(seL4_X86_PDPT service)
{
    return seL4_hyp_invoke(service, X86PDPTUnmap, 0, 0, NULL, NULL);
}
LIBSEL4_INLINE seL4_Error seL4_X86_PageDirectory_Map(seL4_X86_PageDirectory service, seL4_X64_PML4 vspace,
                                                     seL4_Word vaddr, seL4_X86_VMAttributes attr)
{
    return seL4_hyp_x86_map(service, X86PageDirectoryMap, vspace, vaddr, attr);
}
LIBSEL4_INLINE seL4_Error seL4_X86_PageDirectory_Unmap(seL4_X86_PageDirectory service)
{
    return seL4_hyp_invoke(service, X86PageDirectoryUnmap, 0, 0, NULL, NULL);
}
LIBSEL4_INLINE seL4_Error seL4_X86_PageTable_Map(seL4_X86_PageTable service, seL4_X64_PML4 vspace, seL4_Word vaddr,
                                                 seL4_X86_VMAttributes attr)
{
    return seL4_hyp_x86_map(service, X86PageTableMap, vspace, vaddr, attr);
}
LIBSEL4_INLINE seL4_Error seL4_X86_PageTable_Unmap(seL4_X86_PageTable service)
{
    return seL4_hyp_invoke(service, X86PageTableUnmap, 0, 0, NULL, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_X86_Page_Map(seL4_X86_Page service, seL4_X64_PML4 vspace, seL4_Word vaddr,
                                            seL4_CapRights_t rights, seL4_X86_VMAttributes attr)
{
    seL4_Word a[3] = {vaddr, rights.words[0], attr};
    seL4_SetCap(0, vspace);
    return seL4_hyp_invoke(service, X86PageMap, 1, 3, a, NULL);
}
LIBSEL4_INLINE seL4_Error seL4_X86_Page_Unmap(seL4_X86_Page service)
{
    return seL4_hyp_invoke(service, X86PageUnmap, 0, 0, NULL, NULL);
}

typedef struct seL4_X86_Page_GetAddress {
    int error;
    seL4_Word paddr;
} seL4_X86_Page_GetAddress_t;

LIBSEL4_INLINE seL4_X86_Page_GetAddress_t seL4_X86_Page_GetAddress(seL4_X86_Page service)
{
    seL4_Word res[4];
    seL4_X86_Page_GetAddress_t r;
    r.error = seL4_hyp_invoke(service, X86PageGetAddress, 0, 0, NULL, res);
    r.paddr = r.error == seL4_NoError ? res[0] : 0;
    return r;
}

LIBSEL4_INLINE seL4_Error seL4_X86_ASIDControl_MakePool(seL4_X86_ASIDControl service, seL4_CPtr untyped, seL4_CPtr root,
                                                        seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word a[2] = {index, depth};
    seL4_SetCap(0, untyped);
    seL4_SetCap(1, root);
    return seL4_hyp_invoke(service, X86ASIDControlMakePool, 2, 2, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_X86_ASIDPool_Assign(seL4_X86_ASIDPool service, seL4_CPtr vspace)
{
    seL4_SetCap(0, vspace);
    return seL4_hyp_invoke(service, X86ASIDPoolAssign, 1, 0, NULL, NULL);
}

/* An IRQ handler for I/O APIC input pin (seL4's x86 GetIOAPIC): level 1
 * for level-triggered, polarity 1 for active low; vector is the IRQ
 * number the handler gets (hypOS: 1..maxIRQ). */
LIBSEL4_INLINE seL4_Error seL4_IRQControl_GetIOAPIC(seL4_IRQControl service, seL4_CNode root, seL4_Word index,
                                                    seL4_Uint8 depth, seL4_Word ioapic, seL4_Word pin, seL4_Word level,
                                                    seL4_Word polarity, seL4_Word vector)
{
    seL4_Word a[7] = {index, depth, ioapic, pin, level, polarity, vector};
    seL4_SetCap(0, root);
    return seL4_hyp_invoke(service, X86IRQIssueIRQHandlerIOAPIC, 1, 7, a, NULL);
}

/* An IRQ handler for a PCI device's MSI (seL4's x86 GetMSI); the device
 * is then programmed to write data 0x30 + vector to address 0xfee00000. */
LIBSEL4_INLINE seL4_Error seL4_IRQControl_GetMSI(seL4_IRQControl service, seL4_CNode root, seL4_Word index,
                                                 seL4_Uint8 depth, seL4_Word pci_bus, seL4_Word pci_dev,
                                                 seL4_Word pci_func, seL4_Word handle, seL4_Word vector)
{
    seL4_Word a[7] = {index, depth, pci_bus, pci_dev, pci_func, handle, vector};
    seL4_SetCap(0, root);
    return seL4_hyp_invoke(service, X86IRQIssueIRQHandlerMSI, 1, 7, a, NULL);
}

/* I/O ports: Issue hands out the ports [first_port, last_port] as a new
 * IOPort cap in root/index/depth, once per port; In and Out move 8, 16 or
 * 32 bits through ports that lie in the cap's range. */
LIBSEL4_INLINE seL4_Error seL4_X86_IOPortControl_Issue(seL4_X86_IOPortControl service, seL4_Word first_port,
                                                       seL4_Word last_port, seL4_CNode root, seL4_Word index,
                                                       seL4_Uint8 depth)
{
    seL4_Word a[4] = {first_port, last_port, index, depth};
    seL4_SetCap(0, root);
    return seL4_hyp_invoke(service, X86IOPortControlIssue, 1, 4, a, NULL);
}

typedef struct seL4_X86_IOPort_In8 {
    int error;
    seL4_Uint8 result;
} seL4_X86_IOPort_In8_t;
typedef struct seL4_X86_IOPort_In16 {
    int error;
    seL4_Uint16 result;
} seL4_X86_IOPort_In16_t;
typedef struct seL4_X86_IOPort_In32 {
    int error;
    seL4_Uint32 result;
} seL4_X86_IOPort_In32_t;

LIBSEL4_INLINE seL4_Word seL4_hyp_x86_port_in(seL4_X86_IOPort service, seL4_Word label, seL4_Uint16 port, int *error)
{
    seL4_Word a[1] = {port}, res[4];
    *error = seL4_hyp_invoke(service, label, 0, 1, a, res);
    return *error == seL4_NoError ? res[0] : 0;
}
LIBSEL4_INLINE seL4_X86_IOPort_In8_t seL4_X86_IOPort_In8(seL4_X86_IOPort service, seL4_Uint16 port)
{
    seL4_X86_IOPort_In8_t r;
    r.result = (seL4_Uint8)seL4_hyp_x86_port_in(service, X86IOPortIn8, port, &r.error);
    return r;
}
LIBSEL4_INLINE seL4_X86_IOPort_In16_t seL4_X86_IOPort_In16(seL4_X86_IOPort service, seL4_Uint16 port)
{
    seL4_X86_IOPort_In16_t r;
    r.result = (seL4_Uint16)seL4_hyp_x86_port_in(service, X86IOPortIn16, port, &r.error);
    return r;
}
LIBSEL4_INLINE seL4_X86_IOPort_In32_t seL4_X86_IOPort_In32(seL4_X86_IOPort service, seL4_Uint16 port)
{
    seL4_X86_IOPort_In32_t r;
    r.result = (seL4_Uint32)seL4_hyp_x86_port_in(service, X86IOPortIn32, port, &r.error);
    return r;
}

LIBSEL4_INLINE seL4_Error seL4_X86_IOPort_Out8(seL4_X86_IOPort service, seL4_Word port, seL4_Word data)
{
    seL4_Word a[2] = {port, data};
    return seL4_hyp_invoke(service, X86IOPortOut8, 0, 2, a, NULL);
}
LIBSEL4_INLINE seL4_Error seL4_X86_IOPort_Out16(seL4_X86_IOPort service, seL4_Word port, seL4_Word data)
{
    seL4_Word a[2] = {port, data};
    return seL4_hyp_invoke(service, X86IOPortOut16, 0, 2, a, NULL);
}
LIBSEL4_INLINE seL4_Error seL4_X86_IOPort_Out32(seL4_X86_IOPort service, seL4_Word port, seL4_Word data)
{
    seL4_Word a[2] = {port, data};
    return seL4_hyp_invoke(service, X86IOPortOut32, 0, 2, a, NULL);
}
