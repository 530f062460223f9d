/* A small test framework for the in-QEMU conformance suite. Each test gets
 * a fresh environment: a RAM untyped of its own (revoked after the test) and
 * a window of free root-CNode slots (emptied after the test). Each test
 * prints one TAP line; the run ends with "N passed, N failed". */
#pragma once
#include <sel4/sel4.h>
#include <test_arch.h>
#include "api.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct env {
    seL4_BootInfo *bi;
    seL4_CPtr ut; /* RAM untyped reserved for tests */
    seL4_Word ut_bits;
    seL4_Word ut_paddr;
    seL4_CPtr slot_lo;       /* first slot this test may use */
    seL4_CPtr slot_next;     /* next free slot */
    seL4_CPtr slot_hi;       /* one past the last */
    seL4_CPtr device_ut;     /* a device untyped, for device tests */
    seL4_CPtr sched_control; /* MCS: the boot CPU's SchedControl cap (else seL4_CapNull) */
    int failures;
} env_t;

typedef struct test {
    const char *name;
    const char *desc;
    void (*fn)(env_t *env);
} test_t;

#define TEST(NAME, DESC)                                                                      \
    static void NAME##_fn(env_t *env);                                                        \
    static const test_t NAME##_test                                                           \
        __attribute__((used, section("hypos_tests"), aligned(8))) = {#NAME, DESC, NAME##_fn}; \
    static void NAME##_fn(env_t *env)

void test_fail(env_t *env, const char *file, int line, const char *what, long a, long b);

#define CHECK(cond)                                          \
    do {                                                     \
        if (!(cond))                                         \
            test_fail(env, __FILE__, __LINE__, #cond, 0, 0); \
    } while (0)
/* Compare two integers and show both on failure. */
#define CHECK_EQ(a, b)                                                \
    do {                                                              \
        long _a = (long)(a), _b = (long)(b);                          \
        if (_a != _b)                                                 \
            test_fail(env, __FILE__, __LINE__, #a " == " #b, _a, _b); \
    } while (0)

/* The architecture's part (tests/kernel/arch/<arch>/test_arch.c): check
 * the contents of the extra boot info chunk TEST_EXTRA_BOOTINFO_ID. */
void test_arch_check_extra_bootinfo(env_t *env, const unsigned char *data, seL4_Word len);
/* ... and its setup before the first test (irq_device.c). */
void test_arch_init(env_t *env);
/* The domain scheduler's setup before the first test (test_domains.c):
 * it measures the boot schedule, then leaves domain 0 alone on the CPU so
 * that every other group runs as with one domain. */
void test_domains_init(env_t *env);

/* The next free slot in the test's window of the root CNode. */
seL4_CPtr alloc_slot(env_t *env);
/* Storm tests (random invocations, checked by the kernel's invariants) run
 * one seed in the suite; `make fuzz-kernel SEEDS=N` builds them with more.
 * run_storms gives each seed a fresh test untyped and slot window and
 * names the seed that failed. */
#ifndef STORM_SEEDS
#define STORM_SEEDS 1
#endif
void run_storms(env_t *env, uint64_t base_seed, void (*storm)(env_t *env, uint64_t seed));

/* Nothing was lost: revoke the test untyped, the kernel's invariants hold,
 * and the whole untyped can be retyped again. */
void check_untyped_recovers(env_t *env);

/* xorshift64*: deterministic random numbers, so a failing seed replays. */
static inline uint64_t test_rnd(uint64_t *x)
{
    *x ^= *x >> 12;
    *x ^= *x << 25;
    *x ^= *x >> 27;
    return *x * 0x2545f4914f6cdd1dull;
}

/* Retype one object from the test untyped into a fresh slot. */
seL4_CPtr make_object(env_t *env, seL4_Word type, seL4_Word size_bits);
/* A child untyped of 2^bits from the test untyped. */
seL4_CPtr make_untyped(env_t *env, seL4_Word bits);

/* Helper threads: share the root task's CSpace and VSpace; each has its
 * own stack, IPC buffer and TLS block from a static pool. */
typedef seL4_Word (*helper_fn_t)(seL4_Word, seL4_Word, seL4_Word, seL4_Word);
typedef struct helper {
    seL4_CPtr tcb;
    seL4_CPtr join;  /* notification the helper signals when its function returns */
    seL4_CPtr sc;    /* MCS: its scheduling context (else seL4_CapNull) */
    seL4_CPtr reply; /* MCS: its reply object, test_reply while it runs (else seL4_CapNull) */
    int pool_index;
    helper_fn_t fn;
    seL4_Word arg[4];
    volatile seL4_Word result;
    volatile int done;
    seL4_IPCBuffer *ipc;
} helper_t;

#define HELPER_POOL 40
/* Root-CNode slots one helper takes: TCB and join notification, with MCS
 * also its scheduling context and reply object. */
#define HELPER_SLOTS (TEST_MCS ? 4 : 2)
/* Retype and configure a thread (not yet running) at the given priority. */
void create_helper(env_t *env, helper_t *h, seL4_Word prio);
void create_helper_with_fault_ep(env_t *env, helper_t *h, seL4_Word prio, seL4_CPtr fault_ep);
void start_helper(env_t *env, helper_t *h, helper_fn_t fn, seL4_Word a0, seL4_Word a1, seL4_Word a2, seL4_Word a3);
/* MCS: a scheduling context configured with budget and period (us) and
 * room for extra_refills more refills, its badge the timeout-fault data
 * word. Without MCS there is none: seL4_CapNull. */
seL4_CPtr make_sc(env_t *env, seL4_Word budget_us, seL4_Word period_us, seL4_Word extra_refills, seL4_Word badge);
/* MCS: bind a new round-robin scheduling context (TEST_TIMESLICE_US) to a
 * TCB the test configured itself, so that it can run when resumed; without
 * MCS every thread can run and this does nothing (seL4_CapNull). */
seL4_CPtr give_sc(env_t *env, seL4_CPtr tcb);
/* The budget and period of the helpers' scheduling contexts: the
 * timeslice a thread has without MCS (5 ticks of 2 ms). */
#define TEST_TIMESLICE_US 10000
/* Block until the helper's function has returned; its result. */
seL4_Word wait_for_helper(env_t *env, helper_t *h);
/* Delete the helper's TCB and give its pool entry back. */
void destroy_helper(env_t *env, helper_t *h);
/* Address spaces for threads: map a fresh zeroed frame (or a copy of frame
 * cap f) at va, adding page tables as needed; a new VSpace from pool with the
 * root task's image mapped at its own addresses, so helpers can run in it. */
seL4_CPtr map_new_frame(env_t *env, seL4_CPtr vspace, seL4_Word va, seL4_CapRights_t rights);
seL4_CPtr map_copy(env_t *env, seL4_CPtr f, seL4_CPtr vspace, seL4_Word va, seL4_CapRights_t rights);
seL4_CPtr make_image_vspace(env_t *env, seL4_CPtr pool);
/* The boot info's frame cap for the page of the root task's image at p. */
seL4_CPtr image_frame_cap(env_t *env, const void *p);
/* Lower or raise the test driver's own priority. */
void set_own_priority(seL4_Word prio);

/* What the runtime passed to main. */
extern int test_main_argc;
extern char **test_main_argv;

#define ROOT seL4_CapInitThreadCNode
#define WB seL4_WordBits
