/* Interrupt to user-level handler wake-up (a root task). Under QEMU with
 * -icount shift=0, instret counts retired guest instructions exactly.
 *
 * The interrupt is raised by a user store: writing an alarm time in the
 * past to QEMU virt's goldfish RTC (ALARM_LOW) raises its line during the
 * store, and with -icount QEMU ends the translation block at an MMIO
 * access and takes the interrupt before the next instruction. So the
 * figure is the number of instructions from the interrupted thread's
 * counter read just before that store to the handler thread's read just
 * after its seL4_Wait returns: the store, the trap, the PLIC claim, the
 * signal, the switch to the handler (higher priority) and the return to
 * user mode. The interrupted thread then clears the device and Acks.
 * Like seL4's irquser benchmark, the handler runs in another address space
 * than the interrupted thread ("inter"); "intra" shares it.
 * Prints: BENCH <name> guest_instructions median= min= max= n= */
#include <sel4/sel4.h>
#include <stdio.h>
#include <stdlib.h>
#include "../../libs/runtime/thread.h"

#define ITER 1000
#define WARMUP 20
#define N (ITER + WARMUP)
#define IMAGE_BASE 0x10000ul
#define RTC_PADDR 0x101000ul
#define RTC_IRQ 11
#define RTC_VA 0x30000000ul

static seL4_BootInfo *bi;
static seL4_CPtr next_slot, ut;
static seL4_Word fire[N], wake[N], result[N];

static inline seL4_Word rdinstret(void)
{
    seL4_Word v;
    asm volatile("rdinstret %0" : "=r"(v)::"memory");
    return v;
}

static int cmp(const void *a, const void *b)
{
    seL4_Word x = *(const seL4_Word *)a, y = *(const seL4_Word *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *name, seL4_Word *v)
{
    qsort(v + WARMUP, ITER, sizeof(v[0]), cmp);
    printf("BENCH %s guest_instructions median=%lu min=%lu max=%lu n=%d\n", name, (unsigned long)v[WARMUP + ITER / 2],
           (unsigned long)v[WARMUP], (unsigned long)v[WARMUP + ITER - 1], ITER);
}

static void fail(const char *what)
{
    printf("irq bench: %s failed\n", what);
    exit(1);
}

static seL4_CPtr retype_from(seL4_CPtr from, seL4_Word type, seL4_Word bits, int n)
{
    seL4_CPtr s = next_slot;
    next_slot += n;
    if (seL4_Untyped_Retype(from, type, bits, seL4_CapInitThreadCNode, 0, 0, s, n))
        fail("retype");
    return s;
}
static seL4_CPtr retype(seL4_Word type, seL4_Word bits) { return retype_from(ut, type, bits, 1); }

static seL4_IPCBuffer ipc_bufs[2] __attribute__((aligned(4096)));
static char stacks[2][8192] __attribute__((aligned(16)));
static char tls[2][256] __attribute__((aligned(16)));
static hypos_thread_t threads[2];

static seL4_CPtr spawn_in(int i, void (*fn)(void *), seL4_Word prio, seL4_CPtr vspace)
{
    seL4_CPtr tcb = retype(seL4_TCBObject, 0);
    seL4_CPtr frame = bi->userImageFrames.start + (((seL4_Word)&ipc_bufs[i] & ~0xffful) - IMAGE_BASE) / 4096;
    if (seL4_TCB_Configure(tcb, 0, seL4_CapInitThreadCNode, 0, vspace, 0, (seL4_Word)&ipc_bufs[i], frame) ||
        seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, prio))
        fail("thread setup");
    threads[i] = (hypos_thread_t){fn, NULL, &ipc_bufs[i]};
    hypos_thread_start(tcb, &threads[i], &stacks[i][8192], tls[i]);
    return tcb;
}

/* The image again, in an address space of its own (no RTC mapping). */
static seL4_CPtr second_vspace(void)
{
    seL4_CPtr vs = retype(seL4_RISCV_PageTableObject, 0);
    if (seL4_RISCV_ASIDPool_Assign(seL4_CapInitThreadASIDPool, vs))
        fail("ASID assign");
    for (seL4_CPtr f = bi->userImageFrames.start; f < bi->userImageFrames.end; f++) {
        seL4_Word va = IMAGE_BASE + (f - bi->userImageFrames.start) * 4096;
        seL4_CPtr copy = next_slot++;
        seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, seL4_WordBits, seL4_CapInitThreadCNode, f, seL4_WordBits,
                        seL4_AllRights);
        while (seL4_RISCV_Page_Map(copy, vs, va, seL4_ReadWrite, seL4_RISCV_Default_VMAttributes) ==
               seL4_FailedLookup) {
            seL4_CPtr pt = retype(seL4_RISCV_PageTableObject, 0);
            if (seL4_RISCV_PageTable_Map(pt, vs, va, seL4_RISCV_Default_VMAttributes))
                fail("page table map");
        }
    }
    return vs;
}

