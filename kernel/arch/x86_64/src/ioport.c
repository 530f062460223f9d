/* I/O port capabilities (seL4's x86 IOPortControl and IOPort objects).
 * User code never executes IN or OUT itself: IOPL is 0 and the TSS has
 * no I/O permission bitmap, so every port instruction in ring 3 is #GP
 * (Intel SDM Vol. 1 §19.5). A thread holding an IOPort cap asks the
 * kernel instead, for ports inside the cap's range only.
 *
 * IOPortControl_Issue hands out a range [first, last] once: the kernel
 * keeps a bitmap of the 65536 ports issued, and a range that overlaps an
 * issued one is refused until every cap to it is deleted (or the control
 * revoked). */
#include <api/invocation.h>
#include <arch/cap.h>
#include <arch/x86.h>
#include <kernel/cspace.h>
#include <kernel/mdb.h>
#include <object/capops.h>
#include <sel4/invocation.h>

#define N_PORTS 65536u
static word_t issued[N_PORTS / WORD_BITS];

#define COM1_FIRST 0x3f8
#define COM1_LAST 0x3ff

static void mark_range(word_t first, word_t last, bool set)
{
    for (word_t p = first; p <= last; p++) {
        if (set)
            issued[p / WORD_BITS] |= BIT(p % WORD_BITS);
        else
            issued[p / WORD_BITS] &= ~BIT(p % WORD_BITS);
    }
}

static bool range_is_free(word_t first, word_t last)
{
    for (word_t p = first; p <= last; p++)
        if (issued[p / WORD_BITS] & BIT(p % WORD_BITS))
            return false;
    return true;
}

void ioport_init(void)
{
#ifdef HYPOS_PRINTING
    /* the kernel's console: a second writer would garble both */
    mark_range(COM1_FIRST, COM1_LAST, true);
#endif
}

void arch_finalise_cap(cap_t c)
{
    if (cap_get_type(c) == cap_io_port)
        mark_range(cap_io_port_first(c), cap_io_port_last(c), false);
}

static void invoke_io_port_control_issue(cte_t *control, word_t first, word_t last, cte_t *dest)
{
    mark_range(first, last, true);
    cte_insert(cap_io_port_new(first, last), control, dest);
}

static syscall_error_t decode_io_port_control_invocation(invocation_t *inv)
{
    if (inv->label != X86IOPortControlIssue)
        return err_simple(seL4_IllegalOperation, "IOPortControl only has Issue");
    if (inv->length < 4 || inv->n_extra < 1)
        return err_simple(seL4_TruncatedMessage, "Issue needs first, last, index, depth and a CNode");
    /* ports are 16 bits: seL4 takes the low 16 bits of each argument */
    word_t first = inv_arg(inv, 0) & 0xffff, last = inv_arg(inv, 1) & 0xffff;
    word_t index = inv_arg(inv, 2), depth = inv_arg(inv, 3);
    if (last < first)
        return err_invalid_arg(1, "the last port is below the first");
    if (!range_is_free(first, last))
        return err_simple(seL4_RevokeFirst, "some of these ports are issued already");
    syscall_error_t e;
    cte_t *dest = lookup_slot_for_cnode_op(false, inv->extra[0]->cap, index, depth, &e);
    if (!dest)
        return e;
    if (!cap_is_null(dest->cap))
        return err_simple(seL4_DeleteFirst, "destination slot is not empty");
    invoke_io_port_control_issue(inv->slot, first, last, dest);
    return NO_ERROR;
}

static void invoke_io_port_in(invocation_t *inv, word_t port, word_t size)
{
    word_t v = size == 1 ? inb((uint16_t)port) : size == 2 ? inw((uint16_t)port) : inl((uint16_t)port);
    inv_set_mr(inv, 0, v);
    inv_set_reply_length(inv, 1);
}

static void invoke_io_port_out(word_t port, word_t size, word_t data)
{
    if (size == 1)
        outb((uint16_t)port, (uint8_t)data);
    else if (size == 2)
        outw((uint16_t)port, (uint16_t)data);
    else
        outl((uint16_t)port, (uint32_t)data);
}

static syscall_error_t decode_io_port_invocation(invocation_t *inv)
{
    word_t size;
    bool out;
    switch (inv->label) {
    case X86IOPortIn8:
    case X86IOPortIn16:
    case X86IOPortIn32:
        size = 1u << (inv->label - X86IOPortIn8);
        out = false;
        break;
    case X86IOPortOut8:
    case X86IOPortOut16:
    case X86IOPortOut32:
        size = 1u << (inv->label - X86IOPortOut8);
        out = true;
        break;
    default:
        return err_simple(seL4_IllegalOperation, "IOPort only has In8/16/32 and Out8/16/32");
    }
    if (inv->length < (out ? 2u : 1u))
        return err_simple(seL4_TruncatedMessage, out ? "Out needs a port and the data" : "In needs a port");
    /* seL4 takes the port's low 16 bits, then checks that every port the
     * access touches lies in the cap's range */
    word_t port = inv_arg(inv, 0) & 0xffff;
    if (port < cap_io_port_first(inv->cap) || port + size - 1 > cap_io_port_last(inv->cap))
        return err_simple(seL4_IllegalOperation, "the ports lie outside the cap's range");
    if (out)
        invoke_io_port_out(port, size, inv_arg(inv, 1));
    else
        invoke_io_port_in(inv, port, size);
    return NO_ERROR;
}

/* decode_arch_invocation's case for both cap types (vspace.c) */
syscall_error_t decode_io_port_cap_invocation(invocation_t *inv)
{
    if (cap_get_type(inv->cap) == cap_io_port_control)
        return decode_io_port_control_invocation(inv);
    return decode_io_port_invocation(inv);
}
