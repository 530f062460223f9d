/* USERLIB: libsel4's decoders and *WithMRs calls against the real kernel,
 * and what the runtime adds (main's arguments, getpid/kill/abort, the
 * frame caps of the program image). */
#include "framework.h"
#include <hypos/runtime.h>
#include <assert.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static seL4_Word read_addr(seL4_Word addr, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    return *(volatile seL4_Word *)addr;
}

static seL4_Word unknown_syscall(seL4_Word number, seL4_Word arg, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    return test_unknown_syscall(number, arg, 0x1111);
}

static seL4_Word illegal_instruction(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)a, (void)b, (void)c, (void)d;
    test_illegal4();
    return 0;
}

static seL4_Word call_cptr(seL4_Word cptr, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    seL4_Call(cptr, seL4_MessageInfo_new(0, 0, 0, 0));
    return 0;
}

static seL4_Word recv_cptr(seL4_Word cptr, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    api_recv(cptr, NULL, test_reply);
    return 0;
}

/* Starts fn(a0) in a helper whose faults go to a new endpoint; the fault it takes. */
static seL4_Fault_t fault_of(env_t *env, helper_t *h, helper_fn_t fn, seL4_Word a0, seL4_MessageInfo_t *tag)
{
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    create_helper_with_fault_ep(env, h, 100, fep);
    start_helper(env, h, fn, a0, 0, 0, 0);
    *tag = api_recv(fep, NULL, test_reply);
    return seL4_getFault(*tag);
}

TEST(USERLIB0001, "seL4_getFault decodes a VM fault: type, address, pc, prefetch, FSR")
{
    helper_t h;
    seL4_MessageInfo_t tag;
    seL4_Fault_t f = fault_of(env, &h, read_addr, 0x40000010, &tag);
    CHECK(seL4_isVMFault_tag(tag));
    CHECK(!seL4_isCapFault_tag(tag) && !seL4_isNullFault_tag(tag));
    CHECK_EQ(seL4_Fault_get_seL4_FaultType(f), seL4_Fault_VMFault);
    CHECK_EQ(seL4_Fault_ptr_get_seL4_FaultType(&f), seL4_Fault_VMFault);
    CHECK_EQ(seL4_Fault_VMFault_get_Addr(f), 0x40000010);
    CHECK_EQ(seL4_Fault_VMFault_get_PrefetchFault(f), 0);
    CHECK_EQ(seL4_Fault_VMFault_get_FSR(f), TEST_FSR_LOAD);
    CHECK_EQ(seL4_Fault_VMFault_get_IP(f), seL4_GetMR(seL4_VMFault_IP));
    CHECK(seL4_Fault_VMFault_ptr_get_IP(&f) >= 0x10000 && seL4_Fault_VMFault_ptr_get_IP(&f) < 0x200000);
}

TEST(USERLIB0002, "seL4_getFault decodes an unknown syscall: number, the two argument registers, pc, sp")
{
    helper_t h;
    seL4_MessageInfo_t tag;
    seL4_Fault_t f = fault_of(env, &h, unknown_syscall, 4343, &tag);
    CHECK(seL4_isUnknownSyscall_tag(tag));
    CHECK_EQ(seL4_Fault_get_seL4_FaultType(f), seL4_Fault_UnknownSyscall);
    CHECK_EQ(seL4_Fault_UnknownSyscall_get_Syscall(f), 4343);
    CHECK_EQ(TEST_UNKNOWN_SYSCALL_GET_ARG0(f), 0); /* start_helper's second argument */
    CHECK_EQ(TEST_UNKNOWN_SYSCALL_GET_ARG1(f), 0x1111);
    CHECK_EQ(seL4_Fault_UnknownSyscall_get_FaultIP(f), seL4_GetMR(seL4_UnknownSyscall_FaultIP));
    CHECK_EQ(seL4_Fault_UnknownSyscall_get_SP(f), seL4_GetMR(seL4_UnknownSyscall_SP));
    CHECK(seL4_Fault_UnknownSyscall_get_SP(f) != 0);
}

