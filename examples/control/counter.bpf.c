/* Version 1 of the counter (counter_body.h). */
#define VERSION 1
#include "counter_body.h"
