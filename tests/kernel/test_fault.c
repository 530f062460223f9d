/* FAULT: faults as messages to the fault endpoint, and replies that resume. */
#include "framework.h"

static seL4_Word mr(int i) { return seL4_GetMR(i); }

static seL4_Word read_addr(seL4_Word addr, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    return *(volatile seL4_Word *)addr;
}

static seL4_Word write_addr(seL4_Word addr, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    *(volatile seL4_Word *)addr = 1;
    return 0;
}

static seL4_Word jump_to(seL4_Word addr, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    ((void (*)(void))addr)();
    return 0;
}

static seL4_Word unknown_syscall(seL4_Word number, seL4_Word arg, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    return test_unknown_syscall(number, arg, 0x1111);
}

static seL4_Word illegal_instruction(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)a, (void)b, (void)c, (void)d;
    return test_illegal_instruction(5);
}

static seL4_Word invoke_bad_cptr(seL4_Word cptr, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    seL4_Call(cptr, seL4_MessageInfo_new(0, 0, 0, 0));
    return 7;
}

static seL4_Word recv_bad_cptr(seL4_Word cptr, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    api_recv(cptr, NULL, test_reply);
    return 8;
}

static seL4_CPtr start_faulter(env_t *env, helper_t *h, helper_fn_t fn, seL4_Word a0, seL4_CPtr *fep_out)
{
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    create_helper_with_fault_ep(env, h, 100, fep);
    start_helper(env, h, fn, a0, 0, 0, 0);
    if (fep_out)
        *fep_out = fep;
    return fep;
}

TEST(FAULT0001, "a load from an unmapped address is a VM fault message (the architecture's load FSR)")
{
    helper_t h;
    seL4_CPtr fep = start_faulter(env, &h, read_addr, 0x40000008, NULL);
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    CHECK_EQ(seL4_MessageInfo_get_length(info), seL4_VMFault_Length);
    CHECK_EQ(mr(seL4_VMFault_Addr), 0x40000008);
    CHECK_EQ(mr(seL4_VMFault_PrefetchFault), 0);
    CHECK_EQ(mr(seL4_VMFault_FSR), TEST_FSR_LOAD);
    CHECK(mr(seL4_VMFault_IP) >= 0x10000 && mr(seL4_VMFault_IP) < 0x200000);
}

TEST(FAULT0002, "a store to an unmapped address is a VM fault with the store FSR")
{
    helper_t h;
    seL4_CPtr fep = start_faulter(env, &h, write_addr, 0x40001000, NULL);
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    CHECK_EQ(mr(seL4_VMFault_Addr), 0x40001000);
    CHECK_EQ(mr(seL4_VMFault_FSR), TEST_FSR_STORE);
}

TEST(FAULT0003, "jumping to an unmapped address is an instruction fault (prefetch, fetch FSR)")
{
    helper_t h;
    seL4_CPtr fep = start_faulter(env, &h, jump_to, 0x40002000, NULL);
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    CHECK_EQ(mr(seL4_VMFault_IP), 0x40002000);
    CHECK_EQ(mr(seL4_VMFault_Addr), 0x40002000);
    CHECK_EQ(mr(seL4_VMFault_PrefetchFault), 1);
    CHECK_EQ(mr(seL4_VMFault_FSR), TEST_FSR_FETCH);
}

TEST(FAULT0004, "replying to a VM fault retries the instruction, which faults again")
{
    helper_t h;
    seL4_CPtr fep = start_faulter(env, &h, read_addr, 0x40003000, NULL);
    api_recv(fep, NULL, test_reply);
    seL4_Word ip = mr(seL4_VMFault_IP);
    seL4_MessageInfo_t info = api_reply_recv(fep, seL4_MessageInfo_new(0, 0, 0, 0), NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    CHECK_EQ(mr(seL4_VMFault_IP), ip);
    CHECK_EQ(mr(seL4_VMFault_Addr), 0x40003000);
}

TEST(FAULT0005, "an unknown syscall fault carries the registers and the syscall number")
{
    helper_t h;
    seL4_CPtr fep = start_faulter(env, &h, unknown_syscall, 4242, NULL);
    (void)fep;
    /* argument registers: the first = arg (set below), the second = 0x1111 */
    CHECK_EQ(seL4_TCB_Suspend(h.tcb), 0);
    h.arg[1] = 0x2222;
    CHECK_EQ(seL4_TCB_Resume(h.tcb), 0);
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UnknownSyscall);
    CHECK_EQ(seL4_MessageInfo_get_length(info), seL4_UnknownSyscall_Length);
    CHECK_EQ(mr(seL4_UnknownSyscall_Syscall), 4242);
    CHECK_EQ(mr(TEST_UNKNOWN_SYSCALL_ARG1_MR), 0x1111);
    CHECK(mr(seL4_UnknownSyscall_SP) > 0);
}

