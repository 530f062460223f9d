/* The layout both PDs agree on for the shared region. */
#pragma once
#define RING_SLOTS 8
struct ring {
    unsigned long head, tail;
    unsigned long slot[RING_SLOTS];
};
