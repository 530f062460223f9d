/* x86_64 kernel entry and exit. A thread's saved registers are its
 * user_context_t (arch/registers.h order), and the entry code builds it
 * in place: TSS.RSP0 points just past the CPU's
 * interrupt frame inside the running thread's context, so an interrupt
 * from user mode pushes RIP..SS straight into it (Intel SDM Vol. 3A
 * §6.14.2), and SYSCALL, which switches no stack (SDM Vol. 2B, SYSCALL),
 * starts from the same place. The kernel then runs on its own stack. */
#include <arch/registers.h>
#include <arch/x86.h>

#define FAULT_PC_OFFSET (32 * 8) /* user_context_t.fault_pc after regs[32] */

/* Push order makes regs[REG_R10] the lowest address (see registers.h). */
.macro PUSH_GPRS
    pushq %r14
    pushq %r13
    pushq %r12
    pushq %r11
    pushq %rbp
    pushq %rcx
    pushq %rbx
    pushq %rax
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %r15
    pushq %r9
    pushq %r8
    pushq %r10
.endm

.macro POP_GPRS
    popq  %r10
    popq  %r8
    popq  %r9
    popq  %r15
    popq  %rdi
    popq  %rsi
    popq  %rdx
    popq  %rax
    popq  %rbx
    popq  %rcx
    popq  %rbp
    popq  %r11
    popq  %r12
    popq  %r13
    popq  %r14
.endm

.text
/* SYSCALL: rcx = user rip after the instruction, r11 = user rflags,
 * interrupts masked by IA32_FMASK. The registers go into the context
 * with stores relative to the frame end (no pushes, so no stack pointer
 * to move): RIP, RFLAGS and RSP of the frame, the general registers but
 * rcx and r11, which SYSCALL itself overwrites (SDM Vol. 2B, SYSCALL), so
 * a program cannot hold values in them across one. CS and SS are not
 * written: only IRETQ reads them, and restore_user_context sets them. */
#define SLOT(r) (((r) - REG_FRAME_END) * 8)
.global syscall_entry
.balign 16
syscall_entry:
    movq  %rsp, syscall_user_rsp(%rip)
    movq  x86_tss+4(%rip), %rsp   /* TSS.RSP0: the end of the thread's frame */
    movq  %rcx, SLOT(REG_RIP)(%rsp)  /* resume after the syscall */
    movq  %r11, SLOT(REG_RFLAGS)(%rsp)
    movq  %r10, SLOT(REG_R10)(%rsp)
    movq  %r8, SLOT(REG_R8)(%rsp)
    movq  %r9, SLOT(REG_R9)(%rsp)
    movq  %r15, SLOT(REG_R15)(%rsp)
    movq  %rdi, SLOT(REG_RDI)(%rsp)
    movq  %rsi, SLOT(REG_RSI)(%rsp)
    movq  %rdx, SLOT(REG_RDX)(%rsp)
    movq  %rax, SLOT(REG_RAX)(%rsp)
    movq  %rbx, SLOT(REG_RBX)(%rsp)
    movq  %rbp, SLOT(REG_RBP)(%rsp)
    movq  %r12, SLOT(REG_R12)(%rsp)
    movq  %r13, SLOT(REG_R13)(%rsp)
    movq  %r14, SLOT(REG_R14)(%rsp)
    leaq  -2(%rcx), %rcx        /* the syscall instruction is 2 bytes */
    movq  %rcx, (FAULT_PC_OFFSET - REG_FRAME_END * 8)(%rsp)
    movq  syscall_user_rsp(%rip), %rcx
    movq  %rcx, SLOT(REG_RSP)(%rsp)
    leaq  kernel_stack_top(%rip), %rsp
    /* Call (-1) and ReplyRecv (-2), the two largest numbers unsigned,
     * try the fastpath through a table indexed by the number, which
     * returns only when the slow path must run; rdi and rsi still hold
     * cap and message info. */
    cmpq  $-2, %rdx
    jb    2f
    call  *(fastpath_by_number + 16)(, %rdx, 8)
