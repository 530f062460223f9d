/* Object references. A capability names its object by an "oref": on the
 * target this is the physical address; the kernel reaches the object
 * through its window onto physical memory (KOBJ_BASE). Host unit tests
 * provide their own KOBJ_BASE so the same code runs over a test arena. */
#pragma once
#include <types.h>
#include <arch/kobj_base.h>

static inline void *oref_ptr(word_t oref) { return (void *)(uintptr_t)(oref + KOBJ_BASE); }
static inline word_t ptr_oref(const void *p) { return (word_t)(uintptr_t)p - KOBJ_BASE; }
