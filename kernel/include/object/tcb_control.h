/* The parts of TCB decoding shared by the generic methods (object/tcb.c)
 * and the configuration's Configure, SetSpace and SetSchedParams
 * (nonmcs/tcb_nonmcs.c, mcs/tcb_mcs.c), whose arguments differ. */
#pragma once
#include <api/invocation.h>

/* What Configure, SetSpace and SetIPCBuffer install, as decode checked it. */
typedef struct thread_control {
    bool set_space;
    cap_t croot, vroot;
    cte_t *croot_src, *vroot_src;
    /* the fault handler: a CPtr without MCS, a cap copied into the TCB with
     * MCS (set_fault: replace it) */
    word_t fault_ep;
    bool set_fault;
    cap_t fault_cap;
    cte_t *fault_src;
    bool set_buffer;
    word_t buffer;
    cap_t bcap; /* null when buffer is 0 */
    cte_t *bcap_src;
} thread_control_t;

/* Check and derive the new CSpace and VSpace roots (extra caps croot_extra
 * and croot_extra + 1). */
syscall_error_t decode_space(invocation_t *inv, tcb_t *t, word_t croot_extra, word_t cdata, word_t vdata,
                             thread_control_t *tc);
/* The IPC buffer argument pair: address and frame (extra cap `extra`). */
syscall_error_t decode_ipc_buffer(invocation_t *inv, word_t vaddr, word_t extra, thread_control_t *tc);
syscall_error_t tcb_authority(const invocation_t *inv, word_t extra, tcb_t **out);
syscall_error_t check_prio(word_t prio, const tcb_t *auth);

void invoke_tcb_thread_control(const invocation_t *inv, tcb_t *t, const thread_control_t *tc);
void invoke_tcb_set_sched_params(tcb_t *t, bool set_mcp, word_t mcp, bool set_prio, word_t prio);
/* Empty the TCB's slot `index` and install c from src there, re-checking
 * after the delete (docs/security.md rule 1); false: the TCB is gone. */
bool replace_tcb_cap(const invocation_t *inv, tcb_t *t, word_t index, cap_t c, cte_t *src);

/* Per configuration. */
syscall_error_t decode_tcb_config_invocation(invocation_t *inv, tcb_t *t);
/* The set_space part of a thread control: the fault handler. */
bool install_fault_handler(const invocation_t *inv, tcb_t *t, const thread_control_t *tc);
