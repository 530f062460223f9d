#include <stdlib.h>
/* Runs every registered test in name order with a fresh environment and
 * checks the kernel's invariants after each one. */
#include "framework.h"
#include <string.h>

extern const test_t __start_hypos_tests[], __stop_hypos_tests[];

void test_fail(env_t *env, const char *file, int line, const char *what, long a, long b)
{
    env->failures++;
    if (a != b)
        printf("#   %s:%d: check failed: %s (%ld != %ld)\n", file, line, what, a, b);
    else
        printf("#   %s:%d: check failed: %s\n", file, line, what);
}

seL4_CPtr alloc_slot(env_t *env)
{
    if (env->slot_next >= env->slot_hi) {
        printf("#   test ran out of slots\n");
        env->failures++;
        return env->slot_hi - 1;
    }
    return env->slot_next++;
}

seL4_CPtr make_object(env_t *env, seL4_Word type, seL4_Word size_bits)
{
    seL4_CPtr s = alloc_slot(env);
    int err = seL4_Untyped_Retype(env->ut, type, size_bits, ROOT, 0, 0, s, 1);
    if (err) {
        printf("#   make_object(type %lu, %lu bits) failed with %d\n", (unsigned long)type, (unsigned long)size_bits,
               err);
        env->failures++;
    }
    return s;
}

seL4_CPtr make_untyped(env_t *env, seL4_Word bits) { return make_object(env, seL4_UntypedObject, bits); }

static int cmp_tests(const void *a, const void *b)
{
    return strcmp((*(const test_t *const *)a)->name, (*(const test_t *const *)b)->name);
}

/* MCS helpers take two more slots each (scheduling context, reply object) */
#define WINDOW (TEST_MCS ? 512 : 256)
void helpers_reset(void);
#define MAX_TESTS 512

int test_main_argc;
char **test_main_argv;

static void run_setup(env_t base, void (*setup)(env_t *env), const char *what)
{
    env_t env = base;
    env.slot_lo = env.slot_next = base.bi->empty.start;
    env.slot_hi = base.bi->empty.start + WINDOW;
    helpers_reset();
    setup(&env);
    for (seL4_CPtr s = env.slot_lo; s < env.slot_hi; s++)
        seL4_CNode_Delete(ROOT, s, WB);
    seL4_CNode_Revoke(ROOT, env.ut, WB);
    if (env.failures)
        printf("# %s failed\n", what);
}

#ifdef CONFIG_KERNEL_MCS
/* The test driver's own reply object lives for the whole run: it comes
 * from a RAM untyped other than the tests' one (which every test's cleanup
 * revokes) and sits in the first slot after the tests' window. */
static seL4_CPtr driver_reply_object(seL4_BootInfo *bi, seL4_CPtr tests_ut)
{
    seL4_CPtr slot = bi->empty.start + WINDOW;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        seL4_CPtr ut = bi->untyped.start + i;
        if (bi->untypedList[i].isDevice || ut == tests_ut || bi->untypedList[i].sizeBits < seL4_ReplyBits)
            continue;
        if (seL4_Untyped_Retype(ut, seL4_ReplyObject, 0, ROOT, 0, 0, slot, 1) == seL4_NoError)
            return slot;
    }
    printf("# no memory for the test driver's reply object\n");
    return seL4_CapNull;
}
#endif

int main(int argc, char **argv)
{
    test_main_argc = argc;
    test_main_argv = argv;
    seL4_BootInfo *bi = seL4_GetBootInfo();
    env_t base = {.bi = bi};
    /* the largest RAM untyped is the tests' memory; remember a device one */
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        seL4_UntypedDesc *u = &bi->untypedList[i];
        if (!u->isDevice && u->sizeBits > base.ut_bits) {
            base.ut_bits = u->sizeBits;
            base.ut = bi->untyped.start + i;
            base.ut_paddr = u->paddr;
        }
        if (u->isDevice && u->sizeBits >= 20 && u->sizeBits <= 31 && !base.device_ut)
            base.device_ut = bi->untyped.start + i;
    }
#ifdef CONFIG_KERNEL_MCS
    base.sched_control = bi->schedcontrol.start;
    test_reply = driver_reply_object(bi, base.ut);
#endif

    /* the architecture's one-time setup (e.g. calibrating a clock), then
     * the domain scheduler's (which measures the boot schedule and then
     * gives domain 0 all the time), run like tests: their own slots and
     * memory, cleaned up after */
    run_setup(base, test_arch_init, "the architecture's test setup");
    run_setup(base, test_domains_init, "the domain scheduler's test setup");

    static const test_t *tests[MAX_TESTS];
    int n = 0;
    for (const test_t *t = __start_hypos_tests; t < __stop_hypos_tests && n < MAX_TESTS; t++) {
#ifdef TEST_ONLY
        /* a build for working on some tests: -DTEST_ONLY='"PREFIX"' runs only
         * the tests whose names start with PREFIX */
        if (strncmp(t->name, TEST_ONLY, strlen(TEST_ONLY)) != 0)
            continue;
#endif
        tests[n++] = t;
    }
    qsort(tests, (size_t)n, sizeof(tests[0]), cmp_tests);

    printf("TAP version 13\n1..%d\n", n);
    int passed = 0, failed = 0;
    for (int i = 0; i < n; i++) {
        env_t env = base;
        env.slot_lo = env.slot_next = bi->empty.start;
        env.slot_hi = bi->empty.start + WINDOW;
        helpers_reset();
        tests[i]->fn(&env);
        set_own_priority(seL4_MaxPrio);
        /* clean up: empty the window, give the memory back, check the kernel */
        for (seL4_CPtr s = env.slot_lo; s < env.slot_hi; s++)
            seL4_CNode_Delete(ROOT, s, WB);
        int r = seL4_CNode_Revoke(ROOT, env.ut, WB);
        if (r)
            test_fail(&env, __FILE__, __LINE__, "revoke of the test untyped", r, 0);
        seL4_Word bad = seL4_HypDebugCheckInvariants();
        if (bad)
            test_fail(&env, __FILE__, __LINE__, "kernel invariants hold after the test", (long)bad, 0);
        if (env.failures == 0)
            passed++;
        else
            failed++;
        printf("%s %d %s %s\n", env.failures ? "not ok" : "ok", i + 1, tests[i]->name, tests[i]->desc);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
