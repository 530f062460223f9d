/* hypOS: map and unmap the writable view of a JIT code area through the
 * caps the tool gave the PD for it (hypos:jit_write; microkit_abi.h). */
#include <microkit.h>

/* The frames of f that [off, off + len) touches: [*first, *end). */
static int frame_range(const struct microkit_hypos_frames *f, seL4_Word off, seL4_Word len, seL4_Word *first,
                       seL4_Word *end)
{
    if (!len || off >= f->size || len > f->size - off || (f->page_bits != 12 && f->page_bits != 21))
        return 0;
    *first = off >> f->page_bits;
    *end = (off + len + (1ull << f->page_bits) - 1) >> f->page_bits;
    return *end <= f->n_frames;
}

seL4_Error microkit_hypos_frames_map(const struct microkit_hypos_frames *f, seL4_Word off, seL4_Word len)
{
    seL4_Word first, end;
    if (!frame_range(f, off, len, &first, &end))
        return seL4_RangeError;
    for (seL4_Word i = first; i < end; i++) {
        /* rights and attributes are constants here: whatever the PD's data
         * holds, this view is never executable */
        seL4_Error e = seL4_RISCV_Page_Map(f->first_cap + i, PD_VSPACE_CAP, f->vaddr + (i << f->page_bits),
                                           seL4_ReadWrite, seL4_RISCV_ExecuteNever);
        if (e != seL4_NoError)
            return e;
    }
    return seL4_NoError;
}

seL4_Error microkit_hypos_frames_unmap(const struct microkit_hypos_frames *f, seL4_Word off, seL4_Word len)
{
    seL4_Word first, end;
    if (!frame_range(f, off, len, &first, &end))
        return seL4_RangeError;
    for (seL4_Word i = first; i < end; i++) {
        seL4_Error e = seL4_RISCV_Page_Unmap(f->first_cap + i);
        if (e != seL4_NoError)
            return e;
    }
    return seL4_NoError;
}
