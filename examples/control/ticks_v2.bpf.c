/* Version 2 of the tick counter (ticks_body.h). */
#define VERSION 2
#include "ticks_body.h"
