/* What the benchmark PDs share. */
#pragma once
#define ROUNDS 64
struct shared {
    unsigned long index, sent;
    unsigned long latency[ROUNDS];
};
