/* Thread state and the scheduler: 256 priorities, a bitmap of non-empty
 * ready queues, round robin within a priority, the highest priority runs;
 * one set of queues per domain, and only the current domain's threads run
 * (kernel/domain_schedule.h). */
#include <kernel/thread.h>
#include <trace/trace.h>
#include <kernel/assert.h>
#include <kernel/addr.h>
#include <kernel/debug_sched.h>
#include <kernel/mdb.h>
#include <kernel/printk.h>
#include <object/capops.h>
#include <object/ipc.h>
#include <arch/fpu.h>
#include <arch/registers.h>
#include <sel4/constants.h>

tcb_t *ks_cur_thread;

/* What schedule() must do: keep the current thread, pick the best ready
 * thread, or consider a specific thread that was just woken. */
sched_action_t sched_action = RESUME_CURRENT;
static tcb_t *switch_candidate;

static struct ready_queue {
    tcb_t *head, *tail;
} ready_queues[CONFIG_NUM_DOMAINS][seL4_MaxPrio + 1];
word_t ready_bitmap[CONFIG_NUM_DOMAINS][READY_BITMAP_WORDS];
#define QUEUE_OF(t) ready_queues[thread_domain(t)][(t)->priority]
#define BITMAP_OF(t) ready_bitmap[thread_domain(t)]

void tcb_init(tcb_t *tcb)
{
    /* memory is zeroed by retype; only non-zero defaults here */
    tcb->state = ThreadState_Inactive;
    tcb->trace_id = trace_new_thread_id();
    sched_tcb_init(tcb);
    debug_tcb_list_add(tcb);
}

void set_thread_state(tcb_t *t, thread_state_t s)
{
    t->state = s;
    if (t == ks_cur_thread && !thread_is_runnable(t) && sched_action == RESUME_CURRENT)
        sched_action = CHOOSE_NEW;
}

static void queue_insert(tcb_t *t, bool at_head)
{
    kassert(thread_is_runnable(t));
    if (t->sched_queued || !sched_may_queue(t))
        return;
    word_t p = t->priority;
    struct ready_queue *q = &QUEUE_OF(t);
    if (at_head) {
        t->sched_prev = NULL;
        t->sched_next = q->head;
        if (q->head)
            q->head->sched_prev = t;
        else
            q->tail = t;
        q->head = t;
    } else {
        t->sched_next = NULL;
        t->sched_prev = q->tail;
        if (q->tail)
            q->tail->sched_next = t;
        else
            q->head = t;
        q->tail = t;
    }
    t->sched_queued = true;
    BITMAP_OF(t)[p / WORD_BITS] |= BIT(p % WORD_BITS);
}

void sched_enqueue(tcb_t *t) { queue_insert(t, true); }
void sched_append(tcb_t *t) { queue_insert(t, false); }

void sched_dequeue(tcb_t *t)
{
    if (!t->sched_queued)
        return;
    word_t p = t->priority;
    struct ready_queue *q = &QUEUE_OF(t);
    if (t->sched_prev)
        t->sched_prev->sched_next = t->sched_next;
    else
        q->head = t->sched_next;
    if (t->sched_next)
        t->sched_next->sched_prev = t->sched_prev;
    else
        q->tail = t->sched_prev;
    t->sched_next = t->sched_prev = NULL;
    t->sched_queued = false;
    if (!q->head)
        BITMAP_OF(t)[p / WORD_BITS] &= ~BIT(p % WORD_BITS);
}

/* Index of the highest set bit of w != 0, by halving: rv64imac has no
 * count-leading-zeros instruction and libgcc's takes twice as long. */
static inline int highest_set_bit(word_t w)
{
    int n = 0;
    for (int shift = WORD_BITS / 2; shift; shift /= 2)
        if (w >> shift) {
            w >>= shift;
            n += shift;
        }
    return n;
}

/* ... in the current domain */
static ALWAYS_INLINE int highest_ready_prio(void)
{
    const word_t *bitmap = ready_bitmap[dom_current()];
    for (int i = READY_BITMAP_WORDS - 1; i >= 0; i--)
        if (bitmap[i])
            return i * WORD_BITS + highest_set_bit(bitmap[i]);
    return -1;
}

