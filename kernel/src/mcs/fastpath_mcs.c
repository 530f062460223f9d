/* The MCS configuration has no IPC fastpath yet: Call and ReplyRecv
 * return here at once and take the slow path (docs/mcs.md). */
#include <fastpath/fastpath.h>

#ifdef HYPOS_DEBUG
word_t fastpath_count, fastpath_broken_assumptions;
#endif

void fastpath_call(word_t cptr, word_t info)
{
    (void)cptr;
    (void)info;
}

void fastpath_reply_recv(word_t cptr, word_t info)
{
    (void)cptr;
    (void)info;
}
