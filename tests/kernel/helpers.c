/* Helper threads for the conformance suite. They run in the root task's
 * address space and CSpace. Their IPC buffers are pages of the root task's
 * own image, whose frame caps the boot info lists (userImageFrames). */
#include "framework.h"
#include <hypos/thread.h>
#include <string.h>

#define STACK_SIZE 8192
#define IMAGE_BASE 0x10000ul

static char stacks[HELPER_POOL][STACK_SIZE] __attribute__((aligned(16)));
static seL4_IPCBuffer ipc_buffers[HELPER_POOL] __attribute__((aligned(4096)));
static char tls_blocks[HELPER_POOL][512] __attribute__((aligned(16)));
static bool in_use[HELPER_POOL];

void helpers_reset(void) { memset(in_use, 0, sizeof in_use); }

void set_own_priority(seL4_Word prio) { seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, prio); }

seL4_CPtr image_frame_cap(env_t *env, const void *p)
{
    seL4_Word page = ((seL4_Word)p & ~0xffful) - IMAGE_BASE;
    return env->bi->userImageFrames.start + page / 4096;
}

static hypos_thread_t threads[HELPER_POOL];

__thread seL4_CPtr test_reply;

static void helper_entry(void *arg)
{
    helper_t *h = arg;
    test_reply = h->reply;
    h->result = h->fn(h->arg[0], h->arg[1], h->arg[2], h->arg[3]);
    h->done = 1;
    seL4_Signal(seL4_GetIPCBuffer()->userData);
    seL4_TCB_Suspend(h->tcb);
}

void create_helper_with_fault_ep(env_t *env, helper_t *h, seL4_Word prio, seL4_CPtr fault_ep)
{
    memset(h, 0, sizeof *h);
    int i;
    for (i = 0; i < HELPER_POOL && in_use[i]; i++)
        ;
    if (i == HELPER_POOL) {
        test_fail(env, __FILE__, __LINE__, "helper pool exhausted", 0, 0);
        return;
    }
    in_use[i] = true;
    h->pool_index = i;
    h->ipc = &ipc_buffers[i];
    memset(h->ipc, 0, sizeof *h->ipc);
    h->join = make_object(env, seL4_NotificationObject, 0);
    h->ipc->userData = h->join;
    h->tcb = make_object(env, seL4_TCBObject, 0);
    int e = api_tcb_configure(h->tcb, fault_ep, ROOT, 0, seL4_CapInitThreadVSpace, 0, (seL4_Word)h->ipc,
                              image_frame_cap(env, h->ipc));
    if (e)
        test_fail(env, __FILE__, __LINE__, "helper Configure", e, 0);
#ifdef CONFIG_KERNEL_MCS
    h->reply = make_object(env, seL4_ReplyObject, 0);
    h->sc = make_sc(env, TEST_TIMESLICE_US, TEST_TIMESLICE_US, 0, 0);
    e = api_sched_params(h->tcb, seL4_CapInitThreadTCB, 0, prio, h->sc, fault_ep);
    if (e)
        test_fail(env, __FILE__, __LINE__, "helper SetSchedParams", e, 0);
#else
    e = seL4_TCB_SetPriority(h->tcb, seL4_CapInitThreadTCB, prio);
    if (e)
        test_fail(env, __FILE__, __LINE__, "helper SetPriority", e, 0);
#endif
}

seL4_CPtr make_sc(env_t *env, seL4_Word budget_us, seL4_Word period_us, seL4_Word extra_refills, seL4_Word badge)
{
#ifdef CONFIG_KERNEL_MCS
    seL4_Word bits = seL4_MinSchedContextBits;
    while (seL4_MaxExtraRefills(bits) < extra_refills)
        bits++;
    seL4_CPtr sc = make_object(env, seL4_SchedContextObject, bits);
    int e = seL4_SchedControl_Configure(env->sched_control, sc, budget_us, period_us, extra_refills, badge);
    if (e)
        test_fail(env, __FILE__, __LINE__, "SchedControl_Configure", e, 0);
    return sc;
#else
    (void)env, (void)budget_us, (void)period_us, (void)extra_refills, (void)badge;
    return seL4_CapNull;
#endif
}

seL4_CPtr give_sc(env_t *env, seL4_CPtr tcb)
{
#ifdef CONFIG_KERNEL_MCS
    seL4_CPtr sc = make_sc(env, TEST_TIMESLICE_US, TEST_TIMESLICE_US, 0, 0);
    int e = seL4_SchedContext_Bind(sc, tcb);
    if (e)
        test_fail(env, __FILE__, __LINE__, "SchedContext_Bind", e, 0);
    return sc;
#else
    (void)env, (void)tcb;
    return seL4_CapNull;
#endif
}

void create_helper(env_t *env, helper_t *h, seL4_Word prio) { create_helper_with_fault_ep(env, h, prio, 0); }

