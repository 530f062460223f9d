/* Kernel trace rings and hooks declared in a .system file (hypOS
 * elements <hypos:trace_ring> and <hypos:trace_hook>, docs/bpf-system.md):
 * checked after the rest of the system, laid out as the specification's
 * trace tables, written into the PDs that read them. */
#pragma once
#include "layout.h"
#include "sdf.h"
#include <stdio.h>

/* The hook library's rule for hook names (bpfhook_declare), which trace
 * rings and hooks and PD hooks share: 1 to 31 letters, digits, '_', '-'. */
bool hook_name_ok(const char *s);

/* Resolves names and checks every rule (file:line:column errors), then
 * writes hypos_trace_config into the PDs that define it. After sdf_check. */
void trace_check(sdf_system_t *sys);

/* Verifies the programs written for trace hooks (SEC("trace/<hook>")) in
 * the objects handed to each ring's consumer, as the bpf PD will at boot. */
void trace_check_programs(const sdf_system_t *sys);

struct bpftrace_config;
/* What PD p finds in its hypos_trace_config (after trace_check). */
void trace_pd_config(const sdf_system_t *sys, int p, struct bpftrace_config *c);

/* The objects of one PD the hooks may name. */
typedef struct trace_pd_objects {
    uint32_t tcb, endpoint, notification;
} trace_pd_objects_t;

/* Adds the rings and hooks to the builder (badged notifications in extra
 * slots) and reports them. mr_first[i]: the first frame of region i. */
void trace_layout(const sdf_system_t *sys, spec_builder_t *b, const trace_pd_objects_t *pds, const uint32_t *mr_first,
                  FILE *report);

/* Bytes of the trace tables, and writing them at `out` with object
 * indices renumbered by newidx (spec_serialise's placement order). */
uint64_t trace_tables_size(uint32_t *n_rings, uint32_t *n_hooks);
void trace_tables_write(uint8_t *rings_out, uint8_t *hooks_out, const uint32_t *newidx);
