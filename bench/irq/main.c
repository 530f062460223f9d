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
#include "../common/bench.h"

#define ITER 1000
#define WARMUP 20
#define N (ITER + WARMUP)
#define RTC_IRQ BENCH_RTC_IRQ

static seL4_Word fire[N], wake[N], result[N];

#define bi bench_bi
#define rdinstret bench_rdinstret
#define fail bench_fail
#define retype bench_retype
#define retype_from bench_retype_from


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
    seL4_CPtr h = bench_spawn(0, handler, NULL, 200, handler_vspace);
    seL4_CPtr f = bench_spawn(1, interrupted, NULL, 100, seL4_CapInitThreadVSpace);
    seL4_Wait(done, NULL);
    seL4_Wait(done, NULL);
    seL4_TCB_Suspend(h);
    seL4_TCB_Suspend(f);
    for (int i = 0; i < N; i++)
        result[i] = wake[i] - fire[i];
    bench_report(name, result, WARMUP, ITER);
}

int main(void)
{
    bench_init();
    rtc = bench_map_rtc();
    ntfn = retype(seL4_NotificationObject, 0);
    done = retype(seL4_NotificationObject, 0);
    irq = bench_slot();
    if (seL4_IRQControl_Get(seL4_CapIRQControl, RTC_IRQ, seL4_CapInitThreadCNode, irq, seL4_WordBits) ||
        seL4_IRQHandler_SetNotification(irq, ntfn))
        fail("IRQ handler setup");
    run(bench_second_vspace(), "irq_to_user_handler_wake");
    run(seL4_CapInitThreadVSpace, "irq_to_user_handler_wake_intra_as");
    return 0;
}
