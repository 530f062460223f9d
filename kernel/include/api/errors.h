/* A decode step reports failure as a value: the seL4 error, its details and
 * a reason string that debug builds print. */
#pragma once
#include <types.h>
#include <sel4/errors.h>

typedef struct lookup_fault {
    word_t type; /* seL4_LookupFailureType */
    word_t bits_left;
    word_t bits_found; /* DepthMismatch: bits the level resolves; GuardMismatch: guard found */
    word_t guard_size; /* GuardMismatch only */
} lookup_fault_t;

typedef struct syscall_error {
    word_t type; /* seL4_Error */
    word_t arg0; /* InvalidArgument/InvalidCapability index, RangeError min,
                    NotEnoughMemory bytes left, FailedLookup wasSource */
    word_t arg1; /* RangeError max */
    lookup_fault_t lookup;
    const char *reason;
} syscall_error_t;

#define NO_ERROR ((syscall_error_t){.type = seL4_NoError})

/* Not an seL4 error and never seen by user space: the invocation stopped
 * at a preemption point with its progress saved, and the system call is
 * restarted after the pending interrupt (kernel/preemption.h). */
#define SYSCALL_PREEMPTED 0x7fffu
#define PREEMPTED ((syscall_error_t){.type = SYSCALL_PREEMPTED, .reason = "preempted"})

static inline syscall_error_t err_simple(word_t type, const char *why)
{
    return (syscall_error_t){.type = type, .reason = why};
}
static inline syscall_error_t err_invalid_arg(word_t n, const char *why)
{
    return (syscall_error_t){.type = seL4_InvalidArgument, .arg0 = n, .reason = why};
}
static inline syscall_error_t err_invalid_cap(word_t n, const char *why)
{
    return (syscall_error_t){.type = seL4_InvalidCapability, .arg0 = n, .reason = why};
}
static inline syscall_error_t err_range(word_t min, word_t max, const char *why)
{
    return (syscall_error_t){.type = seL4_RangeError, .arg0 = min, .arg1 = max, .reason = why};
}
static inline syscall_error_t err_lookup(bool source, lookup_fault_t lf, const char *why)
{
    return (syscall_error_t){.type = seL4_FailedLookup, .arg0 = source, .lookup = lf, .reason = why};
}
static inline lookup_fault_t lf_missing(word_t bits_left)
{
    return (lookup_fault_t){.type = seL4_MissingCapability, .bits_left = bits_left};
}
static inline lookup_fault_t lf_invalid_root(void) { return (lookup_fault_t){.type = seL4_InvalidRoot}; }
static inline lookup_fault_t lf_depth(word_t bits_left, word_t bits_found)
{
    return (lookup_fault_t){.type = seL4_DepthMismatch, .bits_left = bits_left, .bits_found = bits_found};
}
static inline lookup_fault_t lf_guard(word_t bits_left, word_t guard_found, word_t guard_size)
{
    return (lookup_fault_t){
        .type = seL4_GuardMismatch, .bits_left = bits_left, .bits_found = guard_found, .guard_size = guard_size};
}
