/* The domain cap: one scheduling domain in this configuration. */
#include <api/invocation.h>
#include <kernel/addr.h>
#include <sel4/invocation.h>

static void invoke_domain_set(tcb_t *t, word_t domain) { t->domain = domain; }

syscall_error_t decode_domain_invocation(invocation_t *inv)
{
    if (inv->label != DomainSetSet)
        return err_simple(seL4_IllegalOperation, "not a DomainSet method");
    if (inv->length < 1 || inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "DomainSet_Set needs a domain and a TCB");
    if (inv_arg(inv, 0) >= seL4_NumDomains)
        return err_invalid_arg(0, "no such domain");
    cap_t t = inv->extra[0]->cap;
    if (cap_get_type(t) != cap_thread)
        return err_invalid_arg(1, "not a TCB cap");
    invoke_domain_set(oref_ptr(cap_thread_ptr(t)), inv_arg(inv, 0));
    return NO_ERROR;
}
