/* Local checks of preconditions, where a violation would happen, in
 * addition to the global sweep of kernel/src/kernel/invariants.c. Debug
 * builds (and the host unit tests) check them; a failure names the
 * condition, file and line and stops the machine, because the kernel's
 * state can no longer be trusted. Release and bench builds compile them
 * away: they must never have side effects. */
#pragma once
#include <types.h>

#if defined(HYPOS_DEBUG) || defined(HYPOS_HOST_TEST)
NORETURN void kassert_failed(const char *cond, const char *file, int line);
#define kassert(cond) ((cond) ? (void)0 : kassert_failed(#cond, __FILE__, __LINE__))
#else
#define kassert(cond) ((void)sizeof(cond))
#endif