void reschedule_required(void)
{
    if (sched_action == SWITCH_TO && switch_candidate && thread_is_runnable(switch_candidate))
        sched_enqueue(switch_candidate);
    switch_candidate = NULL;
    sched_action = CHOOSE_NEW;
}

/* A thread became runnable: run it now if it beats the current thread,
 * otherwise queue it (seL4's possibleSwitchTo, one core); a thread of
 * another domain only joins its queue.
 * A woken thread of the current thread's priority goes to the tail of its
 * queue, behind threads that were ready before it, and the current thread
 * keeps running (seL4's schedule() appends a candidate of equal priority);
 * a lower-priority one goes to the head. */
void possible_switch_to(tcb_t *t)
{
    if (!sched_admit(t))
        return;
    if (!dom_is_current(t)) {
        sched_enqueue(t);
        return;
    }
    if (sched_action != RESUME_CURRENT) {
        reschedule_required();
        sched_enqueue(t);
        return;
    }
    tcb_t *cur = ks_cur_thread;
    if (cur && thread_is_runnable(cur) && t->priority <= cur->priority) {
        if (t->priority == cur->priority)
            sched_append(t);
        else
            sched_enqueue(t);
        return;
    }
    sched_action = SWITCH_TO;
    switch_candidate = t;
}

#ifdef HYPOS_DEBUG
/* Debug builds check at every return to user mode that no ready thread
 * outranks the one about to run (the IPC fastpath relies on it). */
static word_t outranked_returns;
static tcb_t *checked_choice(tcb_t *t)
{
    if (t && !sched_is_highest(t->priority)) {
        outranked_returns++;
        kprintf("hypOS: scheduler: %s (priority %lu) runs while a higher priority is ready\n", thread_name(t),
                t->priority);
    }
    return t;
}
#else
#define checked_choice(t) (t)
#endif

static tcb_t *choose_thread(void)
{
    tcb_t *cur = ks_cur_thread;
    if (sched_action == RESUME_CURRENT && cur && thread_is_runnable(cur))
        return cur;
    /* a preempted thread goes back to the head of its queue */
    if (cur && thread_is_runnable(cur) && sched_action != RESUME_CURRENT)
        sched_enqueue(cur);
    domain_switch_if_due();
    tcb_t *cand = sched_action == SWITCH_TO ? switch_candidate : NULL;
    sched_action = RESUME_CURRENT;
    switch_candidate = NULL;
    tcb_t *next = NULL;
    if (cand && thread_is_runnable(cand)) {
        /* the woken thread runs unless a ready thread outranks it */
        if (sched_is_highest(cand->priority))
            next = cand;
        else
            sched_enqueue(cand);
    }
    if (!next) {
        int best = highest_ready_prio();
        next = best >= 0 ? ready_queues[dom_current()][best].head : NULL;
    }
    if (next)
        sched_dequeue(next);
    ks_cur_thread = next;
    return next;
}

static ALWAYS_INLINE tcb_t *schedule_choice(void)
{
    sched_before_choose();
    tcb_t *next = checked_choice(choose_thread());
    sched_after_choose(next);
    return next;
}

/* A trace ring's notification signalled now may make its consumer the
 * best choice; switches are recorded once made. */
static __attribute__((noinline)) tcb_t *schedule_traced(word_t trace_work)
{
    tcb_t *prev = ks_cur_thread;
    if (trace_work & TRACE_WORK_SIGNAL)
        trace_before_choose();
    tcb_t *next = schedule_choice();
    if (trace_work & TRACE_WORK_SWITCHES)
        trace_switch(prev, next);
    return next;
}

tcb_t *schedule(void)
{
    word_t trace_work = trace_kernel_work;
    if (unlikely(trace_work))
        return schedule_traced(trace_work);
    return schedule_choice();
}

void sched_yield(tcb_t *t)
{
    sched_dequeue(t);
    sched_append(t);
    reschedule_required();
}

void thread_set_priority(tcb_t *t, word_t prio)
{
    bool queued = t->sched_queued;
    sched_dequeue(t);
    t->priority = prio;
    if (queued)
        sched_enqueue(t);
    if (t == ks_cur_thread || queued)
        reschedule_required();
}

void thread_suspend(tcb_t *t)
{
    cancel_ipc(t);
    /* a running thread continues after its current instruction on resume */
    if (t->state == ThreadState_Running)
        t->ctx.fault_pc = t->ctx.regs[REG_PC];
    set_thread_state(t, ThreadState_Inactive);
    sched_dequeue(t);
    sched_thread_stopped(t);
    if (t == ks_cur_thread)
        reschedule_required();
}

