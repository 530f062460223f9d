/* CNode invocations (seL4 manual §3.1, API reference "CNode"). */
#include <api/invocation.h>
#include <kernel/cspace.h>
#include <kernel/mdb.h>
#include <object/capops.h>
#include <sel4/invocation.h>
#include <kernel/addr.h>
#include <object/ipc.h>

syscall_error_t ensure_empty(const cte_t *slot)
{
    if (!cap_is_null(slot->cap))
        return err_simple(seL4_DeleteFirst, "destination slot is not empty");
    return NO_ERROR;
}

static void invoke_cnode_insert(cap_t cap, cte_t *src, cte_t *dest) { cte_insert(cap, src, dest); }
static void invoke_cnode_move(cap_t cap, cte_t *src, cte_t *dest) { cte_move(cap, src, dest); }

static void invoke_cnode_rotate(cap_t new_src, cap_t new_pivot, cte_t *src, cte_t *pivot, cte_t *dest)
{
    if (src == dest) {
        cte_swap(new_src, src, new_pivot, pivot);
    } else {
        cte_move(new_pivot, pivot, dest);
        cte_move(new_src, src, pivot);
    }
}

/* The long operations: a preempted one reports PREEMPTED and the system
 * call restarts, carrying on from the progress it saved. */
static syscall_error_t invoke_cnode_revoke(cte_t *slot)
{
    return cte_revoke_preemptible(slot) == EXCEPTION_PREEMPTED ? PREEMPTED : NO_ERROR;
}

static syscall_error_t invoke_cnode_delete(cte_t *slot)
{
    return cte_delete_preemptible(slot) == EXCEPTION_PREEMPTED ? PREEMPTED : NO_ERROR;
}

static syscall_error_t invoke_cnode_cancel_badged_sends(cte_t *slot)
{
    endpoint_t *ep = oref_ptr(cap_endpoint_ptr(slot->cap));
    return endpoint_cancel_badged_sends(ep, cap_endpoint_badge(slot->cap)) == EXCEPTION_PREEMPTED ? PREEMPTED
                                                                                                  : NO_ERROR;
}

/* A zombie (the cap of an object whose deletion was preempted) stays where
 * it is: the deletion's progress is linked through the slots its chain
 * occupies. Deleting it again (or revoking its untyped) finishes it. */
static const char zombie_reason[] = "the cap is being deleted: delete it again to finish";

static bool has_cancel_send_rights(cap_t c)
{
    return cap_get_type(c) == cap_endpoint && cap_endpoint_rights(c) == RIGHTS_ALL;
}

static syscall_error_t decode_copy_like(invocation_t *inv, cte_t *dest)
{
    if (inv->length < 4 || inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "needs source index, depth and root");
    word_t src_index = inv_arg(inv, 2), src_depth = inv_arg(inv, 3);
    cap_t src_root = inv->extra[0]->cap;
    syscall_error_t e = ensure_empty(dest);
    if (e.type)
        return e;
    cte_t *src = lookup_slot_for_cnode_op(true, src_root, src_index, src_depth, &e);
    if (!src)
        return e;
    if (cap_is_null(src->cap))
        return err_lookup(true, lf_missing(src_depth), "source slot is empty");
    if (cap_get_type(src->cap) == cap_zombie)
        return err_simple(seL4_IllegalOperation, zombie_reason);

    cap_t new_cap;
    bool is_move = false;
    switch (inv->label) {
    case CNodeCopy:
        if (inv->length < 5)
            return err_simple(seL4_TruncatedMessage, "Copy needs rights");
        new_cap = derive_cap(src, mask_cap_rights(inv_arg(inv, 4), src->cap), &e);
        break;
    case CNodeMint:
        if (inv->length < 6)
            return err_simple(seL4_TruncatedMessage, "Mint needs rights and badge");
        new_cap = mask_cap_rights(inv_arg(inv, 4), src->cap);
        new_cap = derive_cap(src, update_cap_data(false, inv_arg(inv, 5), new_cap), &e);
        break;
    case CNodeMove:
        new_cap = src->cap;
        is_move = true;
        break;
    default: /* CNodeMutate */
        if (inv->length < 5)
            return err_simple(seL4_TruncatedMessage, "Mutate needs data");
        new_cap = update_cap_data(true, inv_arg(inv, 4), src->cap);
        is_move = true;
        break;
    }
    if (e.type)
        return e;
    if (cap_is_null(new_cap))
        return err_simple(seL4_IllegalOperation, "cap cannot be derived with these arguments");
    if (is_move)
        invoke_cnode_move(new_cap, src, dest);
    else
        invoke_cnode_insert(new_cap, src, dest);
    return NO_ERROR;
}

