/* Capability comparisons and transformations (seL4 manual ch. 3, "Capability
 * Derivation Tree"; badges and rights as in ch. 4 and 5). */
#include <object/capops.h>
#include <kernel/mdb.h>
#include <arch/cap.h>
#include <object/mcs_objects.h>

bool cap_region(cap_t c, word_t *base, word_t *size_bits)
{
    switch (cap_get_type(c)) {
    case cap_untyped:
        *base = cap_untyped_ptr(c);
        *size_bits = cap_untyped_size_bits(c);
        return true;
    case cap_endpoint:
        *base = cap_endpoint_ptr(c);
        *size_bits = seL4_EndpointBits;
        return true;
    case cap_notification:
        *base = cap_notification_ptr(c);
        *size_bits = seL4_NotificationBits;
        return true;
    case cap_cnode:
        *base = cap_cnode_ptr(c);
        *size_bits = cap_cnode_radix(c) + seL4_SlotBits;
        return true;
    case cap_thread:
        *base = cap_thread_ptr(c);
        *size_bits = seL4_TCBBits;
        return true;
    case cap_frame:
        *base = cap_frame_ptr(c);
        *size_bits = frame_size_bits(cap_frame_size(c));
        return true;
    case cap_page_table:
        *base = cap_page_table_ptr(c);
        *size_bits = seL4_PageTableBits;
        return true;
    case cap_asid_pool:
        *base = cap_asid_pool_ptr(c);
        *size_bits = seL4_ASIDPoolBits;
        return true;
    case cap_zombie:
        /* the object stays in use until its last slot is emptied */
        *base = cap_zombie_obj(c);
        *size_bits = cap_zombie_kind(c) == ZOMBIE_CNODE ? cap_zombie_radix(c) + seL4_SlotBits : seL4_TCBBits;
        return true;
    default:
        return mcs_cap_region(c, base, size_bits);
    }
}

bool same_region_as(cap_t a, cap_t b)
{
    cap_type_t tb = cap_get_type(b);
    switch (cap_get_type(a)) {
    case cap_untyped: {
        word_t ab, as, bb, bs;
        if (!cap_region(b, &bb, &bs))
            return false;
        cap_region(a, &ab, &as);
        word_t a_last = ab + BIT(as) - 1, b_last = bb + BIT(bs) - 1;
        return ab <= bb && b_last <= a_last && bb <= b_last;
    }
    case cap_endpoint:
        return tb == cap_endpoint && cap_endpoint_ptr(a) == cap_endpoint_ptr(b);
    case cap_notification:
        return tb == cap_notification && cap_notification_ptr(a) == cap_notification_ptr(b);
    case cap_cnode:
        return tb == cap_cnode && cap_cnode_ptr(a) == cap_cnode_ptr(b) && cap_cnode_radix(a) == cap_cnode_radix(b);
    case cap_thread:
        return tb == cap_thread && cap_thread_ptr(a) == cap_thread_ptr(b);
    case cap_reply:
        return tb == cap_reply && cap_reply_tcb(a) == cap_reply_tcb(b);
    case cap_domain:
        return tb == cap_domain;
    case cap_trace_control:
        return tb == cap_trace_control;
    case cap_irq_control:
        return tb == cap_irq_control || tb == cap_irq_handler;
    case cap_irq_handler:
        return tb == cap_irq_handler && cap_irq_handler_irq(a) == cap_irq_handler_irq(b);
    case cap_frame: {
        if (tb != cap_frame)
            return false;
        word_t ab = cap_frame_ptr(a), bb = cap_frame_ptr(b);
        word_t a_last = ab + BIT(frame_size_bits(cap_frame_size(a))) - 1;
        word_t b_last = bb + BIT(frame_size_bits(cap_frame_size(b))) - 1;
        return ab <= bb && b_last <= a_last && bb <= b_last;
    }
    case cap_page_table:
        return tb == cap_page_table && cap_page_table_ptr(a) == cap_page_table_ptr(b);
    case cap_asid_control:
        return tb == cap_asid_control;
    case cap_asid_pool:
        return tb == cap_asid_pool && cap_asid_pool_ptr(a) == cap_asid_pool_ptr(b);
    default:
        return mcs_same_region_as(a, b) || arch_same_region_as(a, b);
    }
}

