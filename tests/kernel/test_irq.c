/* IRQ: seL4_IRQControl_Get (and RISC-V's GetTrigger),
 * seL4_IRQHandler_SetNotification, Ack and Clear with seL4's errors, and
 * interrupts that really fire: a timer device (irq_helpers.h) raises its
 * alarm on demand, through a device frame the test maps. Every wait for an
 * interrupt is bounded: a lower-priority watchdog thread signals the same
 * notification with its own badge when its time is up. */
#include "framework.h"
#include "irq_helpers.h"
#include <sel4/invocation.h>

static seL4_Word mr(int i) { return seL4_GetMR(i); }

/* ---------------- IRQControl ---------------- */

TEST(IRQ0001, "IRQControl_Get of IRQ 0 is RangeError(1, maxIRQ)")
{
    seL4_CPtr s = alloc_slot(env);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, 0, ROOT, s, WB), seL4_RangeError);
    CHECK_EQ(mr(0), 1);
    CHECK(mr(1) >= RTC_IRQ && mr(1) < 1024);
    CHECK_EQ(seL4_DebugCapIdentify(s), 0);
}

TEST(IRQ0002, "IRQControl_Get above maxIRQ is RangeError; maxIRQ itself is valid")
{
    seL4_CPtr s = alloc_slot(env);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, 0, ROOT, s, WB), seL4_RangeError);
    seL4_Word max = mr(1);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, max + 1, ROOT, s, WB), seL4_RangeError);
    CHECK_EQ(mr(0), 1);
    CHECK_EQ(mr(1), max);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, ~0ul, ROOT, s, WB), seL4_RangeError);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, max, ROOT, s, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(s), seL4_CapTag_IRQHandler);
    CHECK_EQ(seL4_CNode_Delete(ROOT, s, WB), 0);
}

TEST(IRQ0003, "IRQControl_Get destination errors: bad depth, failed lookup, occupied slot")
{
    seL4_CPtr s = alloc_slot(env);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, ROOT, s, 0), seL4_RangeError);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, ROOT, s, 65), seL4_RangeError);
    /* a 12-bit slot number with a full-word depth runs into the guard */
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, ROOT, 1ul << 40, WB), seL4_FailedLookup);
    /* the root CNode is not a CNode cap to resolve through */
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, seL4_CapInitThreadTCB, s, WB), seL4_FailedLookup);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, ROOT, seL4_CapInitThreadTCB, WB), seL4_DeleteFirst);
    /* none of these issued a handler: the IRQ is still free */
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, ROOT, s, WB), 0);
}

TEST(IRQ0004, "a second handler for the same IRQ is RevokeFirst until the first is deleted")
{
    seL4_CPtr a = alloc_slot(env), b = alloc_slot(env);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, ROOT, a, WB), 0);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, ROOT, b, WB), seL4_RevokeFirst);
#if TEST_HAS_GET_TRIGGER
    CHECK_EQ(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, RTC_IRQ, 1, ROOT, b, WB), seL4_RevokeFirst);
#endif
    /* RevokeFirst comes before the destination checks */
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, ROOT, a, WB), seL4_RevokeFirst);
    CHECK_EQ(seL4_DebugCapIdentify(b), 0);
    /* a different IRQ is independent */
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ + 1, ROOT, b, WB), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, b, WB), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, a, WB), 0);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, ROOT, b, WB), 0);
}

