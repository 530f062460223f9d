/* Shared parts of the MCS-only groups (mcs_helpers.h). */
#include "mcs_helpers.h"

void spin_us(uint64_t us)
{
    uint64_t end = now_us() + us;
    while (now_us() < end)
        ;
}

uint64_t spin_measure(uint64_t wall_us, run_segment_t *log, int max, int *n_log)
{
    uint64_t start = now_us(), end = start + wall_us, ran = 0, prev = start, seg_start = start;
    int n = 0;
    for (;;) {
        uint64_t t = now_us();
        if (t - prev <= RUN_GAP_US) {
            ran += t - prev;
        } else {
            if (log && n < max)
                log[n] = (run_segment_t){seg_start, prev};
            n++;
            seg_start = t;
        }
        prev = t;
        if (t >= end)
            break;
    }
    if (log && n < max)
        log[n] = (run_segment_t){seg_start, prev};
    n++;
    if (n_log)
        *n_log = n;
    return ran;
}

void spin_cpu_us(uint64_t us)
{
    uint64_t ran = 0, prev = now_us();
    while (ran < us) {
        uint64_t t = now_us();
        if (t - prev <= RUN_GAP_US)
            ran += t - prev;
        prev = t;
    }
}

void helper_set_sc(env_t *env, helper_t *h, seL4_Word budget_us, seL4_Word period_us, seL4_Word extra_refills,
                   seL4_Word badge)
{
    CHECK_EQ(seL4_SchedContext_UnbindObject(h->sc, h->tcb), 0);
    h->sc = make_sc(env, budget_us, period_us, extra_refills, badge);
    CHECK_EQ(seL4_SchedContext_Bind(h->sc, h->tcb), 0);
}

void let_run_above(seL4_Word prio)
{
    set_own_priority(prio);
    set_own_priority(seL4_MaxPrio);
}

void idle_for_us(uint64_t us)
{
    set_own_priority(0);
    spin_us(us);
    set_own_priority(seL4_MaxPrio);
}

void start_passive_server(env_t *env, helper_t *h, seL4_Word prio, helper_fn_t fn, seL4_Word a0, seL4_Word a1,
                          seL4_Word a2, seL4_Word a3)
{
    create_helper(env, h, prio);
    start_helper(env, h, fn, a0, a1, a2, a3);
    let_run_above(prio - 1);
    CHECK_EQ(seL4_SchedContext_UnbindObject(h->sc, h->tcb), 0);
}

bool tcb_has_no_sc(env_t *env, seL4_CPtr tcb)
{
    seL4_CPtr sc = make_sc(env, 1000, 100000, 0, 0);
    int e = seL4_SchedContext_Bind(sc, tcb);
    if (e == 0)
        CHECK_EQ(seL4_SchedContext_UnbindObject(sc, tcb), 0);
    seL4_CNode_Delete(ROOT, sc, WB);
    return e == 0;
}

seL4_Word spin_server(seL4_Word ep, seL4_Word counter, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    seL4_Word badge;
    seL4_MessageInfo_t info = api_recv(ep, &badge, test_reply);
    for (;;) {
        seL4_Word arg = seL4_GetMR(0);
        if (seL4_MessageInfo_get_label(info) == SPIN_REQUEST)
            spin_us(arg);
        if (counter)
            (*(volatile seL4_Word *)counter)++;
        seL4_SetMR(0, arg + 1);
        info = api_reply_recv(ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge, test_reply);
    }
    return 0;
}

seL4_Word spin_client(seL4_Word ep, seL4_Word us, seL4_Word times, seL4_Word d)
{
    (void)d;
    seL4_Word sum = 0;
    for (seL4_Word i = 0; i < times; i++) {
        seL4_SetMR(0, us);
        seL4_Call(ep, seL4_MessageInfo_new(SPIN_REQUEST, 0, 0, 1));
        sum += seL4_GetMR(0);
    }
    return sum;
}
