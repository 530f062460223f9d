/* Threads: state, scheduling, message registers. */
#pragma once
#include <object/structures.h>

extern tcb_t *ks_cur_thread;

void tcb_init(tcb_t *tcb);
/* Stop a thread whose TCB is being destroyed: dequeue from every queue. */
void thread_finalise(tcb_t *tcb);
void thread_suspend(tcb_t *tcb);
void endpoint_cancel_all(endpoint_t *ep);
void endpoint_cancel_badged_sends(endpoint_t *ep, word_t badge);
word_t *lookup_ipc_buffer(tcb_t *t, bool is_receiver);
void notification_finalise(notification_t *ntfn);

/* Message register i of a thread: MR0..3 in a2..a5, the rest in its IPC
 * buffer (buffer may be NULL: those MRs then read as 0 / are dropped). */
word_t get_mr(tcb_t *t, word_t *buffer, word_t i);
void set_mr(tcb_t *t, word_t *buffer, word_t i, word_t v);

/* Pick the next thread to run (NULL: idle). */
tcb_t *schedule(void);
void sched_enqueue(tcb_t *tcb);
void sched_dequeue(tcb_t *tcb);

struct invocation;
/* IPC entry points. Until the threads/IPC work lands only one thread runs,
 * so a blocking operation with no partner blocks for good. */
struct syscall_error ipc_send_to_cap(struct invocation *inv, bool is_blocking);
void ipc_receive_from_cap(tcb_t *t, cap_t cap, word_t cptr, bool is_blocking);
void ipc_reply(tcb_t *t);
void sched_yield(tcb_t *t);
word_t check_scheduler_invariants(void);
