/* What the frame (Page) invocations of every architecture share: rights
 * masking, Unmap and GetAddress, and Page_Map's checks that do not depend
 * on the page-table format (seL4 API reference, Page_Map: the arguments,
 * the vspace root, the address range and alignment, and where a frame cap
 * that is already mapped may be mapped again). The architecture's decoder
 * (arch/<arch>/src/vspace.c) walks its own tables and builds its own PTE
 * between these steps. Inline, so the map path costs what it did when
 * each architecture had its own copy. */
#pragma once
#include <api/invocation.h>
#include <arch/vspace.h>
#include <object/asid.h>

/* seL4_CapRights_t masking of a frame's VM rights (seL4's maskVMRights). */
static inline word_t mask_frame_rights(word_t vm, word_t rights)
{
    bool r = rights & RIGHT_READ, w = rights & RIGHT_WRITE;
    if (r && vm == VM_READ_ONLY)
        return VM_READ_ONLY;
    if (r && vm == VM_READ_WRITE)
        return w ? VM_READ_WRITE : VM_READ_ONLY;
    return VM_KERNEL_ONLY;
}

static inline void invoke_frame_unmap(cte_t *slot)
{
    arch_unmap_frame(slot->cap);
    slot->cap = cap_frame_set_mapping(slot->cap, 0, 0);
}

static inline void invoke_frame_get_address(invocation_t *inv)
{
    inv_set_mr(inv, 0, cap_frame_ptr(inv->cap));
    inv_set_reply_length(inv, 1);
}

typedef struct frame_map_args {
    vptr_t vaddr;
    word_t rights, attr;
    word_t root, asid; /* the vspace root the frame goes into, and its ASID */
} frame_map_args_t;

/* Page_Map's checks up to the page-table walk, in seL4's order, for a frame
 * of 2^bits bytes. */
static inline syscall_error_t decode_frame_map_args(invocation_t *inv, word_t bits, frame_map_args_t *a)
{
    if (inv->length < 3 || inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "Page_Map needs vaddr, rights, attributes and a vspace");
    a->vaddr = inv_arg(inv, 0);
    a->rights = inv_arg(inv, 1);
    a->attr = inv_arg(inv, 2);
    cap_t vcap = inv->extra[0]->cap;

    if (!arch_is_vspace_root_cap(vcap))
        return err_invalid_cap(1, "not an assigned vspace root");
    syscall_error_t e = find_vspace_root(vcap, &a->root);
    if (e.type != seL4_NoError)
        return e;
    if (a->vaddr + MASK(bits) >= seL4_UserTop)
        return err_invalid_arg(0, "frame would reach beyond user space");
    if (!IS_ALIGNED(a->vaddr, bits))
        return err_simple(seL4_AlignmentError, "address not aligned to the frame size");
    a->asid = cap_page_table_asid(vcap);
    return NO_ERROR;
}

/* Where the frame cap cap may be mapped, given whether the leaf entry at
 * the address is present and which frame it maps. A mapped cap may only be
 * mapped again where it is, to change its rights or attributes; a second
 * mapping needs a copy of the cap. Stricter than seL4: a leaf that maps
 * another frame is never replaced. */
static inline syscall_error_t check_frame_map_target(cap_t cap, const frame_map_args_t *a, bool present, paddr_t mapped)
{
    if (cap_frame_asid(cap)) {
        if (cap_frame_asid(cap) != a->asid)
            return err_invalid_cap(1, "frame cap is mapped in another address space");
        if (cap_frame_vaddr(cap) != a->vaddr)
            return err_invalid_arg(0, "frame cap is mapped at another address; copy the cap");
        if (present && mapped != cap_frame_ptr(cap))
            return err_simple(seL4_DeleteFirst, "another frame is mapped at this address");
    } else if (present) {
        return err_simple(seL4_DeleteFirst, "address already mapped");
    }
    return NO_ERROR;
}
