/* FAULT, riscv64 only: a misaligned atomic is a user exception. */
#include "../../framework.h"

static seL4_Word misaligned_amo(seL4_Word addr, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    seL4_Word old;
    asm volatile("amoadd.d %0, %1, (%2)" : "=r"(old) : "r"(1ul), "r"(addr) : "memory");
    return old;
}

TEST(FAULT0008, "a misaligned atomic is a user exception with its cause number")
{
    helper_t h;
    static seL4_Word target[2];
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    create_helper_with_fault_ep(env, &h, 100, fep);
    start_helper(env, &h, misaligned_amo, (seL4_Word)target + 1, 0, 0, 0);
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
    /* the privileged spec names "store/AMO address misaligned" (6); QEMU 7.2
     * reports the AMO's read half, "load address misaligned" (4) */
    CHECK(seL4_GetMR(seL4_UserException_Number) == 4 || seL4_GetMR(seL4_UserException_Number) == 6);
}