TEST(IRQ0005, "IRQControl: short messages are TruncatedMessage, other labels IllegalOperation")
{
    seL4_CPtr s = alloc_slot(env);
    seL4_SetCap(0, ROOT);
    seL4_MessageInfo_t r = seL4_CallWithMRs(seL4_CapIRQControl, seL4_MessageInfo_new(IRQIssueIRQHandler, 0, 1, 2),
                                            &(seL4_Word){RTC_IRQ}, &(seL4_Word){s}, &(seL4_Word){0}, &(seL4_Word){0});
    CHECK_EQ(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    /* no CNode cap */
    r = seL4_CallWithMRs(seL4_CapIRQControl, seL4_MessageInfo_new(IRQIssueIRQHandler, 0, 0, 3), &(seL4_Word){RTC_IRQ},
                         &(seL4_Word){s}, &(seL4_Word){WB}, &(seL4_Word){0});
    CHECK_EQ(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
#if TEST_HAS_GET_TRIGGER
    /* the trigger variant needs four arguments */
    seL4_SetCap(0, ROOT);
    r = seL4_CallWithMRs(seL4_CapIRQControl, seL4_MessageInfo_new(RISCVIRQIssueIRQHandlerTrigger, 0, 1, 3),
                         &(seL4_Word){RTC_IRQ}, &(seL4_Word){0}, &(seL4_Word){s}, &(seL4_Word){0});
    CHECK_EQ(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
#endif
    r = seL4_Call(seL4_CapIRQControl, seL4_MessageInfo_new(IRQAckIRQ, 0, 0, 0));
    CHECK_EQ(seL4_MessageInfo_get_label(r), seL4_IllegalOperation);
    r = seL4_Call(seL4_CapIRQControl, seL4_MessageInfo_new(CNodeCopy, 0, 0, 0));
    CHECK_EQ(seL4_MessageInfo_get_label(r), seL4_IllegalOperation);
    CHECK_EQ(seL4_DebugCapIdentify(s), 0);
}

#if TEST_HAS_GET_TRIGGER
TEST(IRQ0006, "IRQControl_GetTrigger accepts level and edge and checks like Get")
{
    seL4_CPtr a = alloc_slot(env), b = alloc_slot(env);
    CHECK_EQ(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, 0, 0, ROOT, a, WB), seL4_RangeError);
    CHECK_EQ(mr(0), 1);
    CHECK_EQ(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, RTC_IRQ, 0, ROOT, a, 0), seL4_RangeError);
    CHECK_EQ(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, RTC_IRQ, 0, ROOT, seL4_CapInitThreadTCB, WB),
             seL4_DeleteFirst);
    CHECK_EQ(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, RTC_IRQ, 0, ROOT, a, WB), 0);
    CHECK_EQ(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, RTC_IRQ + 1, 1, ROOT, b, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(a), seL4_CapTag_IRQHandler);
    CHECK_EQ(seL4_DebugCapIdentify(b), seL4_CapTag_IRQHandler);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, ROOT, alloc_slot(env), WB), seL4_RevokeFirst);
}
#endif

TEST(IRQ0007, "revoking IRQControl deletes every handler and frees their IRQs")
{
    seL4_CPtr a = alloc_slot(env), b = alloc_slot(env);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, ROOT, a, WB), 0);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ + 2, ROOT, b, WB), 0);
    seL4_CPtr c = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, c, WB, ROOT, a, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, seL4_CapIRQControl, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(a), 0);
    CHECK_EQ(seL4_DebugCapIdentify(b), 0);
    CHECK_EQ(seL4_DebugCapIdentify(c), 0);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapIRQControl), seL4_CapTag_IRQControl);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, ROOT, a, WB), 0);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ + 2, ROOT, b, WB), 0);
}

TEST(IRQ0008, "IRQControl cannot be copied; handler caps can, and the IRQ stays taken until the last goes")
{
    seL4_CPtr s = alloc_slot(env);
    CHECK(seL4_CNode_Copy(ROOT, s, WB, ROOT, seL4_CapIRQControl, WB, seL4_AllRights) != 0);
    CHECK_EQ(seL4_DebugCapIdentify(s), 0);
    seL4_CPtr a = alloc_slot(env), b = alloc_slot(env);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, ROOT, a, WB), 0);
    CHECK_EQ(seL4_CNode_Copy(ROOT, b, WB, ROOT, a, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, a, WB), 0);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, ROOT, a, WB), seL4_RevokeFirst);
    CHECK_EQ(seL4_IRQHandler_Ack(b), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, b, WB), 0);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, ROOT, a, WB), 0);
}

/* ---------------- IRQHandler ---------------- */

TEST(IRQ0009, "SetNotification needs a notification cap with Write: InvalidCapability(0) / TruncatedMessage")
{
    seL4_CPtr irq = alloc_slot(env);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, ROOT, irq, WB), 0);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    CHECK_EQ(seL4_IRQHandler_SetNotification(irq, ep), seL4_InvalidCapability);
    CHECK_EQ(mr(0), 0);
    seL4_CPtr n = make_object(env, seL4_NotificationObject, 0);
    seL4_CPtr ro = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, ro, WB, ROOT, n, WB, seL4_CanRead, 0), 0);
    CHECK_EQ(seL4_IRQHandler_SetNotification(irq, ro), seL4_InvalidCapability);
    CHECK_EQ(seL4_IRQHandler_SetNotification(irq, seL4_CapIRQControl), seL4_InvalidCapability);
    seL4_MessageInfo_t r = seL4_Call(irq, seL4_MessageInfo_new(IRQSetIRQHandler, 0, 0, 0));
    CHECK_EQ(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    seL4_CPtr wo = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, wo, WB, ROOT, n, WB, seL4_CanWrite, 0), 0);
    CHECK_EQ(seL4_IRQHandler_SetNotification(irq, wo), 0);
    CHECK_EQ(seL4_IRQHandler_SetNotification(irq, n), 0);
    CHECK_EQ(seL4_IRQHandler_Clear(irq), 0);
    CHECK_EQ(seL4_IRQHandler_Clear(irq), 0);
}