2:  call  c_handle_syscall
3:  hlt
    jmp   3b

/* Interrupt and exception vectors: push a zero where the CPU pushes no
 * error code (SDM Vol. 3A §6.13), then the vector number. */
.macro VECTOR n
.balign 16
vector_\n:
    .if (\n == 8) || (\n == 10) || (\n == 11) || (\n == 12) || (\n == 13) || (\n == 14) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
    .else
    pushq $0
    .endif
    pushq $\n
    jmp   interrupt_common
.endm

.altmacro
.set i, 0
.rept 256
    VECTOR %i
    .set i, i + 1
.endr

.macro VECTOR_ADDR n
    .quad vector_\n
.endm
.section .rodata
.balign 8
fastpath_by_number:
    .quad fastpath_reply_recv       /* -2 */
    .quad fastpath_call             /* -1 */
.global x86_vector_table
x86_vector_table:
.set i, 0
.rept 256
    VECTOR_ADDR %i
    .set i, i + 1
.endr
.noaltmacro

.text
interrupt_common:
    /* An interrupt gate clears IF, TF and NT but not DF, and the C code
     * (its string instructions) assumes DF clear (System V ABI §3.2.1);
     * user code may have set it. SYSCALL clears it through IA32_FMASK. */
    cld
    PUSH_GPRS
    testb $3, REG_CS*8(%rsp)
    jz    from_kernel
    leaq  kernel_stack_top(%rip), %rsp
    call  c_handle_interrupt
4:  hlt
    jmp   4b
from_kernel:
    cmpb  $0, x86_at_preemption_point(%rip)
    jne   at_preemption_point
    /* the idle loop (interrupts) or a kernel bug (exceptions); the frame
     * is on the kernel stack, which starts over */
    movq  REG_VECTOR*8(%rsp), %rdi
    movq  REG_ERROR*8(%rsp), %rsi
    movq  REG_RIP*8(%rsp), %rdx
    leaq  kernel_stack_top(%rip), %rsp
    call  c_handle_kernel_entry
5:  hlt
    jmp   5b

/* A preemption point in a long system call took the interrupt: handle it
 * and return to that kernel code, registers and all. */
at_preemption_point:
    movq  REG_VECTOR*8(%rsp), %rdi
    movq  REG_ERROR*8(%rsp), %rsi
    movq  REG_RIP*8(%rsp), %rdx
    movq  %rsp, %rbx
    andq  $-16, %rsp
    call  c_handle_preemption_point
    movq  %rbx, %rsp
    POP_GPRS
    addq  $16, %rsp                 /* vector and error code */
    iretq

/* The GS base of the thread whose context is at rdi + base, written only
 * when it changes. */
.macro GS_BASE_RESTORE base=0
    movq  REG_GS_BASE*8+\base(%rdi), %rax
    cmpq  x86_cur_gs_base(%rip), %rax
    je    1f
    movq  %rax, x86_cur_gs_base(%rip)
    movq  %rax, %rdx
    shrq  $32, %rdx
    movl  $MSR_GS_BASE, %ecx
    wrmsr
1:
.endm

/* restore_user_context(user_context_t *ctx): never returns. Nothing a
 * thread's registers hold can make IRETQ or WRMSR fault in kernel mode:
 * RIP, RFLAGS and the segment bases either come from the CPU at an entry
 * from user mode or were sanitised when they were written
 * (arch_sanitise_context_reg). The selectors are set here: an entry by
 * SYSCALL does not save them, and a thread that has never been in user
 * mode has a context of zeros (it gets IF here too). */
