/* Faults become messages to the thread's fault endpoint, in seL4's formats
 * (seL4 manual, "Faults": the message layout of each fault type); the
 * handler's reply resumes the thread. */
#include <object/ipc.h>
#include <arch/registers.h>
#include <kernel/addr.h>
#include <kernel/cspace.h>
#include <kernel/printk.h>
#include <kernel/thread.h>
#include <sel4/types.h>

/* The registers UnknownSyscall and UserException messages carry, in
 * message order (seL4_UserContext indices); replies write them back. */
static const uint8_t syscall_msg_regs[] = ARCH_SYSCALL_FAULT_REGS;
static const uint8_t exception_msg_regs[] = ARCH_EXCEPTION_FAULT_REGS;

static UNUSED const char *fault_name(word_t type)
{
    switch (type) {
    case FAULT_CAP:
        return "capability fault";
    case FAULT_UNKNOWN_SYSCALL:
        return "unknown syscall";
    case FAULT_USER_EXCEPTION:
        return "user exception";
    case FAULT_VM:
        return "VM fault";
    default:
        return "fault";
    }
}

word_t set_lookup_fault_mrs(tcb_t *r, seL4_IPCBuffer *buf, word_t off, const lookup_fault_t *lf)
{
    set_mr(r, buf, off++, lf->type);
    if (lf->type >= seL4_MissingCapability)
        set_mr(r, buf, off++, lf->bits_left);
    if (lf->type >= seL4_DepthMismatch)
        set_mr(r, buf, off++, lf->bits_found);
    if (lf->type == seL4_GuardMismatch)
        set_mr(r, buf, off++, lf->guard_size);
    return off;
}

word_t set_fault_mrs(tcb_t *f, tcb_t *r, seL4_IPCBuffer *buf)
{
    switch (f->fault.type) {
    case FAULT_CAP:
        set_mr(r, buf, 0, f->ctx.fault_pc);
        set_mr(r, buf, 1, f->fault.w[0]);
        set_mr(r, buf, 2, f->fault.w[1]);
        return mrs_delivered(buf, set_lookup_fault_mrs(r, buf, 3, &f->lookup_fault));
    case FAULT_UNKNOWN_SYSCALL: {
        word_t i;
        for (i = 0; i < ARRAY_SIZE(syscall_msg_regs); i++)
            set_mr(r, buf, i, get_user_context_reg(f, syscall_msg_regs[i]));
        set_mr(r, buf, i++, f->fault.w[0]);
        return mrs_delivered(buf, i);
    }
    case FAULT_USER_EXCEPTION: {
        word_t i;
        for (i = 0; i < ARRAY_SIZE(exception_msg_regs); i++)
            set_mr(r, buf, i, get_user_context_reg(f, exception_msg_regs[i]));
        set_mr(r, buf, i++, f->fault.w[0]);
        set_mr(r, buf, i++, f->fault.w[1]);
        return mrs_delivered(buf, i);
    }
    case FAULT_VM:
        set_mr(r, buf, 0, f->ctx.fault_pc);
        set_mr(r, buf, 1, f->fault.w[0]);
        set_mr(r, buf, 2, f->fault.w[1]);
        set_mr(r, buf, 3, f->fault.w[2]);
        return 4;
    default:
        return config_fault_mrs(f, r, buf);
    }
}

bool handle_fault_reply(tcb_t *f, tcb_t *h)
{
    seL4_MessageInfo_t info = {{h->ctx.regs[REG_INFO]}};
    word_t label = seL4_MessageInfo_get_label(info), len = seL4_MessageInfo_get_length(info);
    const seL4_IPCBuffer *buf = lookup_ipc_buffer_for_read(h);
    const uint8_t *regs = NULL;
    word_t n = 0;
    switch (f->fault.type) {
    case FAULT_UNKNOWN_SYSCALL:
        regs = syscall_msg_regs;
        n = ARRAY_SIZE(syscall_msg_regs);
        break;
    case FAULT_USER_EXCEPTION:
        regs = exception_msg_regs;
        n = ARRAY_SIZE(exception_msg_regs);
        break;
    case FAULT_CAP:
    case FAULT_VM:
        return true; /* retry the instruction */
    default:
        return config_fault_reply(f, h, label, len);
    }
    if (len < n)
        n = len;
    for (word_t i = 0; i < n; i++)
        set_user_context_reg(f, regs[i], get_mr(h, buf, i));
    return label == 0;
}

/* No usable handler: seL4 calls this a double fault and stops the thread. */
void double_fault(tcb_t *t, const char *why)
{
    (void)why;
    if (!kernel_quiet)
        debug_printf("hypOS: thread %s: %s (%lx %lx) at pc %lx, and %s; suspended\n", thread_name(t),
                     fault_name(t->fault.type), t->fault.w[0], t->fault.w[1], t->ctx.fault_pc, why);
    t->fault.type = FAULT_NULL;
    set_thread_state(t, ThreadState_Inactive);
    sched_dequeue(t);
}