TEST(IRQ0010, "IRQHandler: unknown labels are IllegalOperation; Ack without an interrupt is harmless")
{
    seL4_CPtr irq = alloc_slot(env);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, ROOT, irq, WB), 0);
    seL4_MessageInfo_t r = seL4_Call(irq, seL4_MessageInfo_new(IRQIssueIRQHandler, 0, 0, 0));
    CHECK_EQ(seL4_MessageInfo_get_label(r), seL4_IllegalOperation);
    r = seL4_Call(irq, seL4_MessageInfo_new(CNodeDelete, 0, 0, 0));
    CHECK_EQ(seL4_MessageInfo_get_label(r), seL4_IllegalOperation);
    CHECK_EQ(seL4_IRQHandler_Ack(irq), 0);
    CHECK_EQ(seL4_IRQHandler_Ack(irq), 0);
}

/* ---------------- interrupts that fire ---------------- */

TEST(IRQ0011, "an RTC alarm signals the handler's notification with its badge")
{
    volatile uint32_t *rtc = rtc_map(env);
    if (!rtc)
        return;
    seL4_CPtr ntfn;
    seL4_CPtr irq = rtc_handler(env, &ntfn, 0x40);
    rtc_alarm_in(rtc, 1000000); /* 1 ms */
    seL4_Word b = bounded_wait(env, ntfn, 2000);
    CHECK_EQ(b, 0x40);
    CHECK(!rtc_alarm_armed(rtc));
    rtc_clear(rtc);
    CHECK_EQ(seL4_IRQHandler_Ack(irq), 0);
}

TEST(IRQ0012, "an interrupt stays masked until Ack; the next one is delivered after Ack")
{
    volatile uint32_t *rtc = rtc_map(env);
    if (!rtc)
        return;
    seL4_CPtr ntfn;
    seL4_CPtr irq = rtc_handler(env, &ntfn, 0x8);
    rtc_fire_now(rtc);
    CHECK_EQ(bounded_wait(env, ntfn, 2000), 0x8);
    /* the device raises its line again, but the line is masked */
    rtc_clear(rtc);
    rtc_fire_now(rtc);
    for (volatile int i = 0; i < 100000; i++)
        ;
    seL4_Word b = 0;
    seL4_Poll(ntfn, &b);
    CHECK_EQ(b, 0);
    CHECK_EQ(bounded_wait(env, ntfn, 50), WATCHDOG_BADGE);
    CHECK_EQ(seL4_IRQHandler_Ack(irq), 0);
    CHECK_EQ(bounded_wait(env, ntfn, 2000), 0x8);
    rtc_clear(rtc);
    CHECK_EQ(seL4_IRQHandler_Ack(irq), 0);
}

TEST(IRQ0013, "the IRQ badge is ORed into the notification word with other signals")
{
    volatile uint32_t *rtc = rtc_map(env);
    if (!rtc)
        return;
    seL4_CPtr ntfn;
    seL4_CPtr irq = rtc_handler(env, &ntfn, 0x100);
    seL4_CPtr other = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, other, WB, ROOT, ntfn, WB, seL4_AllRights, 0x3), 0);
    seL4_Signal(other);
    rtc_fire_now(rtc);
    for (volatile int i = 0; i < 1000; i++)
        ;
    seL4_Word b = 0;
    seL4_Wait(ntfn, &b); /* already signalled by the thread itself: cannot block */
    if (b == 0x3) {      /* the interrupt may come a few instructions late */
        seL4_Word more = bounded_wait(env, ntfn, 2000);
        b |= more;
    }
    CHECK_EQ(b, 0x103);
    rtc_clear(rtc);
    CHECK_EQ(seL4_IRQHandler_Ack(irq), 0);
}

TEST(IRQ0014, "Clear stops delivery; SetNotification again resumes it")
{
    volatile uint32_t *rtc = rtc_map(env);
    if (!rtc)
        return;
    seL4_CPtr ntfn;
    seL4_CPtr irq = rtc_handler(env, &ntfn, 0x2);
    CHECK_EQ(seL4_IRQHandler_Clear(irq), 0);
    rtc_fire_now(rtc);
    CHECK_EQ(bounded_wait(env, ntfn, 50), WATCHDOG_BADGE);
    /* the interrupt was taken (and masked) with nobody to tell */
    rtc_clear(rtc);
    seL4_CPtr badged = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, badged, WB, ROOT, ntfn, WB, seL4_AllRights, 0x20), 0);
    CHECK_EQ(seL4_IRQHandler_SetNotification(irq, badged), 0);
    CHECK_EQ(seL4_IRQHandler_Ack(irq), 0);
    rtc_fire_now(rtc);
    CHECK_EQ(bounded_wait(env, ntfn, 2000), 0x20);
    rtc_clear(rtc);
    CHECK_EQ(seL4_IRQHandler_Ack(irq), 0);
}

