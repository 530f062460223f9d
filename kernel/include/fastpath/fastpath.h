#pragma once
#include <types.h>

/* Try the fast case of the system call; return only if the slow path must run. */
void fastpath_call(word_t cptr, word_t info);
void fastpath_reply_recv(word_t cptr, word_t info);

#ifdef HYPOS_DEBUG
/* Completed fastpath system calls, for tests that must exercise it, and
 * the times an invariant the fastpath relies on was found broken. */
extern word_t fastpath_count, fastpath_broken_assumptions;
#endif
