/* Older invocation names kept as aliases of newer ones. seL4 has one:
 * SchedControl_Configure, which is ConfigureFlags with no flags, in the
 * MCS configuration; a non-MCS configuration has none. */
#pragma once
#include <sel4/config.h>
#include <sel4/constants.h>
#include <interfaces/sel4_client.h>

#ifdef CONFIG_KERNEL_MCS
LIBSEL4_INLINE seL4_Error seL4_SchedControl_Configure(seL4_SchedControl service, seL4_SchedContext schedcontext,
                                                      seL4_Time budget, seL4_Time period, seL4_Word extra_refills,
                                                      seL4_Word badge)
{
    return seL4_SchedControl_ConfigureFlags(service, schedcontext, budget, period, extra_refills, badge,
                                            seL4_SchedContext_NoFlag);
}
#endif
