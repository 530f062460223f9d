/* Older invocation names kept as aliases of newer ones. seL4 has such
 * aliases only for MCS methods (SchedControl_Configure and the TCB
 * SetSchedParams/SetSpace/SetTimeoutEndpoint forms), so a non-MCS
 * configuration has none; an MCS configuration adds them here. */
#pragma once
#include <sel4/config.h>
#include <interfaces/sel4_client.h>