.global restore_user_context
restore_user_context:
    movq  $SEL_USER_CS, REG_CS*8(%rdi)
    movq  $SEL_USER_DS, REG_SS*8(%rdi)
    orq   $(RFLAGS_IF | RFLAGS_RESERVED1), REG_RFLAGS*8(%rdi)
    /* the thread's segment bases, written only when they change */
    movq  REG_FS_BASE*8(%rdi), %rax
    cmpq  x86_cur_fs_base(%rip), %rax
    je    7f
    movq  %rax, x86_cur_fs_base(%rip)
    movq  %rax, %rdx
    shrq  $32, %rdx
    movl  $MSR_FS_BASE, %ecx
    wrmsr
7:  GS_BASE_RESTORE
    /* the next entry from user mode saves into this context */
    leaq  REG_FRAME_END*8(%rdi), %rax
    movq  %rax, x86_tss+4(%rip)     /* TSS.RSP0 */
    movq  %rdi, %rsp
    POP_GPRS
    addq  $16, %rsp                 /* vector and error code */
    iretq

/* restore_user_context_syscall(tcb), for the IPC fastpath (the context
 * is at TCB_CTX_OFFSET in the TCB): every thread
 * it switches to waits in a system call (Recv, ReplyRecv or Call), so it
 * returns the way that call would, with SYSRET (SDM Vol. 2B, SYSRET):
 * RIP from rcx, RFLAGS from r11 (both left in them, as SYSCALL does), CS
 * and SS from IA32_STAR. RIP is canonical (sanitised when written), so
 * SYSRET cannot fault in kernel mode. Threads switch here, and threads
 * have their own TLS blocks, so the FS base is written without a look at
 * the one loaded; the GS base, which few threads set, is compared. */
.global restore_user_context_syscall
restore_user_context_syscall:
    movq  REG_FS_BASE*8+TCB_CTX_OFFSET(%rdi), %rax
    movq  %rax, x86_cur_fs_base(%rip)
    movq  %rax, %rdx
    shrq  $32, %rdx
    movl  $MSR_FS_BASE, %ecx
    wrmsr
    GS_BASE_RESTORE TCB_CTX_OFFSET
    leaq  REG_FRAME_END*8+TCB_CTX_OFFSET(%rdi), %rax
    movq  %rax, x86_tss+4(%rip)     /* TSS.RSP0 */
    movq  REG_RIP*8+TCB_CTX_OFFSET(%rdi), %rcx
    movq  REG_RFLAGS*8+TCB_CTX_OFFSET(%rdi), %r11
    movq  REG_R10*8+TCB_CTX_OFFSET(%rdi), %r10
    movq  REG_R8*8+TCB_CTX_OFFSET(%rdi), %r8
    movq  REG_R9*8+TCB_CTX_OFFSET(%rdi), %r9
    movq  REG_R15*8+TCB_CTX_OFFSET(%rdi), %r15
    movq  REG_RSI*8+TCB_CTX_OFFSET(%rdi), %rsi
    movq  REG_RDX*8+TCB_CTX_OFFSET(%rdi), %rdx
    movq  REG_RAX*8+TCB_CTX_OFFSET(%rdi), %rax
    movq  REG_RBX*8+TCB_CTX_OFFSET(%rdi), %rbx
    movq  REG_RBP*8+TCB_CTX_OFFSET(%rdi), %rbp
    movq  REG_R12*8+TCB_CTX_OFFSET(%rdi), %r12
    movq  REG_R13*8+TCB_CTX_OFFSET(%rdi), %r13
    movq  REG_R14*8+TCB_CTX_OFFSET(%rdi), %r14
    /* from here to SYSRET the kernel runs on the user's stack pointer,
     * with interrupts masked (the kernel uses no NMIs) */
    movq  REG_RSP*8+TCB_CTX_OFFSET(%rdi), %rsp
    movq  REG_RDI*8+TCB_CTX_OFFSET(%rdi), %rdi
    sysretq

.section .bss
.balign 8
syscall_user_rsp: .quad 0
.global x86_cur_fs_base
x86_cur_fs_base: .quad 0
.global x86_cur_gs_base
x86_cur_gs_base: .quad 0
