/* The Microkit benchmark client, also measuring the passive server. */
#define BENCH_PASSIVE_SERVER 1
#include "../microkit/client.c"