/* The RTC's page, carved out of the device untyped that holds it. */
static volatile uint32_t *map_rtc(void)
{
    seL4_CPtr dev = 0;
    seL4_Word base = 0, bits = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        seL4_UntypedDesc *u = &bi->untypedList[i];
        if (u->isDevice && u->paddr <= RTC_PADDR && RTC_PADDR < u->paddr + (1ul << u->sizeBits)) {
            dev = bi->untyped.start + i;
            base = u->paddr;
            bits = u->sizeBits;
        }
    }
    if (!dev)
        fail("finding the RTC's device untyped");
    while (bits > 12) {
        seL4_CPtr halves = retype_from(dev, seL4_UntypedObject, --bits, 2);
        dev = RTC_PADDR >= base + (1ul << bits) ? halves + 1 : halves;
        if (dev != halves)
            base += 1ul << bits;
    }
    seL4_CPtr frame = retype_from(dev, seL4_RISCV_4K_Page, 0, 1);
    seL4_CPtr pt = retype(seL4_RISCV_PageTableObject, 0);
    if (seL4_RISCV_PageTable_Map(pt, seL4_CapInitThreadVSpace, RTC_VA, seL4_RISCV_Default_VMAttributes) ||
        seL4_RISCV_Page_Map(frame, seL4_CapInitThreadVSpace, RTC_VA, seL4_ReadWrite, seL4_RISCV_ExecuteNever))
        fail("mapping the RTC");
    volatile uint32_t *rtc = (volatile uint32_t *)RTC_VA;
    rtc[0x14 / 4] = 1; /* CLEAR_ALARM */
    rtc[0x1c / 4] = 1; /* CLEAR_INTERRUPT */
    rtc[0x10 / 4] = 1; /* IRQ_ENABLED */
    return rtc;
}

static volatile uint32_t *rtc;
static seL4_CPtr irq, ntfn, done;

static void handler(void *arg)
{
    (void)arg;
    for (int i = 0; i < N; i++) {
        seL4_Wait(ntfn, NULL);
        wake[i] = rdinstret();
    }
    seL4_Signal(done);
    seL4_Wait(done, NULL);
}

static void interrupted(void *arg)
{
    (void)arg;
    rtc[0x0c / 4] = 0; /* ALARM_HIGH: the alarm time is 1 ns after the epoch */
    for (int i = 0; i < N; i++) {
        seL4_Word t;
        /* ALARM_LOW (offset 8) arms the alarm; it is long past, so the
         * line rises during this store */
        asm volatile("rdinstret %0\n\tsw %2, 8(%1)" : "=&r"(t) : "r"(rtc), "r"(1) : "memory");
        fire[i] = t;
        rtc[0x1c / 4] = 1; /* CLEAR_INTERRUPT */
        if (seL4_IRQHandler_Ack(irq))
            fail("Ack");
    }
    seL4_Signal(done);
    seL4_Wait(done, NULL);
}

static void run(seL4_CPtr handler_vspace, const char *name)
{
    seL4_CPtr h = spawn_in(0, handler, 200, handler_vspace);
    seL4_CPtr f = spawn_in(1, interrupted, 100, seL4_CapInitThreadVSpace);
    seL4_Wait(done, NULL);
    seL4_Wait(done, NULL);
    seL4_TCB_Suspend(h);
    seL4_TCB_Suspend(f);
    for (int i = 0; i < N; i++)
        result[i] = wake[i] - fire[i];
    report(name, result);
}

int main(void)
{
    bi = seL4_GetBootInfo();
    next_slot = bi->empty.start;
    for (seL4_Word i = 0, best = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        seL4_UntypedDesc *u = &bi->untypedList[i];
        if (!u->isDevice && u->sizeBits > best) {
            best = u->sizeBits;
            ut = bi->untyped.start + i;
        }
    }
    rtc = map_rtc();
    ntfn = retype(seL4_NotificationObject, 0);
    done = retype(seL4_NotificationObject, 0);
    irq = next_slot++;
    if (seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, seL4_CapInitThreadCNode, irq, seL4_WordBits) ||
        seL4_IRQHandler_SetNotification(irq, ntfn))
        fail("IRQ handler setup");
    run(second_vspace(), "irq_to_user_handler_wake");
    run(seL4_CapInitThreadVSpace, "irq_to_user_handler_wake_intra_as");
    return 0;
}
