/* Threads: state, scheduling, registers and message registers. */
#pragma once
#include <object/structures.h>
#include <api/errors.h>
#include <sel4/constants.h>
#include <sel4/shared_types.h>
#include <arch/registers.h>
#include <kernel/domain_schedule.h>

extern tcb_t *ks_cur_thread;


void tcb_init(tcb_t *tcb);
/* For kernel messages: the name given by seL4_DebugNameThread. */
static inline const char *thread_name(const tcb_t *t) { return t->name[0] ? t->name : "(unnamed)"; }

static inline bool thread_is_runnable(const tcb_t *t)
{
    return t->state == ThreadState_Running || t->state == ThreadState_Restart;
}
/* Stopped threads can be resumed by Resume. */
static inline bool thread_is_stopped(const tcb_t *t)
{
    return t->state == ThreadState_Inactive || t->state == ThreadState_BlockedOnReply;
}

void set_thread_state(tcb_t *t, thread_state_t s);
/* Take a thread out of any IPC it is blocked in (seL4 cancelIPC). */
void cancel_ipc(tcb_t *t);
void thread_suspend(tcb_t *t);
void thread_restart(tcb_t *t);
void thread_set_priority(tcb_t *t, word_t prio);
/* Stop a thread whose TCB is being destroyed. */
void thread_finalise(tcb_t *tcb);

/* Scheduler. */
void sched_enqueue(tcb_t *t); /* at the head of its priority's queue */
void sched_append(tcb_t *t);  /* at the tail */
void sched_dequeue(tcb_t *t);
void possible_switch_to(tcb_t *t);
void reschedule_required(void);
void sched_yield(tcb_t *t);
/* The timer interrupt fired (the configuration's time keeping). */
void kernel_timer_interrupt(void);
#define READY_BITMAP_WORDS ((seL4_MaxPrio + 1) / WORD_BITS)
/* one bitmap of non-empty queues per domain */
extern word_t ready_bitmap[CONFIG_NUM_DOMAINS][READY_BITMAP_WORDS];
/* No ready thread of the current domain has a higher priority than prio. */
static inline bool sched_is_highest(word_t prio)
{
    const word_t *bitmap = ready_bitmap[dom_current()];
    word_t w = prio / WORD_BITS, b = prio % WORD_BITS;
    if (b != WORD_BITS - 1 && (bitmap[w] >> (b + 1)))
        return false;
    for (word_t i = w + 1; i < READY_BITMAP_WORDS; i++)
        if (bitmap[i])
            return false;
    return true;
}
typedef enum { RESUME_CURRENT, CHOOSE_NEW, SWITCH_TO } sched_action_t;
extern sched_action_t sched_action;
/* A scheduling decision is pending (then no fastpath). */
static inline bool sched_pending(void) { return sched_action != RESUME_CURRENT; }
/* Decide what runs next (NULL: idle) and make it current. */
tcb_t *schedule(void);
word_t check_scheduler_invariants(void);

/* Registers in seL4_UserContext order (the architecture's, see
 * arch/registers.h: N_USER_CONTEXT, N_FRAME_REGISTERS). */
word_t get_user_context_reg(const tcb_t *t, word_t i);
void set_user_context_reg(tcb_t *t, word_t i, word_t v);

/* Message register i: MR0..3 in CPU registers (REG_MR0..), the rest in the IPC buffer
 * (buffer may be NULL: those MRs then read as 0 and writes are dropped). */
word_t get_mr(const tcb_t *t, const seL4_IPCBuffer *buffer, word_t i);
void set_mr(tcb_t *t, seL4_IPCBuffer *buffer, word_t i, word_t v);

/* A thread's IPC buffer through the cap in its TCB, or NULL. The kernel
 * reads arguments from any RAM frame the thread may read, but writes only
 * into a frame its cap lets it write: message registers of a reply, an
 * error or a received message never land in memory the thread could only
 * read (as seL4's lookupIPCBuffer with isReceiver). The two lookups return
 * different types so that a write through a read-only lookup does not
 * compile. */
const seL4_IPCBuffer *lookup_ipc_buffer_for_read(tcb_t *t);
/* How many of n MRs a receiver gets: all with a writable buffer, only the
 * register MRs without one (the message length says so, as on seL4). */
static inline word_t mrs_delivered(const seL4_IPCBuffer *buffer, word_t n)
{
    return buffer || n < N_MSG_REGISTERS ? n : N_MSG_REGISTERS;
}
seL4_IPCBuffer *lookup_ipc_buffer_for_write(tcb_t *t);
/* Both at once, from one look at the cap (the invocation path needs both). */
typedef struct ipc_buffers {
    const seL4_IPCBuffer *read;
    seL4_IPCBuffer *write;
} ipc_buffers_t;
ipc_buffers_t lookup_ipc_buffers(tcb_t *t);

#ifdef CONFIG_KERNEL_MCS
#include <kernel/sched_mcs.h>
#else
/* Without MCS: a timeslice in timer ticks, which the tick decrements
 * (kernel/src/nonmcs/timeslice.c), and every runnable thread may run. */
#define TIMESLICE_TICKS 5
void timer_tick(void);
void setup_reply_master(tcb_t *t);
static inline void sched_tcb_init(tcb_t *t) { t->time_slice = TIMESLICE_TICKS; }
static inline bool sched_may_queue(const tcb_t *t)
{
    (void)t;
    return true;
}
static inline bool sched_admit(tcb_t *t)
{
    (void)t;
    return true;
}
static inline void sched_before_choose(void) {}
static inline void sched_thread_stopped(tcb_t *t) { (void)t; }
static inline void sched_thread_finalise(tcb_t *t) { (void)t; }
static inline void sched_after_choose(tcb_t *next) { (void)next; }
#endif
