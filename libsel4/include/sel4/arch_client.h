/* The architecture's object methods (paging structures, frames, ASIDs). */
#pragma once
#include <sel4/arch/client.h>
