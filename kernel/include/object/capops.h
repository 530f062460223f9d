/* Pure operations on capabilities: regions, rights, badges, derivation. */
#pragma once
#include <object/structures.h>
#include <api/errors.h>

/* Memory covered by the cap's object; false for caps without memory. */
bool cap_region(cap_t c, word_t *base, word_t *size_bits);
bool same_region_as(cap_t a, cap_t b);
bool same_object_as(cap_t a, cap_t b);
bool is_cap_revocable(cap_t derived, cap_t src);
cap_t mask_cap_rights(word_t rights, cap_t c);
cap_t update_cap_data(bool preserve, word_t data, cap_t c);
/* A copy suitable for a new slot, or an error (RevokeFirst, IllegalOperation). */
cap_t derive_cap(const cte_t *slot, cap_t c, syscall_error_t *err);
static inline word_t frame_size_bits(word_t size_class)
{
    return size_class == FRAME_4K ? seL4_PageBits : size_class == FRAME_2M ? seL4_LargePageBits : seL4_HugePageBits;
}