TEST(USERLIB0003, "seL4_getFault decodes a user exception: an illegal instruction and its pc")
{
    helper_t h;
    seL4_MessageInfo_t tag;
    seL4_Fault_t f = fault_of(env, &h, illegal_instruction, 0, &tag);
    CHECK(seL4_isUserException_tag(tag));
    CHECK_EQ(seL4_Fault_get_seL4_FaultType(f), seL4_Fault_UserException);
    CHECK_EQ(seL4_Fault_UserException_get_Number(f), TEST_ILLEGAL_INSN_NUMBER);
    CHECK_EQ(*(const uint16_t *)seL4_Fault_UserException_get_FaultIP(f), TEST_ILLEGAL4_HALFWORD);
}

TEST(USERLIB0004, "seL4_getFault decodes cap faults: address, send or receive phase, lookup failure")
{
    helper_t h1, h2;
    seL4_MessageInfo_t tag;
    /* a CPtr the root CNode's guard does not match */
    seL4_Fault_t f = fault_of(env, &h1, call_cptr, 1ul << 40, &tag);
    CHECK(seL4_isCapFault_tag(tag));
    CHECK_EQ(seL4_Fault_get_seL4_FaultType(f), seL4_Fault_CapFault);
    CHECK_EQ(seL4_Fault_CapFault_get_Addr(f), 1ul << 40);
    CHECK_EQ(seL4_Fault_CapFault_get_InRecvPhase(f), 0);
    CHECK_EQ(seL4_Fault_CapFault_get_LookupFailureType(f), seL4_GuardMismatch);
    CHECK_EQ(seL4_Fault_CapFault_get_MR4(f), 64); /* bits left */
    CHECK_EQ(seL4_Fault_CapFault_get_MR5(f), 0);  /* guard found */
    CHECK_EQ(seL4_Fault_CapFault_get_MR6(f), 52); /* guard size */
    /* receiving on a cap that is not an endpoint or notification */
    f = fault_of(env, &h2, recv_cptr, seL4_CapDomain, &tag);
    CHECK_EQ(seL4_Fault_CapFault_get_Addr(f), seL4_CapDomain);
    CHECK_EQ(seL4_Fault_CapFault_get_LookupFailureType(f), seL4_MissingCapability);
    CHECK_EQ(seL4_Fault_CapFault_get_InRecvPhase(f), 1);
}

TEST(USERLIB0005,
     "seL4_Fault_t constructors, setters and ptr accessors keep each field; other labels read as NullFault")
{
    seL4_Fault_t f = seL4_Fault_VMFault_new(1, 2, 3, 4);
    CHECK_EQ(seL4_Fault_VMFault_get_IP(f) + seL4_Fault_VMFault_get_Addr(f) * 10 +
                 seL4_Fault_VMFault_get_PrefetchFault(f) * 100 + seL4_Fault_VMFault_get_FSR(f) * 1000,
             4321);
    f = seL4_Fault_VMFault_set_Addr(f, 77);
    seL4_Fault_VMFault_ptr_set_FSR(&f, 88);
    CHECK_EQ(seL4_Fault_VMFault_ptr_get_Addr(&f), 77);
    CHECK_EQ(seL4_Fault_VMFault_get_FSR(f), 88);
    seL4_Fault_CapFault_ptr_new(&f, 1, 2, 3, 4, 5, 6, 7);
    CHECK_EQ(seL4_Fault_get_seL4_FaultType(f), seL4_Fault_CapFault);
    CHECK_EQ(seL4_Fault_CapFault_get_MR6(f), 7);
    /* the architecture's layouts of UnknownSyscall and UserException */
    CHECK_EQ(test_arch_fault_constructors(), 0);
    CHECK_EQ(seL4_Fault_get_seL4_FaultType(seL4_getFault(seL4_MessageInfo_new(99, 0, 0, 0))), seL4_Fault_NullFault);
    CHECK_EQ(seL4_Fault_get_seL4_FaultType(seL4_getArchFault(seL4_MessageInfo_new(4, 0, 0, 0))), seL4_Fault_NullFault);
    seL4_MessageInfo_t m = seL4_MessageInfo_new(5, 1, 2, 3);
    seL4_MessageInfo_ptr_set_label(&m, 0xabc);
    CHECK_EQ(seL4_MessageInfo_ptr_get_label(&m), 0xabc);
    CHECK_EQ(seL4_MessageInfo_ptr_get_length(&m), 3);
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(m), 2);
    CHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(m), 1);
}

