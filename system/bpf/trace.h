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
