/* Build-time verification of eBPF objects given to the bpf PD against the
 * hook declarations in PD program images (see bpfcheck.c). */
#pragma once
#include "sdf.h"
#include <hypos/bpfhook.h>
#include <stddef.h>
#include <stdint.h>

/* Fails (file:line:column) on the first object that does not load or
 * program that the bpf PD would refuse. */
void check_bpf(const sdf_system_t *sys);

/* Shared with the trace hooks' check (tracecheck.c): the host allocator
 * the eBPF library is given, and a whole file read into malloc'd memory
 * (NULL if it cannot be read). */
extern const struct bpf_allocator bpfcheck_allocator;
uint8_t *bpfcheck_read_file(const char *path, size_t *len);