TEST(FAULT0006, "replying with registers to an unknown syscall writes them and resumes")
{
    helper_t h;
    seL4_CPtr fep = start_faulter(env, &h, unknown_syscall, 99, NULL);
    api_recv(fep, NULL, test_reply);
    seL4_Word ip = mr(seL4_UnknownSyscall_FaultIP);
    /* resume after the system call instruction with the first argument
     * register = 0xfeed; every register goes back (the others as sent) */
    seL4_SetMR(seL4_UnknownSyscall_FaultIP, ip + TEST_SYSCALL_INSN_BYTES);
    seL4_SetMR(TEST_UNKNOWN_SYSCALL_ARG0_MR, 0xfeed);
    api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, seL4_UnknownSyscall_Syscall));
    CHECK_EQ(wait_for_helper(env, &h), 0xfeed);
}

TEST(FAULT0007, "an illegal instruction is a user exception; the reply can skip it")
{
    helper_t h;
    seL4_CPtr fep = start_faulter(env, &h, illegal_instruction, 0, NULL);
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
    CHECK_EQ(seL4_MessageInfo_get_length(info), seL4_UserException_Length);
    CHECK_EQ(mr(seL4_UserException_Number), TEST_ILLEGAL_INSN_NUMBER);
    CHECK_EQ(mr(seL4_UserException_Code), 0);
    seL4_SetMR(0, mr(seL4_UserException_FaultIP) + TEST_ILLEGAL_INSN_BYTES);
    api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, 1));
    CHECK_EQ(wait_for_helper(env, &h), 5);
}

TEST(FAULT0009, "a non-zero label in an exception reply leaves the thread stopped")
{
    helper_t h;
    seL4_CPtr fep = start_faulter(env, &h, illegal_instruction, 0, NULL);
    api_recv(fep, NULL, test_reply);
    api_reply(test_reply, seL4_MessageInfo_new(1, 0, 0, 0));
    set_own_priority(1);
    set_own_priority(seL4_MaxPrio);
    CHECK(!h.done);
    /* Resume restarts the faulting instruction: the same fault again */
    CHECK_EQ(seL4_TCB_Resume(h.tcb), 0);
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
}

TEST(FAULT0010, "invoking an invalid cptr is a cap fault with the lookup failure")
{
    helper_t h;
    seL4_CPtr fep = start_faulter(env, &h, invoke_bad_cptr, 1ul << 40, NULL);
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_CapFault);
    CHECK_EQ(mr(seL4_CapFault_Addr), 1ul << 40);
    CHECK_EQ(mr(seL4_CapFault_InRecvPhase), 0);
    CHECK_EQ(mr(seL4_CapFault_LookupFailureType), seL4_GuardMismatch);
    CHECK_EQ(mr(seL4_CapFault_BitsLeft), 64);
    CHECK_EQ(mr(seL4_CapFault_GuardMismatch_GuardFound), 0);
    CHECK_EQ(mr(seL4_CapFault_GuardMismatch_BitsFound), 52);
}

TEST(FAULT0011, "receiving on a non-endpoint cap is a cap fault in the receive phase")
{
    helper_t h;
    seL4_CPtr fep = start_faulter(env, &h, recv_bad_cptr, seL4_CapDomain, NULL);
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_CapFault);
    CHECK_EQ(mr(seL4_CapFault_Addr), seL4_CapDomain);
    CHECK_EQ(mr(seL4_CapFault_InRecvPhase), 1);
    CHECK_EQ(mr(seL4_CapFault_LookupFailureType), seL4_MissingCapability);
}

