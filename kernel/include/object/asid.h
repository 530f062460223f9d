/* ASIDs and ASID pools, the same on every architecture (seL4 manual,
 * "Virtual address spaces": ASIDControl_MakePool and ASIDPool_Assign).
 * An ASID is a pool index (high bits) and an entry in that pool (the low
 * seL4_ASIDPoolIndexBits). asid_table names each pool's memory; a pool's
 * entries name the VSpace root that holds each ASID. ASID 0 is never
 * assigned, so a cap whose ASID field is 0 is an unmapped cap.
 *
 * What the architecture provides (arch/vspace.h): the invocation labels
 * ARCH_LABEL_ASID_CONTROL_MAKE_POOL and ARCH_LABEL_ASID_POOL_ASSIGN,
 * arch_vspace_root_unassignable (may a cap become a VSpace root, and if
 * not why), arch_vspace_root_cap (the cap of an assigned root),
 * arch_boot_init_root (the kernel's half of a new root) and
 * arch_asid_root_removed (forget the translations a root's ASID tagged). */
#pragma once
#include <api/invocation.h>
#include <kernel/addr.h>
#include <sel4/constants.h>
#include <types.h>

extern word_t asid_table[1u << seL4_NumASIDPoolsBits]; /* pool orefs, 0: free */

/* The vspace root that has this ASID, or 0. */
static inline word_t vspace_for_asid(word_t asid)
{
    if (asid == 0 || asid >= BIT(seL4_NumASIDPoolsBits + seL4_ASIDPoolIndexBits))
        return 0;
    word_t pool = asid_table[asid >> seL4_ASIDPoolIndexBits];
    if (!pool)
        return 0;
    return ((word_t *)oref_ptr(pool))[asid & MASK(seL4_ASIDPoolIndexBits)];
}

/* The root a vspace argument names, checked as seL4 does: an ASID with no
 * root is FailedLookup (invalid root); an ASID whose root is another table
 * (the cap is stale, or names a table that is not a root) is
 * InvalidCapability(1). */
static inline syscall_error_t find_vspace_root(cap_t vcap, word_t *root)
{
    *root = vspace_for_asid(cap_page_table_asid(vcap));
    if (!*root)
        return err_lookup(false, lf_invalid_root(), "no vspace root has this ASID");
    if (*root != cap_page_table_ptr(vcap))
        return err_invalid_cap(1, "the vspace cap is not the root its ASID names");
    return NO_ERROR;
}

/* The root loses its ASID (if it still holds it): the pool entry goes and
 * the architecture forgets what the ASID tagged, so the ASID can be
 * handed out again safely. */
void asid_delete_root(word_t asid, word_t root);
/* The last cap of a pool is gone: its place in asid_table is free again.
 * The roots keep their (now dangling) ASID in their caps. */
void asid_pool_finalise(cap_t pool_cap);
/* At boot: make the pool at pool_oref the pool of asid and give
 * root_oref that ASID. */
void asid_boot_assign(word_t pool_oref, word_t asid, word_t root_oref);

syscall_error_t decode_asid_control_invocation(invocation_t *inv);
syscall_error_t decode_asid_pool_invocation(invocation_t *inv);
