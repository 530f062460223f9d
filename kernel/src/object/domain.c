/* The domain cap (seL4_CapDomain): moving threads between domains and
 * changing the domain schedule at run time (seL4 15's DomainSet methods;
 * the checks and their errors are seL4's, in seL4's order). The schedule
 * itself lives in kernel/domain_schedule.c. */
#include <api/invocation.h>
#include <kernel/addr.h>
#include <kernel/domain_schedule.h>
#include <sel4/invocation.h>

static void invoke_domain_set(tcb_t *t, word_t domain) { domain_set_thread(t, domain); }
static void invoke_schedule_configure(word_t index, word_t domain, word_t length)
{
    domain_schedule_configure(index, domain, length);
}
static void invoke_schedule_set_start(word_t index) { domain_schedule_set_start(index); }

static syscall_error_t decode_domain_set(invocation_t *inv)
{
    if (inv->length < 1)
        return err_simple(seL4_TruncatedMessage, "DomainSet_Set needs a domain");
    word_t domain = inv_arg(inv, 0);
    if (domain >= CONFIG_NUM_DOMAINS)
        return err_invalid_arg(0, "no such domain");
    if (inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "DomainSet_Set needs a TCB");
    cap_t t = inv->extra[0]->cap;
    if (cap_get_type(t) != cap_thread)
        return err_invalid_arg(1, "not a TCB cap");
    invoke_domain_set(oref_ptr(cap_thread_ptr(t)), domain);
    return NO_ERROR;
}

/* (index, domain, length): entry `index` becomes (domain, length); length 0
 * with domain 0 makes it an end marker. The table's last entry stays an
 * end marker, and the entry a round starts with cannot become one. */
static syscall_error_t decode_schedule_configure(invocation_t *inv)
{
    if (inv->length < 3)
        return err_simple(seL4_TruncatedMessage, "ScheduleConfigure needs an index, a domain and a length");
    word_t index = inv_arg(inv, 0), domain = inv_arg(inv, 1), length = inv_arg(inv, 2);
    if (index >= CONFIG_NUM_DOMAIN_SCHEDULES - 1)
        return err_range(0, CONFIG_NUM_DOMAIN_SCHEDULES - 2, "schedule index out of range");
    if (domain >= CONFIG_NUM_DOMAINS)
        return err_range(0, CONFIG_NUM_DOMAINS - 1, "no such domain");
    if (length > DOMAIN_MAX_LENGTH)
        return err_invalid_arg(2, "length does not fit in 56 bits");
    if (length == 0 && domain != 0)
        return err_invalid_arg(1, "an end marker (length 0) has domain 0");
    if (length == 0 && index == domain_schedule_start())
        return err_invalid_arg(2, "the start entry cannot become an end marker");
    invoke_schedule_configure(index, domain, length);
    return NO_ERROR;
}

/* (index): rounds start at entry `index` from now on, beginning at once. */
static syscall_error_t decode_schedule_set_start(invocation_t *inv)
{
    if (inv->length < 1)
        return err_simple(seL4_TruncatedMessage, "ScheduleSetStart needs an index");
    word_t index = inv_arg(inv, 0);
    if (index >= CONFIG_NUM_DOMAIN_SCHEDULES)
        return err_range(0, CONFIG_NUM_DOMAIN_SCHEDULES - 1, "schedule index out of range");
    if (domain_schedule_is_end_marker(index))
        return err_invalid_arg(0, "a round cannot start at an end marker");
    invoke_schedule_set_start(index);
    return NO_ERROR;
}

syscall_error_t decode_domain_invocation(invocation_t *inv)
{
    switch (inv->label) {
    case DomainSetSet:
        return decode_domain_set(inv);
    case DomainScheduleConfigure:
        return decode_schedule_configure(inv);
    case DomainScheduleSetStart:
        return decode_schedule_set_start(inv);
    default:
        return err_simple(seL4_IllegalOperation, "not a DomainSet method");
    }
}
