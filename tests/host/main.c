#include <trace/trace.h>
#include "host.h"
#include <stdlib.h>
#include <string.h>
#include <object/structures.h>

int host_failures;
unsigned long host_kobj_base;
static int n_tests, n_failed;

#define ARENA_BITS 24
static unsigned char *arena;
static unsigned long arena_used;

void *arena_alloc(unsigned long bits)
{
    unsigned long size = 1ul << bits;
    arena_used = (arena_used + size - 1) & ~(size - 1);
    if (arena_used + size > (1ul << ARENA_BITS)) {
        printf("# arena exhausted\n");
        abort();
    }
    void *p = arena + arena_used;
    arena_used += size;
    memset(p, 0, size);
    return p;
}
unsigned long arena_oref(void *p) { return (unsigned long)p - host_kobj_base; }
void arena_reset(void) { arena_used = 4096; }

void host_test(const char *name, const char *desc, void (*fn)(void))
{
    int before = host_failures;
    arena_reset();
    fn();
    n_tests++;
    bool ok = host_failures == before;
    if (!ok)
        n_failed++;
    printf("%s %d %s %s\n", ok ? "ok" : "not ok", n_tests, name, desc);
}

/* Kernel hooks the derivation-tree code calls; the tests count them. */
int finalised_objects, finalised_threads;
void finalise_object(cap_t cap)
{
    (void)cap;
    finalised_objects++;
}
void finalise_thread_before_slots(tcb_t *tcb)
{
    (void)tcb;
    finalised_threads++;
}

/* A failed kernel assertion fails the whole run where it happened. */
void kassert_failed(const char *cond, const char *file, int line)
{
    printf("# kernel assertion failed: %s (%s:%d)\n", cond, file, line);
    abort();
}

/* What the scheduler calls outside itself; these tests never block threads in IPC. */
void cancel_ipc(tcb_t *t) { (void)t; }
void unbind_notification(tcb_t *t) { (void)t; }
/* The timer device: the scheduler's tick logic (kernel/src/nonmcs/timeslice.c,
 * linked for setup_reply_master) re-arms it; the host has none. */
void timer_reset(void) {}

/* Kernel tracing: no rings or hooks exist in these tests (the state the
 * derivation-tree and scheduler code test is all zero), so the calls it
 * guards never happen; a thread still gets its trace id. */
word_t trace_system_hook, trace_rings_in_use, trace_kernel_work;
cte_t trace_ring_slots[TRACE_RINGS][TRACE_SLOTS_PER_RING];
static uint32_t host_thread_ids;
uint32_t trace_new_thread_id(void) { return ++host_thread_ids; }
void trace_thread_gone(tcb_t *t) { (void)t; }
void trace_object_deleted(cap_t cap)
{
    (void)cap;
    abort();
}
void trace_slot_emptied(cte_t *slot)
{
    (void)slot;
    abort();
}
void trace_before_choose(void) { abort(); }
void trace_switch(const tcb_t *from, const tcb_t *to)
{
    (void)from, (void)to;
    abort();
}

void run_sched_tests(void);
void run_cspace_tests(void);
void run_mdb_tests(void);
void run_fdt_elf_tests(void);

int main(void)
{
    arena = aligned_alloc(1ul << ARENA_BITS, 1ul << ARENA_BITS);
    /* orefs must be nonzero and fit the kernel's 38-bit physical window */
    host_kobj_base = (unsigned long)arena - 0x80000000ul;
    printf("TAP version 13\n");
    run_cspace_tests();
    run_mdb_tests();
    run_fdt_elf_tests();
    run_sched_tests();
    printf("%d passed, %d failed\n", n_tests - n_failed, n_failed);
    free(arena);
    return n_failed != 0;
}
