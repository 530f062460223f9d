/* Capability addressing: guarded, radix-indexed CNodes resolved one level
 * at a time (seL4 manual, "CSpace addressing"). */
#pragma once
#include <types.h>
#include <object/structures.h>
#include <api/errors.h>
#include <sel4/constants.h>
#include <sel4/shared_types.h>
#include <sel4/types.h>

typedef struct resolve_result {
    bool ok;
    cte_t *slot;
    word_t bits_remaining;
    lookup_fault_t fault;
} resolve_result_t;

/* Resolve the top n_bits of cptr starting at the CNode cap node_cap. Stops
 * early at a slot that does not hold a CNode cap. */
resolve_result_t resolve_address_bits(cap_t node_cap, word_t cptr, word_t n_bits);

/* Normal syscall lookup: full word depth, may stop at a non-CNode cap. */
resolve_result_t lookup_slot(cap_t root, word_t cptr);

/* Slot lookup for CNode operations (index + depth must be consumed exactly).
 * Fills *err on failure; is_source selects failedLookupWasSource. */
cte_t *lookup_slot_for_cnode_op(bool is_source, cap_t root, word_t index, word_t depth, syscall_error_t *err);

/* The caps a message names in its IPC buffer (caps_or_badges), looked up
 * in the sender's CSpace as seL4's lookupExtraCaps. extra_caps_count() is
 * how many a message names (none without a buffer); lookup_extra_caps()
 * fills out[0..n) and returns true, or returns false at the first CPtr
 * that cannot be looked up and says which and why. */
typedef struct cap_lookup_failure {
    word_t cptr;
    lookup_fault_t fault;
} cap_lookup_failure_t;
static inline word_t extra_caps_count(seL4_MessageInfo_t info, const seL4_IPCBuffer *buffer)
{
    word_t n = seL4_MessageInfo_get_extraCaps(info);
    return !buffer ? 0 : n < seL4_MsgMaxExtraCaps ? n : seL4_MsgMaxExtraCaps;
}
bool lookup_extra_caps(tcb_t *t, const seL4_IPCBuffer *buffer, word_t n, cte_t **out, cap_lookup_failure_t *failure);
