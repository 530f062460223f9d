/* IRQControl and IRQHandler stubs with seL4's C signatures (seL4 manual
 * ch. 9; RISC-V's IRQControl_GetTrigger). */
#pragma once
#include <sel4/client.h>
#include <sel4/invocation.h>

LIBSEL4_INLINE seL4_Error seL4_IRQControl_Get(seL4_IRQControl service, seL4_Word irq, seL4_CNode root, seL4_Word index,
                                              seL4_Uint8 depth)
{
    seL4_Word a[3] = {irq, index, depth};
    seL4_SetCap(0, root);
    return seL4_hyp_invoke(service, IRQIssueIRQHandler, 1, 3, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_IRQControl_GetTrigger(seL4_IRQControl service, seL4_Word irq, seL4_Word trigger,
                                                     seL4_CNode root, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word a[4] = {irq, trigger, index, depth};
    seL4_SetCap(0, root);
    return seL4_hyp_invoke(service, RISCVIRQIssueIRQHandlerTrigger, 1, 4, a, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_IRQHandler_Ack(seL4_IRQHandler service)
{
    return seL4_hyp_invoke(service, IRQAckIRQ, 0, 0, NULL, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_IRQHandler_SetNotification(seL4_IRQHandler service, seL4_CPtr notification)
{
    seL4_SetCap(0, notification);
    return seL4_hyp_invoke(service, IRQSetIRQHandler, 1, 0, NULL, NULL);
}

LIBSEL4_INLINE seL4_Error seL4_IRQHandler_Clear(seL4_IRQHandler service)
{
    return seL4_hyp_invoke(service, IRQClearIRQHandler, 0, 0, NULL, NULL);
}
