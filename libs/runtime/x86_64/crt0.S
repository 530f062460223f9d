/* Program entry: rdi = seL4_BootInfo* (root task), rsi = the kernel's boot
 * counter. Sets the stack, gives the thread its TLS block, then hands
 * over to C. */
.section .text.start, "ax"
.global _start
_start:
#ifdef HYPOS_USER_COUNTERS
    rdtsc                    /* first instruction: lets benchmarks time the boot */
    shlq  $32, %rdx
    orq   %rax, %rdx
    movq  %rdx, %r12
#else
    xorl  %r12d, %r12d       /* release kernels keep the counters from user mode */
#endif
    movq  %rdi, %r13
    movq  %rsi, %r14
    leaq  __stack_top(%rip), %rsp
    xorl  %ebp, %ebp
    call  __hypos_init_main_tls
    movq  %r13, %rdi
    movq  %r14, %rsi
    movq  %r12, %rdx
    call  __hypos_start_c
1:  jmp   1b
