/* The IRQ and PREEMPT groups' interrupt source (irq_helpers.h): map the
 * timer device, bind a handler for it, and wait for its interrupt with a
 * bound on the time: a lower-priority watchdog thread signals the same
 * notification with its own badge when the time is up. */
#include "framework.h"
#include "irq_helpers.h"

/* The RTC's page: carve the device untyped that holds it in halves down
 * to 4 KiB, then map it. */
volatile uint32_t *rtc_map(env_t *env)
{
    seL4_BootInfo *bi = env->bi;
    seL4_CPtr ut = 0;
    seL4_Word base = 0, bits = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        seL4_UntypedDesc *u = &bi->untypedList[i];
        if (u->isDevice && u->paddr <= RTC_PADDR && RTC_PADDR < u->paddr + (1ul << u->sizeBits)) {
            ut = bi->untyped.start + i;
            base = u->paddr;
            bits = u->sizeBits;
        }
    }
    CHECK(ut != 0);
    if (!ut)
        return NULL;
    while (bits > 12) {
        seL4_CPtr s = alloc_slot(env);
        alloc_slot(env);
        CHECK_EQ(seL4_Untyped_Retype(ut, seL4_UntypedObject, bits - 1, ROOT, 0, 0, s, 2), 0);
        bits--;
        if (RTC_PADDR >= base + (1ul << bits)) {
            base += 1ul << bits;
            ut = s + 1;
        } else {
            ut = s;
        }
    }
    seL4_CPtr frame = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(ut, TEST_FRAME_4K, 0, ROOT, 0, 0, frame, 1), 0);
    CHECK_EQ(test_frame_paddr(frame), RTC_PADDR);
    map_copy(env, frame, seL4_CapInitThreadVSpace, RTC_VA, seL4_ReadWrite);
    volatile uint32_t *rtc = (volatile uint32_t *)RTC_VA;
    rtc_device_init(env, rtc);
    return rtc;
}

/* A handler for the RTC, bound to a notification that delivers badge. */
seL4_CPtr rtc_handler(env_t *env, seL4_CPtr *ntfn, seL4_Word badge)
{
    seL4_CPtr irq = alloc_slot(env);
    CHECK_EQ(rtc_irq_get(irq), 0);
    *ntfn = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr badged = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, badged, WB, ROOT, *ntfn, WB, seL4_AllRights, badge), 0);
    CHECK_EQ(seL4_IRQHandler_SetNotification(irq, badged), 0);
    return irq;
}

static volatile int wd_stop;

static seL4_Word watchdog_fn(seL4_Word cap, seL4_Word ticks, seL4_Word a2, seL4_Word a3)
{
    (void)a2;
    (void)a3;
    uint64_t end = now_ticks() + ticks;
    while (!wd_stop && now_ticks() < end)
        ;
    if (!wd_stop)
        seL4_Signal(cap);
    return 0;
}

void watchdog_start(env_t *env, watchdog_t *w, seL4_CPtr ntfn, seL4_Word ms, seL4_Word prio)
{
    w->cap = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, w->cap, WB, ROOT, ntfn, WB, seL4_AllRights, WATCHDOG_BADGE), 0);
    wd_stop = 0;
    create_helper(env, &w->h, prio);
    start_helper(env, &w->h, watchdog_fn, w->cap, ms * TICKS_PER_MS, 0, 0);
}

void watchdog_stop(env_t *env, watchdog_t *w)
{
    wd_stop = 1;
    wait_for_helper(env, &w->h);
    destroy_helper(env, &w->h);
}

/* Wait on ntfn for at most ms; the badge word (WATCHDOG_BADGE set when
 * the time ran out). */
seL4_Word bounded_wait(env_t *env, seL4_CPtr ntfn, seL4_Word ms)
{
    watchdog_t w;
    watchdog_start(env, &w, ntfn, ms, 10);
    seL4_Word badge = 0;
    seL4_Wait(ntfn, &badge);
    watchdog_stop(env, &w);
    /* the watchdog may have signalled just after the interrupt */
    seL4_Word late = 0;
    seL4_Poll(ntfn, &late);
    return badge | late;
}

void fire_and_expect(env_t *env, volatile uint32_t *rtc, seL4_CPtr irq, seL4_CPtr ntfn, seL4_Word badge)
{
    seL4_Word stale = 0;
    seL4_Poll(ntfn, &stale);
    rtc_fire_now(rtc);
    CHECK_EQ(bounded_wait(env, ntfn, 2000), badge);
    rtc_clear(rtc);
    CHECK_EQ(seL4_IRQHandler_Ack(irq), 0);
}
