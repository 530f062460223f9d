/* The architecture's object methods (paging structures, frames, ASIDs,
 * its IRQControl variants). */
#pragma once
#include <sel4/arch/client.h>
