/* Object creation and finalisation, dispatched by type. */
#include <object/objecttype.h>
#include <kernel/addr.h>
#include <kernel/thread.h>
#include <object/ipc.h>
#include <object/irq.h>
#include <arch/cap.h>
#include <object/asid.h>
#include <arch/vspace.h>
#include <sel4/objecttype.h>
#include <object/mcs_objects.h>
#include <trace/trace.h>

int object_size_bits(word_t type, word_t user_size_bits)
{
    switch (type) {
    case seL4_UntypedObject:
        return (int)user_size_bits;
    case seL4_TCBObject:
        return seL4_TCBBits;
    case seL4_EndpointObject:
        return seL4_EndpointBits;
    case seL4_NotificationObject:
        return seL4_NotificationBits;
    case seL4_CapTableObject:
        return (int)(user_size_bits + seL4_SlotBits);
    default: {
        int mcs = mcs_object_size_bits(type, user_size_bits);
        if (mcs != -1)
            return mcs < 0 ? -1 : mcs;
        return arch_object_size_bits(type);
    }
    }
}

bool object_type_is_frame(word_t type) { return arch_object_type_is_frame(type); }

cap_t create_object(word_t type, word_t oref, word_t user_size_bits, bool device)
{
    switch (type) {
    case seL4_UntypedObject:
        return cap_untyped_new(oref, user_size_bits, device, 0);
    case seL4_TCBObject: {
        tcb_t *tcb = oref_ptr(oref);
        tcb_init(tcb);
        return cap_thread_new(oref);
    }
    case seL4_EndpointObject:
        return cap_endpoint_new(oref, 0, RIGHTS_ALL);
    case seL4_NotificationObject:
        return cap_notification_new(oref, 0, RIGHT_READ | RIGHT_WRITE);
    case seL4_CapTableObject:
        return cap_cnode_new(oref, user_size_bits, 0, 0);
    default: {
        cap_t c;
        if (mcs_create_object(type, oref, user_size_bits, &c))
            return c;
        return arch_create_object(type, oref, device);
    }
    }
}

void finalise_object(cap_t cap)
{
    switch (cap_get_type(cap)) {
    case cap_endpoint:
        endpoint_cancel_all(oref_ptr(cap_endpoint_ptr(cap)));
        trace_endpoint_gone(oref_ptr(cap_endpoint_ptr(cap)));
        break;
    case cap_notification:
        notification_finalise(oref_ptr(cap_notification_ptr(cap)));
        trace_notification_gone(oref_ptr(cap_notification_ptr(cap)));
        break;
    case cap_frame:
        if (cap_frame_vaddr(cap) || cap_frame_asid(cap))
            arch_unmap_frame(cap);
        break;
    case cap_page_table:
        arch_finalise_page_table(cap);
        break;
    case cap_asid_pool:
        asid_pool_finalise(cap);
        break;
    case cap_irq_handler:
        irq_handler_finalise(cap_irq_handler_irq(cap));
        break;
    default:
        /* untyped, domain, irq control, asid control, non-MCS reply caps:
         * nothing owned; MCS objects and the architecture's own caps may
         * own something */
        mcs_finalise_object(cap);
        arch_finalise_cap(cap);
        break;
    }
}

void finalise_thread_before_slots(tcb_t *tcb) { thread_finalise(tcb); }
