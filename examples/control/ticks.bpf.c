/* Version 1 of the tick counter (ticks_body.h); the image is built with it. */
#define VERSION 1
#include "ticks_body.h"
