/* Version 2 of the counter (counter_body.h): same maps, its own verdict. */
#define VERSION 2
#include "counter_body.h"
