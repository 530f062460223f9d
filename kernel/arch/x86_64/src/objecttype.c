/* x86_64 object types: the three paging-structure levels below the PML4,
 * the PML4 itself and three frame sizes. Retype hands out zeroed memory;
 * a PML4 gets the kernel's half when an ASID pool assigns it. */
#include <arch/vspace.h>
#include <object/objecttype.h>
#include <sel4/objecttype.h>

int arch_object_size_bits(word_t type)
{
    switch (type) {
    case seL4_X86_4K:
        return seL4_PageBits;
    case seL4_X86_LargePageObject:
        return seL4_LargePageBits;
    case seL4_X64_HugePageObject:
        return seL4_HugePageBits;
    case seL4_X86_PageTableObject:
    case seL4_X86_PageDirectoryObject:
    case seL4_X86_PDPTObject:
    case seL4_X64_PML4Object:
        return seL4_PageTableBits;
    default:
        return -1;
    }
}

bool arch_object_type_is_frame(word_t type)
{
    return type == seL4_X86_4K || type == seL4_X86_LargePageObject || type == seL4_X64_HugePageObject;
}

cap_t arch_create_object(word_t type, word_t oref, bool device)
{
    switch (type) {
    case seL4_X86_4K:
        return cap_frame_new(oref, FRAME_4K, VM_READ_WRITE, device, 0, 0);
    case seL4_X86_LargePageObject:
        return cap_frame_new(oref, FRAME_2M, VM_READ_WRITE, device, 0, 0);
    case seL4_X64_HugePageObject:
        return cap_frame_new(oref, FRAME_1G, VM_READ_WRITE, device, 0, 0);
    case seL4_X86_PageTableObject:
        return cap_paging_new(oref, PT_LEVEL_PT, false, 0, 0);
    case seL4_X86_PageDirectoryObject:
        return cap_paging_new(oref, PT_LEVEL_PD, false, 0, 0);
    case seL4_X86_PDPTObject:
        return cap_paging_new(oref, PT_LEVEL_PDPT, false, 0, 0);
    case seL4_X64_PML4Object:
        return cap_paging_new(oref, PT_LEVEL_PML4, false, 0, 0);
    default:
        return cap_null_new();
    }
}
