/* The storms of the CNODEOP, RETYPE, TCB and VSPACE groups (storm_helpers.c):
 * thousands of random invocations in a sandbox window of the root CNode,
 * each checked to end in an seL4 error code or success, with the kernel's
 * invariants checked as they go and all memory recovered at the end. Each
 * is run through run_storms (framework.h), which gives every seed a fresh
 * test untyped and slot window. */
#pragma once
#include "framework.h"

/* Mostly CNode invocations, one call in four an Untyped_Retype. */
void cnode_storm(env_t *env, uint64_t seed);
/* Mostly Untyped_Retype, one call in four a CNode invocation. */
void retype_storm(env_t *env, uint64_t seed);
/* Every other object type: TCBs, paging structures, frames, ASID pool and
 * control, IRQ control and handlers, domain; sandbox threads are resumed
 * and left to fault. */
void object_storm(env_t *env, uint64_t seed);
