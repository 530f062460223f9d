/* FAULT0090: faults of every kind from four threads at once, handled by
 * two handler threads that answer at random: skip the faulting
 * instruction (through the reply registers, or WriteRegisters), answer
 * with a non-zero label (the thread stays stopped), answer with garbage in
 * the argument registers, or not answer at all. Between bursts the root
 * deletes and recreates the fault endpoint, restarts, suspends and
 * reprioritises threads. The kernel's invariants must hold after every
 * round and all memory must come back. */
#include "framework.h"
#include <string.h>

#define FAULTERS 4
#define HANDLERS 2
#define ROUNDS 200
#define BURST 20


typedef struct faulter {
    uint64_t rng;
    seL4_CPtr go;
    volatile seL4_Word iterations;
} faulter_t;

static faulter_t faulters[FAULTERS];
static seL4_CPtr faulter_tcb[FAULTERS];
static volatile seL4_Word handled[8], unanswered;

/* Kinds of fault (test_storm_fault): 0 load from an unmapped address (VM
 * fault), 1 store to one, 2 unknown system call, 3 illegal instruction,
 * 4 a CPtr that does not resolve (cap fault), 5 a user exception with a
 * cause of its own; 6 yields instead. */
static void one_fault(uint64_t *x)
{
    seL4_Word addr = 0x40000000ul + (test_rnd(x) % 0x1000) * 8;
    int kind = (int)(test_rnd(x) % 7);
    if (kind < 6)
        test_storm_fault(kind, addr);
    else
        seL4_Yield();
}

static seL4_Word faulter_fn(seL4_Word index, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    faulter_t *f = &faulters[index];
    for (;;) {
        seL4_Wait(f->go, NULL);
        for (int i = 0; i < BURST; i++) {
            one_fault(&f->rng);
            f->iterations++;
        }
    }
    return 0;
}

/* Resume the faulter after its faulting instruction by rewriting its pc. */
static void skip_by_registers(seL4_Word badge)
{
    if (badge < 1 || badge > FAULTERS)
        return;
    seL4_UserContext uc;
    if (seL4_TCB_ReadRegisters(faulter_tcb[badge - 1], false, 0, sizeof uc / sizeof(seL4_Word), &uc) == 0) {
        uc.UC_PC += TEST_STORM_FAULT_BYTES;
        seL4_TCB_WriteRegisters(faulter_tcb[badge - 1], false, 0, sizeof uc / sizeof(seL4_Word), &uc);
    }
}

static seL4_Word handler_fn(seL4_Word fault_ep, seL4_Word seed, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    uint64_t x = seed | 1;
    seL4_Word badge;
    for (;;) {
        seL4_MessageInfo_t info = api_recv(fault_ep, &badge, test_reply);
        seL4_Word label = seL4_MessageInfo_get_label(info), len = seL4_MessageInfo_get_length(info);
        handled[label < 8 ? label : 0]++;
        seL4_Word mr[seL4_UnknownSyscall_Length];
        for (seL4_Word i = 0; i < len && i < seL4_UnknownSyscall_Length; i++)
            mr[i] = seL4_GetMR((int)i);
        seL4_Word choice = test_rnd(&x) % 20;
        if (choice == 0) {
            unanswered++; /* the next Recv drops the reply cap */
            continue;
        }
        seL4_Word reply_label = choice == 1 ? 1 + test_rnd(&x) % 5 : 0; /* non-zero: the thread stays stopped */
        seL4_Word reply_len = 0;
        if (label == seL4_Fault_UnknownSyscall || label == seL4_Fault_UserException) {
            /* the reply's MRs become the registers: pc past the instruction */
            reply_len = label == seL4_Fault_UnknownSyscall ? seL4_UnknownSyscall_Syscall : seL4_UserException_Number;
            mr[label == seL4_Fault_UnknownSyscall ? seL4_UnknownSyscall_FaultIP : seL4_UserException_FaultIP] +=
                TEST_STORM_FAULT_BYTES;
            if (label == seL4_Fault_UnknownSyscall && choice == 2)
                for (int i = 0; i < seL4_UnknownSyscall_Syscall; i++)
                    if (test_syscall_mr_is_scratch(i))
                        mr[i] = test_rnd(&x);
            if (choice == 3)
                reply_len = test_rnd(&x) % (reply_len + 1); /* a short reply writes fewer registers */
            for (seL4_Word i = 0; i < reply_len; i++)
                seL4_SetMR((int)i, mr[i]);
        } else {
            skip_by_registers(badge);
        }
        api_reply(test_reply, seL4_MessageInfo_new(reply_label, 0, 0, reply_len));
    }
    return 0;
}

static uint64_t root_x;