/* The client: CallWithMRs sends three words and gets two back in the same
 * variables, then SendWithMRs sends what came back; the IPC buffer's MR0
 * stays what it was throughout. Returns 1 if all of that held. */
static seL4_Word with_mrs_client(seL4_Word ep, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    seL4_SetMR(0, 999);
    seL4_Word m0 = 11, m1 = 22, m2 = 33, m3 = 44;
    seL4_MessageInfo_t r = seL4_CallWithMRs(ep, seL4_MessageInfo_new(5, 0, 0, 3), &m0, &m1, &m2, &m3);
    bool ok = seL4_MessageInfo_get_length(r) == 2 && m0 == 7 && m1 == 8 && seL4_GetMR(0) == 999;
    seL4_Word s0 = m0 + m1;
    seL4_SendWithMRs(ep, seL4_MessageInfo_new(6, 0, 0, 1), &s0, NULL, NULL, NULL);
    seL4_Word n0 = 123;
    seL4_NBSendWithMRs(ep, seL4_MessageInfo_new(8, 0, 0, 1), &n0, NULL, NULL, NULL);
    return ok && seL4_GetMR(0) == 999;
}

TEST(USERLIB0006, "*WithMRs calls pass MR0..MR3 by pointer both ways and leave the IPC buffer alone")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    create_helper(env, &h, 100);
    set_own_priority(150);
    start_helper(env, &h, with_mrs_client, ep, 0, 0, 0);
    seL4_SetMR(0, 555);
    seL4_Word badge = 1, m0 = 0, m1 = 0, m2 = 0;
    seL4_MessageInfo_t info = api_recv_with_mrs(ep, &badge, &m0, &m1, &m2, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 5);
    CHECK_EQ(seL4_MessageInfo_get_length(info), 3);
    CHECK_EQ(m0 * 10000 + m1 * 100 + m2, 112233);
    CHECK_EQ(badge, 0);
    CHECK_EQ(seL4_GetMR(0), 555);
    seL4_Word r0 = 7, r1 = 8, r2 = 9;
    info = api_reply_recv_with_mrs(ep, seL4_MessageInfo_new(0, 0, 0, 2), &badge, &r0, &r1, &r2, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 6);
    CHECK_EQ(r0, 15);
    CHECK_EQ(seL4_GetMR(0), 555);
    /* the client's NBSend finds no receiver and is dropped, as seL4 drops it */
    CHECK_EQ(wait_for_helper(env, &h), 1);
    info = api_nbrecv(ep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 0);
}

static seL4_Word reply_with_mrs_server(seL4_Word ep, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    seL4_Word m0 = 0;
    api_recv_with_mrs(ep, NULL, &m0, NULL, NULL, NULL, test_reply);
    seL4_Word r0 = m0 * 2, r1 = m0 * 3;
    api_reply_with_mrs(test_reply, seL4_MessageInfo_new(0, 0, 0, 2), &r0, &r1, NULL, NULL);
    return m0;
}

TEST(USERLIB0007, "ReplyWithMRs answers a Call with the words given by pointer")
{
    helper_t h;
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    create_helper(env, &h, 200);
    start_helper(env, &h, reply_with_mrs_server, ep, 0, 0, 0);
    seL4_SetMR(0, 21);
    seL4_MessageInfo_t r = seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 1));
    CHECK_EQ(seL4_MessageInfo_get_length(r), 2);
    CHECK_EQ(seL4_GetMR(0), 42);
    CHECK_EQ(seL4_GetMR(1), 63);
    CHECK_EQ(wait_for_helper(env, &h), 21);
}

TEST(USERLIB0008, "main(argc, argv) gets argc 1 and argv {\"rootserver\", NULL}")
{
    CHECK_EQ(test_main_argc, 1);
    CHECK(test_main_argv && test_main_argv[0] && strcmp(test_main_argv[0], "rootserver") == 0);
    CHECK(test_main_argv && test_main_argv[1] == NULL);
    CHECK(strcmp(hypos_program_name, "rootserver") == 0);
}

