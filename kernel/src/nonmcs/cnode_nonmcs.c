/* CNode_SaveCaller: moves the thread's one-shot reply cap out of its
 * caller slot (non-MCS only: MCS replies through reply objects). */
#include <api/invocation.h>
#include <kernel/mdb.h>
#include <sel4/invocation.h>

bool is_cnode_config_label(word_t label) { return label == CNodeSaveCaller; }

static void invoke_cnode_save_caller(tcb_t *thread, cte_t *dest)
{
    cte_t *caller = &thread->ctes[tcbCaller];
    if (!cap_is_null(caller->cap))
        cte_move(caller->cap, caller, dest);
}

syscall_error_t decode_cnode_config_invocation(invocation_t *inv, cte_t *dest)
{
    syscall_error_t e = ensure_empty(dest);
    if (e.type)
        return e;
    invoke_cnode_save_caller(inv->thread, dest);
    return NO_ERROR;
}
