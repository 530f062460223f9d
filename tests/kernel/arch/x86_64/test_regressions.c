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

/* Set RFLAGS.NT (which POPF may do in ring 3) and make system calls. */
static seL4_Word nested_task_syscalls(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)a, (void)b, (void)c, (void)d;
    seL4_Word flags = 0;
    for (int i = 0; i < 3; i++) {
        asm volatile("pushfq\n orq $0x4000, (%%rsp)\n popfq" ::: "memory", "cc");
        seL4_Yield();
        asm volatile("pushfq\n popq %0" : "=r"(flags));
    }
    return 1 + !!(flags & 0x4000); /* 2: NT survived the calls as the thread's own flag */
}

/* IRETQ in 64-bit mode with NT set is #GP (Intel SDM Vol. 2A, IRET), and
 * SYSCALL clears only the flags IA32_FMASK names: the kernel must clear
 * NT itself, or a thread could make the kernel fault. */
TEST(REGRESSIONS0004, "a system call made with RFLAGS.NT set returns normally")
{
    helper_t h;
    create_helper(env, &h, 100);
    start_helper(env, &h, nested_task_syscalls, 0, 0, 0, 0);
    seL4_Word r = wait_for_helper(env, &h);
    CHECK(r == 1 || r == 2);
}

static seL4_Word recv_then_report(seL4_Word ep, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    api_recv(ep, NULL, test_reply);
    return 1;
}

static seL4_Word call_once(seL4_Word ep, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 0));
    return 1;
}

/* Registers written while a thread waits in Recv: the IPC that wakes it
 * (on the fastpath, which sanitises nothing on the way out) must find
 * them sanitised already, so that the thread faults, not the kernel. */
TEST(REGRESSIONS0005, "registers written into a thread blocked in Recv are safe when the fastpath wakes it")
{
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    const seL4_Word noncanonical = 0x8000000000001000ul;
    for (int k = 0; k < 3 && env->failures == 0; k++) {
        /* both threads exist before either runs: giving a thread its
         * VSpace makes every cached address-space value stale */
        helper_t h, c;
        create_helper_with_fault_ep(env, &h, 100, fep);
        create_helper(env, &c, 100);
        start_helper(env, &h, recv_then_report, ep, 0, 0, 0);
        set_own_priority(99); /* the helper blocks in Recv */
        set_own_priority(seL4_MaxPrio);
        seL4_UserContext r;
        CHECK_EQ(seL4_TCB_ReadRegisters(h.tcb, false, 0, UC_WORDS, &r), 0);
        r.rflags = ~0ul;
        if (k == 0)
            r.rip = noncanonical;
        else if (k == 1)
            r.fs_base = noncanonical;
        else
            r.gs_base = noncanonical;
        CHECK_EQ(seL4_TCB_WriteRegisters(h.tcb, false, 0, UC_WORDS, &r), 0);
        CHECK_EQ(seL4_TCB_SetTLSBase(h.tcb, k == 1 ? noncanonical : r.fs_base), 0);
        CHECK_EQ(seL4_TCB_ReadRegisters(h.tcb, false, 0, UC_WORDS, &r), 0);
        CHECK(r.rflags & 0x200);
        CHECK_EQ(r.rflags & 0x3000, 0);
        CHECK(r.rip < 0x0000800000000000ul && r.fs_base != noncanonical && r.gs_base != noncanonical);
        /* still waiting: another thread's Call wakes it on the fastpath */
        seL4_Word f0 = seL4_HypDebugFastpathCount();
        start_helper(env, &c, call_once, ep, 0, 0, 0);
        set_own_priority(99);
        seL4_Word badge = 0;
        seL4_MessageInfo_t info = api_nbrecv(fep, &badge, test_reply);
        set_own_priority(seL4_MaxPrio);
        CHECK(seL4_HypDebugFastpathCount() > f0);
        if (k == 0) {
            if (seL4_MessageInfo_get_label(info) == seL4_Fault_NullFault)
                info = api_recv(fep, &badge, test_reply);
            CHECK(seL4_MessageInfo_get_label(info) == seL4_Fault_VMFault);
        }
        CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
        destroy_helper(env, &c);
        destroy_helper(env, &h);
    }
}

/* With RFLAGS.DF set: exceptions (ud2, skipped by the handler) and timer
 * interrupts while spinning. */
static seL4_Word backwards_faults(seL4_Word rounds, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    for (seL4_Word i = 0; i < rounds; i++) {
        asm volatile("std\n ud2\n .byte 0x66, 0x90\n cld" ::: "memory", "cc");
        asm volatile("std" ::: "cc");
        for (volatile int spin = 0; spin < 20000; spin++)
            ;
        asm volatile("cld" ::: "cc");
    }
    return 1;
}

/* An interrupt gate leaves DF as user code set it, and the kernel's C
 * code (memset, memcpy as string instructions) assumes it clear: the
 * entry must clear it, or the kernel writes backwards over its stack. */
TEST(REGRESSIONS0006, "exceptions and interrupts taken with RFLAGS.DF set leave the kernel intact")
{
    enum { ROUNDS = 20 };
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    helper_t h;
    create_helper_with_fault_ep(env, &h, 100, fep);
    start_helper(env, &h, backwards_faults, ROUNDS, 0, 0, 0);
    for (int i = 0; i < ROUNDS; i++) {
        seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
        CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
        CHECK_EQ(seL4_GetMR(seL4_UserException_Number), 6);  /* #UD */
        CHECK(seL4_GetMR(seL4_UserException_FLAGS) & 0x400); /* DF, as the thread had it */
        seL4_SetMR(0, seL4_GetMR(seL4_UserException_FaultIP) + 4);
        api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, 1));
    }
    CHECK_EQ(wait_for_helper(env, &h), 1);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}
