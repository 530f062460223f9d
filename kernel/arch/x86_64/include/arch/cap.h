/* Capability types only the architecture knows: on x86_64 the I/O port
 * control cap and the I/O port caps it issues (seL4's x86 tags 31 and
 * 19). Generic code calls these hooks for any cap for which
 * arch_cap_is_own() holds, where it has no case of its own.
 *
 * io port:         w0 = tag; w1 = first port | last port << 16
 * io port control: w0 = tag; w1 = 0 */
#pragma once
#include <object/cap.h>
#include <sel4/shared_types.h>

#define cap_io_port ((cap_type_t)seL4_CapTag_IOPort)
#define cap_io_port_control ((cap_type_t)seL4_CapTag_IOPortControl)

static inline cap_t cap_io_port_new(word_t first, word_t last)
{
    return (cap_t){cap_io_port, (first & 0xffff) | (last & 0xffff) << 16};
}
static inline word_t cap_io_port_first(cap_t c) { return c.w1 & 0xffff; }
static inline word_t cap_io_port_last(cap_t c) { return (c.w1 >> 16) & 0xffff; }
static inline cap_t cap_io_port_control_new(void) { return (cap_t){cap_io_port_control, 0}; }

static inline bool arch_cap_is_own(cap_t c)
{
    return cap_get_type(c) == cap_io_port || cap_get_type(c) == cap_io_port_control;
}
/* The control cap covers every port cap (it is their parent in the
 * derivation tree); port caps are the same region if they name the same
 * range, which can only be issued once. */
static inline bool arch_same_region_as(cap_t a, cap_t b)
{
    if (cap_get_type(a) == cap_io_port_control)
        return cap_get_type(b) == cap_io_port_control || cap_get_type(b) == cap_io_port;
    if (cap_get_type(a) == cap_io_port)
        return cap_get_type(b) == cap_io_port && a.w1 == b.w1;
    return false;
}
/* ...but the control cap is not the same object as a port cap: deleting
 * the last port cap of a range frees the range while the control remains. */
static inline bool arch_same_object_as(cap_t a, cap_t b)
{
    if (cap_get_type(a) == cap_io_port_control && cap_get_type(b) == cap_io_port)
        return false;
    return arch_same_region_as(a, b);
}
/* A port cap issued by the control is revocable (Revoke on the control
 * deletes every port cap); copies of a port cap are not. */
static inline bool arch_is_cap_revocable(cap_t derived, cap_t src)
{
    return cap_get_type(derived) == cap_io_port && cap_get_type(src) == cap_io_port_control;
}
/* The control cap is not copied (as IRQControl). */
static inline cap_t arch_derive_cap(cap_t c) { return cap_get_type(c) == cap_io_port_control ? cap_null_new() : c; }
/* The last cap to a port range is gone: the range may be issued again. */
void arch_finalise_cap(cap_t c);
static inline cap_t arch_boot_io_port_control_cap(void) { return cap_io_port_control_new(); }

/* Boot: mark the ports the kernel itself drives as issued. */
void ioport_init(void);
