/* FAULT, x86_64 only: what a privileged instruction in user mode becomes. */
#include "../../framework.h"

static seL4_Word privileged_instruction(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)a, (void)b, (void)c, (void)d;
    asm volatile("hlt");
    return 0;
}

TEST(FAULT0008, "a privileged instruction is a general-protection user exception with its error code")
{
    helper_t h;
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    create_helper_with_fault_ep(env, &h, 100, fep);
    start_helper(env, &h, privileged_instruction, 0, 0, 0, 0);
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
    CHECK_EQ(seL4_MessageInfo_get_length(info), seL4_UserException_Length);
    CHECK_EQ(seL4_GetMR(seL4_UserException_Number), 13); /* #GP (SDM Vol. 3A §6.15) */
    CHECK_EQ(seL4_GetMR(seL4_UserException_Code), 0);
    CHECK(seL4_GetMR(seL4_UserException_FLAGS) & 0x200); /* IF: user code runs with interrupts on */
}
