/* THREADS: helper threads are created, run, fault and are deleted, many
 * at a time, and can make threads of their own. */
#include "framework.h"

static seL4_Word add(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d) { return a + b + c + d; }

TEST(THREADS0001, "a helper thread runs a function and returns its result")
{
    helper_t h;
    create_helper(env, &h, 100);
    start_helper(env, &h, add, 1, 2, 3, 4);
    CHECK_EQ(wait_for_helper(env, &h), 10);
}

TEST(THREADS0002, "Configure with a null CSpace root is IllegalOperation")
{
    seL4_CPtr t = make_object(env, seL4_TCBObject, 0), null = alloc_slot(env);
    CHECK_EQ(api_tcb_configure(t, 0, null, 0, seL4_CapInitThreadVSpace, 0, 0, null), seL4_IllegalOperation);
    CHECK_EQ(api_tcb_configure(t, 0, seL4_CapDomain, 0, seL4_CapInitThreadVSpace, 0, 0, null), seL4_IllegalOperation);
}

TEST(THREADS0003, "SetSpace with a null CSpace or an unassigned VSpace is IllegalOperation")
{
    seL4_CPtr t = make_object(env, seL4_TCBObject, 0), null = alloc_slot(env);
    seL4_CPtr pt = make_object(env, TEST_VSPACE_OBJECT, 0);
    CHECK_EQ(api_tcb_set_space(t, 0, null, 0, seL4_CapInitThreadVSpace, 0), seL4_IllegalOperation);
    CHECK_EQ(api_tcb_set_space(t, 0, ROOT, 0, pt, 0), seL4_IllegalOperation);
    CHECK_EQ(api_tcb_set_space(t, 0, ROOT, 0, seL4_CapInitThreadVSpace, 0), seL4_NoError);
}

TEST(THREADS0004, "thirty-two threads run and each returns its own result")
{
    static helper_t h[32];
    for (int i = 0; i < 32; i++) {
        create_helper(env, &h[i], 10 + i);
        start_helper(env, &h[i], add, i, 100, 0, 0);
    }
    for (int i = 0; i < 32; i++)
        CHECK_EQ(wait_for_helper(env, &h[i]), 100 + i);
}

static seL4_Word make_thread_in_thread(seL4_Word envp, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    env_t *env = (env_t *)envp;
    helper_t inner;
    create_helper(env, &inner, 5);
    start_helper(env, &inner, add, 40, 2, 0, 0);
    return wait_for_helper(env, &inner);
}

TEST(THREADS0005, "a thread can create and start another thread")
{
    helper_t h;
    create_helper(env, &h, 100);
    start_helper(env, &h, make_thread_in_thread, (seL4_Word)env, 0, 0, 0);
    CHECK_EQ(wait_for_helper(env, &h), 42);
}

static seL4_Word bad_syscall(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)a, (void)b, (void)c, (void)d;
    test_syscall_number(777);
    return 1;
}

TEST(THREADS0006, "thread storm: 400 threads created, run, faulted and deleted")
{
    static helper_t h[20];
    int finished = 0;
    for (int round = 0; round < 20 && env->failures == 0; round++) {
        for (int i = 0; i < 20; i++) {
            create_helper(env, &h[i], 50 + (i % 7));
            /* odd ones fault (no handler: suspended), even ones finish */
            start_helper(env, &h[i], i % 2 ? bad_syscall : add, i, round, 0, 0);
        }
        set_own_priority(1);
        set_own_priority(seL4_MaxPrio);
        for (int i = 0; i < 20; i++) {
            if (i % 2 == 0) {
                CHECK_EQ(wait_for_helper(env, &h[i]), i + round);
                finished++;
            } else {
                CHECK(!h[i].done);
            }
            destroy_helper(env, &h[i]);
        }
        /* reuse the slots of this round */
        env->slot_next -= 20 * HELPER_SLOTS;
    }
    CHECK_EQ(finished, 200);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}
