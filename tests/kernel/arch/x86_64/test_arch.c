/* x86_64 parts of the conformance suite that need the test framework. */
#include "../../framework.h"
#include "../../irq_test.h"
#include <string.h>

/* One entry of a multiboot memory map (Multiboot Specification 0.6.96
 * §3.3): its size field counts the bytes after itself. */
typedef struct __attribute__((packed)) mmap_entry {
    uint32_t size;
    uint64_t base, length;
    uint32_t type; /* 1: available RAM */
} mmap_entry_t;

/* The extra boot info chunk is the loader's memory map: well-formed, and
 * every RAM untyped lies in a region it calls available. */
void test_arch_check_extra_bootinfo(env_t *env, const unsigned char *data, seL4_Word len)
{
    seL4_Word available = 0, entries = 0;
    for (seL4_Word off = 0; off < len;) {
        mmap_entry_t e;
        CHECK(off + sizeof e <= len);
        if (off + sizeof e > len)
            return;
        memcpy(&e, data + off, sizeof e);
        CHECK(e.size >= sizeof e - sizeof e.size);
        if (e.size < sizeof e - sizeof e.size)
            return;
        if (e.type == 1)
            available += e.length;
        entries++;
        off += e.size + sizeof e.size;
    }
    CHECK(entries >= 2);
    CHECK(available >= 64ul << 20);
    seL4_BootInfo *bi = env->bi;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *u = &bi->untypedList[i];
        if (u->isDevice)
            continue;
        bool inside = false;
        for (seL4_Word off = 0; off + sizeof(mmap_entry_t) <= len;) {
            mmap_entry_t e;
            memcpy(&e, data + off, sizeof e);
            if (e.type == 1 && u->paddr >= e.base && u->paddr + (1ul << u->sizeBits) <= e.base + e.length)
                inside = true;
            off += e.size + sizeof e.size;
        }
        CHECK(inside);
    }
}

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
    seL4_MessageInfo_t info = seL4_Recv(fep, NULL);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
    CHECK_EQ(seL4_MessageInfo_get_length(info), seL4_UserException_Length);
    CHECK_EQ(seL4_GetMR(seL4_UserException_Number), 13); /* #GP (SDM Vol. 3A §6.15) */
    CHECK_EQ(seL4_GetMR(seL4_UserException_Code), 0);
    CHECK(seL4_GetMR(seL4_UserException_FLAGS) & 0x200); /* IF: user code runs with interrupts on */
}

/* ---- seL4's x86 IRQControl methods ---- */

