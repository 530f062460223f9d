/* Build-time verification of eBPF objects given to the bpf PD against the
 * hook declarations in PD program images (see bpfcheck.c). */
#pragma once
#include "sdf.h"

/* Fails (file:line:column) on the first object that does not load or
 * program that the bpf PD would refuse. */
void check_bpf(const sdf_system_t *sys);
