/* Untyped memory: seL4_Untyped_Retype (seL4 manual §2.4 and API reference). */
#include <api/invocation.h>
#include <kernel/addr.h>
#include <kernel/cspace.h>
#include <kernel/mdb.h>
#include <kernel/preemption.h>
#include <kernel/string.h>
#include <object/capops.h>
#include <object/objecttype.h>
#include <object/mcs_objects.h>
#include <sel4/invocation.h>
#include <sel4/objecttype.h>
#include <trace/trace.h>

/* A copy of an untyped cap is its child covering the same region. Only one
 * of them may hand out memory, because the watermark lives in each cap. */
static bool has_same_region_copy(const cte_t *slot)
{
    const cte_t *n = mdb_next(slot);
    return n && cap_get_type(n->cap) == cap_untyped && cap_untyped_ptr(n->cap) == cap_untyped_ptr(slot->cap) &&
           cap_untyped_size_bits(n->cap) == cap_untyped_size_bits(slot->cap) && is_mdb_parent_of(slot, n);
}

/* The memory of a RAM untyped above its watermark is always zero, so
 * objects are carved from it without clearing (as seL4 does since it
 * clears on reset). Boot hands RAM untyped out with the watermark at the
 * top, and memory below a watermark is zeroed by the reset that lowers it. */
static void zero_range(word_t oref, word_t bytes)
{
    word_t whole = ROUND_DOWN(bytes, 6);
    clear_memory(oref_ptr(oref), whole);
    word_t *p = oref_ptr(oref + whole); /* a 16- to 48-byte tail */
    for (word_t i = 0; i < (bytes - whole) / sizeof(word_t); i++)
        p[i] = 0;
}

/* A retype of an untyped without children starts over from its base: the
 * memory used before is cleared from the top down, one chunk at a time,
 * and the watermark is lowered after each chunk. At a preemption point
 * everything above the watermark is clear and nothing below it is handed
 * out; the restarted retype resets on from the watermark, so no chunk is
 * cleared twice. Device memory is never cleared. */
static exception_t reset_untyped(cte_t *slot)
{
    word_t base = cap_untyped_ptr(slot->cap), free = cap_untyped_free_bytes(slot->cap);
    if (cap_untyped_is_device(slot->cap)) {
        slot->cap = cap_untyped_set_free_bytes(slot->cap, 0);
        return EXCEPTION_NONE;
    }
    while (free > 0) {
        word_t chunk = ROUND_DOWN(free - 1, CLEAR_CHUNK_BITS);
        zero_range(base + chunk, free - chunk);
        free = chunk;
        slot->cap = cap_untyped_set_free_bytes(slot->cap, free);
        if (free && preemption_point(WORK_CLEAR_CHUNK) == EXCEPTION_PREEMPTED)
            return EXCEPTION_PREEMPTED;
    }
    return EXCEPTION_NONE;
}

static void invoke_untyped_retype(cte_t *src, word_t base, word_t type, word_t user_size, cte_t *cnode, word_t offset,
                                  word_t count, bool device)
{
    word_t obj_bits = (word_t)object_size_bits(type, user_size);
    word_t ut_base = cap_untyped_ptr(src->cap);
    src->cap = cap_untyped_set_free_bytes(src->cap, base + (count << obj_bits) - ut_base);
    for (word_t i = 0; i < count; i++) {
        cap_t c = create_object(type, base + (i << obj_bits), user_size, device);
        cte_insert_new(c, src, &cnode[offset + i]);
    }
}

syscall_error_t decode_untyped_invocation(invocation_t *inv)
{
    if (inv->label != UntypedRetype)
        return err_simple(seL4_IllegalOperation, "untyped caps only support Retype");
    if (inv->length < 6 || inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "Retype needs 6 arguments and a root CNode");

    word_t type = inv_arg(inv, 0), user_size = inv_arg(inv, 1), node_index = inv_arg(inv, 2);
    word_t node_depth = inv_arg(inv, 3), node_offset = inv_arg(inv, 4), count = inv_arg(inv, 5);
    cap_t root = inv->extra[0]->cap;

    if (type >= seL4_ObjectTypeCount)
        return err_invalid_arg(0, "invalid object type");
    if (user_size > seL4_MaxUntypedBits)
        return err_range(0, seL4_MaxUntypedBits, "object size too large");
    if (type == seL4_CapTableObject && user_size == 0)
        return err_invalid_arg(1, "a CNode needs at least one radix bit");
    if (type == seL4_UntypedObject && user_size < seL4_MinUntypedBits)
        return err_invalid_arg(1, "untyped smaller than the minimum");
    if (mcs_object_size_bits(type, user_size) == -2)
        return err_invalid_arg(1, "scheduling context smaller than the minimum");

    cap_t node_cap = root;
    if (node_depth != 0) {
        syscall_error_t e;
        cte_t *s = lookup_slot_for_cnode_op(false, root, node_index, node_depth, &e);
        if (!s)
            return e;
        node_cap = s->cap;
    }
    if (cap_get_type(node_cap) != cap_cnode)
        return err_lookup(false, lf_missing(node_depth), "destination is not a CNode");

    word_t node_size = BIT(cap_cnode_radix(node_cap));
    if (node_offset > node_size - 1)
        return err_range(0, node_size - 1, "destination offset outside the CNode");
    if (count < 1 || count > seL4_RetypeFanOutLimit)
        return err_range(1, seL4_RetypeFanOutLimit, "number of objects out of range");
    if (count > node_size - node_offset)
        return err_range(1, node_size - node_offset, "objects do not fit the destination window");

    cte_t *cnode = oref_ptr(cap_cnode_ptr(node_cap));
    for (word_t i = node_offset; i < node_offset + count; i++)
        if (!cap_is_null(cnode[i].cap))
            return err_simple(seL4_DeleteFirst, "destination slot is not empty");

    if (has_same_region_copy(inv->slot))
        return err_simple(seL4_RevokeFirst, "a copy of this untyped cap is the one that allocates");

    /* With no children the untyped starts over from its base. */
    bool reset = !mdb_has_children(inv->slot);
    word_t free_bytes = reset ? 0 : cap_untyped_free_bytes(inv->cap);
    word_t ut_base = cap_untyped_ptr(inv->cap), ut_bits = cap_untyped_size_bits(inv->cap);
    word_t obj_bits = (word_t)object_size_bits(type, user_size);
    word_t avail = BIT(ut_bits) - free_bytes;

    if (obj_bits >= WORD_BITS || (avail >> obj_bits) < count) {
        syscall_error_t e = err_simple(seL4_NotEnoughMemory, "not enough memory left in the untyped");
        e.arg0 = avail;
        return e;
    }
    bool device = cap_untyped_is_device(inv->cap);
    if (device && !object_type_is_frame(type) && type != seL4_UntypedObject)
        return err_invalid_arg(1, "device untyped can only become frames or untyped");

    word_t base = ROUND_UP(ut_base + free_bytes, obj_bits);
    if (reset && reset_untyped(inv->slot) == EXCEPTION_PREEMPTED)
        return PREEMPTED;
    /* The untyped's end is aligned to every smaller object size, so the
     * objects that fit by count also fit after aligning the start up. */
    invoke_untyped_retype(inv->slot, base, type, user_size, cnode, node_offset, count, device);
    if (unlikely(trace_system_hook))
        trace_retype(inv->thread, type, obj_bits, count);
    return NO_ERROR;
}
