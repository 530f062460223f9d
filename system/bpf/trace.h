/* The bpf PD's kernel trace part (trace.c). */
#pragma once
#include <hypos/bpftrace.h>

/* Declare a PD hook for every trace hook whose ring this PD consumes and
 * offer it the first program (SEC("trace/<hook>")) of `objects` the
 * verifier accepts; arena serves verification and the JIT. */
void trace_init(struct bpf_object *const *objects, int n_objects, const struct bpf_env *env,
                const struct bpf_allocator *alloc, struct bpf_arena *arena);

/* Run the programs on every unread record of every ring. */
void trace_drain(void);

/* The region of the trace hook named name, when this PD runs its
 * programs: its index, or -1. */
int trace_hook_find(const char *name, void **region, uint64_t *size);

/* Take what was just offered on trace hook i (a program or a detach)
 * over now, between two records; returns the guest instructions it took
 * (0 where user mode cannot read the counter). */
uint64_t trace_take_over(int i);
