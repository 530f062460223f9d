/* The benchmark hook's context: one byte and its position. */
#ifndef BENCH_HOOK_H
#define BENCH_HOOK_H
struct bench_ctx {
    unsigned int byte;
    unsigned int position;
};
#endif