bool same_object_as(cap_t a, cap_t b)
{
    /* Untyped caps are never "the same object": deleting one never
     * finalises anything, and copies are children, not siblings. */
    if (cap_get_type(a) == cap_untyped)
        return false;
    if (cap_get_type(a) == cap_irq_control && cap_get_type(b) == cap_irq_handler)
        return false;
    if (cap_get_type(a) == cap_frame && cap_get_type(b) == cap_frame)
        return cap_frame_ptr(a) == cap_frame_ptr(b) && cap_frame_size(a) == cap_frame_size(b) &&
               cap_frame_is_device(a) == cap_frame_is_device(b);
    if (arch_cap_is_own(a))
        return arch_same_object_as(a, b);
    return same_region_as(a, b);
}

bool is_cap_revocable(cap_t derived, cap_t src)
{
    switch (cap_get_type(derived)) {
    case cap_endpoint:
        return cap_endpoint_badge(derived) != cap_endpoint_badge(src);
    case cap_notification:
        return cap_notification_badge(derived) != cap_notification_badge(src);
    case cap_irq_handler:
        return cap_get_type(src) == cap_irq_control;
    case cap_untyped:
        return true;
    default:
        return arch_is_cap_revocable(derived, src);
    }
}

static word_t mask_vm_rights(word_t vm, word_t rights)
{
    bool r = rights & RIGHT_READ, w = rights & RIGHT_WRITE;
    if (vm == VM_READ_WRITE && r)
        return w ? VM_READ_WRITE : VM_READ_ONLY;
    if (vm == VM_READ_ONLY && r)
        return VM_READ_ONLY;
    return VM_KERNEL_ONLY;
}

cap_t mask_cap_rights(word_t rights, cap_t c)
{
    switch (cap_get_type(c)) {
    case cap_endpoint:
        return cap_set_ipc_rights(c, cap_endpoint_rights(c) & rights);
    case cap_notification:
        return cap_set_ipc_rights(c, cap_notification_rights(c) & rights & (RIGHT_READ | RIGHT_WRITE));
    case cap_reply:
        return cap_reply_set_can_grant(c, cap_reply_can_grant(c) && (rights & RIGHT_GRANT));
    case cap_frame:
        return cap_frame_set_vmrights(c, mask_vm_rights(cap_frame_vmrights(c), rights));
    default:
        return c;
    }
}

cap_t update_cap_data(bool preserve, word_t data, cap_t c)
{
    switch (cap_get_type(c)) {
    case cap_endpoint:
        /* A badge can be set once, by Mint, on an unbadged cap. */
        if (!preserve && cap_endpoint_badge(c) == 0)
            return cap_set_badge(c, data);
        return cap_null_new();
    case cap_notification:
        if (!preserve && cap_notification_badge(c) == 0)
            return cap_set_badge(c, data);
        return cap_null_new();
    case cap_cnode: {
        /* seL4_CNode_CapData: guardSize in bits 5..0, guard above. */
        word_t guard_size = data & 0x3f;
        word_t radix = cap_cnode_radix(c);
        if (guard_size + radix > WORD_BITS)
            return cap_null_new();
        word_t guard = (data >> 6) & MASK(guard_size);
        return cap_cnode_new(cap_cnode_ptr(c), radix, guard_size, guard);
    }
    default:
        return c;
    }
}

cap_t derive_cap(const cte_t *slot, cap_t c, syscall_error_t *err)
{
    *err = NO_ERROR;
    switch (cap_get_type(c)) {
    case cap_zombie:
    case cap_irq_control:
    case cap_reply:
        return cap_null_new();
    case cap_untyped:
        /* The watermark lives in the cap: a copy made while objects exist
         * would let two caps hand out the same memory. */
        if (mdb_has_children(slot)) {
            *err = err_simple(seL4_RevokeFirst, "untyped has children; revoke first");
            return cap_null_new();
        }
        return c;
    case cap_frame:
        /* A copy starts unmapped: a frame cap maps at most once. */
        return cap_frame_set_mapping(c, 0, 0);
    case cap_page_table:
        if (!cap_page_table_is_mapped(c)) {
            *err = err_simple(seL4_IllegalOperation, "cannot derive an unmapped page table cap");
            return cap_null_new();
        }
        return c;
    default:
        return arch_derive_cap(c);
    }
}
