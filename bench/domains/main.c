/* The cost of a domain switch (a root task; the kernel is built with two
 * domains, make DOMAIN_SCHEDULE=0:1,1:1). Under QEMU with -icount shift=0
 * instret counts retired guest instructions exactly.
 *
 * Two threads spin reading the counter, each leaving its last read in
 * last_read[me]. When one finds that the other ran last (owner), the
 * difference between its next read and the other's last one is the
 * switch: the timer interrupt, the tick, the scheduling decision and the
 * return to the other thread (plus a few instructions of the loop). A
 * thread marks itself the owner only after its first read since it was
 * switched to, so the other's last read always predates the switch.
 * Measured twice:
 *   timeslice_switch: both threads in domain 0, which has the CPU alone;
 *     the tick that ends a thread's timeslice hands the CPU to the other.
 *   domain_switch: one thread in domain 0, one in domain 1, slots of one
 *     tick each; the tick that ends a slot hands the CPU to the other.
 * The difference between the two is what the domain scheduler adds.
 * Prints: BENCH <name> guest_instructions median= min= max= n= */
#include <sel4/sel4.h>
#include <stdio.h>
#include "../common/bench.h"

#define WARMUP 4
#define N 60

static volatile seL4_Word last_read[2];
static volatile int owner = -1, taken, want;
static seL4_Word samples[WARMUP + N];
static seL4_CPtr done;

static void switcher(void *arg)
{
    int me = (int)(seL4_Word)arg, other = 1 - me;
    for (;;) {
        if (owner != me) {
            seL4_Word now = bench_rdinstret();
            last_read[me] = now;
            if (owner == other && taken < want)
                samples[taken++] = now - last_read[other];
            owner = me;
            if (taken == want)
                seL4_Signal(done);
        }
        last_read[me] = bench_rdinstret();
    }
}

static void configure(seL4_Word index, seL4_Word domain, seL4_Word ticks)
{
    if (seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, index, (seL4_Uint8)domain, ticks))
        bench_fail("ScheduleConfigure");
}

/* Two spinning threads in domains d0 and d1 (at one priority) until N
 * switches after the warm-up were seen. */
static void measure(const char *name, seL4_Word d0, seL4_Word d1)
{
    owner = -1;
    taken = 0;
    want = WARMUP + N;
    seL4_CPtr a = bench_spawn(0, switcher, (void *)0, 100, seL4_CapInitThreadVSpace);
    seL4_CPtr b = bench_spawn(1, switcher, (void *)1, 100, seL4_CapInitThreadVSpace);
    if (seL4_DomainSet_Set(seL4_CapDomain, (seL4_Uint8)d0, a) || seL4_DomainSet_Set(seL4_CapDomain, (seL4_Uint8)d1, b))
        bench_fail("DomainSet_Set");
    seL4_Wait(done, NULL);
    seL4_TCB_Suspend(a);
    seL4_TCB_Suspend(b);
    bench_report(name, samples, WARMUP, N);
}

int main(void)
{
    bench_init();
    if (seL4_NumDomains < 2)
        bench_fail("this benchmark needs a kernel with two domains");
    done = bench_retype(seL4_NotificationObject, 0);
    /* domain 0 alone: the switches are ends of timeslices */
    configure(1, 0, 0);
    configure(0, 0, 100000);
    if (seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, 0))
        bench_fail("ScheduleSetStart");
    measure("timeslice_switch", 0, 0);
    /* one tick each for domains 0 and 1: the switches are ends of slots */
    configure(2, 0, 0);
    configure(1, 1, 1);
    configure(0, 0, 1);
    if (seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, 0))
        bench_fail("ScheduleSetStart");
    measure("domain_switch", 0, 1);
    return 0;
}
