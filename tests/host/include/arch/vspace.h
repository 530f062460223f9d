#pragma once
/* Host unit tests: the derivation-tree code tells the architecture when a
 * VSpace cap goes away; there is no address space to switch here. */
static inline void arch_vspace_roots_changed(void) {}
