/* IPC, scheduling contexts and reply objects of the MCS configuration
 * (kernel/src/mcs/). Included by object/ipc.h. */
#pragma once
#include <object/sched_context.h>

/* A Call (or a fault) leaves the caller's reply right in the receiver's
 * reply object and, to a receiver without an SC, lends the caller's SC. */
void send_ipc(bool blocking, bool do_call, word_t badge, bool can_grant, bool can_grant_reply, tcb_t *sender,
              endpoint_t *ep);
void receive_ipc(tcb_t *receiver, cap_t ep_cap, bool blocking, reply_t *reply);
/* Send on a reply object: the message goes to the thread waiting for it,
 * and the SC it lent comes back with it. */
void do_reply_transfer(tcb_t *sender, reply_t *reply, bool grant);
/* The caller stops waiting on reply (cancelled or replied): unlink it,
 * returning a lent SC to the caller when return_sc and it is the newest. */
void reply_remove(reply_t *reply, bool return_sc);
void reply_finalise(reply_t *reply);

/* Scheduling contexts (kernel/src/mcs/sched_context.c). */
void sched_context_bind_tcb(sched_context_t *sc, tcb_t *t);
void sched_context_unbind_tcb(sched_context_t *sc);
/* Move sc (wherever it is) to thread `to`. */
void sched_context_donate(sched_context_t *sc, tcb_t *to);
void sched_context_bind_ntfn(sched_context_t *sc, notification_t *n);
void sched_context_unbind_ntfn(sched_context_t *sc);
void sched_context_finalise(sched_context_t *sc);
/* The replies sc was lent through no longer return it (its call stack goes). */
void sched_context_forget_replies(sched_context_t *sc);
/* A passive thread woken through notification n runs on n's SC; a thread
 * that blocks again gives n's SC back. */
void ntfn_maybe_donate_sc(notification_t *n, tcb_t *t);
void ntfn_maybe_return_sc(notification_t *n, tcb_t *t);
/* The thread that called YieldTo runs again: it gets its reply. */
void complete_yield_to(tcb_t *t);
/* A thread stops (suspend, delete): YieldTo links and the release queue. */
void sched_thread_stopped(tcb_t *t);

/* A timeout fault to the thread's timeout endpoint. */
void handle_timeout(tcb_t *t);