static void fault_storm(env_t *env, uint64_t seed)
{
    helper_t f[FAULTERS], hd[HANDLERS];
    root_x = seed | 1;
    memset((void *)handled, 0, sizeof handled);
    unanswered = 0;
    seL4_CPtr fep = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_EndpointObject, 0, ROOT, 0, 0, fep, 1), 0);
    seL4_CPtr badged[FAULTERS], gos[FAULTERS];
    for (int i = 0; i < FAULTERS; i++) {
        badged[i] = alloc_slot(env);
        CHECK_EQ(seL4_CNode_Mint(ROOT, badged[i], WB, ROOT, fep, WB, seL4_AllRights, i + 1), 0);
        gos[i] = make_object(env, seL4_NotificationObject, 0);
        faulters[i] = (faulter_t){.rng = (seed ^ 0x510e527fade682d1ull) * (i + 3) | 1, .go = gos[i]};
        create_helper_with_fault_ep(env, &f[i], 100, badged[i]);
        faulter_tcb[i] = f[i].tcb;
    }
    for (int i = 0; i < HANDLERS; i++) {
        create_helper(env, &hd[i], 101);
        start_helper(env, &hd[i], handler_fn, fep, (seed ^ 0x9b05688c2b3e6c1full) * (i + 1), 0, 0);
    }
    for (int i = 0; i < FAULTERS; i++)
        start_helper(env, &f[i], faulter_fn, i, 0, 0, 0);

    for (int round = 0; round < ROUNDS && env->failures == 0; round++) {
        for (int i = 0; i < FAULTERS; i++) {
            seL4_Signal(gos[i]);
            seL4_TCB_Resume(f[i].tcb); /* stopped by a non-zero reply or left without one */
        }
        for (int i = 0; i < HANDLERS; i++)
            seL4_TCB_Resume(hd[i].tcb);
        set_own_priority(50); /* everyone runs until all wait */
        set_own_priority(seL4_MaxPrio);
        CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
        switch (test_rnd(&root_x) % 6) {
        case 0: /* a new fault endpoint in the same slot, with new badged caps */
            CHECK_EQ(seL4_CNode_Revoke(ROOT, fep, WB), 0);
            CHECK_EQ(seL4_CNode_Delete(ROOT, fep, WB), 0);
            CHECK_EQ(seL4_Untyped_Retype(env->ut, seL4_EndpointObject, 0, ROOT, 0, 0, fep, 1), 0);
            for (int i = 0; i < FAULTERS; i++) {
                CHECK_EQ(seL4_CNode_Mint(ROOT, badged[i], WB, ROOT, fep, WB, seL4_AllRights, i + 1), 0);
                /* MCS threads hold copies of their handler caps, which the
                 * revoke deleted: they are given the new ones */
                if (TEST_MCS)
                    CHECK_EQ(api_tcb_set_space(f[i].tcb, badged[i], ROOT, 0, seL4_CapInitThreadVSpace, 0), 0);
            }
            break;
        case 1:
            seL4_TCB_Suspend(f[test_rnd(&root_x) % FAULTERS].tcb);
            break;
        case 2:
            seL4_TCB_Suspend(hd[test_rnd(&root_x) % HANDLERS].tcb);
            break;
        case 3:
            seL4_TCB_SetPriority(f[test_rnd(&root_x) % FAULTERS].tcb, seL4_CapInitThreadTCB,
                                 99 + test_rnd(&root_x) % 4);
            break;
        default:
            break;
        }
    }
    seL4_Word iterations = 0, faults = 0;
    for (int i = 0; i < FAULTERS; i++) {
        seL4_TCB_Suspend(f[i].tcb);
        iterations += faulters[i].iterations;
    }
    for (int i = 0; i < HANDLERS; i++)
        seL4_TCB_Suspend(hd[i].tcb);
    for (int i = 0; i < 8; i++)
        faults += handled[i];
    printf("#   %lu faulting instructions completed, %lu faults handled (VM %lu, unknown syscall %lu, "
           "user exception %lu, cap %lu), %lu left unanswered\n",
           (unsigned long)iterations, (unsigned long)faults, (unsigned long)handled[seL4_Fault_VMFault],
           (unsigned long)handled[seL4_Fault_UnknownSyscall], (unsigned long)handled[seL4_Fault_UserException],
           (unsigned long)handled[seL4_Fault_CapFault], (unsigned long)unanswered);
    CHECK(iterations > ROUNDS);
    CHECK(handled[seL4_Fault_VMFault] > 0 && handled[seL4_Fault_UnknownSyscall] > 0);
    CHECK(handled[seL4_Fault_UserException] > 0 && handled[seL4_Fault_CapFault] > 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
    for (int i = 0; i < FAULTERS; i++)
        destroy_helper(env, &f[i]);
    for (int i = 0; i < HANDLERS; i++)
        destroy_helper(env, &hd[i]);
    check_untyped_recovers(env);
}

TEST(FAULT0090, "four threads faulting in every way, two handlers answering at random: invariants hold")
{
    run_storms(env, 0xbb67ae8584caa73bull, fault_storm);
}
