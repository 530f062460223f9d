#include "bench.h"
#include <stdio.h>
#include <stdlib.h>

#define IMAGE_BASE 0x10000ul
#define THREADS 4

seL4_BootInfo *bench_bi;
static seL4_CPtr next_slot, memory;

void bench_fail(const char *what)
{
    printf("bench: %s failed\n", what);
    exit(1);
}

void bench_init(void)
{
    bench_bi = seL4_GetBootInfo();
    next_slot = bench_bi->empty.start;
    seL4_Word best = 0;
    for (seL4_Word i = 0; i < bench_bi->untyped.end - bench_bi->untyped.start; i++)
        if (!bench_bi->untypedList[i].isDevice && bench_bi->untypedList[i].sizeBits > best) {
            best = bench_bi->untypedList[i].sizeBits;
            memory = bench_bi->untyped.start + i;
        }
}

seL4_CPtr bench_slot(void) { return next_slot++; }

seL4_CPtr bench_retype_from(seL4_CPtr from, seL4_Word type, seL4_Word bits, int n)
{
    seL4_CPtr s = next_slot;
    next_slot += n;
    if (seL4_Untyped_Retype(from ? from : memory, type, bits, seL4_CapInitThreadCNode, 0, 0, s, n))
        bench_fail("retype");
    return s;
}

static seL4_IPCBuffer ipc_bufs[THREADS] __attribute__((aligned(4096)));
static char stacks[THREADS][8192] __attribute__((aligned(16)));
static char tls[THREADS][256] __attribute__((aligned(16)));
static hypos_thread_t threads[THREADS];
#ifdef CONFIG_KERNEL_MCS
seL4_CPtr bench_thread_sc[THREADS];
#endif

seL4_CPtr bench_spawn(int i, void (*fn)(void *), void *arg, seL4_Word prio, seL4_CPtr vspace)
{
    seL4_CPtr tcb = bench_retype(seL4_TCBObject, 0);
    seL4_CPtr frame = bench_bi->userImageFrames.start + (((seL4_Word)&ipc_bufs[i] & ~0xffful) - IMAGE_BASE) / 4096;
#ifdef CONFIG_KERNEL_MCS
    /* a round-robin SC of one second: no budget runs out while measuring */
    seL4_CPtr sc = bench_retype(seL4_SchedContextObject, seL4_MinSchedContextBits);
    if (seL4_SchedControl_Configure(bench_bi->schedcontrol.start, sc, 1000000, 1000000, 0, 0) ||
        seL4_TCB_Configure(tcb, seL4_CapInitThreadCNode, 0, vspace, 0, (seL4_Word)&ipc_bufs[i], frame) ||
        seL4_TCB_SetSchedParams(tcb, seL4_CapInitThreadTCB, prio, prio, sc, 0))
        bench_fail("thread setup");
    bench_thread_sc[i] = sc;
#else
    if (seL4_TCB_Configure(tcb, 0, seL4_CapInitThreadCNode, 0, vspace, 0, (seL4_Word)&ipc_bufs[i], frame) ||
        seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, prio))
        bench_fail("thread setup");
#endif
    threads[i] = (hypos_thread_t){fn, arg, &ipc_bufs[i]};
    if (hypos_thread_start(tcb, &threads[i], &stacks[i][8192], tls[i]))
        bench_fail("thread start");
    return tcb;
}

seL4_CPtr bench_second_vspace(void)
{
    seL4_CPtr vs = bench_retype(TEST_VSPACE_OBJECT, 0);
    if (test_asid_assign(seL4_CapInitThreadASIDPool, vs))
        bench_fail("ASID assign");
    for (seL4_CPtr f = bench_bi->userImageFrames.start; f < bench_bi->userImageFrames.end; f++) {
        seL4_Word va = IMAGE_BASE + (f - bench_bi->userImageFrames.start) * 4096;
        seL4_CPtr copy = bench_slot();
        seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, seL4_WordBits, seL4_CapInitThreadCNode, f, seL4_WordBits,
                        seL4_AllRights);
        /* add paging structures until the mapping finds its slot */
        while (test_page_map(copy, vs, va, seL4_ReadWrite) == seL4_FailedLookup) {
            seL4_Word type = test_paging_object_for(seL4_MappingFailedLookupLevel());
            if (test_paging_map(bench_retype(type, 0), type, vs, va))
                bench_fail("page table map");
        }
    }
    return vs;
}

static int cmp(const void *a, const void *b)
{
    seL4_Word x = *(const seL4_Word *)a, y = *(const seL4_Word *)b;
    return x < y ? -1 : x > y;
}

void bench_report(const char *name, seL4_Word *v, int warmup, int n)
{
    qsort(v + warmup, (size_t)n, sizeof(v[0]), cmp);
    printf("BENCH %s guest_instructions median=%lu min=%lu max=%lu n=%d\n", name, (unsigned long)v[warmup + n / 2],
           (unsigned long)v[warmup], (unsigned long)v[warmup + n - 1], n);
}

volatile uint32_t *bench_map_rtc(void)
{
    seL4_CPtr dev = 0;
    seL4_Word base = 0, bits = 0;
    for (seL4_Word i = 0; i < bench_bi->untyped.end - bench_bi->untyped.start; i++) {
        seL4_UntypedDesc *u = &bench_bi->untypedList[i];
        if (u->isDevice && u->paddr <= BENCH_RTC_PADDR && BENCH_RTC_PADDR < u->paddr + (1ul << u->sizeBits)) {
            dev = bench_bi->untyped.start + i;
            base = u->paddr;
            bits = u->sizeBits;
        }
    }
    if (!dev)
        bench_fail("finding the RTC's device untyped");
    while (bits > 12) {
        seL4_CPtr halves = bench_retype_from(dev, seL4_UntypedObject, --bits, 2);
        dev = BENCH_RTC_PADDR >= base + (1ul << bits) ? halves + 1 : halves;
        if (dev != halves)
            base += 1ul << bits;
    }
    seL4_CPtr frame = bench_retype_from(dev, TEST_FRAME_4K, 0, 1);
    int e, levels = 0;
    while ((e = test_page_map(frame, seL4_CapInitThreadVSpace, BENCH_RTC_VA, seL4_ReadWrite)) == seL4_FailedLookup &&
           levels++ < 4) {
        seL4_Word type = test_paging_object_for(seL4_MappingFailedLookupLevel());
        if (test_paging_map(bench_retype(type, 0), type, seL4_CapInitThreadVSpace, BENCH_RTC_VA))
            bench_fail("mapping the RTC");
    }
    if (e)
        bench_fail("mapping the RTC");
    volatile uint32_t *rtc = (volatile uint32_t *)BENCH_RTC_VA;
    rtc[0x14 / 4] = 1; /* CLEAR_ALARM */
    rtc[0x1c / 4] = 1; /* CLEAR_INTERRUPT */
    rtc[0x10 / 4] = 1; /* IRQ_ENABLED */
    return rtc;
}
