/* The Microkit benchmark server (its own scheduling context). */
#include "../microkit/server.c"