void thread_restart(tcb_t *t)
{
    if (!thread_is_stopped(t))
        return;
    cancel_ipc(t);
    setup_reply_master(t);
    set_thread_state(t, ThreadState_Restart);
    possible_switch_to(t);
}

void thread_finalise(tcb_t *t)
{
    arch_tcb_finalise(t);
    unbind_notification(t);
    thread_suspend(t);
    sched_thread_finalise(t);
    trace_thread_gone(t);
    debug_tcb_list_remove(t);
    if (ks_cur_thread == t) {
        ks_cur_thread = NULL;
        reschedule_required();
    }
}

word_t get_user_context_reg(const tcb_t *t, word_t i)
{
    return i == 0 ? t->ctx.fault_pc : t->ctx.regs[arch_context_reg(i)];
}

void set_user_context_reg(tcb_t *t, word_t i, word_t v)
{
    /* the architecture keeps out values user mode cannot be entered with */
    v = arch_sanitise_context_reg(arch_context_reg(i), v);
    if (i == 0) {
        /* writing the pc sets where the thread restarts and continues */
        t->ctx.fault_pc = v;
        t->ctx.regs[REG_PC] = v;
    } else {
        t->ctx.regs[arch_context_reg(i)] = v;
    }
}

word_t get_mr(const tcb_t *t, const seL4_IPCBuffer *buffer, word_t i)
{
    if (i < N_MSG_REGISTERS)
        return t->ctx.regs[REG_MR0 + i];
    return buffer ? buffer->msg[i] : 0;
}

void set_mr(tcb_t *t, seL4_IPCBuffer *buffer, word_t i, word_t v)
{
    if (i < N_MSG_REGISTERS)
        t->ctx.regs[REG_MR0 + i] = v;
    else if (buffer)
        buffer->msg[i] = v;
}

ipc_buffers_t lookup_ipc_buffers(tcb_t *t)
{
    cap_t c = t->ctes[tcbBuffer].cap;
    if (cap_get_type(c) != cap_frame || cap_frame_is_device(c))
        return (ipc_buffers_t){NULL, NULL};
    word_t vm = cap_frame_vmrights(c);
    if (vm != VM_READ_WRITE && vm != VM_READ_ONLY)
        return (ipc_buffers_t){NULL, NULL};
    word_t offset = t->ipc_buffer & MASK(frame_size_bits(cap_frame_size(c)));
    seL4_IPCBuffer *b = (seL4_IPCBuffer *)((char *)oref_ptr(cap_frame_ptr(c)) + offset);
    return (ipc_buffers_t){b, vm == VM_READ_WRITE ? b : NULL};
}

const seL4_IPCBuffer *lookup_ipc_buffer_for_read(tcb_t *t) { return lookup_ipc_buffers(t).read; }
seL4_IPCBuffer *lookup_ipc_buffer_for_write(tcb_t *t) { return lookup_ipc_buffers(t).write; }

word_t check_scheduler_invariants(void)
{
    word_t bad = 0;
    for (word_t d = 0; d < CONFIG_NUM_DOMAINS; d++)
        for (word_t p = 0; p <= seL4_MaxPrio; p++) {
            struct ready_queue *q = &ready_queues[d][p];
            bool bit = ready_bitmap[d][p / WORD_BITS] & BIT(p % WORD_BITS);
            if (bit != (q->head != NULL))
                bad++;
            tcb_t *prev = NULL;
            for (tcb_t *t = q->head; t; prev = t, t = t->sched_next)
                if (t->sched_prev != prev || t->priority != p || thread_domain(t) != d || !t->sched_queued ||
                    !thread_is_runnable(t))
                    bad++;
            if (q->tail != prev)
                bad++;
        }
    /* The thread that runs outranks every ready thread unless a decision
     * is pending; the fastpath's ReplyRecv relies on this. */
    tcb_t *cur = ks_cur_thread;
    if (sched_action == RESUME_CURRENT && cur && thread_is_runnable(cur) && highest_ready_prio() > (int)cur->priority)
        bad++;
#ifdef HYPOS_DEBUG
    bad += outranked_returns;
    outranked_returns = 0;
#endif
    return bad;
}
