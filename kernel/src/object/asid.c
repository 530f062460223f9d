/* ASID control and ASID pools (object/asid.h): the table of pools, the
 * pools' entries, and the two invocations, MakePool and Assign, checked in
 * seL4's order with seL4's errors. What differs between architectures
 * (labels, which cap may become a root, TLB maintenance) comes through the
 * small interface asid.h lists. */
#include <arch/vspace.h>
#include <kernel/cspace.h>
#include <kernel/mdb.h>
#include <kernel/string.h>
#include <object/asid.h>
#include <object/capops.h>
#include <sel4/invocation.h>

word_t asid_table[1u << seL4_NumASIDPoolsBits];

void asid_delete_root(word_t asid, word_t root)
{
    word_t pool = asid_table[asid >> seL4_ASIDPoolIndexBits];
    if (!pool)
        return;
    word_t *entry = (word_t *)oref_ptr(pool) + (asid & MASK(seL4_ASIDPoolIndexBits));
    if (*entry != root)
        return;
    *entry = 0;
    arch_vspace_roots_changed();
    arch_asid_root_removed(asid, root);
}

void asid_pool_finalise(cap_t c)
{
    word_t base = cap_asid_pool_base(c);
    word_t i = base >> seL4_ASIDPoolIndexBits;
    if (asid_table[i] != cap_asid_pool_ptr(c))
        return;
    /* what the pool's ASIDs tagged is forgotten now, so that a later pool
     * at this index starts clean */
    word_t *pool = oref_ptr(asid_table[i]);
    for (word_t a = 0; a < BIT(seL4_ASIDPoolIndexBits); a++)
        if (pool[a])
            arch_asid_root_removed(base + a, pool[a]);
    asid_table[i] = 0;
    arch_vspace_roots_changed();
}

void asid_boot_assign(word_t pool_oref, word_t asid, word_t root_oref)
{
    asid_table[asid >> seL4_ASIDPoolIndexBits] = pool_oref;
    ((word_t *)oref_ptr(pool_oref))[asid & MASK(seL4_ASIDPoolIndexBits)] = root_oref;
    arch_vspace_roots_changed();
}

static void invoke_asid_control_make_pool(cte_t *parent, word_t pool_index, cte_t *dest)
{
    word_t pool = cap_untyped_ptr(parent->cap);
    parent->cap = cap_untyped_set_free_bytes(parent->cap, BIT(seL4_ASIDPoolBits));
    clear_memory(oref_ptr(pool), BIT(seL4_ASIDPoolBits));
    cte_insert(cap_asid_pool_new(pool, pool_index << seL4_ASIDPoolIndexBits), parent, dest);
    asid_table[pool_index] = pool;
    arch_vspace_roots_changed();
}

syscall_error_t decode_asid_control_invocation(invocation_t *inv)
{
    if (inv->label != ARCH_LABEL_ASID_CONTROL_MAKE_POOL)
        return err_simple(seL4_IllegalOperation, "ASID control only has MakePool");
    if (inv->length < 2 || inv->n_extra < 2)
        return err_simple(seL4_TruncatedMessage, "MakePool needs index, depth, an untyped and a CNode");
    word_t index = inv_arg(inv, 0), depth = inv_arg(inv, 1);
    cte_t *parent = inv->extra[0];
    cap_t ut = parent->cap;

    word_t i = 0;
    while (i < ARRAY_SIZE(asid_table) && asid_table[i])
        i++;
    if (i == ARRAY_SIZE(asid_table))
        return err_simple(seL4_DeleteFirst, "every ASID pool is in use");
    if (cap_get_type(ut) != cap_untyped || cap_untyped_size_bits(ut) != seL4_ASIDPoolBits || cap_untyped_is_device(ut))
        return err_invalid_cap(1, "MakePool needs a 4 KiB RAM untyped");
    if (mdb_has_children(parent))
        return err_simple(seL4_RevokeFirst, "the untyped has children");
    syscall_error_t e;
    cte_t *dest = lookup_slot_for_cnode_op(false, inv->extra[1]->cap, index, depth, &e);
    if (!dest)
        return e;
    if (!cap_is_null(dest->cap))
        return err_simple(seL4_DeleteFirst, "destination slot is not empty");

    invoke_asid_control_make_pool(parent, i, dest);
    return NO_ERROR;
}

static void invoke_asid_pool_assign(cte_t *vslot, word_t *entries, word_t asid, word_t index)
{
    word_t root = cap_page_table_ptr(vslot->cap);
    vslot->cap = arch_vspace_root_cap(root, asid);
    arch_boot_init_root(root); /* the kernel's half of the address space */
    entries[index] = root;
    arch_vspace_roots_changed();
}

syscall_error_t decode_asid_pool_invocation(invocation_t *inv)
{
    if (inv->label != ARCH_LABEL_ASID_POOL_ASSIGN)
        return err_simple(seL4_IllegalOperation, "ASID pools only have Assign");
    if (inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "Assign needs a vspace");
    cte_t *vslot = inv->extra[0];
    const char *why = arch_vspace_root_unassignable(vslot->cap);
    if (why)
        return err_invalid_cap(1, why);
    word_t base = cap_asid_pool_base(inv->cap);
    word_t pool = asid_table[base >> seL4_ASIDPoolIndexBits];
    if (!pool)
        return err_lookup(false, lf_invalid_root(), "this ASID pool has been deleted");
    if (pool != cap_asid_pool_ptr(inv->cap))
        return err_invalid_cap(0, "stale ASID pool cap");
    word_t *entries = oref_ptr(pool);
    word_t i = 0;
    while (i < BIT(seL4_ASIDPoolIndexBits) && (base + i == 0 || entries[i]))
        i++;
    if (i == BIT(seL4_ASIDPoolIndexBits))
        return err_simple(seL4_DeleteFirst, "no free ASID in this pool");

    invoke_asid_pool_assign(vslot, entries, base + i, i);
    return NO_ERROR;
}
