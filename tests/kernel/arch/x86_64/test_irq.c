/* IRQ, x86_64 only: seL4's x86 IRQControl methods (GetIOAPIC, GetMSI) and
 * a level-triggered I/O APIC input. */
#include "../../framework.h"
#include "../../irq_helpers.h"

TEST(IRQ0006, "IRQControl_GetIOAPIC and GetMSI check their arguments and the input, and issue handlers")
{
    seL4_CPtr a = alloc_slot(env), b = alloc_slot(env);
    /* one I/O APIC with 24 inputs; level and polarity are bits */
    CHECK_EQ(seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, ROOT, a, WB, 1, 3, 0, 0, 5), seL4_RangeError);
    CHECK_EQ(seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, ROOT, a, WB, 0, 24, 0, 0, 5), seL4_RangeError);
    CHECK_EQ(seL4_GetMR(1), 23);
    CHECK_EQ(seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, ROOT, a, WB, 0, 3, 2, 0, 5), seL4_RangeError);
    /* the IRQ number (vector) is checked like Get's */
    CHECK_EQ(seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, ROOT, a, WB, 0, 3, 0, 0, 0), seL4_RangeError);
    CHECK_EQ(seL4_GetMR(0), 1);
    CHECK_EQ(seL4_DebugCapIdentify(a), 0);
    CHECK_EQ(seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, ROOT, a, WB, 0, 3, 0, 0, 5), 0);
    CHECK_EQ(seL4_DebugCapIdentify(a), seL4_CapTag_IRQHandler);
    /* the input is taken, under any IRQ number, and so is IRQ 5 */
    CHECK_EQ(seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, ROOT, b, WB, 0, 3, 0, 0, 6), seL4_RevokeFirst);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, 3, ROOT, b, WB), seL4_RevokeFirst);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, 5, ROOT, b, WB), seL4_RevokeFirst);
    /* deleting the handler frees both */
    CHECK_EQ(seL4_CNode_Delete(ROOT, a, WB), 0);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, 3, ROOT, a, WB), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, a, WB), 0);
    /* MSI: PCI bus, device and function in range; nothing to route */
    CHECK_EQ(seL4_IRQControl_GetMSI(seL4_CapIRQControl, ROOT, b, WB, 0, 32, 0, 0, 7), seL4_RangeError);
    CHECK_EQ(seL4_IRQControl_GetMSI(seL4_CapIRQControl, ROOT, b, WB, 0, 3, 8, 0, 7), seL4_RangeError);
    CHECK_EQ(seL4_IRQControl_GetMSI(seL4_CapIRQControl, ROOT, b, WB, 0, 3, 0, 0, 7), 0);
    CHECK_EQ(seL4_DebugCapIdentify(b), seL4_CapTag_IRQHandler);
    CHECK_EQ(seL4_IRQControl_GetMSI(seL4_CapIRQControl, ROOT, a, WB, 0, 4, 0, 0, 7), seL4_RevokeFirst);
    /* too short for the seven arguments */
    seL4_Word args[6] = {a, WB, 0, 3, 0, 0};
    seL4_SetCap(0, ROOT);
    CHECK_EQ(seL4_hyp_invoke(seL4_CapIRQControl, X86IRQIssueIRQHandlerIOAPIC, 1, 6, args, NULL), seL4_TruncatedMessage);
}

TEST(IRQ0020, "GetIOAPIC level-triggered: the line stays masked until Ack and is delivered again while raised")
{
    volatile uint32_t *hpet = rtc_map(env);
    if (!hpet)
        return;
    /* the HPET's input, level-triggered and active high, as IRQ 9 */
    seL4_CPtr irq = alloc_slot(env);
    CHECK_EQ(seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, ROOT, irq, WB, 0, RTC_IRQ, 1, 0, 9), 0);
    seL4_CPtr ntfn = make_object(env, seL4_NotificationObject, 0), badged = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, badged, WB, ROOT, ntfn, WB, seL4_AllRights, 0x9), 0);
    CHECK_EQ(seL4_IRQHandler_SetNotification(irq, badged), 0);
    rtc_fire_now(hpet);
    CHECK_EQ(bounded_wait(env, ntfn, 2000), 0x9);
    /* the line is still up but masked: nothing more until Ack */
    CHECK_EQ(bounded_wait(env, ntfn, 50), WATCHDOG_BADGE);
    CHECK_EQ(seL4_IRQHandler_Ack(irq), 0);
    CHECK_EQ(bounded_wait(env, ntfn, 2000), 0x9);
    /* lowered, then acknowledged: quiet */
    rtc_clear(hpet);
    CHECK_EQ(seL4_IRQHandler_Ack(irq), 0);
    CHECK_EQ(bounded_wait(env, ntfn, 50), WATCHDOG_BADGE);
}
