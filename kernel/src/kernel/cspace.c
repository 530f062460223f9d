/* CSpace lookups. Rules from the seL4 manual, section "Capability Space
 * Addressing": at each level the guard is compared with the most
 * significant unresolved bits, then radix bits index the CNode. */
#include <kernel/cspace.h>
#include <kernel/addr.h>

resolve_result_t resolve_address_bits(cap_t node_cap, word_t cptr, word_t n_bits)
{
    resolve_result_t r = {.ok = false};

    if (cap_get_type(node_cap) != cap_cnode) {
        r.fault = lf_invalid_root();
        return r;
    }
    for (;;) {
        word_t radix = cap_cnode_radix(node_cap);
        word_t guard_bits = cap_cnode_guard_size(node_cap);
        word_t level_bits = radix + guard_bits;
        word_t cap_guard = cap_cnode_guard(node_cap);

        /* A CNode cap that resolves nothing would loop forever; Mint and
         * Retype never create one (radix >= 1), so this is a corrupted cap. */
        if (level_bits == 0) {
            r.fault = lf_depth(n_bits, 0);
            return r;
        }
        if (guard_bits > n_bits) {
            r.fault = lf_guard(n_bits, cap_guard, guard_bits);
            return r;
        }
        word_t guard = guard_bits ? (cptr >> (n_bits - guard_bits)) & MASK(guard_bits) : 0;
        if (guard != cap_guard) {
            r.fault = lf_guard(n_bits, cap_guard, guard_bits);
            return r;
        }
        if (level_bits > n_bits) {
            r.fault = lf_depth(n_bits, level_bits);
            return r;
        }
        word_t offset = (cptr >> (n_bits - level_bits)) & MASK(radix);
        cte_t *slot = (cte_t *)oref_ptr(cap_cnode_ptr(node_cap)) + offset;

        if (n_bits == level_bits) {
            r.ok = true;
            r.slot = slot;
            r.bits_remaining = 0;
            return r;
        }
        n_bits -= level_bits;
        if (cap_get_type(slot->cap) != cap_cnode) {
            r.ok = true;
            r.slot = slot;
            r.bits_remaining = n_bits;
            return r;
        }
        node_cap = slot->cap;
    }
}

/* A whole-word lookup in the common CSpace shape, one CNode whose guard
 * and radix take the whole word (marked in the cap, as the IPC fastpath
 * uses it), resolves in one step: the cptr less the guard in place is the
 * slot index, if below 2^radix (the guard matched); the general walk gives
 * the same slot and, on a mismatch, the fault. */
resolve_result_t lookup_slot(cap_t root, word_t cptr)
{
    if ((root.w0 & (CAP_CNODE_ONE_LEVEL | 0x1f)) == (CAP_CNODE_ONE_LEVEL | cap_cnode)) {
        word_t index = cap_cnode_one_level_index(root, cptr);
        if ((index >> cap_cnode_radix(root)) == 0)
            return (resolve_result_t){
                .ok = true, .slot = (cte_t *)oref_ptr(cap_cnode_ptr(root)) + index, .bits_remaining = 0};
    }
    return resolve_address_bits(root, cptr, WORD_BITS);
}

cte_t *lookup_slot_for_cnode_op(bool is_source, cap_t root, word_t index, word_t depth, syscall_error_t *err)
{
    if (cap_get_type(root) != cap_cnode) {
        *err = err_lookup(is_source, lf_invalid_root(), "root is not a CNode");
        return NULL;
    }
    if (depth < 1 || depth > WORD_BITS) {
        *err = err_range(1, WORD_BITS, "depth out of range");
        return NULL;
    }
    resolve_result_t r = resolve_address_bits(root, index, depth);
    if (!r.ok) {
        *err = err_lookup(is_source, r.fault, "slot lookup failed");
        return NULL;
    }
    if (r.bits_remaining != 0) {
        *err = err_lookup(is_source, lf_depth(r.bits_remaining, 0), "depth not fully resolved");
        return NULL;
    }
    return r.slot;
}

bool lookup_extra_caps(tcb_t *t, const seL4_IPCBuffer *buffer, word_t n, cte_t **out, cap_lookup_failure_t *failure)
{
    for (word_t i = 0; i < n; i++) {
        resolve_result_t r = lookup_slot(t->ctes[tcbCTable].cap, buffer->caps_or_badges[i]);
        if (!r.ok) {
            *failure = (cap_lookup_failure_t){.cptr = buffer->caps_or_badges[i], .fault = r.fault};
            return false;
        }
        out[i] = r.slot;
    }
    return true;
}