static jmp_buf abort_return;
static volatile int abort_signals;

static void on_sigabrt(int sig)
{
    abort_signals += sig == SIGABRT;
    longjmp(abort_return, 1);
}

TEST(USERLIB0009, "abort() raises SIGABRT through kill(getpid()); a handler sees it; kill checks its arguments")
{
    CHECK_EQ(getpid(), 1);
    CHECK_EQ(kill(getpid(), 0), 0);
    CHECK_EQ(kill(0, 0), 0);
    errno = 0;
    CHECK_EQ(kill(2, SIGTERM), -1);
    CHECK_EQ(errno, ESRCH);
    errno = 0;
    CHECK_EQ(kill(getpid(), NSIG), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(kill(getpid(), SIGCHLD), 0); /* ignored by default: nothing happens */
    CHECK_EQ(raise(SIGWINCH), 0);
    abort_signals = 0;
    signal(SIGABRT, on_sigabrt);
    if (setjmp(abort_return) == 0)
        abort();
    signal(SIGABRT, SIG_DFL);
    CHECK_EQ(abort_signals, 1);
}

static volatile seL4_Word image_marker = 0x5e14a11c0de;

TEST(USERLIB0010, "hypos_image_frame_cap names the frame behind an image address (userImageFrames)")
{
    seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_CPtr f = hypos_image_frame_cap((const void *)&image_marker);
    CHECK(f >= bi->userImageFrames.start && f < bi->userImageFrames.end);
    CHECK_EQ(seL4_DebugCapIdentify(f), seL4_CapTag_Frame);
    CHECK_EQ(hypos_image_frame_cap((const void *)0x1000), seL4_CapNull);
    CHECK_EQ(hypos_image_frame_cap((const void *)0x40000000), seL4_CapNull);
    /* a second mapping of that frame shows (and changes) the same word */
    seL4_Word alias = 0x70000000;
    map_copy(env, f, seL4_CapInitThreadVSpace, alias, seL4_ReadWrite);
    volatile seL4_Word *p = (volatile seL4_Word *)(alias + ((seL4_Word)&image_marker & 0xfff));
    CHECK_EQ(*p, 0x5e14a11c0de);
    *p = 0xabcd;
    CHECK_EQ(image_marker, 0xabcd);
    image_marker = 0x5e14a11c0de;
    /* the first frame holds the program's first instruction */
    extern char _start[];
    CHECK_EQ(hypos_image_frame_cap(_start), bi->userImageFrames.start);
}

static seL4_Word self_tcb_of_helper(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)a, (void)b, (void)c, (void)d;
    return hypos_self_tcb();
}

TEST(USERLIB0011, "hypos_self_tcb: the root thread's is seL4_CapInitThreadTCB, a started thread's the TCB it runs on")
{
    helper_t h;
    CHECK_EQ(hypos_self_tcb(), seL4_CapInitThreadTCB);
    create_helper(env, &h, 100);
    start_helper(env, &h, self_tcb_of_helper, 0, 0, 0, 0);
    CHECK_EQ(wait_for_helper(env, &h), h.tcb);
    CHECK_EQ(hypos_self_tcb(), seL4_CapInitThreadTCB);
}

TEST(USERLIB0012, "a failing seL4_Assert, seL4_Fail or assert() reports and aborts (SIGABRT reaches the handler)")
{
    /* picolibc resets a handler to SIG_DFL before running it (C11 7.14.1.1
     * allows that), so it is installed again for each abort */
    abort_signals = 0;
    volatile int zero = 0;
    printf("# the three assertion reports below are expected\n");
    signal(SIGABRT, on_sigabrt);
    if (setjmp(abort_return) == 0)
        seL4_Assert(zero == 1);
    signal(SIGABRT, on_sigabrt);
    if (setjmp(abort_return) == 0)
        seL4_Fail("USERLIB0012 calls seL4_Fail");
    signal(SIGABRT, on_sigabrt);
    if (setjmp(abort_return) == 0)
        assert(zero == 2);
    seL4_Assert(zero == 0); /* a true assertion does nothing */
    signal(SIGABRT, SIG_DFL);
    CHECK_EQ(abort_signals, 3);
}
