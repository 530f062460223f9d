/* Trace records, one function per kind of event; each is called only when
 * the object (or the system) has a hook, so the untraced paths pay for a
 * test of a few bits. The record layouts are the ABI's (<hypos/trace_types.h>). */
#include <trace/trace.h>
#include <arch/machine.h>
#include <arch/registers.h>
#include <fastpath/fastpath.h>
#include <kernel/addr.h>
#include <kernel/thread.h>
#include <object/cap.h>
#include <object/ipc.h>
#include <object/irq.h>

word_t trace_signals_due;

/* The IPC fastpaths' way out when their records made a ring's
 * notification due: the scheduler signals before it chooses. */
void fastpath_switch_through_scheduler(tcb_t *to)
{
    possible_switch_to(to);
    arch_activate_and_return(schedule());
}

/* A record with four words of fields, from the slow paths. */
static void put(const trace_hook_t *h, word_t type, word_t length, word_t w0, word_t w1, word_t w2, word_t w3)
{
    trace_write(h, type, length, w0, w1, w2, w3);
}

void trace_ipc(word_t hook, word_t type, const tcb_t *sender, const tcb_t *receiver, word_t info, word_t badge,
               word_t flags)
{
    trace_ipc_inline(&trace_hooks[hook], type, sender, receiver, info, badge, flags);
}

/* What a sender sent: its message info, or for a fault the fault's label
 * (the kernel builds that message). */
static word_t sent_info(const tcb_t *sender)
{
    if (sender->fault.type != FAULT_NULL)
        return sender->fault.type << 12;
    return sender->ctx.regs[REG_INFO];
}

static void mark_for_reply(word_t hook, tcb_t *caller) { trace_mark_for_reply(&trace_hooks[hook], hook, caller); }

void trace_send(word_t hook, tcb_t *sender, const tcb_t *receiver, bool call_like, word_t badge, word_t flags)
{
    trace_ipc(hook, call_like ? HYPOS_TRACE_IPC_CALL : HYPOS_TRACE_IPC_SEND, sender, receiver, sent_info(sender), badge,
              flags);
    if (call_like)
        mark_for_reply(hook, sender);
}

void trace_receive(word_t hook, const tcb_t *receiver, tcb_t *sender, bool call_like, word_t badge, word_t flags)
{
    trace_ipc(hook, HYPOS_TRACE_IPC_RECV, sender, receiver, sender ? sent_info(sender) : 0, badge, flags);
    if (sender && call_like)
        mark_for_reply(hook, sender);
}

void trace_reply(const tcb_t *replier, tcb_t *caller, word_t flags)
{
    trace_reply_inline(replier, caller, replier->ctx.regs[REG_INFO], flags);
}

void trace_signal(const notification_t *n, const tcb_t *signaller, const tcb_t *woken, word_t badge)
{
    put(&trace_hooks[ntfn_hook(n)], HYPOS_TRACE_SIGNAL, sizeof(hypos_trace_ntfn_t),
        ipc_words(trace_thread_id(signaller), trace_thread_id(woken)), 0, badge, 0);
}

void trace_wait(const notification_t *n, const tcb_t *waiter, word_t badge, word_t flags)
{
    put(&trace_hooks[ntfn_hook(n)], HYPOS_TRACE_WAIT, sizeof(hypos_trace_ntfn_t), ipc_words(trace_thread_id(waiter), 0),
        flags, badge, 0);
}

/* What a fault record says beyond its kind: the address (VM fault
 * address, the cptr of a cap fault, the number of an unknown system call)
 * and a code (VM fault status, user exception number). */
static void fault_on(word_t hook, const tcb_t *t)
{
    word_t address = t->fault.w[0], code = 0;
    if (t->fault.type == FAULT_VM)
        code = t->fault.w[2];
    else if (t->fault.type == FAULT_USER_EXCEPTION)
        code = t->fault.w[0], address = 0;
    put(&trace_hooks[hook], HYPOS_TRACE_FAULT, sizeof(hypos_trace_fault_t), ipc_words(t->trace_id, t->fault.type),
        t->ctx.fault_pc, address, code);
}

void trace_fault(const tcb_t *t)
{
    if (t->trace_hook)
        fault_on(t->trace_hook, t);
    if (trace_system_hook)
        fault_on(trace_system_hook, t);
}

/* An interrupt's records carry the delivery's own time, so that an ack's
 * delay is exactly the difference of the two records' times. */
void trace_irq(word_t hook, word_t irq, const tcb_t *woken, word_t time)
{
    trace_write_at(&trace_hooks[hook], HYPOS_TRACE_IRQ, sizeof(hypos_trace_irq_t), time,
                   ipc_words(irq, trace_thread_id(woken)), 0, 0, 0);
}

void trace_irq_ack(word_t hook, word_t irq, word_t delivered)
{
    word_t now = arch_trace_time();
    trace_write_at(&trace_hooks[hook], HYPOS_TRACE_IRQ_ACK, sizeof(hypos_trace_irq_t), now, ipc_words(irq, 0),
                   now - delivered, 0, 0);
}

void trace_invoke_fail(const tcb_t *t, word_t label, word_t error, word_t cap_type)
{
    put(&trace_hooks[trace_system_hook], HYPOS_TRACE_INVOKE_FAIL, sizeof(hypos_trace_invoke_fail_t),
        ipc_words(trace_thread_id(t), error), label, cap_type, 0);
}

void trace_retype(const tcb_t *t, word_t type, word_t size_bits, word_t count)
{
    put(&trace_hooks[trace_system_hook], HYPOS_TRACE_RETYPE, sizeof(hypos_trace_object_t),
        ipc_words(trace_thread_id(t), type), size_bits, count, 0);
}

void trace_object_deleted(cap_t cap)
{
    put(&trace_hooks[trace_system_hook], HYPOS_TRACE_DELETE, sizeof(hypos_trace_object_t),
        ipc_words(trace_thread_id(ks_cur_thread), cap_get_type(cap)), 0, 0, 0);
}

/* ---- the scheduler ---- */

void trace_before_choose(void)
{
    word_t due = trace_signals_due;
    trace_signals_due = 0;
    trace_kernel_work &= ~(word_t)TRACE_WORK_SIGNAL;
    for (word_t r = 0; due; r++, due >>= 1) {
        cap_t n = trace_ring_slots[r][TRACE_SLOT_NTFN].cap;
        if ((due & 1) && cap_get_type(n) == cap_notification)
            send_signal(oref_ptr(cap_notification_ptr(n)), cap_notification_badge(n), NULL);
    }
}

static void switch_on(word_t hook, const tcb_t *from, const tcb_t *to)
{
    put(&trace_hooks[hook], HYPOS_TRACE_SCHED, sizeof(hypos_trace_sched_t),
        ipc_words(trace_thread_id(from), trace_thread_id(to)), ipc_words(from ? from->state : 0, to ? to->priority : 0),
        0, 0);
}

void trace_switch(const tcb_t *from, const tcb_t *to)
{
    if (from == to)
        return;
    /* each hook that observes either thread, or the system, once */
    word_t a = from ? from->trace_hook : 0, b = to ? to->trace_hook : 0, s = trace_system_hook;
    if (a)
        switch_on(a, from, to);
    if (b && b != a)
        switch_on(b, from, to);
    if (s && s != a && s != b)
        switch_on(s, from, to);
}