static syscall_error_t decode_rotate(invocation_t *inv, cte_t *dest)
{
    if (inv->length < 8 || inv->n_extra < 2)
        return err_simple(seL4_TruncatedMessage, "Rotate needs 8 arguments and 2 roots");
    word_t pivot_data = inv_arg(inv, 2), pivot_index = inv_arg(inv, 3), pivot_depth = inv_arg(inv, 4);
    word_t src_data = inv_arg(inv, 5), src_index = inv_arg(inv, 6), src_depth = inv_arg(inv, 7);
    syscall_error_t e;
    cte_t *src = lookup_slot_for_cnode_op(true, inv->extra[1]->cap, src_index, src_depth, &e);
    if (!src)
        return e;
    cte_t *pivot = lookup_slot_for_cnode_op(false, inv->extra[0]->cap, pivot_index, pivot_depth, &e);
    if (!pivot)
        return e;
    if (pivot == src || pivot == dest)
        return err_simple(seL4_IllegalOperation, "pivot slot equals source or destination");
    if (src != dest) {
        e = ensure_empty(dest);
        if (e.type)
            return e;
    }
    if (cap_is_null(src->cap))
        return err_lookup(true, lf_missing(src_depth), "source slot is empty");
    if (cap_is_null(pivot->cap))
        return err_lookup(false, lf_missing(pivot_depth), "pivot slot is empty");
    if (cap_get_type(src->cap) == cap_zombie || cap_get_type(pivot->cap) == cap_zombie)
        return err_simple(seL4_IllegalOperation, zombie_reason);
    cap_t new_src = update_cap_data(true, src_data, src->cap);
    cap_t new_pivot = update_cap_data(true, pivot_data, pivot->cap);
    if (cap_is_null(new_src) || cap_is_null(new_pivot))
        return err_simple(seL4_IllegalOperation, "cap data cannot be applied");
    invoke_cnode_rotate(new_src, new_pivot, src, pivot, dest);
    return NO_ERROR;
}

syscall_error_t decode_cnode_invocation(invocation_t *inv)
{
    if ((inv->label < CNodeRevoke || inv->label > CNodeRotate) && !is_cnode_config_label(inv->label))
        return err_simple(seL4_IllegalOperation, "not a CNode method");
    if (inv->length < 2)
        return err_simple(seL4_TruncatedMessage, "needs index and depth");
    syscall_error_t e;
    cte_t *dest = lookup_slot_for_cnode_op(false, inv->cap, inv_arg(inv, 0), inv_arg(inv, 1), &e);
    if (!dest)
        return e;

    switch (inv->label) {
    case CNodeCopy:
    case CNodeMint:
    case CNodeMove:
    case CNodeMutate:
        return decode_copy_like(inv, dest);
    case CNodeRevoke:
        return invoke_cnode_revoke(dest);
    case CNodeDelete:
        return invoke_cnode_delete(dest);
    case CNodeCancelBadgedSends:
        if (!has_cancel_send_rights(dest->cap))
            return err_simple(seL4_IllegalOperation, "CancelBadgedSends needs a full-rights endpoint cap");
        return invoke_cnode_cancel_badged_sends(dest);
    case CNodeRotate:
        return decode_rotate(inv, dest);
    default:
        return decode_cnode_config_invocation(inv, dest);
    }
}
