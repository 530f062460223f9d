/* FPU group, x86_64: code an ordinary compiler emits for double and SSE
 * arithmetic (this file alone is built with SSE registers allowed; see the
 * Makefile), run by threads that interleave, gives bit-identical results to
 * the same code run alone. */
#include "../../framework.h"
#include <string.h>

/* Partial sums of a slowly converging series in double precision, with a
 * thread-specific scale; every step rounds, so any disturbed register
 * changes the result. Yields every few steps when asked to. */
static double series(unsigned long scale, int steps, int yield_every)
{
    double sum = 0.0, x = 1.0 / (double)scale;
    for (int k = 1; k <= steps; k++) {
        sum += x / ((double)k * (double)k) + (double)(k % 7) * 1e-9;
        x *= 1.0000001;
        if (yield_every && k % yield_every == 0)
            seL4_Yield();
    }
    return sum;
}

static seL4_Word series_bits(double d)
{
    seL4_Word w;
    memcpy(&w, &d, sizeof w);
    return w;
}

static seL4_Word sse_worker(seL4_Word scale, seL4_Word steps, seL4_Word yield_every, seL4_Word d)
{
    (void)d;
    return series_bits(series(scale, (int)steps, (int)yield_every));
}

/* The reference: the same code alone in a new thread, which starts from
 * the initial FP state (the driver's rounding mode is whatever earlier FPU
 * tests left it). */
static seL4_Word alone(env_t *env, helper_t *h, seL4_Word scale, seL4_Word steps)
{
    create_helper(env, h, 100);
    start_helper(env, h, sse_worker, scale, steps, 0, 0);
    return wait_for_helper(env, h);
}

TEST(FPU0101, "compiled SSE code (double arithmetic) in interleaved threads gives the results it gives alone")
{
    enum { STEPS = 3000, EVERY = 7 };
    seL4_Word mine = series_bits(series(4, STEPS, 0));
    helper_t ref3, ref5, a, b;
    seL4_Word want3 = alone(env, &ref3, 3, STEPS), want5 = alone(env, &ref5, 5, STEPS);
    CHECK(want3 != want5);
    create_helper(env, &a, 100);
    create_helper(env, &b, 100);
    seL4_Word l0 = seL4_HypDebugFpuSwitches(false);
    start_helper(env, &a, sse_worker, 3, STEPS, EVERY, 0);
    start_helper(env, &b, sse_worker, 5, STEPS, EVERY, 0);
    CHECK_EQ(wait_for_helper(env, &a), want3);
    CHECK_EQ(wait_for_helper(env, &b), want5);
    /* both became FPU users and took turns with the registers */
    CHECK(seL4_HypDebugFpuSwitches(false) - l0 >= 2 * (STEPS / EVERY));
    /* and the driver's own computation still gives what it gave */
    CHECK_EQ(series_bits(series(4, STEPS, 0)), mine);
}
