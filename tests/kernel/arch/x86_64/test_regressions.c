/* REGRESSIONS, x86_64 only: register values written into a thread that
 * the kernel must refuse to return to user mode with. */
#include "../../framework.h"

static seL4_Word spin(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)a, (void)b, (void)c, (void)d;
    for (;;)
        seL4_Yield();
    return 0;
}

/* Registers written into a thread: its next return to user mode must
 * not fault in the kernel (IRETQ checks RIP, WRMSR the segment bases),
 * and must not give it IOPL or turn its interrupts off. */
TEST(REGRESSIONS0003,
     "non-canonical RIP, RSP and segment bases and every RFLAGS bit make the thread fault, not the kernel")
{
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    const seL4_Word noncanonical = 0x8000000000000000ul;
    for (int k = 0; k < 4 && env->failures == 0; k++) {
        helper_t h;
        create_helper_with_fault_ep(env, &h, 100, fep);
        start_helper(env, &h, spin, 0, 0, 0, 0);
        set_own_priority(100);
        set_own_priority(seL4_MaxPrio);
        seL4_UserContext r;
        CHECK_EQ(seL4_TCB_ReadRegisters(h.tcb, true, 0, UC_WORDS, &r), 0);
        r.rflags = ~0ul; /* IOPL, NT, VM, ... and IF clear would all be wrong */
        if (k == 0)
            r.rip = noncanonical;
        else if (k == 1)
            r.rsp = noncanonical;
        else if (k == 2)
            r.fs_base = noncanonical;
        else
            r.gs_base = noncanonical;
        CHECK_EQ(seL4_TCB_WriteRegisters(h.tcb, true, 0, UC_WORDS, &r), 0);
        /* the thread runs (and faults, or spins with a zero base) */
        seL4_Word badge = 0;
        set_own_priority(100);
        seL4_Yield(); /* the helper runs until it faults or yields back */
        seL4_MessageInfo_t info = api_nbrecv(fep, &badge, test_reply);
        set_own_priority(seL4_MaxPrio);
        if (k <= 1) {
            /* a RIP of 0 or a stack that cannot be used: a fault message */
            if (seL4_MessageInfo_get_label(info) == seL4_Fault_NullFault)
                info = api_recv(fep, &badge, test_reply);
            CHECK(seL4_MessageInfo_get_label(info) == seL4_Fault_VMFault ||
                  seL4_MessageInfo_get_label(info) == seL4_Fault_UserException);
        }
        CHECK_EQ(seL4_TCB_ReadRegisters(h.tcb, true, 0, UC_WORDS, &r), 0);
        CHECK(r.rflags & 0x200);        /* IF stays set */
        CHECK_EQ(r.rflags & 0x3000, 0); /* IOPL 0 */
        CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
        destroy_helper(env, &h);
    }
}
