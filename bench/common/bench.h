/* Scaffolding shared by the kernel benchmarks (root tasks): the largest RAM
 * untyped as memory, helper threads in the root task's image, a second
 * address space holding the same image, and the BENCH line format. */
#pragma once
#include <sel4/sel4.h>
#include <stdint.h>
#include <hypos/thread.h>
/* the counter and timed traps of the architecture (bench/common/arch/) */
#include <bench_arch.h>
/* object types and paging calls, shared with the conformance suite */
#include <test_arch.h>

extern seL4_BootInfo *bench_bi;

void bench_init(void);
/* Exit with a message; benchmarks have no way to recover. */
void bench_fail(const char *what) __attribute__((noreturn));
/* n objects from the untyped `from` (or the benchmark memory when 0), in fresh slots. */
seL4_CPtr bench_retype_from(seL4_CPtr from, seL4_Word type, seL4_Word bits, int n);
static inline seL4_CPtr bench_retype(seL4_Word type, seL4_Word bits) { return bench_retype_from(0, type, bits, 1); }
/* A fresh empty slot. */
seL4_CPtr bench_slot(void);
/* Start thread `i` (0..3) running fn(arg) at prio in vspace; returns its
 * TCB. With MCS it runs on a round-robin SC of its own (1 s). */
seL4_CPtr bench_spawn(int i, void (*fn)(void *), void *arg, seL4_Word prio, seL4_CPtr vspace);
#ifdef CONFIG_KERNEL_MCS
/* the SC of thread i */
extern seL4_CPtr bench_thread_sc[];
#endif
/* A new address space with the image mapped at the same addresses. */
seL4_CPtr bench_second_vspace(void);
/* QEMU virt's goldfish RTC: its page mapped at BENCH_RTC_VA (carved out of
 * the device untyped that holds it), alarm and interrupt cleared, the
 * interrupt enabled. Its alarm fires IRQ BENCH_RTC_IRQ. */
#define BENCH_RTC_PADDR 0x101000ul
#define BENCH_RTC_IRQ 11
#define BENCH_RTC_VA 0x30000000ul
volatile uint32_t *bench_map_rtc(void);
/* Sort v[warmup .. warmup+n) and print its median, min and max. */
void bench_report(const char *name, seL4_Word *v, int warmup, int n);
