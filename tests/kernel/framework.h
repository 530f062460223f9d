/* A small test framework for the in-QEMU conformance suite. Each test gets
 * a fresh environment: a RAM untyped of its own (revoked after the test) and
 * a window of free root-CNode slots (emptied after the test). Each test
 * prints one TAP line; the run ends with "N passed, N failed". */
#pragma once
#include <sel4/sel4.h>
#include <stdbool.h>
#include <stdio.h>

typedef struct env {
    seL4_BootInfo *bi;
    seL4_CPtr ut;          /* RAM untyped reserved for tests */
    seL4_Word ut_bits;
    seL4_Word ut_paddr;
    seL4_CPtr slot_lo;     /* first slot this test may use */
    seL4_CPtr slot_next;   /* next free slot */
    seL4_CPtr slot_hi;     /* one past the last */
    seL4_CPtr device_ut;   /* a device untyped, for device tests */
    int failures;
} env_t;

typedef struct test {
    const char *name;
    const char *desc;
    void (*fn)(env_t *env);
} test_t;

#define TEST(NAME, DESC)                                                                               \
    static void NAME##_fn(env_t *env);                                                                 \
    static const test_t NAME##_test __attribute__((used, section("hypos_tests"), aligned(8))) = {     \
        #NAME, DESC, NAME##_fn};                                                                       \
    static void NAME##_fn(env_t *env)

void test_fail(env_t *env, const char *file, int line, const char *what, long a, long b);

#define CHECK(cond)                                                   \
    do {                                                              \
        if (!(cond))                                                  \
            test_fail(env, __FILE__, __LINE__, #cond, 0, 0);          \
    } while (0)
/* Compare two integers and show both on failure. */
#define CHECK_EQ(a, b)                                                        \
    do {                                                                      \
        long _a = (long)(a), _b = (long)(b);                                  \
        if (_a != _b)                                                         \
            test_fail(env, __FILE__, __LINE__, #a " == " #b, _a, _b);         \
    } while (0)

/* The next free slot in the test's window of the root CNode. */
seL4_CPtr alloc_slot(env_t *env);
/* Retype one object from the test untyped into a fresh slot. */
seL4_CPtr make_object(env_t *env, seL4_Word type, seL4_Word size_bits);
/* A child untyped of 2^bits from the test untyped. */
seL4_CPtr make_untyped(env_t *env, seL4_Word bits);

#define ROOT seL4_CapInitThreadCNode
#define WB seL4_WordBits
