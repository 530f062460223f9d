/* Page fault messages: read them with seL4_getFault (<sel4/faults.h>). */
#pragma once
#include <sel4/faults.h>
