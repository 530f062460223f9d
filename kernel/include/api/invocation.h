/* One invocation of a kernel object, as decoded from the caller's registers
 * and IPC buffer. decode_* functions check everything and may fail;
 * invoke_* functions only perform. */
#pragma once
#include <object/structures.h>
#include <api/errors.h>
#include <kernel/thread.h>
#include <sel4/constants.h>

typedef struct invocation {
    tcb_t *thread;
    word_t label;
    word_t length;
    word_t cptr;
    cte_t *slot;
    cap_t cap;
    cte_t *extra[seL4_MsgMaxExtraCaps];
    word_t n_extra;
    const seL4_IPCBuffer *buffer; /* arguments: readable, may be read-only */
    seL4_IPCBuffer *reply_buffer; /* results: only if the thread may write it */
    bool is_call;
    word_t reply_length; /* MRs an invoke step returns */
} invocation_t;

static inline word_t inv_arg(const invocation_t *inv, word_t i) { return get_mr(inv->thread, inv->buffer, i); }

/* Results go to the caller's registers and writable buffer only. */
static inline void inv_set_mr(invocation_t *inv, word_t i, word_t v) { set_mr(inv->thread, inv->reply_buffer, i, v); }
/* Without a writable buffer a reply carries only the register MRs. */
static inline void inv_set_reply_length(invocation_t *inv, word_t n)
{
    inv->reply_length = mrs_delivered(inv->reply_buffer, n);
}

syscall_error_t decode_invocation(invocation_t *inv);
syscall_error_t decode_cnode_invocation(invocation_t *inv);
/* CNode methods of one configuration (without MCS: SaveCaller). */
bool is_cnode_config_label(word_t label);
syscall_error_t decode_cnode_config_invocation(invocation_t *inv, cte_t *dest);
/* DeleteFirst unless the slot is empty. */
syscall_error_t ensure_empty(const cte_t *slot);
syscall_error_t decode_untyped_invocation(invocation_t *inv);
syscall_error_t decode_tcb_invocation(invocation_t *inv);
syscall_error_t decode_domain_invocation(invocation_t *inv);
syscall_error_t decode_arch_invocation(invocation_t *inv);
