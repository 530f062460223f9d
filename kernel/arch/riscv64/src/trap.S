#include <arch/trap_layout.h>

/* Trap entry and exit. While a thread runs in user mode, sscratch holds the
 * address of its saved register area (regs[0] = pc, regs[n] = xn,
 * then fault_pc); in the kernel sscratch is 0. */

.text
.align 4
.global trap_entry
trap_entry:
    csrrw t0, sscratch, t0
    beqz  t0, kernel_trap
    sd    x1, 1*CTX_REG_SIZE(t0)
    sd    x2, 2*CTX_REG_SIZE(t0)
    sd    x3, 3*CTX_REG_SIZE(t0)
    sd    x4, 4*CTX_REG_SIZE(t0)
    sd    x6, 6*CTX_REG_SIZE(t0)
    sd    x7, 7*CTX_REG_SIZE(t0)
    sd    x8, 8*CTX_REG_SIZE(t0)
    sd    x9, 9*CTX_REG_SIZE(t0)
    sd    x10, 10*CTX_REG_SIZE(t0)
    sd    x11, 11*CTX_REG_SIZE(t0)
    sd    x12, 12*CTX_REG_SIZE(t0)
    sd    x13, 13*CTX_REG_SIZE(t0)
    sd    x14, 14*CTX_REG_SIZE(t0)
    sd    x15, 15*CTX_REG_SIZE(t0)
    sd    x16, 16*CTX_REG_SIZE(t0)
    sd    x17, 17*CTX_REG_SIZE(t0)
    sd    x18, 18*CTX_REG_SIZE(t0)
    sd    x19, 19*CTX_REG_SIZE(t0)
    sd    x20, 20*CTX_REG_SIZE(t0)
    sd    x21, 21*CTX_REG_SIZE(t0)
    sd    x22, 22*CTX_REG_SIZE(t0)
    sd    x23, 23*CTX_REG_SIZE(t0)
    sd    x24, 24*CTX_REG_SIZE(t0)
    sd    x25, 25*CTX_REG_SIZE(t0)
    sd    x26, 26*CTX_REG_SIZE(t0)
    sd    x27, 27*CTX_REG_SIZE(t0)
    sd    x28, 28*CTX_REG_SIZE(t0)
    sd    x29, 29*CTX_REG_SIZE(t0)
    sd    x30, 30*CTX_REG_SIZE(t0)
    sd    x31, 31*CTX_REG_SIZE(t0)
    csrrw t1, sscratch, zero    /* user t0, and mark "in kernel" */
    sd    t1, 5*CTX_REG_SIZE(t0)
    csrr  t1, sepc
    sd    t1, CTX_FAULT_PC(t0)
    la    sp, kernel_stack_top
    /* System calls: the user's a0, a1 and a7 are still in registers. The
     * thread resumes after the ecall; Call and ReplyRecv try the fastpath,
     * which returns only when the slow path must run. */
    csrr  t2, scause
    addi  t2, t2, -8
    bnez  t2, 5f
    addi  t1, t1, 4
    sd    t1, 0*CTX_REG_SIZE(t0)
    li    t1, SYSNO_CALL
    bne   a7, t1, 2f
    call  fastpath_call
    j     4f
2:  li    t1, SYSNO_REPLY_RECV
    bne   a7, t1, 4f
    call  fastpath_reply_recv
4:  call  c_handle_syscall
5:  sd    t1, 0*CTX_REG_SIZE(t0)           /* exceptions and interrupts resume at sepc */
    csrr  a0, scause
    csrr  a1, stval
    call  c_handle_trap
1:  j     1b

/* The vector while a thread runs with sstatus.FS on (arch/fpu.h): note
 * whether the thread wrote FP state (FS Dirty), turn FS Off and the vector
 * back to trap_entry, then enter as any trap does. Only t1 and t2 are
 * used, saved in the context (trap_entry stores them again, unchanged).
 * Arming it for a thread with FS Off is harmless: nothing is noted. */
.align 4
.global trap_entry_fpu
trap_entry_fpu:
    csrrw t0, sscratch, t0
    beqz  t0, kernel_trap
    sd    t1, 6*CTX_REG_SIZE(t0)
    sd    t2, 7*CTX_REG_SIZE(t0)
    li    t1, 3 << FS_SHIFT_ASM
    csrrc t2, sstatus, t1       /* FS := Off */
    and   t2, t2, t1
    bne   t2, t1, 1f            /* not Dirty */
    la    t2, fpu_holder_dirty
    sd    t1, 0(t2)
1:  la    t1, trap_entry
    csrw  stvec, t1
    ld    t1, 6*CTX_REG_SIZE(t0)
    ld    t2, 7*CTX_REG_SIZE(t0)
    csrrw t0, sscratch, t0
    j     trap_entry

kernel_trap:
    csrrw t0, sscratch, t0
    csrr  a0, scause
    csrr  a1, sepc
    csrr  a2, stval
    call  kernel_trap_panic
2:  j     2b

/* restore_user_context(user_context_t *ctx): never returns */
.global restore_user_context
restore_user_context:
    ld    t0, 0*CTX_REG_SIZE(a0)
    csrw  sepc, t0
    csrw  sscratch, a0
    ld    x1, 1*CTX_REG_SIZE(a0)
    ld    x2, 2*CTX_REG_SIZE(a0)
    ld    x3, 3*CTX_REG_SIZE(a0)
    ld    x4, 4*CTX_REG_SIZE(a0)
    ld    x5, 5*CTX_REG_SIZE(a0)
    ld    x6, 6*CTX_REG_SIZE(a0)
    ld    x7, 7*CTX_REG_SIZE(a0)
    ld    x8, 8*CTX_REG_SIZE(a0)
    ld    x9, 9*CTX_REG_SIZE(a0)
    ld    x11, 11*CTX_REG_SIZE(a0)
    ld    x12, 12*CTX_REG_SIZE(a0)
    ld    x13, 13*CTX_REG_SIZE(a0)
    ld    x14, 14*CTX_REG_SIZE(a0)
    ld    x15, 15*CTX_REG_SIZE(a0)
    ld    x16, 16*CTX_REG_SIZE(a0)
    ld    x17, 17*CTX_REG_SIZE(a0)
    ld    x18, 18*CTX_REG_SIZE(a0)
    ld    x19, 19*CTX_REG_SIZE(a0)
    ld    x20, 20*CTX_REG_SIZE(a0)
    ld    x21, 21*CTX_REG_SIZE(a0)
    ld    x22, 22*CTX_REG_SIZE(a0)
    ld    x23, 23*CTX_REG_SIZE(a0)
    ld    x24, 24*CTX_REG_SIZE(a0)
    ld    x25, 25*CTX_REG_SIZE(a0)
    ld    x26, 26*CTX_REG_SIZE(a0)
    ld    x27, 27*CTX_REG_SIZE(a0)
    ld    x28, 28*CTX_REG_SIZE(a0)
    ld    x29, 29*CTX_REG_SIZE(a0)
    ld    x30, 30*CTX_REG_SIZE(a0)
    ld    x31, 31*CTX_REG_SIZE(a0)
    ld    x10, 10*CTX_REG_SIZE(a0)
    sret
