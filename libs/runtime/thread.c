#include <hypos/thread.h>
#include <hypos/runtime.h>
#include <string.h>

extern char __tls_base[], __tdata_end[], __tbss_end[];

size_t hypos_tls_size(void) { return (size_t)(__tbss_end - __tls_base); }

/* The thread's own TCB; the initial thread's is in the initial TLS data. */
static __thread seL4_CPtr self_tcb = seL4_CapInitThreadTCB;

seL4_CPtr hypos_self_tcb(void) { return self_tcb; }

static void *thread_pointer(void)
{
    void *tp;
    asm volatile("mv %0, tp" : "=r"(tp));
    return tp;
}

static void thread_entry(hypos_thread_t *t)
{
    seL4_SetIPCBuffer(t->ipc);
    t->fn(t->arg);
    /* a thread that returns has nothing left to do */
    for (;;)
        seL4_Wait(seL4_CapNull, NULL);
}

int hypos_thread_start(seL4_CPtr tcb, hypos_thread_t *t, void *stack_top, void *tls)
{
    size_t tdata = (size_t)(__tdata_end - __tls_base);
    memcpy(tls, __tls_base, tdata);
    memset((char *)tls + tdata, 0, hypos_tls_size() - tdata);
    /* the new thread's self_tcb: at the same offset from its thread pointer
     * (the start of its TLS block) as ours is from our own */
    size_t self_offset = (size_t)((char *)&self_tcb - (char *)thread_pointer());
    memcpy((char *)tls + self_offset, &tcb, sizeof tcb);
    seL4_UserContext regs = {0};
    seL4_Word gp;
    asm volatile("mv %0, gp" : "=r"(gp));
    regs.pc = (seL4_Word)thread_entry;
    regs.sp = (seL4_Word)stack_top;
    regs.gp = gp;
    regs.tp = (seL4_Word)tls;
    regs.a0 = (seL4_Word)t;
    return seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
}
