#pragma once
#include <types.h>
#include <object/structures.h>

/* Entry points from the architecture's trap code; the current thread's
 * registers are saved in ks_cur_thread->ctx. */
void handle_syscall(sword_t sysno);
void handle_user_exception(word_t cause, word_t tval);
