/* Program entry: a0 = seL4_BootInfo* (root task). Sets the stack, global
 * and thread pointers, then hands over to C. */
.section .text.start, "ax"
.global _start
_start:
#ifdef HYPOS_USER_COUNTERS
    csrr  a2, instret        /* first instruction: lets benchmarks time the boot */
#else
    li    a2, 0              /* release kernels keep the counters from user mode */
#endif
.option push
.option norelax
    la    gp, __global_pointer$
.option pop
    la    sp, __stack_top
    la    tp, __tls_base
    call  __hypos_start_c
1:  j 1b
