/* Where faults go with MCS: to the endpoint cap copied into the TCB when
 * it was configured (fault handler slot), and timeout faults to the
 * timeout handler slot (seL4 manual ch. 6 and "Timeout faults"). */
#include <object/ipc.h>
#include <kernel/addr.h>
#include <kernel/thread.h>
#include <trace/trace.h>

static void send_fault_to(tcb_t *t, word_t slot, const char *none)
{
    if (unlikely(t->trace_hook | trace_system_hook))
        trace_fault(t);
    cap_t h = t->ctes[slot].cap;
    word_t rights = cap_endpoint_rights(h);
    if (cap_get_type(h) != cap_endpoint || !(rights & RIGHT_WRITE) || !(rights & (RIGHT_GRANT | RIGHT_GRANT_REPLY))) {
        double_fault(t, none);
        return;
    }
    send_ipc(true, true, cap_endpoint_badge(h), rights & RIGHT_GRANT, rights & RIGHT_GRANT_REPLY, t,
             oref_ptr(cap_endpoint_ptr(h)));
}

void handle_fault(tcb_t *t) { send_fault_to(t, tcbFaultHandler, "it has no fault handler"); }

void handle_timeout(tcb_t *t) { send_fault_to(t, tcbTimeoutHandler, "it has no timeout handler"); }

word_t config_fault_mrs(tcb_t *f, tcb_t *r, seL4_IPCBuffer *buf)
{
    if (f->fault.type != FAULT_TIMEOUT)
        return 0;
    sched_context_t *sc = f->sc;
    uint64_t used = 0;
    if (sc) {
        if (sc == ks_cur_sc)
            commit_time();
        used = ticks_to_us(sc->consumed);
        sc->consumed = 0;
    }
    set_mr(r, buf, 0, f->fault.w[0]);
    set_mr(r, buf, 1, used);
    return 2;
}

bool config_fault_reply(tcb_t *f, tcb_t *h, word_t label, word_t len)
{
    if (f->fault.type != FAULT_TIMEOUT)
        return true;
    /* a timeout handler may write back the whole register set */
    const seL4_IPCBuffer *buf = lookup_ipc_buffer_for_read(h);
    word_t n = len < N_USER_CONTEXT ? len : N_USER_CONTEXT;
    for (word_t i = 0; i < n; i++)
        set_user_context_reg(f, i, get_mr(h, buf, i));
    return label == 0;
}
