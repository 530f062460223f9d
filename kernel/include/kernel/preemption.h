/* Preemption points for long-running kernel operations (revoke, delete
 * through zombies, the clearing of an untyped before a retype, cancelling
 * badged sends). The kernel runs with interrupts off; such an operation
 * reports its work here and, every PREEMPT_WORK_UNITS units, looks whether
 * an interrupt is pending. If one is, the operation stops with
 * EXCEPTION_PREEMPTED, having saved its progress in the objects it works
 * on (a zombie's slot count, an untyped's watermark, an endpoint cursor),
 * and the system call is restarted from its ecall once the interrupt has
 * been handled; the restarted call finds the saved progress and goes on. */
#pragma once
#include <types.h>

typedef enum exception {
    EXCEPTION_NONE = 0,
    EXCEPTION_PREEMPTED,
} exception_t;

/* A work unit is about one capability deleted (some 60-150 instructions);
 * other work is converted with the costs below. With at most this many
 * units between two looks at the pending bits, an interrupt waits a few
 * thousand instructions at worst inside an operation. */
#define PREEMPT_WORK_UNITS 24
#define WORK_CAP_DELETE 1   /* a leaf cap deleted or a zombie made */
#define WORK_SLOT_SKIP 1    /* eight empty slots passed over count as 1 (see cte.c) */
#define WORK_WAITER 1       /* a blocked sender examined or restarted */
#define CLEAR_CHUNK_BITS 10 /* memory is cleared in 1 KiB chunks */
#define WORK_CLEAR_CHUNK 2  /* one chunk (about 170 instructions) */

/* Account `units` of work just completed; EXCEPTION_PREEMPTED means stop
 * now (the work so far is kept) and let the system call restart. */
exception_t preemption_point(word_t units);

struct tcb;
/* The thread's invocation stopped at a preemption point: it will execute
 * its ecall again (with the same registers, nothing having been written
 * back), and the pending interrupt is handled now. */
void restart_preempted_call(struct tcb *t);

/* Number of system calls restarted because of a preemption point. */
extern word_t preempted_calls;

/* Debug builds (tests): also report a preemption at every n-th preemption
 * point (n in the low 32 bits, counting points rather than work units),
 * with or without an interrupt, so that every restart
 * path is exercised deterministically; 0 turns it off. With bit 32 set the
 * kernel's invariants are checked at each such stop. */
void preemption_force_every(word_t n);
