/* Capability types only the architecture knows: riscv64 has none (its
 * paging caps are generic ones), so every hook is the neutral answer. */
#pragma once
#include <object/cap.h>

static inline bool arch_cap_is_own(cap_t c)
{
    (void)c;
    return false;
}
static inline bool arch_same_region_as(cap_t a, cap_t b)
{
    (void)a, (void)b;
    return false;
}
static inline bool arch_same_object_as(cap_t a, cap_t b)
{
    (void)a, (void)b;
    return false;
}
static inline bool arch_is_cap_revocable(cap_t derived, cap_t src)
{
    (void)derived, (void)src;
    return false;
}
static inline cap_t arch_derive_cap(cap_t c) { return c; }
static inline void arch_finalise_cap(cap_t c) { (void)c; }
/* The cap for the root task's seL4_CapIOPortControl slot: none. */
static inline cap_t arch_boot_io_port_control_cap(void) { return cap_null_new(); }
