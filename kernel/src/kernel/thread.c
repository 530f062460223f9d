/* Thread state and the scheduler: 256 priorities, a bitmap of non-empty
 * ready queues, round robin within a priority. */
#include <kernel/thread.h>
#include <kernel/addr.h>
#include <arch/registers.h>
#include <sel4/constants.h>
#include <object/capops.h>

tcb_t *ks_cur_thread;

static struct {
    tcb_t *head, *tail;
} ready_queues[seL4_MaxPrio + 1];
static word_t ready_bitmap[(seL4_MaxPrio + 1) / WORD_BITS];

static bool tcb_is_queued(const tcb_t *t) { return t->sched_next || t->sched_prev || ready_queues[t->priority].head == t; }

void tcb_init(tcb_t *tcb)
{
    /* memory is zeroed by retype; only non-zero defaults here */
    tcb->state = ThreadState_Inactive;
    tcb->priority = 0;
    tcb->mcp = 0;
}

void sched_enqueue(tcb_t *t)
{
    if (tcb_is_queued(t))
        return;
    word_t p = t->priority;
    t->sched_next = NULL;
    t->sched_prev = ready_queues[p].tail;
    if (ready_queues[p].tail)
        ready_queues[p].tail->sched_next = t;
    else
        ready_queues[p].head = t;
    ready_queues[p].tail = t;
    ready_bitmap[p / WORD_BITS] |= BIT(p % WORD_BITS);
}

void sched_dequeue(tcb_t *t)
{
    if (!tcb_is_queued(t))
        return;
    word_t p = t->priority;
    if (t->sched_prev)
        t->sched_prev->sched_next = t->sched_next;
    else
        ready_queues[p].head = t->sched_next;
    if (t->sched_next)
        t->sched_next->sched_prev = t->sched_prev;
    else
        ready_queues[p].tail = t->sched_prev;
    t->sched_next = t->sched_prev = NULL;
    if (!ready_queues[p].head)
        ready_bitmap[p / WORD_BITS] &= ~BIT(p % WORD_BITS);
}

tcb_t *schedule(void)
{
    if (ks_cur_thread && (ks_cur_thread->state == ThreadState_Running ||
                          ks_cur_thread->state == ThreadState_Restart))
        return ks_cur_thread;
    for (int i = (int)ARRAY_SIZE(ready_bitmap) - 1; i >= 0; i--) {
        if (!ready_bitmap[i])
            continue;
        word_t p = (word_t)i * WORD_BITS + (WORD_BITS - 1 - (word_t)__builtin_clzll(ready_bitmap[i]));
        tcb_t *t = ready_queues[p].head;
        sched_dequeue(t);
        return t;
    }
    return NULL;
}

void thread_suspend(tcb_t *tcb)
{
    sched_dequeue(tcb);
    tcb->state = ThreadState_Inactive;
}

void thread_finalise(tcb_t *tcb)
{
    thread_suspend(tcb);
    if (ks_cur_thread == tcb)
        ks_cur_thread = NULL;
}

/* Issue 3 adds blocking IPC; until then no thread can wait on an endpoint
 * or notification, so there is no queue to cancel. */
void endpoint_cancel_all(endpoint_t *ep) { ep->head_state = ep->tail = 0; }
void notification_finalise(notification_t *ntfn) { ntfn->head_state = ntfn->tail = ntfn->bound_tcb = 0; }

word_t get_mr(tcb_t *t, word_t *buffer, word_t i)
{
    if (i < N_MSG_REGISTERS)
        return t->ctx.regs[REG_MR0 + i];
    return buffer ? buffer[i + 1] : 0;
}

void set_mr(tcb_t *t, word_t *buffer, word_t i, word_t v)
{
    if (i < N_MSG_REGISTERS)
        t->ctx.regs[REG_MR0 + i] = v;
    else if (buffer)
        buffer[i + 1] = v;
}

void endpoint_cancel_badged_sends(endpoint_t *ep, word_t badge)
{
    (void)ep;
    (void)badge; /* no sender can be queued before blocking IPC exists */
}

word_t *lookup_ipc_buffer(tcb_t *t, bool is_receiver)
{
    cap_t c = t->ctes[tcbBuffer].cap;
    if (cap_get_type(c) != cap_frame || cap_frame_is_device(c))
        return NULL;
    word_t vm = cap_frame_vmrights(c);
    if (!(vm == VM_READ_WRITE || (!is_receiver && vm == VM_READ_ONLY)))
        return NULL;
    word_t offset = t->ipc_buffer & MASK(frame_size_bits(cap_frame_size(c)));
    return (word_t *)((char *)oref_ptr(cap_frame_ptr(c)) + offset);
}

word_t check_scheduler_invariants(void)
{
    word_t bad = 0;
    for (word_t p = 0; p <= seL4_MaxPrio; p++) {
        bool bit = ready_bitmap[p / WORD_BITS] & BIT(p % WORD_BITS);
        if (bit != (ready_queues[p].head != NULL))
            bad++;
        tcb_t *prev = NULL;
        for (tcb_t *t = ready_queues[p].head; t; prev = t, t = t->sched_next)
            if (t->sched_prev != prev || t->priority != p)
                bad++;
        if (ready_queues[p].tail != prev)
            bad++;
    }
    return bad;
}