void start_helper(env_t *env, helper_t *h, helper_fn_t fn, seL4_Word a0, seL4_Word a1, seL4_Word a2, seL4_Word a3)
{
    h->fn = fn;
    h->arg[0] = a0;
    h->arg[1] = a1;
    h->arg[2] = a2;
    h->arg[3] = a3;
    hypos_thread_t *t = &threads[h->pool_index];
    *t = (hypos_thread_t){.fn = helper_entry, .arg = h, .ipc = h->ipc};
    if (hypos_tls_size() > sizeof(tls_blocks[0]))
        test_fail(env, __FILE__, __LINE__, "TLS block too small", (long)hypos_tls_size(), 0);
    int e = hypos_thread_start(h->tcb, t, &stacks[h->pool_index][STACK_SIZE], tls_blocks[h->pool_index]);
    if (e)
        test_fail(env, __FILE__, __LINE__, "helper start", e, 0);
}

seL4_Word wait_for_helper(env_t *env, helper_t *h)
{
    (void)env;
    while (!h->done)
        seL4_Wait(h->join, NULL);
    return h->result;
}

void destroy_helper(env_t *env, helper_t *h)
{
    seL4_CNode_Delete(ROOT, h->tcb, WB);
    seL4_CNode_Delete(ROOT, h->join, WB);
    if (h->sc)
        seL4_CNode_Delete(ROOT, h->sc, WB);
    if (h->reply)
        seL4_CNode_Delete(ROOT, h->reply, WB);
    (void)env;
    if (h->pool_index >= 0 && h->pool_index < HELPER_POOL)
        in_use[h->pool_index] = false;
}

/* Map frame cap f at va in vspace, adding page tables as needed. */
static void map_with_tables(env_t *env, seL4_CPtr f, seL4_CPtr vspace, seL4_Word va, seL4_CapRights_t rights)
{
    int e, levels = 0;
    while ((e = test_page_map(f, vspace, va, rights)) == seL4_FailedLookup && levels++ < 4) {
        seL4_Word type = test_paging_object_for(seL4_MappingFailedLookupLevel());
        seL4_CPtr pt = make_object(env, type, 0);
        CHECK_EQ(test_paging_map(pt, type, vspace, va), 0);
    }
    CHECK_EQ(e, 0);
}

seL4_CPtr map_new_frame(env_t *env, seL4_CPtr vspace, seL4_Word va, seL4_CapRights_t rights)
{
    seL4_CPtr f = make_object(env, TEST_FRAME_4K, 0);
    map_with_tables(env, f, vspace, va, rights);
    return f;
}

seL4_CPtr map_copy(env_t *env, seL4_CPtr f, seL4_CPtr vspace, seL4_Word va, seL4_CapRights_t rights)
{
    seL4_CPtr c = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, c, WB, ROOT, f, WB, seL4_AllRights), 0);
    map_with_tables(env, c, vspace, va, rights);
    return c;
}

/* The frame copies are kept in a CNode of their own to spare root slots. */
seL4_CPtr make_image_vspace(env_t *env, seL4_CPtr pool)
{
    seL4_CPtr vs = make_object(env, TEST_VSPACE_OBJECT, 0);
    CHECK_EQ(test_asid_assign(pool, vs), 0);
    seL4_CPtr store = make_object(env, seL4_CapTableObject, 10), tmp = alloc_slot(env);
    seL4_BootInfo *bi = env->bi;
    for (seL4_CPtr f = bi->userImageFrames.start; f < bi->userImageFrames.end && env->failures == 0; f++) {
        seL4_Word i = f - bi->userImageFrames.start;
        CHECK_EQ(seL4_CNode_Copy(ROOT, tmp, WB, ROOT, f, WB, seL4_AllRights), 0);
        map_with_tables(env, tmp, vs, IMAGE_BASE + i * 4096, seL4_ReadWrite);
        CHECK_EQ(seL4_CNode_Move(store, i, 10, ROOT, tmp, WB), 0);
    }
    return vs;
}

void check_untyped_recovers(env_t *env)
{
    CHECK_EQ(seL4_CNode_Revoke(ROOT, env->ut, WB), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    seL4_CPtr t = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_UntypedObject, env->ut_bits, ROOT, 0, 0, t, 1), 0);
}

void run_storms(env_t *env, uint64_t base_seed, void (*storm)(env_t *env, uint64_t seed))
{
    for (unsigned k = 0; k < STORM_SEEDS && env->failures == 0; k++) {
        uint64_t seed = base_seed + k * 0x9e3779b97f4a7c15ull;
        if (k > 0) {
            /* what the framework does between tests */
            seL4_CNode_Revoke(ROOT, env->ut, WB);
            for (seL4_CPtr c = env->slot_lo; c < env->slot_next; c++)
                seL4_CNode_Delete(ROOT, c, WB);
            env->slot_next = env->slot_lo;
        }
        storm(env, seed);
        if (env->failures)
            printf("# storm failed with seed %#llx (number %u of %u)\n", (unsigned long long)seed, k + 1,
                   (unsigned)STORM_SEEDS);
    }
}
