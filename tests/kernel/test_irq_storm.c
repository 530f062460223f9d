/* IRQ0090: the RTC interrupt fired, acknowledged, rebound and torn down in
 * random order while two threads wait for it. The root task fires and
 * clears the device, Acks, switches the handler's notification, clears it,
 * deletes and re-issues the handler cap, replaces notifications, binds them
 * to threads, suspends and resumes the waiters; the waiters Ack when they
 * like. The kernel's invariants must hold after every step, and at the end
 * a fresh handler must still deliver the interrupt. */
#include "irq_helpers.h"

#define ROUNDS 1000
#define WAITERS 2

static volatile seL4_Word wakeups[WAITERS];

static seL4_Word irq_waiter(seL4_Word index, seL4_Word ntfn, seL4_Word irq, seL4_Word seed)
{
    uint64_t x = seed | 1;
    for (;;) {
        seL4_Wait(ntfn, NULL);
        wakeups[index]++;
        if (test_rnd(&x) % 2)
            seL4_IRQHandler_Ack(irq);
    }
    return 0;
}

static void irq_storm(env_t *env, uint64_t seed)
{
    volatile uint32_t *rtc = rtc_map(env);
    if (!rtc)
        return;
    /* ntfn[0..1] are waited on; ntfn[2] is only ever bound to a waiter */
    seL4_CPtr irq = alloc_slot(env), ntfn[WAITERS + 1], badged[WAITERS + 1];
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, ROOT, irq, WB), 0);
    for (int i = 0; i <= WAITERS; i++) {
        ntfn[i] = alloc_slot(env);
        badged[i] = alloc_slot(env);
        CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_NotificationObject, 0, ROOT, 0, 0, ntfn[i], 1), 0);
        CHECK_EQ(seL4_CNode_Mint(ROOT, badged[i], WB, ROOT, ntfn[i], WB, seL4_AllRights, 1ul << i), 0);
    }
    for (int i = 0; i < WAITERS; i++)
        wakeups[i] = 0;
    CHECK_EQ(seL4_IRQHandler_SetNotification(irq, badged[0]), 0);
    helper_t w[WAITERS];
    for (int i = 0; i < WAITERS; i++) {
        create_helper(env, &w[i], 150);
        start_helper(env, &w[i], irq_waiter, i, ntfn[i], irq, (seed ^ 0x9e3779b97f4a7c15ull) * (i + 1));
    }
    uint64_t x = seed | 1;
    seL4_Word results[16] = {0};
    for (int round = 0; round < ROUNDS && env->failures == 0; round++) {
        int k = (int)(test_rnd(&x) % WAITERS);
        int r = 0;
        switch (test_rnd(&x) % 17) {
        case 0:
        case 1:
        case 2:
        case 3:
        case 4: /* a whole cycle: the device's line down, the IRQ unmasked, a new alarm */
            rtc_clear(rtc);
            r = seL4_IRQHandler_Ack(irq);
            rtc_fire_now(rtc);
            break;
        case 5:
            rtc_fire_now(rtc);
            break;
        case 6:
            rtc_clear(rtc);
            break;
        case 7:
            r = seL4_IRQHandler_Ack(irq);
            break;
        case 8:
            r = seL4_IRQHandler_SetNotification(irq, badged[test_rnd(&x) % (WAITERS + 1)]);
            break;
        case 9:
            r = seL4_IRQHandler_Clear(irq);
            break;
        case 10: /* the handler cap goes (the IRQ is disabled) and comes back */
            seL4_CNode_Delete(ROOT, irq, WB);
            r = seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, ROOT, irq, WB);
            if (r == 0 && test_rnd(&x) % 2)
                r = seL4_IRQHandler_SetNotification(irq, badged[k]);
            break;
        case 11: /* a new notification in the slot a waiter waits on */
            seL4_CNode_Revoke(ROOT, ntfn[k], WB);
            seL4_CNode_Delete(ROOT, ntfn[k], WB);
            r = seL4_Untyped_Retype(env->ut, seL4_NotificationObject, 0, ROOT, 0, 0, ntfn[k], 1);
            if (r == 0)
                r = seL4_CNode_Mint(ROOT, badged[k], WB, ROOT, ntfn[k], WB, seL4_AllRights, 1ul << k);
            break;
        case 12:
            r = test_rnd(&x) % 2 ? seL4_TCB_BindNotification(w[k].tcb, ntfn[WAITERS])
                                 : seL4_TCB_UnbindNotification(w[k].tcb);
            break;
        case 13:
            r = test_rnd(&x) % 4 == 0 ? seL4_TCB_Suspend(w[k].tcb) : seL4_TCB_Resume(w[k].tcb);
            break;
        default: /* let the waiters run */
            set_own_priority(100);
            set_own_priority(seL4_MaxPrio);
            break;
        }
        results[r >= 0 && r < 16 ? r : 15]++;
        CHECK(r >= 0 && r < seL4_NumErrors);
        CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    }
    for (int i = 0; i < WAITERS; i++)
        destroy_helper(env, &w[i]);
    printf("#   %d steps (%lu refused with an error), wakeups %lu and %lu\n", ROUNDS,
           (unsigned long)(ROUNDS - results[0]), (unsigned long)wakeups[0], (unsigned long)wakeups[1]);
    CHECK(wakeups[0] + wakeups[1] > 0);

    /* after all that, a fresh handler on a fresh notification works */
    seL4_CNode_Delete(ROOT, irq, WB);
    rtc_clear(rtc);
    seL4_CPtr fresh_ntfn, fresh = rtc_handler(env, &fresh_ntfn, 0x80);
    CHECK_EQ(seL4_IRQHandler_Ack(fresh), 0);
    fire_and_expect(env, rtc, fresh, fresh_ntfn, 0x80);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}

TEST(IRQ0090, "the RTC interrupt acked, rebound and torn down at random while threads wait: invariants hold")
{
    run_storms(env, 0x2545f4914f6cdd1dull, irq_storm);
}