TEST(IRQ0006, "IRQControl_GetIOAPIC and GetMSI check their arguments and the input, and issue handlers")
{
    seL4_CPtr a = alloc_slot(env), b = alloc_slot(env);
    /* one I/O APIC with 24 inputs; level and polarity are bits */
    CHECK_EQ(seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, ROOT, a, WB, 1, 3, 0, 0, 5), seL4_RangeError);
    CHECK_EQ(seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, ROOT, a, WB, 0, 24, 0, 0, 5), seL4_RangeError);
    CHECK_EQ(seL4_GetMR(1), 23);
    CHECK_EQ(seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, ROOT, a, WB, 0, 3, 2, 0, 5), seL4_RangeError);
    /* the IRQ number (vector) is checked like Get's */
    CHECK_EQ(seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, ROOT, a, WB, 0, 3, 0, 0, 0), seL4_RangeError);
    CHECK_EQ(seL4_GetMR(0), 1);
    CHECK_EQ(seL4_DebugCapIdentify(a), 0);
    CHECK_EQ(seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, ROOT, a, WB, 0, 3, 0, 0, 5), 0);
    CHECK_EQ(seL4_DebugCapIdentify(a), seL4_CapTag_IRQHandler);
    /* the input is taken, under any IRQ number, and so is IRQ 5 */
    CHECK_EQ(seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, ROOT, b, WB, 0, 3, 0, 0, 6), seL4_RevokeFirst);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, 3, ROOT, b, WB), seL4_RevokeFirst);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, 5, ROOT, b, WB), seL4_RevokeFirst);
    /* deleting the handler frees both */
    CHECK_EQ(seL4_CNode_Delete(ROOT, a, WB), 0);
    CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, 3, ROOT, a, WB), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, a, WB), 0);
    /* MSI: PCI bus, device and function in range; nothing to route */
    CHECK_EQ(seL4_IRQControl_GetMSI(seL4_CapIRQControl, ROOT, b, WB, 0, 32, 0, 0, 7), seL4_RangeError);
    CHECK_EQ(seL4_IRQControl_GetMSI(seL4_CapIRQControl, ROOT, b, WB, 0, 3, 8, 0, 7), seL4_RangeError);
    CHECK_EQ(seL4_IRQControl_GetMSI(seL4_CapIRQControl, ROOT, b, WB, 0, 3, 0, 0, 7), 0);
    CHECK_EQ(seL4_DebugCapIdentify(b), seL4_CapTag_IRQHandler);
    CHECK_EQ(seL4_IRQControl_GetMSI(seL4_CapIRQControl, ROOT, a, WB, 0, 4, 0, 0, 7), seL4_RevokeFirst);
    /* too short for the seven arguments */
    seL4_Word args[6] = {a, WB, 0, 3, 0, 0};
    seL4_SetCap(0, ROOT);
    CHECK_EQ(seL4_hyp_invoke(seL4_CapIRQControl, X86IRQIssueIRQHandlerIOAPIC, 1, 6, args, NULL), seL4_TruncatedMessage);
}

TEST(IRQ0020, "GetIOAPIC level-triggered: the line stays masked until Ack and is delivered again while raised")
{
    volatile uint32_t *hpet = rtc_map(env);
    if (!hpet)
        return;
    /* the HPET's input, level-triggered and active high, as IRQ 9 */
    seL4_CPtr irq = alloc_slot(env);
    CHECK_EQ(seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, ROOT, irq, WB, 0, RTC_IRQ, 1, 0, 9), 0);
    seL4_CPtr ntfn = make_object(env, seL4_NotificationObject, 0), badged = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, badged, WB, ROOT, ntfn, WB, seL4_AllRights, 0x9), 0);
    CHECK_EQ(seL4_IRQHandler_SetNotification(irq, badged), 0);
    rtc_fire_now(hpet);
    CHECK_EQ(bounded_wait(env, ntfn, 2000), 0x9);
    /* the line is still up but masked: nothing more until Ack */
    CHECK_EQ(bounded_wait(env, ntfn, 50), WATCHDOG_BADGE);
    CHECK_EQ(seL4_IRQHandler_Ack(irq), 0);
    CHECK_EQ(bounded_wait(env, ntfn, 2000), 0x9);
    /* lowered, then acknowledged: quiet */
    rtc_clear(hpet);
    CHECK_EQ(seL4_IRQHandler_Ack(irq), 0);
    CHECK_EQ(bounded_wait(env, ntfn, 50), WATCHDOG_BADGE);
}

/* ---- what the kernel refuses to return to ---- */

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
        seL4_MessageInfo_t info = seL4_NBRecv(fep, &badge);
        set_own_priority(seL4_MaxPrio);
        if (k <= 1) {
            /* a RIP of 0 or a stack that cannot be used: a fault message */
            if (seL4_MessageInfo_get_label(info) == seL4_Fault_NullFault)
                info = seL4_Recv(fep, &badge);
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
    seL4_Recv(ep, NULL);
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
        seL4_MessageInfo_t info = seL4_NBRecv(fep, &badge);
        set_own_priority(seL4_MaxPrio);
        CHECK(seL4_HypDebugFastpathCount() > f0);
        if (k == 0) {
            if (seL4_MessageInfo_get_label(info) == seL4_Fault_NullFault)
                info = seL4_Recv(fep, &badge);
            CHECK(seL4_MessageInfo_get_label(info) == seL4_Fault_VMFault);
        }
        CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
        destroy_helper(env, &c);
        destroy_helper(env, &h);
    }
}