TEST(IRQ0015, "deleting the last handler cap disables the IRQ; a new handler gets it back")
{
    volatile uint32_t *rtc = rtc_map(env);
    if (!rtc)
        return;
    seL4_CPtr ntfn;
    seL4_CPtr irq = rtc_handler(env, &ntfn, 0x1);
    CHECK_EQ(seL4_CNode_Delete(ROOT, irq, WB), 0);
    rtc_fire_now(rtc);
    CHECK_EQ(bounded_wait(env, ntfn, 50), WATCHDOG_BADGE);
    rtc_clear(rtc);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, ROOT, irq, WB), 0);
    seL4_CPtr badged = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, badged, WB, ROOT, ntfn, WB, seL4_AllRights, 0x4), 0);
    CHECK_EQ(seL4_IRQHandler_SetNotification(irq, badged), 0);
    CHECK_EQ(seL4_IRQHandler_Ack(irq), 0);
    fire_and_expect(env, rtc, irq, ntfn, 0x4);
}

TEST(IRQ0016, "deleting the bound notification's caps unbinds it: nothing is signalled, the kernel stays sound")
{
    volatile uint32_t *rtc = rtc_map(env);
    if (!rtc)
        return;
    seL4_CPtr ntfn;
    seL4_CPtr irq = rtc_handler(env, &ntfn, 0x1);
    /* a second notification watches the time */
    seL4_CPtr spare = make_object(env, seL4_NotificationObject, 0);
    /* revoke the first notification's memory: copies in the kernel go too */
    seL4_CPtr ut = make_untyped(env, 12);
    seL4_CPtr n2 = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_NotificationObject, 0, ROOT, 0, 0, n2, 1), 0);
    CHECK_EQ(seL4_IRQHandler_SetNotification(irq, n2), 0);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(n2), 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    rtc_fire_now(rtc);
    CHECK_EQ(bounded_wait(env, spare, 50), WATCHDOG_BADGE);
    rtc_clear(rtc);
    CHECK_EQ(seL4_IRQHandler_Ack(irq), 0);
    (void)ntfn;
}

TEST(IRQ0017, "a thread blocked on the IRQ notification is woken by the interrupt and Acks it")
{
    volatile uint32_t *rtc = rtc_map(env);
    if (!rtc)
        return;
    seL4_CPtr ntfn;
    seL4_CPtr irq = rtc_handler(env, &ntfn, 0x10);
    /* several rounds: fire, wake, clear the device, Ack */
    for (int round = 0; round < 5; round++) {
        rtc_alarm_in(rtc, 200000);
        CHECK_EQ(bounded_wait(env, ntfn, 2000), 0x10);
        rtc_clear(rtc);
        CHECK_EQ(seL4_IRQHandler_Ack(irq), 0);
    }
}

TEST(IRQ0018, "the interrupt controller (" TEST_KERNEL_DEVICE_NAME ") is the kernel's: no device untyped covers it")
{
    seL4_BootInfo *bi = env->bi;
    const seL4_Word plic = TEST_KERNEL_DEVICE_PADDR, plic_end = plic + TEST_KERNEL_DEVICE_SIZE;
    bool below = false, above = false;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        seL4_UntypedDesc *u = &bi->untypedList[i];
        seL4_Word b = u->paddr, e = u->paddr + (1ul << u->sizeBits);
        CHECK(e <= plic || b >= plic_end);
        below |= u->isDevice && e == plic;
        above |= u->isDevice && b == plic_end;
    }
    /* and everything around it is still handed out */
    CHECK(below);
    CHECK(above);
}

TEST(IRQ0019, "an interrupt reaches a thread waiting on an endpoint through its bound notification")
{
    volatile uint32_t *rtc = rtc_map(env);
    if (!rtc)
        return;
    seL4_CPtr ntfn;
    seL4_CPtr irq = rtc_handler(env, &ntfn, 0x200);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    CHECK_EQ(seL4_TCB_BindNotification(seL4_CapInitThreadTCB, ntfn), 0);
    watchdog_t w;
    watchdog_start(env, &w, ntfn, 2000, 10);
    rtc_alarm_in(rtc, 1000000);
    seL4_Word badge = 0;
    api_recv(ep, &badge, test_reply);
    watchdog_stop(env, &w);
    CHECK_EQ(seL4_TCB_UnbindNotification(seL4_CapInitThreadTCB), 0);
    CHECK_EQ(badge, 0x200);
    rtc_clear(rtc);
    CHECK_EQ(seL4_IRQHandler_Ack(irq), 0);
}
