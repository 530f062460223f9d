/* The MCS configuration has no CNode methods of its own (SaveCaller
 * exists only without MCS). */
#include <api/invocation.h>

bool is_cnode_config_label(word_t label)
{
    (void)label;
    return false;
}

syscall_error_t decode_cnode_config_invocation(invocation_t *inv, cte_t *dest)
{
    (void)inv;
    (void)dest;
    return err_simple(seL4_IllegalOperation, "not a CNode method");
}
