/* What the MCS-only groups share: time in microseconds from the counter
 * user code may read, a spinning thread that measures how much processor
 * time it gets, helpers with their own scheduling parameters, and passive
 * servers (threads without a scheduling context that run on their callers'
 * time). The suite runs this configuration under -icount, where the
 * counter follows the guest's instructions, so the time bounds below hold
 * whatever the host does. */
#pragma once
#include "../framework.h"

#ifndef CONFIG_KERNEL_MCS
#error "the MCS groups are built only in the MCS configuration"
#endif

/* A free-running counter, TICKS_PER_MS per ms (the architecture's part of
 * the suite). */
uint64_t now_ticks(void);
static inline uint64_t now_us(void) { return now_ticks() * 1000 / TICKS_PER_MS; }
void spin_us(uint64_t us);

/* Two counter reads further apart than this are time the reading thread
 * did not have the processor. */
#define RUN_GAP_US 5

/* One stretch of time a spinning thread ran without interruption. */
typedef struct run_segment {
    uint64_t start, end;
} run_segment_t;

/* Spin for wall_us of wall time; the processor time the thread had in it.
 * With log != NULL, the first max runs are recorded there and *n_log
 * counts every run. */
uint64_t spin_measure(uint64_t wall_us, run_segment_t *log, int max, int *n_log);

/* Spin until the calling thread has had us of processor time. */
void spin_cpu_us(uint64_t us);

/* Replace the helper's scheduling context by a new one with these
 * parameters (room for extra_refills). */
void helper_set_sc(env_t *env, helper_t *h, seL4_Word budget_us, seL4_Word period_us, seL4_Word extra_refills,
                   seL4_Word badge);

/* A helper at prio that runs fn until its first blocking receive and then
 * loses its scheduling context: a passive server. The driver's priority
 * drops below prio for a moment so that the server gets there. */
void start_passive_server(env_t *env, helper_t *h, seL4_Word prio, helper_fn_t fn, seL4_Word a0, seL4_Word a1,
                          seL4_Word a2, seL4_Word a3);

/* The thread behind tcb has no scheduling context: a new one binds. The
 * new SC is unbound again, so nothing else changes. */
bool tcb_has_no_sc(env_t *env, seL4_CPtr tcb);

/* Let every thread of priority > prio run until it blocks: the driver
 * drops to prio for a moment (it has the processor again as soon as no
 * thread above prio is runnable). */
void let_run_above(seL4_Word prio);

/* Wall time passes with the driver at priority 0: every thread above it
 * that can run runs meanwhile. */
void idle_for_us(uint64_t us);

/* Labels of the test servers' requests. */
#define SPIN_REQUEST 0x51 /* MR0: microseconds to spin, answered with MR0 + 1 */
#define DONE_LABEL 0x77   /* a helper tells the driver it has finished */

/* A server loop on ep with the calling thread's reply object: each request
 * spins MR0 us (label SPIN_REQUEST) and is answered with MR0 + 1;
 * *(volatile seL4_Word *)counter counts the requests. */
seL4_Word spin_server(seL4_Word ep, seL4_Word counter, seL4_Word c, seL4_Word d);
/* A client: Call ep with SPIN_REQUEST for a0 us, a1 times; the sum of the
 * answers. */
seL4_Word spin_client(seL4_Word ep, seL4_Word us, seL4_Word times, seL4_Word d);
