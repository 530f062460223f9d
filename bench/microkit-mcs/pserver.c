/* The same server, passive: it runs on its callers' scheduling contexts
 * and, for notifications, on its own SC bound to its notification. */
#include "../microkit/server.c"
