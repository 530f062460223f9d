#pragma once
#include <types.h>
#include <object/structures.h>
#include <api/errors.h>

/* Entry points from the architecture's trap code; the current thread's
 * registers are saved in ks_cur_thread->ctx. */
void handle_syscall(sword_t sysno);
void handle_user_exception(word_t cause, word_t tval);

/* Shared by the configurations' system call dispatchers (api/syscall.c). */
void handle_invocation(bool is_call, bool is_blocking);
/* The same for the cap at cptr (MCS: the reply register, the NBSend destination). */
void handle_invocation_of(word_t cptr, bool is_call, bool is_blocking);
void handle_other_syscall(sword_t sysno);
void record_cap_fault(tcb_t *t, word_t cptr, bool in_recv, const lookup_fault_t *lf);
/* A Send or Call on a reply cap (the configuration's reply mechanism). */
syscall_error_t invoke_reply_cap(tcb_t *t, cte_t *slot);
