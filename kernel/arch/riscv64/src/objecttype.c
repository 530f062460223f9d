/* riscv64 object types: three frame sizes and the page table (which is
 * also the VSpace root). Retype hands out zeroed memory. */
#include <object/objecttype.h>
#include <sel4/objecttype.h>

int arch_object_size_bits(word_t type)
{
    switch (type) {
    case seL4_RISCV_4K_Page:
        return seL4_PageBits;
    case seL4_RISCV_Mega_Page:
        return seL4_LargePageBits;
    case seL4_RISCV_Giga_Page:
        return seL4_HugePageBits;
    case seL4_RISCV_PageTableObject:
        return seL4_PageTableBits;
    default:
        return -1;
    }
}

bool arch_object_type_is_frame(word_t type)
{
    return type == seL4_RISCV_4K_Page || type == seL4_RISCV_Mega_Page || type == seL4_RISCV_Giga_Page;
}

cap_t arch_create_object(word_t type, word_t oref, bool device)
{
    switch (type) {
    case seL4_RISCV_4K_Page:
        return cap_frame_new(oref, FRAME_4K, VM_READ_WRITE, device, 0, 0);
    case seL4_RISCV_Mega_Page:
        return cap_frame_new(oref, FRAME_2M, VM_READ_WRITE, device, 0, 0);
    case seL4_RISCV_Giga_Page:
        return cap_frame_new(oref, FRAME_1G, VM_READ_WRITE, device, 0, 0);
    case seL4_RISCV_PageTableObject:
        return cap_page_table_new(oref, false, 0, 0);
    default:
        return cap_null_new();
    }
}
