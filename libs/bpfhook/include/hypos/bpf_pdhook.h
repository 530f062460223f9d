/* For eBPF programs of PD hooks (compiled with clang -target bpf, after
 * <bpf/bpf_helpers.h>): the helpers hypOS PD hooks add to Linux's. The
 * hook's declaration must list a helper for a program to call it. */
#ifndef HYPOS_BPF_PDHOOK_H
#define HYPOS_BPF_PDHOOK_H

/* Signal channel ch of the PD the program runs in, if the hook lets its
 * programs signal that channel (declaration: notify_channels); returns 0,
 * or a negative errno and signals nothing. */
static long (*const pd_notify)(unsigned long long ch) = (void *)256;

#endif
