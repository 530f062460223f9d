/* Moved: the runtime's headers are in libs/runtime/include (#include <hypos/thread.h>). */
#pragma once
#include <hypos/thread.h>
