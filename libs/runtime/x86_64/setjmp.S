/* setjmp and longjmp (C11 7.13) for the System V AMD64 ABI: the
 * callee-saved registers (ABI §3.2.1, figure 3.4), the stack pointer as it
 * is after setjmp returns, and the address it returns to. */
.text
.global setjmp
.type setjmp, @function
setjmp:
    movq  %rbx, 0(%rdi)
    movq  %rbp, 8(%rdi)
    movq  %r12, 16(%rdi)
    movq  %r13, 24(%rdi)
    movq  %r14, 32(%rdi)
    movq  %r15, 40(%rdi)
    leaq  8(%rsp), %rax         /* the stack once the return address is popped */
    movq  %rax, 48(%rdi)
    movq  (%rsp), %rax          /* the return address */
    movq  %rax, 56(%rdi)
    xorl  %eax, %eax
    ret

/* longjmp(env, value): setjmp returns again, with value, or 1 if value
 * is 0 (C11 7.13.2.1). */
.global longjmp
.type longjmp, @function
longjmp:
    movl  %esi, %eax
    testl %eax, %eax
    jnz   1f
    movl  $1, %eax
1:  movq  0(%rdi), %rbx
    movq  8(%rdi), %rbp
    movq  16(%rdi), %r12
    movq  24(%rdi), %r13
    movq  32(%rdi), %r14
    movq  40(%rdi), %r15
    movq  48(%rdi), %rsp
    jmpq  *56(%rdi)
.section .note.GNU-stack, "", @progbits
