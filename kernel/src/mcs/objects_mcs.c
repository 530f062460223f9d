/* Scheduling contexts, reply objects and the SchedControl cap as kernel
 * objects: their sizes, creation, regions and deletion. */
#include <object/mcs_objects.h>
#include <api/invocation.h>
#include <kernel/addr.h>
#include <object/ipc.h>
#include <sel4/objecttype.h>

syscall_error_t decode_sched_context_invocation(invocation_t *inv);
syscall_error_t decode_sched_control_invocation(invocation_t *inv);

int mcs_object_size_bits(word_t type, word_t user_size_bits)
{
    switch (type) {
    case seL4_SchedContextObject:
        /* variable size: at least the two refills every SC has */
        return user_size_bits >= seL4_MinSchedContextBits && user_size_bits < WORD_BITS - 1 ? (int)user_size_bits : -2;
    case seL4_ReplyObject:
        return seL4_ReplyBits;
    default:
        return -1;
    }
}

bool mcs_create_object(word_t type, word_t oref, word_t user_size_bits, cap_t *out)
{
    switch (type) {
    case seL4_SchedContextObject: {
        sched_context_t *sc = oref_ptr(oref);
        sc->refill_max = refill_capacity(user_size_bits);
        *out = cap_sched_context_new(oref, user_size_bits);
        return true;
    }
    case seL4_ReplyObject:
        *out = cap_reply_object_new(oref, true);
        return true;
    default:
        return false;
    }
}

void mcs_finalise_object(cap_t cap)
{
    switch (cap_get_type(cap)) {
    case cap_sched_context:
        sched_context_finalise(oref_ptr(cap_sched_context_ptr(cap)));
        break;
    case cap_reply:
        reply_finalise(oref_ptr(cap_reply_ptr(cap)));
        break;
    default:
        break;
    }
}

bool mcs_cap_region(cap_t c, word_t *base, word_t *size_bits)
{
    switch (cap_get_type(c)) {
    case cap_sched_context:
        *base = cap_sched_context_ptr(c);
        *size_bits = cap_sched_context_size_bits(c);
        return true;
    case cap_reply:
        *base = cap_reply_ptr(c);
        *size_bits = seL4_ReplyBits;
        return true;
    default:
        return false;
    }
}

bool mcs_same_region_as(cap_t a, cap_t b)
{
    switch (cap_get_type(a)) {
    case cap_sched_context:
        return cap_get_type(b) == cap_sched_context && cap_sched_context_ptr(a) == cap_sched_context_ptr(b);
    case cap_sched_control:
        return cap_get_type(b) == cap_sched_control;
    default:
        return false;
    }
}

bool mcs_decode_invocation(invocation_t *inv, syscall_error_t *e)
{
    switch (cap_get_type(inv->cap)) {
    case cap_sched_context:
        *e = decode_sched_context_invocation(inv);
        return true;
    case cap_sched_control:
        *e = decode_sched_control_invocation(inv);
        return true;
    default:
        return false;
    }
}

/* A receiver waiting with its reply object stops using it. */
void receive_reply_forget(tcb_t *t)
{
    reply_t *r = t->reply;
    if (r && r->tcb == t)
        r->tcb = NULL;
    t->reply = NULL;
}
