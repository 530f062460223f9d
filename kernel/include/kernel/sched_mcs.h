/* The scheduler's MCS part (kernel/src/mcs/sched_mcs.c): time is kept in
 * timer ticks; the running thread is charged to the SC it runs on; a
 * thread whose SC has no released budget waits in the release queue; the
 * timer is one-shot, programmed for the running SC's budget to run out
 * or the next release, whichever is first. Included by kernel/thread.h. */
#pragma once
#include <object/sched_context.h>

/* The kernel's worst-case time for one path, in us (an estimate for QEMU
 * virt; docs/mcs.md). Budgets and periods below twice it are refused and
 * a refill smaller than that is never started on. */
#define KERNEL_WCET_US 10u
#define MIN_BUDGET_US (2u * KERNEL_WCET_US * CONFIG_KERNEL_WCET_SCALE)
/* The longest period SchedControl_Configure accepts (one hour, in us). */
#define MAX_PERIOD_US (60ull * 60 * 1000 * 1000)

extern ticks_t ks_cur_time;        /* at the last update_time() */
extern ticks_t ks_consumed;        /* used by ks_cur_sc and not yet charged */
extern sched_context_t *ks_cur_sc; /* the SC the running thread is charged to */

ticks_t us_to_ticks(uint64_t us);
uint64_t ticks_to_us(ticks_t t);
ticks_t min_budget_ticks(void);

/* Charge the running SC what it used so far (before reading or changing it). */
void commit_time(void);
/* Bring ks_cur_time up to date and add the time since to ks_consumed. */
void update_time(void);
/* At a system call: true when the running thread may make it; false when
 * its budget is (nearly) used up: it was stopped and will make the call
 * again when it next runs. */
bool check_budget_restart(void);

static inline void sched_tcb_init(tcb_t *t) { (void)t; }
/* Only a thread on an SC with released budget is in a ready queue. */
static inline bool sched_may_queue(const tcb_t *t) { return t->sc && sc_active(t->sc) && !t->in_release_queue; }
/* A thread became runnable: true if it may go into a ready queue now;
 * otherwise it waits for its SC's next release (or has none). */
bool sched_admit(tcb_t *t);
void sched_before_choose(void);
/* Program the one-shot timer for the running SC's budget to run out or
 * the next release, whichever is first. */
void program_timer(void);
void sched_after_choose(tcb_t *next);

/* Wait for the SC's next release (t is not ready meanwhile). */
void release_queue_insert(tcb_t *t);
void release_queue_remove(tcb_t *t);
/* The SC's thread stops running on it: for good (unbind, delete: the
 * time so far is charged) or to lend it on (donation: the same SC keeps
 * running, nothing to charge). */
void sched_context_forget_thread(sched_context_t *sc);
void sched_context_detach(sched_context_t *sc);
/* The running thread's SC ran out: round robin, timeout fault or wait for
 * the next release. */
void end_timeslice(tcb_t *t);
word_t check_mcs_invariants(void);

/* No master reply caps with MCS (replies go through reply objects). */
static inline void setup_reply_master(tcb_t *t) { (void)t; }
/* The root thread runs on a round-robin SC of CONFIG_BOOT_THREAD_TIME_SLICE ms. */
void boot_root_sched_context(tcb_t *root, sched_context_t *sc);
/* A TCB is deleted: it stops running on its SC (the SC stays). */
void sched_thread_finalise(tcb_t *t);
