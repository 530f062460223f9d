#include "jit_internal.h"
int bpf__jit_riscv64(struct jit *c) { (void)c; return -BPF_EOPNOTSUPP; }