TEST(FAULT0012, "a cap fault reply restarts the syscall, which can then succeed")
{
    helper_t h;
    seL4_CPtr slot = alloc_slot(env);
    seL4_CPtr fep = start_faulter(env, &h, recv_bad_cptr, slot, NULL);
    api_recv(fep, NULL, test_reply);
    /* put a notification with a pending signal where the thread looks */
    seL4_CPtr n = make_object(env, seL4_NotificationObject, 0);
    seL4_Signal(n);
    CHECK_EQ(seL4_CNode_Move(ROOT, slot, WB, ROOT, n, WB), 0);
    api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EQ(wait_for_helper(env, &h), 8);
}

TEST(FAULT0013, "the fault handler's badge identifies the faulting thread")
{
    helper_t a, b;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), ba = alloc_slot(env), bb = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, ba, WB, ROOT, ep, WB, seL4_AllRights, 0xa), 0);
    CHECK_EQ(seL4_CNode_Mint(ROOT, bb, WB, ROOT, ep, WB, seL4_AllRights, 0xb), 0);
    create_helper_with_fault_ep(env, &a, 100, ba);
    create_helper_with_fault_ep(env, &b, 100, bb);
    start_helper(env, &a, read_addr, 0x40000000, 0, 0, 0);
    start_helper(env, &b, read_addr, 0x40000000, 0, 0, 0);
    seL4_Word b1 = 0, b2 = 0;
    api_recv(ep, &b1, test_reply);
    api_recv(ep, &b2, test_reply);
    CHECK((b1 == 0xa && b2 == 0xb) || (b1 == 0xb && b2 == 0xa));
}

TEST(FAULT0014, "with no fault handler the thread is suspended and the kernel carries on")
{
    helper_t h;
    create_helper(env, &h, 100);
    start_helper(env, &h, read_addr, 0x40000000, 0, 0, 0);
    set_own_priority(1);
    set_own_priority(seL4_MaxPrio);
    CHECK(!h.done);
    seL4_UserContext r = {0};
    CHECK_EQ(seL4_TCB_ReadRegisters(h.tcb, 0, 0, 1, &r), 0);
    CHECK(r.UC_PC >= 0x10000 && r.UC_PC < 0x200000);
}

TEST(FAULT0015, "a fault endpoint cap without Grant or GrantReply is a double fault (MCS: refused when set)")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0), wo = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, wo, WB, ROOT, ep, WB, seL4_CanWrite, 0), 0);
#ifdef CONFIG_KERNEL_MCS
    /* the cap is checked and copied into the TCB when it is set */
    create_helper(env, &h, 100);
    CHECK_EQ(api_tcb_set_space(h.tcb, wo, ROOT, 0, seL4_CapInitThreadVSpace, 0), seL4_InvalidCapability);
    CHECK_EQ(api_sched_params(h.tcb, seL4_CapInitThreadTCB, 0, 100, h.sc, wo), seL4_InvalidCapability);
    CHECK_EQ(api_sched_params(h.tcb, seL4_CapInitThreadTCB, 0, 100, h.sc, ep), 0);
#else
    create_helper_with_fault_ep(env, &h, 100, wo);
    start_helper(env, &h, read_addr, 0x40000000, 0, 0, 0);
    set_own_priority(1);
    set_own_priority(seL4_MaxPrio);
    seL4_Word badge = 1;
    api_nbrecv(ep, &badge, test_reply);
    CHECK_EQ(badge, 0); /* no message was sent */
    CHECK(!h.done);
#endif
}

TEST(FAULT0016, "a faulting thread can be deleted while waiting for its handler")
{
    helper_t h;
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    create_helper_with_fault_ep(env, &h, 100, fep);
    start_helper(env, &h, read_addr, 0x40000000, 0, 0, 0);
    set_own_priority(1);
    set_own_priority(seL4_MaxPrio);
    CHECK_EQ(seL4_CNode_Delete(ROOT, h.tcb, WB), 0);
    seL4_Word badge = 1;
    api_nbrecv(fep, &badge, test_reply);
    CHECK_EQ(badge, 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}
